"""Browser journeys: Playwright driving Debian's Chromium against the live test server, with axe-core checks."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import ensure_reference_data

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
AXE = Path(settings.BASE_DIR, "static", "vendor", "axe-core", "axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium (paquet Debian) est absent : lancez les tests avec `make test` ou `make e2e`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def new_context(browser, **options):
    """A French-speaking browser context; axe-core is injected as a script, so it bypasses the page's CSP."""
    return browser.new_context(
        **{"locale": "fr-FR", "bypass_csp": True, "viewport": {"width": 1280, "height": 900}, **options}
    )


@pytest.fixture
def page(browser, live_server):
    from django.core.cache import cache

    ensure_reference_data()
    cache.clear()  # login throttles live in the database cache, which the journeys' clean-up does not empty
    context = new_context(browser)
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.base_url = live_server.url
    yield page
    context.close()
    assert not errors, f"Erreurs JavaScript : {errors}"


PHONE = {"width": 390, "height": 844}

# The elements wider than the screen, deepest first (the ones to fix), as "tag#id.class (width px)".
_OVERFLOWING = """(limit) => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.right <= limit + 0.5 || rect.width === 0) continue;
    if ([...el.children].some((child) => child.getBoundingClientRect().right > limit + 0.5)) continue;
    let hidden = false;
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.overflowX !== 'visible' && node.getBoundingClientRect().right <= limit + 0.5) { hidden = true; break; }
    }
    if (hidden) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + [...el.classList].map((c) => '.' + c).join('');
    out.push(name + ' (' + Math.round(rect.right) + ' px)');
  }
  return out.slice(0, 5);
}"""


def assert_fits_phone(page):
    """On a 390 px wide phone the current page is no wider than the screen; the previous viewport is restored."""
    previous = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        page.wait_for_timeout(50)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:  # charts and maps redraw after a resize: measure again once they have
            page.wait_for_timeout(400)
            width = page.evaluate("document.documentElement.scrollWidth")
        culprits = page.evaluate(_OVERFLOWING, PHONE["width"]) if width > PHONE["width"] else []
    finally:
        if previous:
            page.set_viewport_size(previous)
    assert width <= PHONE["width"], (
        f"{page.url} est plus large que l'écran d'un téléphone ({width} px > {PHONE['width']} px) : "
        + ", ".join(culprits)
    )


def assert_accessible(page):
    """No serious or critical axe-core violation of WCAG 2.1 A/AA on the current page, and it fits a phone's width."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not blocking, f"Violations d'accessibilité sur {page.url} :\n" + "\n".join(blocking)
    assert_fits_phone(page)
