"""Browser tests: Playwright driving Debian's Chromium (by path) against live_server.

Playwright's sync API runs an event loop in the test thread, which Django would take for
async code; the ORM calls the tests make are ordinary synchronous ones, hence the flag.
"""

import os
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

# Crossref and PubMed answered by the library tests' stand-in, with their recorded
# answers (the `services` fixture): a browser journey that looks a DOI up reaches no one.
from tests.library.conftest import services  # noqa: F401

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
def browser(live_server):
    # After the live server, so closed before it: the browser's open connections end
    # while the server can still finish them (see live_server).
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run scripts/system-deps or set CHROMIUM_PATH"
        )
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started once the test database exists (else it would
    not share the in-memory database's connection, and each request thread would open its
    own: "database table is locked"), and using it one request at a time.

    The test database is SQLite in memory: the server's request threads and the test
    itself share its one connection, which two requests at once (a page and its live
    preview, two tabs) would use together and break ("bad parameter or other API
    misuse"). A request holds the lock while Django answers it; the test's own queries
    wait for it too. At the end it waits for the requests still being finished (the
    browser's kept-alive connections): they close the shared connection, which they may
    only do while the server still shares it."""
    shared = list(live_server.thread.connections_override.values())
    if not shared:  # a database with a connection per thread needs none of this
        yield live_server
        return
    lock = threading.RLock()
    httpd = live_server.thread.httpd
    app = httpd.get_app()

    def one_request_at_a_time(environ, start_response):
        with lock:
            return app(environ, start_response)

    def one_query_at_a_time(execute, sql, params, many, context):
        with lock:
            return execute(sql, params, many, context)

    httpd.set_app(one_request_at_a_time)
    for connection in shared:
        connection.execute_wrappers.append(one_query_at_a_time)
    yield live_server
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.05)
    for connection in shared:
        connection.execute_wrappers.remove(one_query_at_a_time)
    httpd.set_app(app)


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


@pytest.fixture
def choose():
    """Pick `text` in an admin autocomplete (select2) field as a person does: open the
    field by its label, type in its search box, choose the option. The names come from
    static/js/admin-a11y.js, so this also checks that it labels them."""

    def pick(tab, label, text):
        tab.get_by_role("combobox", name=label).click()
        tab.get_by_role("searchbox", name=f"Search {label}").press_sequentially(text)
        tab.get_by_role("option", name=text).click()

    return pick


def log_in(page, username, password="a-long-passphrase"):
    """Sign `page` in to the admin as `username` (made by the test) and land on its index."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page
