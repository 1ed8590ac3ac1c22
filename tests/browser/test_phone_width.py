"""At 390×844 (a phone held upright) no main page is wider than the screen, for each role:
document.documentElement.scrollWidth ≤ 390. Wide tables scroll inside their own box, and chart
text is drawn at 10 px or more (the chart scrolls sideways instead of shrinking)."""
import json
from pathlib import Path

import pytest

from tests.browser.conftest import login

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden"
PHONE = {"width": 390, "height": 844}
# the smallest chart text as drawn, in CSS pixels: its font size scaled by the drawing's width
CHART_TEXT = """() => {
  let smallest = null;
  for (const svg of document.querySelectorAll('svg.chart')) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll('text')) {
      const size = parseFloat(t.getAttribute('font-size') || '16') * scale;
      smallest = smallest === null ? size : Math.min(smallest, size);
    }
  }
  return smallest;
}"""
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(demo_reference, settings, tmp_path):
    from chiso.demo.progress import load_progress_demo
    from chiso.demo.steps import create_demo_users
    from chiso.plans.loader import plan_load
    from chiso.progress.models import ReportingPeriod

    settings.MEDIA_ROOT = tmp_path / "media"
    plans = {}
    for stem in ("000_c15530573d130bd3", "002_612d7236c16ec5ba"):
        doc = json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))
        plan = plan_load(actor=None, document=doc).plan
        plans[plan.issuer.name] = plan
    create_demo_users(lambda line: None)
    load_progress_demo(lambda line: None)
    period = ReportingPeriod.objects.get(plan=plans["Đắk Lắk"])
    task = period.reports.first().task
    return plans, period, task


def pages(plans, period, task) -> dict[str, list[str]]:
    from chiso.accounts.models import User

    officer = User.objects.get(username="stp.daklak").public_id
    daklak, daknong = plans["Đắk Lắk"].public_id, plans["Đắk Nông"].public_id
    common = ["/", "/tien-do/", f"/ke-hoach/{daklak}/", f"/tien-do/ky/{period.public_id}/",
              f"/tien-do/ke-hoach/{daklak}/ky-bao-cao/", f"/tien-do/nhiem-vu/{task.public_id}/",
              "/tim-kiem/?q=h%C3%A0nh+ch%C3%ADnh", "/don-vi/", "/phan-tich/"]
    return {
        "snv.daklak": common + [f"/tien-do/ke-hoach/{daklak}/", f"/ke-hoach/{daklak}/gap/", "/tai-khoan/nguoi-dung/",
                                f"/tai-khoan/nguoi-dung/{officer}/"],
        "lanhdao.daklak": common + [f"/tien-do/ke-hoach/{daklak}/"],
        "stp.daklak": common + [f"/tien-do/ky/{period.public_id}/nhiem-vu/{task.public_id}/bao-cao/",
                                f"/don-vi/{User.objects.get(username='stp.daklak').unit.public_id}/?han=qua-han"],
        "snv.lamdong": ["/", f"/ke-hoach/{daknong}/", f"/ke-hoach/{daknong}/gap/", f"/tien-do/ke-hoach/{daknong}/",
                        f"/phan-tich/don-vi/{plans['Đắk Nông'].issuer.public_id}/"],
    }


def test_no_page_is_wider_than_a_phone(live_server, new_page, demo):
    from chiso.demo.steps import DEMO_PASSWORD

    too_wide, small_text = {}, {}
    for username, urls in pages(*demo).items():
        page = new_page(PHONE)
        login(page, live_server, username, DEMO_PASSWORD)
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status == 200, (username, url, response.status)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[(username, url)] = width
            smallest = page.evaluate(CHART_TEXT)
            if smallest is not None and smallest < 10:
                small_text[(username, url)] = smallest
    assert not too_wide, too_wide
    assert not small_text, small_text


def test_period_list_filter_by_unit_is_a_shareable_link(live_server, new_page, demo):
    from chiso.demo.steps import DEMO_PASSWORD

    plans, period, task = demo
    page = new_page()
    login(page, live_server, "snv.daklak", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/tien-do/ky/{period.public_id}/")
    total = page.locator("[data-testid=period-rows] tbody tr").count()
    page.select_option("#loc-don-vi", label="Sở Tư pháp")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url(lambda url: "don-vi=" in url)
    shown = page.locator("[data-testid=period-rows] tbody tr").count()
    assert 0 < shown < total
    assert "Sở Tư pháp" in page.locator("[data-testid=period-rows] tbody tr").first.inner_text()
    shared = new_page()  # the same link, opened by another coordinator's browser, shows the same list
    login(shared, live_server, "snv.daklak", DEMO_PASSWORD)
    shared.goto(page.url)
    assert shared.locator("[data-testid=period-rows] tbody tr").count() == shown
    assert "don-vi=" in page.get_by_test_id("list-xlsx").get_attribute("href")


def test_plan_page_filter_and_print(live_server, new_page, demo):
    """The plan page filtered by a unit shows only its tasks (a link to share, its Excel link
    carries the filter); printed, the page has no menu or filter and its table is the paper's width."""
    from chiso.demo.steps import DEMO_PASSWORD

    plans, _, _ = demo
    page = new_page()
    login(page, live_server, "snv.daklak", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/ke-hoach/{plans['Đắk Lắk'].public_id}/")
    page.select_option("#loc-don-vi", label="Sở Tư pháp")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url(lambda url: "don-vi=" in url)
    count = page.get_by_test_id("shown-count").inner_text()
    shown, total = (int(x) for x in count.split("hiện ")[1].split(" nhiệm")[0].split(" / "))
    assert 0 < shown < total
    assert "don-vi=" in page.get_by_test_id("tasks-xlsx").get_attribute("href")
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.get_by_test_id("plan-filters").is_visible()
    widths = page.evaluate("""() => [document.querySelector('main').getBoundingClientRect().width,
                                     document.querySelector('table.plan-table').getBoundingClientRect().width]""")
    assert widths[1] >= widths[0] - 2, widths
