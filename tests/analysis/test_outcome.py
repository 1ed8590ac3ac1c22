"""The outcome page of a plan: KH 475 (Đắk Nông, targets for 2024 from the 2023 results) set
against Đắk Nông's 2024 results once they are in."""
import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from chiso.accounts.models import Role
from chiso.analysis.outcome import plan_outcome
from chiso.core.outcome import PARTLY
from chiso.plans.models import Plan, PlanState, Task
from chiso.progress import services as progress
from chiso.progress.models import ReportingPeriod
from chiso.scores.models import Score
from chiso.scores.services import ScoreInput, assessment_get_or_create, scores_save
from tests.factories import UserFactory

# 2024 against 2023: 6.3.4 won back (0 → 1), 8.1 lost again (8,17 → 7,9)
CHANGES = {"6.3.4": D("1"), "6.3": D("1"), "6": D("1"), "8.1": D("-0.27"), "8": D("-0.27")}


@pytest.fixture
def results_2024(dak_nong):
    scores = Score.objects.filter(assessment=dak_nong.assessment, score__isnull=False).select_related("criterion")
    assessment = assessment_get_or_create(actor=None, unit=dak_nong.province, version=dak_nong.version, year=2024)
    rows = [ScoreInput(s.criterion.code, score=s.score + CHANGES.get(s.criterion.code, 0), fields=("score",))
            for s in scores]
    scores_save(actor=None, assessment=assessment, rows=rows, printed_total=D("86.145"))
    return assessment


def task_on(dak_nong, code) -> Task:
    return Task.objects.get(item__table__plan=dak_nong.plan, item__code=code)


@pytest.fixture
def reported(dak_nong, results_2024):
    """The 6.3.4 task (Sở Tài chính leads) reported done in the second quarter, before its
    deadline of 30/6/2024, and accepted; the 8.1 task not done."""
    task = task_on(dak_nong, "6.3.4")
    Task.objects.filter(pk=task.pk).update(due_date=dt.date(2024, 6, 30), deadline_text="Trước ngày 30/6/2024")
    finance = task.assignments.get(role="lead").unit
    officer = UserFactory(username="stc-officer", unit=finance, role=Role.OFFICER)
    period = ReportingPeriod.objects.create(plan=dak_nong.plan, name="Quý II/2024", start=dt.date(2024, 4, 1),
                                            end=dt.date(2024, 6, 30), due_date=dt.date(2024, 6, 25))
    report = progress.report_save(actor=officer, period=period, task=task, version=0, submit=True,
                                  data=progress.ReportInput("done", 100, "Đã sắp xếp xong bộ máy", ""))
    progress.report_review(actor=dak_nong.coordinator, report=report, accept=True)
    return task


def test_each_criterion_target_against_result_and_the_verdict(dak_nong, reported):
    d = plan_outcome(dak_nong.plan)
    assert (d.year, d.years, d.results.year) == (2024, [2024], 2024)
    rows = {r.fact.code: r for r in d.outcome.rows}
    assert (rows["6.3.4"].status, rows["6.3.4"].change, rows["6.3.4"].target_met) == ("met", D("1"), True)
    assert (rows["8.1"].status, rows["8.1"].change, rows["8.1"].lost_again) == ("worse", D("-0.27"), D("0.27"))
    assert [t.timing for t in rows["6.3.4"].fact.tasks] == ["on_time"]
    assert [t.timing for t in rows["8.1"].fact.tasks] == ["not_done"]
    o = d.outcome
    assert (o.totals.baseline, o.totals.target, o.totals.result) == (D("85.415"), D("88.679"), D("86.145"))
    assert o.verdict == PARTLY and o.total_change == D("0.73") and (o.won_back, o.lost_again) == (D("1"), D("0.27"))
    # the PAR INDEX table's tasks (the SIPAS table has no targets nor 2024 results)
    assert (o.done, o.on_time) == (1, 1) and o.tasks == Task.objects.filter(item__table=d.table).count() == 87
    finance = next(a for a in o.agencies if a.name == "Sở Tài chính")
    assert (finance.done, finance.on_time, finance.won_back, finance.lost_again) == (1, 1, D("1"), 0)
    assert "6.3.4" in finance.codes and finance.not_done == finance.tasks - 1
    assert "<svg" in d.chart


def test_a_removed_task_is_not_counted(dak_nong, reported):
    from chiso.plans import services as plan_services

    before = plan_outcome(dak_nong.plan).outcome.tasks
    task = task_on(dak_nong, "8.1")
    plan = plan_services.plan_amend(actor=dak_nong.coordinator, plan=dak_nong.plan, version=dak_nong.plan.version,
                                    reason="Bỏ nhiệm vụ 8.1")
    plan_services.task_remove(actor=dak_nong.coordinator, task=task, version=task.version)
    assert plan_outcome(plan).outcome.tasks == before - 1


def test_without_results_the_page_says_what_is_missing(client, dak_nong):
    client.force_login(dak_nong.coordinator)
    response = client.get(reverse("analysis:plan_outcome", args=[dak_nong.plan.public_id]))
    assert response.status_code == 200
    assert "Chưa có kết quả năm 2024 của" in response.content.decode()


@pytest.mark.parametrize("who, status", [("own", 200), ("other", 404), ("coordinator", 200)])
def test_outcome_page_for_three_users_in_a_fixed_number_of_queries(client, dak_nong, users, reported, who, status,
                                                                    django_assert_max_num_queries):
    client.force_login(users[who])
    url = reverse("analysis:plan_outcome", args=[dak_nong.plan.public_id])
    # 14 for the page, the rest the session, the user, the scope and the navbar's unread notifications
    with django_assert_max_num_queries(17):
        response = client.get(url)
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Một phần: có tiến bộ nhưng chưa đạt mục tiêu" in page and 'data-testid="outcome-rows"' in page
        assert ('data-testid="start-from-results"' in page) == (who == "coordinator")


def test_the_next_plan_starts_from_the_outcome(client, dak_nong, results_2024):
    client.force_login(dak_nong.coordinator)
    response = client.post(reverse("plans:start_results"), {"results": results_2024.public_id})
    new = Plan.objects.get(results=results_2024)
    assert response.status_code == 302 and (new.state, new.first_year) == (PlanState.DRAFT, 2025)
    assert new.tables.get().items.filter(code="8.1").exists() and not new.tables.get().items.filter(code="6.3.4").exists()
    page = client.get(reverse("analysis:plan_outcome", args=[dak_nong.plan.public_id])).content.decode()
    assert reverse("plans:edit", args=[new.public_id]) in page
