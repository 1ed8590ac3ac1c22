"""In a real browser: the Sở Nội vụ's coordinator reports on its own department's task from
“Việc của tôi”; the what-if page refuses an impossible target without showing a total or a rank."""
import datetime as dt
import json
from pathlib import Path

import pytest

from chiso.accounts.models import Role
from chiso.plans.models import Task
from chiso.progress.models import ProgressReport, ReportingPeriod
from tests.analysis.conftest import dak_nong  # noqa: F401 (a fixture)
from tests.browser.conftest import login
from tests.factories import UserFactory

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden"
PASSWORD = "secret-pass-1"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def daklak(demo_reference):
    from chiso.plans.loader import plan_load

    doc = json.loads((GOLDEN / "000_c15530573d130bd3.json").read_text(encoding="utf-8"))
    plan = plan_load(actor=None, document=doc).plan
    home_affairs = plan.issuer.children.get(name="Sở Nội vụ")
    task = Task.objects.get(item__table__plan=plan, text__contains="ít nhất là 30%",
                            assignments__role="lead", assignments__unit=home_affairs)
    period = ReportingPeriod.objects.create(plan=plan, name="Quý IV/2025", start=dt.date(2025, 10, 1),
                                            end=dt.date(2025, 12, 31), due_date=dt.date(2025, 12, 15))
    UserFactory(username="dieuphoi", unit=home_affairs, role=Role.COORDINATOR)
    return plan, task, period


def test_the_coordinator_writes_its_own_departments_report(live_server, browser_page, daklak):
    plan, task, period = daklak
    page = browser_page
    login(page, live_server, "dieuphoi", PASSWORD)
    page.get_by_test_id("count-can-viet").click()
    row = page.get_by_test_id("to-write").locator("tr", has_text="ít nhất là 30%")
    row.get_by_role("link", name="Viết báo cáo").click()
    assert page.locator("h1").count() >= 1 and "Không có quyền" not in page.title()
    page.get_by_label("Đang thực hiện", exact=True).check()
    page.fill("#id_percent", "50")
    page.fill("#id_done", "Đã kiểm tra CCHC 18/35 cơ quan, đơn vị.")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_selector("text=Đã gửi báo cáo để Sở Nội vụ xem xét.")
    report = ProgressReport.objects.get(period=period, task=task)
    assert report.state == "submitted" and report.submitted_by.username == "dieuphoi"


def test_what_if_refuses_an_impossible_target(live_server, browser_page, dak_nong):  # noqa: F811
    page = browser_page
    login(page, live_server, "dn-officer", PASSWORD)
    page.goto(f"{live_server.url}/phan-tich/don-vi/{dak_nong.province.public_id}/muc-tieu/"
              f"{dak_nong.version.public_id}/2024/")
    assert page.get_by_test_id("projected-total").inner_text() != "—"
    page.get_by_label("Mục tiêu 8.1", exact=True).fill("12")
    page.get_by_role("button", name="Tính thử (không lưu)").click()
    page.wait_for_selector('[data-testid="errors"]')
    errors = page.get_by_test_id("errors").inner_text()
    assert "Tiêu chí 8.1: mục tiêu 12 lớn hơn điểm tối đa 10." in errors
    assert page.get_by_test_id("projected-total").inner_text() == "—"
    assert page.get_by_test_id("projected-rank").inner_text() == "—"
    assert "csrfmiddlewaretoken" not in page.url and "t-8.1" not in page.url  # sent by POST
    assert page.get_by_label("Mục tiêu 8.1", exact=True).input_value() == "12"
