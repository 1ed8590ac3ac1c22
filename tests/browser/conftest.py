"""Browser tests: a real headless Debian Chromium driven by Playwright against live_server.

The flags are the ones this closed network needs: without the background-networking
ones Chromium keeps trying to reach Google and hangs.
"""
import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHISO_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def _playwright():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def _chromium():
    held: dict = {}
    yield held
    if held.get("browser") is not None and held["browser"].is_connected():
        held["browser"].close()


@pytest.fixture
def browser(_playwright, _chromium):
    """One Chromium for the session (Playwright gives each page a fresh, empty profile); started
    again if it went away, so that one crash fails one test, not every test after it."""
    if _chromium.get("browser") is None or not _chromium["browser"].is_connected():
        _chromium["browser"] = _playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
    return _chromium["browser"]


@pytest.fixture
def new_page(browser):
    """Opens isolated pages (separate cookies: one per user); all closed after the test. A
    script or style that the Content-Security-Policy blocks fails the test."""
    contexts, blocked = [], []

    def make(viewport=None):
        context = browser.new_context(viewport=viewport or {"width": 1366, "height": 768}, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not blocked, blocked


@pytest.fixture
def browser_page(new_page):
    return new_page()


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)


def pytest_collection_modifyitems(items):
    """A browser test whose page waited past its timeout runs once more. On a loaded 2-core CI
    machine the one live-server thread, Chromium and the suite share the cores; a second
    timeout in a row fails the test. The first one's thread stacks are printed (below), so a
    server that hangs rather than lags shows where."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.flaky(reruns=1, only_rerun=["TimeoutError"]))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if (call.when == "call" and call.excinfo is not None and call.excinfo.typename == "TimeoutError"
            and item.get_closest_marker("browser")):
        report.sections.append(("threads when the page timed out", _thread_stacks()))


def _thread_stacks() -> str:
    import sys
    import threading
    import traceback

    names = {t.ident: t.name for t in threading.enumerate()}
    return "\n".join(f"--- {names.get(ident, ident)}\n" + "".join(traceback.format_stack(frame))
                     for ident, frame in sys._current_frames().items())
