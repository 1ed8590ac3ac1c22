"""In a real browser: a reporting period on the Đắk Lắk 2025 plan, from opening to acceptance.

The coordinator opens "Quý IV/2025"; an officer of the lead unit (Sở Nội vụ) submits a report
with a PDF; the coordinator sends it back; the officer revises; the coordinator accepts; the
province dashboard counts change; an officer of another unit gets 404 on the task and on the
evidence file; `chiso send-reminders` run twice sends each reminder once.
"""
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from chiso.accounts.models import Role
from chiso.plans.models import Task
from chiso.progress.models import Evidence, ReminderLog
from tests.browser.conftest import login
from tests.factories import UnitFactory, UserFactory

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden"
PASSWORD = "secret-pass-1"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def daklak(demo_reference, settings, tmp_path):
    from chiso.plans.loader import plan_load

    settings.MEDIA_ROOT = tmp_path / "media"
    doc = json.loads((GOLDEN / "000_c15530573d130bd3.json").read_text(encoding="utf-8"))
    plan = plan_load(actor=None, document=doc).plan
    home_affairs = plan.issuer.children.get(name="Sở Nội vụ")
    task = Task.objects.get(item__table__plan=plan, text__contains="ít nhất là 30%",
                            assignments__role="lead", assignments__unit=home_affairs)
    UserFactory(username="dieuphoi", unit=home_affairs, role=Role.COORDINATOR, email="dieuphoi@snv.vn")
    UserFactory(username="canbo", unit=home_affairs, role=Role.OFFICER, email="canbo@snv.vn")
    UserFactory(username="khac", unit=UnitFactory(name="Sở Thử Nghiệm", parent=plan.issuer), role=Role.OFFICER)
    return plan, task


def counts(page, live_server, plan):
    page.goto(f"{live_server.url}/tien-do/ke-hoach/{plan.public_id}/")
    return {s: int(page.get_by_test_id(f"status-{s}").inner_text()) for s in ("in_progress", "done")}


def test_period_report_review_dashboard_scope_reminders(live_server, new_page, daklak):
    plan, task = daklak
    coordinator, officer, outsider = new_page(), new_page(), new_page()

    # the coordinator opens the period from the plan's page
    login(coordinator, live_server, "dieuphoi", PASSWORD)
    before = counts(coordinator, live_server, plan)
    coordinator.goto(f"{live_server.url}/ke-hoach/{plan.public_id}/")
    coordinator.get_by_role("link", name="Kỳ báo cáo").click()
    coordinator.fill("#id_name", "Quý IV/2025")
    coordinator.fill("#id_start", "01/10/2025")
    coordinator.fill("#id_end", "31/12/2025")
    coordinator.fill("#id_due_date", "15/12/2025")
    coordinator.get_by_role("button", name="Mở kỳ báo cáo").click()
    coordinator.wait_for_selector("text=Đã mở kỳ báo cáo “Quý IV/2025”")

    # the officer of Sở Nội vụ finds the report to write and submits it with a PDF
    login(officer, live_server, "canbo", PASSWORD)
    officer.locator("#nav").get_by_role("link", name="Theo dõi thực hiện").click()
    row = officer.get_by_test_id("to-write").locator("tr", has_text="ít nhất là 30%")
    row.get_by_role("link", name="Viết báo cáo").click()
    officer.get_by_label("Đang thực hiện", exact=True).check()
    officer.fill("#id_percent", "60")
    officer.fill("#id_done", "Đã kiểm tra CCHC 12/35 cơ quan, đơn vị.")
    officer.set_input_files("#id_files", files=[{"name": "bien-ban-kiem-tra.pdf", "mimeType": "application/pdf",
                                                  "buffer": PDF}])
    officer.get_by_role("button", name="Gửi báo cáo").click()
    officer.wait_for_selector("text=Đã gửi báo cáo để Sở Nội vụ xem xét.")
    assert officer.get_by_test_id("report-state").first.inner_text() == "Đã gửi, chờ duyệt"

    # the coordinator sends it back with a comment
    coordinator.locator("#nav").get_by_role("link", name="Theo dõi thực hiện").click()
    coordinator.get_by_role("link", name="Xem và duyệt").first.click()
    assert "bien-ban-kiem-tra.pdf" in coordinator.get_by_test_id("evidence-link").inner_text()
    coordinator.fill("#id_comment", "Bổ sung danh sách cơ quan đã kiểm tra.")
    coordinator.get_by_role("button", name="Trả lại để sửa").click()
    coordinator.wait_for_selector("text=Đã trả lại báo cáo cho đơn vị.")

    # the officer sees why, revises, and submits again
    officer.reload()
    officer.get_by_test_id("write-report").first.click()
    assert "Bổ sung danh sách" in officer.get_by_test_id("review-comment").inner_text()
    officer.get_by_label("Hoàn thành", exact=True).check()
    officer.fill("#id_percent", "100")
    officer.fill("#id_done", "Đã kiểm tra CCHC 35/35 cơ quan; danh sách kèm theo.")
    officer.get_by_role("button", name="Gửi báo cáo").click()
    officer.wait_for_selector("text=Đã gửi báo cáo để Sở Nội vụ xem xét.")

    # the coordinator accepts; the task is done and the dashboard counts move
    coordinator.locator("#nav").get_by_role("link", name="Theo dõi thực hiện").click()
    coordinator.get_by_role("link", name="Xem và duyệt").first.click()
    coordinator.get_by_role("button", name="Duyệt báo cáo").click()
    coordinator.wait_for_selector("text=Đã duyệt báo cáo.")
    assert coordinator.get_by_test_id("count-accepted").inner_text() == "Đã duyệt (1)"
    after = counts(coordinator, live_server, plan)
    assert after["done"] == before["done"] + 1
    assert coordinator.get_by_test_id("accepted-1").inner_text() == "1"
    officer.goto(f"{live_server.url}/tien-do/nhiem-vu/{task.public_id}/")
    assert officer.get_by_test_id("task-status").inner_text() == "Hoàn thành"
    history = officer.get_by_test_id("history").inner_text()
    assert "dieuphoi" in history and "Trạng thái: Chưa thực hiện → Hoàn thành" in history

    # an officer of another unit: the task and the evidence file do not exist for them
    login(outsider, live_server, "khac", PASSWORD)
    evidence = Evidence.objects.get(report__task=task)
    assert outsider.goto(f"{live_server.url}/tien-do/nhiem-vu/{task.public_id}/").status == 404
    assert outsider.goto(f"{live_server.url}/tien-do/minh-chung/{evidence.public_id}/").status == 404
    response = officer.request.get(f"{live_server.url}/tien-do/minh-chung/{evidence.public_id}/")
    assert response.status == 200 and response.body().startswith(b"%PDF")

    # reminders, as the scheduler would run them on 10/12/2025: each is sent once
    mail.outbox.clear()
    first, second = StringIO(), StringIO()
    call_command("send_reminders", today="2025-12-10", stdout=first)
    sent = len(mail.outbox)
    logged = ReminderLog.objects.count()
    call_command("send_reminders", today="2025-12-10", stdout=second)
    assert sent >= 2 and logged > sent  # the officer's reminders come in one email; the coordinator's digest
    assert len(mail.outbox) == sent and ReminderLog.objects.count() == logged
    assert "Đã gửi 0 lời nhắc trong 0 thư" in second.getvalue()
    print(f"\nreminders: first run {first.getvalue().strip()} second run {second.getvalue().strip()}")
