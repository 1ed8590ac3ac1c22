"""Issue 11's check, in Chromium: the Lâm Đồng coordinator (Đắk Nông merged into Lâm Đồng on
1/7/2025) starts Đắk Nông's next plan from its results, gives every lost-point criterion a task
with a lead and a deadline in words, issues it, amends it and sees the diff; the report made on a
task stays with it. Another agency reads the plan but cannot write (403); another province does
not see it (404)."""
import datetime as dt
import json
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from chiso.accounts.models import Role
from chiso.plans.loader import plan_load
from chiso.plans.models import Plan, PlanState, Task
from chiso.progress import services as progress
from chiso.progress.models import ReportingPeriod
from chiso.scores.models import Assessment
from chiso.units.reference import province
from tests.browser.conftest import login
from tests.factories import UserFactory

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden" / "002_612d7236c16ec5ba.json"
PDF = b"%PDF-1.4\n%%EOF\n"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def daknong(demo_reference):
    plan = plan_load(actor=None, document=json.loads(GOLDEN.read_text(encoding="utf-8"))).plan
    issuer = plan.issuer
    lam_dong = province("Lâm Đồng")
    UserFactory(username="snv.lamdong", role=Role.COORDINATOR, unit=lam_dong.children.get(name="Sở Nội vụ"))
    UserFactory(username="snv.gialai", role=Role.COORDINATOR, unit=province("Gia Lai").children.get(name="Sở Nội vụ"))
    officer = UserFactory(username="stp.daknong", role=Role.OFFICER, unit=issuer.children.get(name="Sở Tư pháp"))
    results = Assessment.objects.get(unit=issuer, year=2023, version__framework__index="PAR_INDEX")
    return plan, results, officer


def issue(page, number: str, date: str):
    page.get_by_test_id("submit-plan").click()
    form = page.get_by_test_id("issue-form")
    form.wait_for()
    form.locator("[name=number]").fill(number)
    form.locator("[name=date]").fill(date)
    form.locator("[name=signed_pdf]").set_input_files({"name": "ky.pdf", "mimeType": "application/pdf", "buffer": PDF})
    form.get_by_role("button", name="Ban hành").click()
    page.get_by_test_id("editions").wait_for()


def csrf_post(page, url: str, form: dict) -> int:
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(url, form=form, headers={"X-CSRFToken": token, "Referer": url}).status


