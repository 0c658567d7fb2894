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

  // Keyboard users: the first Tab stop jumps to the latest answer (or the question box when there is none).
  const skip = Object.assign(document.createElement("a"), { href: "#chat", className: "kb-skip", id: "kb-skip",
    textContent: (navigator.language || "").toLowerCase().startsWith("es") ? "Ir a la respuesta" : "Skip to the answer" });
  skip.addEventListener("click", (ev) => {
    ev.preventDefault();
    const answers = document.querySelectorAll("#chat [aria-label^=\"bot's message\"]");
    const target = answers.length ? answers[answers.length - 1] : document.querySelector("#question textarea");
    if (!target) return;
    if (!target.hasAttribute("tabindex") && target.tagName !== "TEXTAREA") target.setAttribute("tabindex", "-1");
    target.focus();
    target.scrollIntoView({ block: "nearest" });
  });
  document.body.prepend(skip);

  // Messages are HTML, which Gradio would copy and read out as markup: give the Copy button and the
  // screen-reader label the text a reader sees instead (Markdown emphasis already rendered).
  const LABEL = /^(.*?'s message: )/;
  const seen = (el) => (el.innerText || el.textContent || "").replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
  const messageOf = (button) => {
    for (let el = button.parentElement; el && el.id !== "chat"; el = el.parentElement) {
      const found = [...el.querySelectorAll("[aria-label]")].filter((m) => LABEL.test(m.dataset.kbLabel || m.getAttribute("aria-label"))
        && (m.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING));
      if (found.length) return found[found.length - 1];
    }
    return null;
  };
  const relabel = () => document.querySelectorAll("#chat [aria-label]").forEach((el) => {
    const label = el.getAttribute("aria-label");
    const m = label.match(LABEL);
    const text = m && (el.dataset.kbLabel || /[<*]/.test(label)) ? seen(el) : "";
    if (!text) return;  // not a message of ours, or not rendered yet
    el.dataset.kbLabel = m[1];
    if (label !== m[1] + text) el.setAttribute("aria-label", m[1] + text);
  });
  // Gradio's example questions are buttons inside role="list" (ARIA wants list items there: axe-core
  // "aria-required-children"): announce them as a group of buttons instead.
  const regroup = () => document.querySelectorAll("#chat .examples[role='list']").forEach((el) => el.setAttribute("role", "group"));
  new MutationObserver(() => { relabel(); regroup(); }).observe(document.body, { childList: true, subtree: true, characterData: true });
  const write = (text) => {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    const area = Object.assign(document.createElement("textarea"), { value: text });
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  };
  document.addEventListener("click", (ev) => {
    const button = ev.target.closest ? ev.target.closest("#chat button[aria-label='Copy message']") : null;
    const message = button && messageOf(button);
    if (message) setTimeout(() => write(seen(message)), 150);  // after Gradio's own copy, which it replaces
  }, true);
  // Gradio opens a dropdown's list as soon as it takes the focus, so tabbing through the filters pops
  // every list open: close it when the focus came from the keyboard (typing or ArrowDown opens it).
  let pointer = false;
  document.addEventListener("pointerdown", () => { pointer = true; setTimeout(() => { pointer = false; }, 600); }, true);
  document.addEventListener("focusin", (ev) => {
    const input = ev.target.closest ? ev.target.closest("input[role='combobox']") : null;
    if (!input || pointer) return;
    setTimeout(() => input.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true })), 0);
  });
  // A PDF page opens scrolled to its first highlighted run (data-focus: a share of the page's height).
  new MutationObserver(() => {
    document.querySelectorAll("#original .kb-original[data-focus]:not([data-focused])").forEach((view) => {
      const img = view.querySelector("img");
      const scroll = () => { view.scrollTop = Math.max(0, img.offsetTop + parseFloat(view.dataset.focus) * img.clientHeight - 48); };
      view.setAttribute("data-focused", "");
      if (img.complete) scroll(); else img.addEventListener("load", scroll, { once: true });
    });
  }).observe(document.body, { childList: true, subtree: true });
  // A source's original (PDF page or document context) closes with its × and when a new question is asked.
  const closeOriginal = () => document.querySelectorAll("#original .kb-original").forEach((el) => el.remove());
  document.addEventListener("click", (ev) => {
    if (!ev.target.closest) return;
    if (ev.target.closest("#original .kb-close") || ev.target.closest("#ask")) closeOriginal();
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && ev.target.closest && ev.target.closest("#question")) closeOriginal();
  });
}
