"""Browser tests: a real headless Debian Chromium driven by Playwright against live_server.

The flags are the ones this closed network needs: without the background-networking
ones Chromium keeps trying to reach Google and hangs.
"""
import os
import shutil
import tempfile

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHISO_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser_context_factory():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    user_data = tempfile.mkdtemp(prefix="chiso-chromium-")
    with sync_playwright() as pw:
        def make(**kwargs):
            return pw.chromium.launch_persistent_context(
                user_data, executable_path=CHROMIUM, args=FLAGS, headless=True,
                viewport=kwargs.pop("viewport", {"width": 1366, "height": 768}), locale="vi-VN", **kwargs,
            )
        yield make
    shutil.rmtree(user_data, ignore_errors=True)


@pytest.fixture
def browser_page(browser_context_factory):
    context = browser_context_factory()
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
