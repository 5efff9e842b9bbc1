"""Browser tests: Playwright driving Debian's Chromium (by path) against live_server.

Playwright's sync API runs an event loop in the test thread, which Django would take for
async code; the ORM calls the tests make are ordinary synchronous ones, hence the flag.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# The accessibility standard the site is held to.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run scripts/system-deps or set CHROMIUM_PATH"
        )
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab on the live server; fails the test on any console error."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    errors = []

    def on_console(msg):
        # A deliberate 404 page logs its own status as a "failed" load: not an error.
        own_status = (
            msg.text.startswith("Failed to load resource") and msg.location.get("url") == tab.url
        )
        if msg.type == "error" and not own_status:
            errors.append(f"{msg.text} ({msg.location.get('url')})")

    tab.on("console", on_console)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert errors == [], f"Browser console errors: {errors}"


@pytest.fixture
def axe_check():
    """Run axe-core on the current page; return the WCAG 2.2 AA violations."""
    source = AXE_JS.read_text()

    def check(tab):
        # Evaluated through the DevTools protocol, so the page's CSP does not block it.
        tab.evaluate(source)
        result = tab.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        return [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": [node["target"] for node in violation["nodes"]][:5],
            }
            for violation in result["violations"]
        ]

    return check
