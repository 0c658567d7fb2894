"""An automated accessibility engine over the real UI: axe-core (bundled in the PyPI package
axe-playwright-python, injected into the page by Playwright) on every tab, at desktop and phone sizes,
in English and Spanish, after a question is answered. WCAG 2.0/2.1 A and AA rules; the bar is zero
serious or critical violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
         "resultTypes": ["violations"]}
TABS = {"en-US": ("Workshop pack", "Documents"), "es-ES": ("Taller", "Documentos")}


def serious(page) -> list[str]:
    settled = 0
    while settled < 3:  # Gradio greys a component out while an event fills it: scan the settled page
        page.wait_for_function("() => !document.querySelector('.pending')")
        page.wait_for_timeout(200)
        settled = settled + 1 if not page.locator(".pending").count() else 0
    found = Axe().run(page, options=RULES).response["violations"]
    return [f"{v['id']} ({v['impact']}): {n['target']} {n.get('failureSummary', '')[:160]}"
            for v in found if v["impact"] in ("serious", "critical") for n in v["nodes"]]


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_no_serious_accessibility_violations(server, browser, ask, width, height, locale):
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    page = context.new_page()
    try:
        page.goto(server)
        page.locator("#ask").wait_for()
        assert serious(page) == [], "empty screen"
        ask(page, "¿Cómo capacita Chile a sus compradores públicos?" if locale == "es-ES"
            else "How does Chile train and certify its procurement workforce?")
        assert serious(page) == [], "after an answer"
        for tab in TABS[locale]:
            page.get_by_role("tab", name=tab).click()
            page.wait_for_timeout(300)
            assert serious(page) == [], tab
    finally:
        context.close()
