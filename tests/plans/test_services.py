"""Plan writes check their actor themselves (the REST API and the command line call services,
not views) and record who made each change in the history."""
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from chiso.accounts.models import Role
from chiso.plans.models import Assignment, Plan, PlanItem, Task
from chiso.plans.services import AssignmentInput, plan_load, task_create
from chiso.scores.models import Score
from chiso.scores.services import ScoreFill, scores_fill
from chiso.units.models import Unit
from chiso.units.reference import province
from tests.factories import UserFactory

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden"
DAKNONG_2024 = "002_612d7236c16ec5ba.json"


def golden(name):
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


def user_of(province_name, role, unit_name="Sở Nội vụ"):
    unit = province(province_name).children.get(name=unit_name)
    return UserFactory(unit=unit, role=role)


def counts():
    return Plan.objects.count(), PlanItem.objects.count(), Task.objects.count(), Unit.objects.count(), \
        Score.objects.count()


def test_a_coordinator_loads_a_plan_of_their_scope_and_is_its_author_in_history(demo_reference):
    # Lâm Đồng took over Đắk Nông on 1/7/2025: its coordinator follows Đắk Nông's plans
    coordinator = user_of("Lâm Đồng", Role.COORDINATOR)
    report = plan_load(actor=coordinator, document=golden(DAKNONG_2024))
    plan = report.plan
    assert plan.created_by == coordinator
    assert plan.history.get().history_user == coordinator
    task = Task.objects.filter(item__table__plan=plan).first()
    assert task.history.get().history_user == coordinator
    assert Assignment.history.filter(task_id=task.pk).first().history_user == coordinator
    assert report.scores and Score.history.filter(history_user=coordinator).count() == report.scores


@pytest.mark.parametrize("who", ["officer of the province", "coordinator of another province"])
def test_a_plan_load_by_someone_without_the_right_saves_nothing(demo_reference, who):
    actor = (user_of("Đắk Nông", Role.OFFICER) if who.startswith("officer")
             else user_of("Gia Lai", Role.COORDINATOR))
    before = counts()
    with pytest.raises(PermissionDenied):
        plan_load(actor=actor, document=golden(DAKNONG_2024))
    assert counts() == before


def test_an_issuer_chosen_outside_ones_scope_is_refused(demo_reference):
    coordinator = user_of("Gia Lai", Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        plan_load(actor=coordinator, document=golden(DAKNONG_2024), issuer=province("Đắk Lắk"))
    assert Plan.objects.count() == 0


def test_the_row_writers_check_the_plan_they_write_into(demo_reference):
    plan = plan_load(actor=None, document=golden(DAKNONG_2024)).plan
    item = PlanItem.objects.filter(table__plan=plan).first()
    stranger = user_of("Gia Lai", Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        task_create(actor=stranger, item=item, text="Nhiệm vụ chen vào",
                    assignments=[AssignmentInput(role="lead", text="Sở Nội vụ", unit=stranger.unit)])
    assert not Task.objects.filter(text="Nhiệm vụ chen vào").exists()
    own = user_of("Lâm Đồng", Role.COORDINATOR)
    task = task_create(actor=own, item=item, text="Nhiệm vụ bổ sung")
    assert task.history.get().history_user == own


def test_scores_from_a_document_fill_only_what_is_empty(demo_reference):
    plan = plan_load(actor=None, document=golden(DAKNONG_2024)).plan
    score = Score.objects.filter(assessment__unit=plan.issuer, score__isnull=False).select_related(
        "assessment__version", "criterion").first()
    criterion, assessment = score.criterion, score.assessment
    coordinator = user_of("Lâm Đồng", Role.COORDINATOR)
    other = score.score - Decimal("0.25") if score.score >= Decimal("0.25") else score.score + Decimal("0.25")
    report = scores_fill(actor=coordinator, unit=plan.issuer, version=assessment.version, year=assessment.year,
                         fills=[ScoreFill(criterion, "score", other, where="x"),
                                ScoreFill(criterion, "target", criterion.max_points + 1, where="y")])
    assert report.filled == 0
    assert [(fill.value, kept) for fill, kept in report.kept] == [(other, score.score)]
    assert len(report.refused) == 1 and report.refused[0].startswith("y: ")
    score.refresh_from_db()
    assert score.target is None or score.target <= criterion.max_points
    with pytest.raises(PermissionDenied):
        scores_fill(actor=user_of("Gia Lai", Role.COORDINATOR), unit=plan.issuer, version=assessment.version,
                    year=assessment.year, fills=[ScoreFill(criterion, "target", Decimal("0"))])
