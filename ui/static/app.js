() => {
  // A click on an answer's [n] marker selects source n in the sources panel: open the answer's
  // group, highlight the card and scroll the panel (only the panel, so the chat stays in place).
  if (window.__kbCites) return;
  window.__kbCites = true;
  document.addEventListener("click", (ev) => {
    const link = ev.target.closest ? ev.target.closest("a.kb-cite") : null;
    if (!link) return;
    ev.preventDefault();
    ev.stopPropagation();
    const card = document.getElementById(link.getAttribute("href").slice(1));
    if (!card) return;
    const group = card.closest("details");
    if (group) group.open = true;
    document.querySelectorAll(".kb-src.kb-selected").forEach((el) => el.classList.remove("kb-selected"));
    card.classList.add("kb-selected");
    const panel = card.closest(".kb-sources");
    if (panel) {
      const top = card.getBoundingClientRect().top - panel.getBoundingClientRect().top + panel.scrollTop - 6;
      panel.scrollTo({ top, behavior: "smooth" });
      const box = panel.getBoundingClientRect();
      if (box.bottom < 0 || box.top > window.innerHeight) panel.scrollIntoView({ block: "nearest" });
    }
  }, true);
}
