"""In a real browser: log in, open a plan, open its gap page, search."""
import json
from pathlib import Path

import pytest

from chiso.plans.loader import plan_load
from tests.browser.conftest import login
from tests.factories import UserFactory

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def daknong_coordinator(demo_reference):
    doc = json.loads((GOLDEN / "002_612d7236c16ec5ba.json").read_text(encoding="utf-8"))
    plan = plan_load(actor=None, document=doc).plan
    home_affairs = plan.issuer.children.get(name="Sở Nội vụ")
    UserFactory(username="snv", unit=home_affairs, role="coordinator")
    return plan


def test_login_plan_gap_search(live_server, browser_page, daknong_coordinator):
    page = browser_page
    login(page, live_server, "snv", "secret-pass-1")
    page.get_by_role("link", name="CẢI THIỆN", exact=False).first.click()
    page.wait_for_selector("text=Thực hiện kế hoạch CCHC")
    assert page.locator("table.plan-table").first.is_visible()
    page.get_by_role("link", name="Phân tích điểm bị mất").click()
    assert page.get_by_test_id("total-lost").inner_text() == "14,585"
    assert "0,0005" in page.get_by_test_id("rounding-flag").inner_text()
    first_field = page.get_by_test_id("fields-table").locator("tbody tr").first.inner_text()
    assert first_field.startswith("8.")
    page.fill("input[name=q]", "bo phan mot cua")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#results li")
    assert "Bộ phận Một cửa" in page.locator("#results").inner_text()


def test_plan_page_fits_a_phone(live_server, new_page, daknong_coordinator):
    page = new_page(viewport={"width": 390, "height": 844})
    login(page, live_server, "snv", "secret-pass-1")
    page.goto(f"{live_server.url}/ke-hoach/{daknong_coordinator.public_id}/gap/")
    # wide tables scroll inside their own box; the page itself never scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
