"""The Content-Security-Policy (no inline script or style) keeps the pages that come from
libraries working too: the admin, the API docs (Swagger UI), the profile. A blocked script
or style fails the test (tests/browser/conftest.py listens to the console)."""
import pytest

from tests.browser.conftest import login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_library_pages_under_the_policy(live_server, browser_page):
    page = browser_page
    UserFactory(username="quantri", role="admin", is_superuser=True, is_staff=True)
    login(page, live_server, "quantri", "secret-pass-1")
    page.goto(f"{live_server.url}/quan-tri/")
    page.locator("#content").wait_for()
    page.goto(f"{live_server.url}/quan-tri/auth/group/add/")
    page.locator("#id_name").wait_for()
    page.goto(f"{live_server.url}/api/docs")
    page.locator(".swagger-ui .info").wait_for()
    page.goto(f"{live_server.url}/tai-khoan/ca-nhan/")
    page.get_by_role("heading").first.wait_for()
    page.wait_for_timeout(300)  # late console messages