def test_coordinator_writes_issues_and_amends_the_next_plan(live_server, new_page, daknong):
    _, results, officer = daknong
    page = new_page()
    login(page, live_server, "snv.lamdong", "secret-pass-1")
    page.goto(f"{live_server.url}/ke-hoach/moi/?ket-qua={results.public_id}")
    page.get_by_test_id("start-results").get_by_role("button").click()
    page.wait_for_url("**/soan/")
    plan = Plan.objects.get(results=results)
    assert (plan.state, plan.first_year, plan.issuer.name) == (PlanState.DRAFT, 2024, "Đắk Nông")

    # every lost criterion without a task gets one: a lead and a deadline in words
    checks = page.get_by_test_id("checks")
    expect(checks.get_by_test_id("n-tasks")).to_have_text("0")
    lost = page.locator("tbody.plan-row:has([data-testid=no-task])")
    count = lost.count()
    assert count >= 20
    for n in range(count):
        row = lost.first
        row_id = row.get_attribute("id")
        details = row.locator("details.new-task")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        form = row.get_by_test_id("new-task")
        form.locator("[name=text]").fill(f"Khắc phục tồn tại của tiêu chí {row.get_attribute('data-code')}")
        form.locator("[name=lead]").fill("Sở Tư pháp")
        form.locator("[name=deadline]").fill("trước ngày 30 tháng 9 năm 2024" if n == 0 else "Quý III/2024")
        if n == 0:  # the date read as it is typed
            assert "30/09/2024" in form.get_by_test_id("deadline-parsed").inner_text()
        form.get_by_role("button", name="Thêm nhiệm vụ").click()
        page.locator(f"#{row_id} [data-testid=task]").first.wait_for()
        # the checks beside the plan follow each task (and the next write waits for their read:
        # the in-memory test database locks whole tables)
        expect(checks.get_by_test_id("n-tasks")).to_have_text(str(n + 1))
    assert lost.count() == 0
    assert checks.get_by_test_id("lost-without-task").count() == 0 and checks.get_by_test_id("without-lead").count() == 0
    tasks = Task.objects.filter(item__table__plan=plan)
    assert tasks.count() == count and all(t.due_date == dt.date(2024, 9, 30) for t in tasks)
    assert all(t.assignments.get(role="lead").unit == officer.unit for t in tasks)

    issue(page, "20/KH-UBND", "2024-01-20")
    plan.refresh_from_db()
    assert (plan.state, plan.number) == (PlanState.ISSUED, "20/KH-UBND")

    # Sở Tư pháp reports on a task of the issued plan
    task = tasks.order_by("pk").first()
    period = ReportingPeriod.objects.create(plan=plan, name="Quý I/2024", start=dt.date(2024, 1, 1),
                                            end=dt.date(2024, 3, 31), due_date=dt.date(2024, 3, 25))
    report = progress.report_save(actor=officer, period=period, task=task, version=0, submit=True,
                                  data=progress.ReportInput("in_progress", 30, "Đã dự thảo văn bản", ""))

    # amend: the deadline of the reported task moves; the diff shows it
    page.reload()
    page.locator("summary", has_text="Điều chỉnh, bổ sung kế hoạch").click()
    amend = page.get_by_test_id("amend-form")
    amend.locator("[name=reason]").fill("Lùi thời hạn theo tiến độ quý I")
    amend.get_by_role("button", name="Lập bản điều chỉnh").click()
    page.wait_for_url("**/soan/")
    card = page.locator(f"#nv-{task.public_id}")
    card.locator(f"#han-{task.public_id}").fill("trước ngày 31 tháng 10 năm 2024")
    with page.expect_response(lambda r: "/soan/nhiem-vu/" in r.url and r.request.method == "POST") as saved:
        card.get_by_role("button", name="Lưu nhiệm vụ").click()
    assert saved.value.status == 200
    page.get_by_role("link", name="So với bản đã ban hành").click()
    diff = page.locator("main").inner_text()
    assert "trước ngày 30 tháng 9 năm 2024" in diff and "trước ngày 31 tháng 10 năm 2024" in diff
    page.goto(f"{live_server.url}/ke-hoach/{plan.public_id}/soan/")
    issue(page, "35/KH-UBND", "2024-04-15")
    assert page.get_by_test_id("editions").locator("li").count() == 2

    # the report stayed with its task, which the amendment kept
    report.refresh_from_db()
    task.refresh_from_db()
    assert report.task_id == task.pk and task.removed_at is None and task.due_date == dt.date(2024, 10, 31)
    assert list(task.progress_reports.all()) == [report]

    # another agency reads the plan but cannot write it; another province does not see it
    other = new_page()
    login(other, live_server, "stp.daknong", "secret-pass-1")
    assert other.goto(f"{live_server.url}/ke-hoach/{plan.public_id}/").status == 200
    save_url = f"{live_server.url}/ke-hoach/{plan.public_id}/soan/nhiem-vu/{task.public_id}/"
    assert csrf_post(other, save_url, {"version": str(task.version), "text": "Chen vào"}) == 403
    assert csrf_post(other, f"{live_server.url}/ke-hoach/{plan.public_id}/dieu-chinh/",
                     {"version": str(plan.version), "reason": "x"}) == 403
    stranger = new_page()
    login(stranger, live_server, "snv.gialai", "secret-pass-1")
    assert stranger.goto(f"{live_server.url}/ke-hoach/{plan.public_id}/").status == 404
    assert csrf_post(stranger, save_url, {"version": str(task.version), "text": "Chen vào"}) == 404
    task.refresh_from_db()
    assert task.text != "Chen vào"


def test_the_outcome_page_answers_and_the_next_plan_starts_there(live_server, new_page, daknong):
    """KH 475's year against Đắk Nông's 2024 results (6.3.4 won back, 8.1 lost again), under the
    CSP with its chart; the 2025 plan starts from those results on that page."""
    from decimal import Decimal

    from chiso.scores.models import Score
    from chiso.scores.services import ScoreInput, assessment_get_or_create, scores_save

    plan, results, _ = daknong
    changes = {"6.3.4": Decimal("1"), "6.3": Decimal("1"), "6": Decimal("1"), "8.1": Decimal("-0.27"),
               "8": Decimal("-0.27")}
    year = assessment_get_or_create(actor=None, unit=results.unit, version=results.version, year=2024)
    scores_save(actor=None, assessment=year, printed_total=Decimal("86.145"), rows=[
        ScoreInput(s.criterion.code, score=s.score + changes.get(s.criterion.code, 0), fields=("score",))
        for s in Score.objects.filter(assessment=results, score__isnull=False).select_related("criterion")])
    page = new_page()
    login(page, live_server, "snv.lamdong", "secret-pass-1")
    page.goto(f"{live_server.url}/ke-hoach/{plan.public_id}/")
    page.get_by_role("link", name="Kết quả thực hiện").click()
    verdict = page.get_by_test_id("verdict")
    assert "Một phần" in verdict.inner_text() and page.get_by_test_id("result-total").inner_text() == "86,145"
    assert page.get_by_test_id("target-total").inner_text() == "88,679"
    assert page.locator("svg.chart g").count() == 8  # one line per field
    row = page.get_by_test_id("outcome-rows").locator("tr[data-code='6.3.4']")
    assert "Đạt mục tiêu" in row.inner_text() and "+1" in row.inner_text()
    assert "Giảm điểm" in page.get_by_test_id("outcome-rows").locator("tr[data-code='8.1']").inner_text()
    page.get_by_test_id("start-from-results").click()
    page.wait_for_url("**/soan/")
    new = Plan.objects.get(results=year)
    assert (new.first_year, new.state) == (2025, PlanState.DRAFT)
    page.goto(live_server.url + reverse("analysis:plan_outcome", args=[plan.public_id]))
    assert page.get_by_test_id("next-plan").get_by_role("link").count() == 1
