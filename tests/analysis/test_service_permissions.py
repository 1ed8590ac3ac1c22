"""The write services of results check their actor themselves (the REST API and commands call
them without a view in front): another province's coordinator, an officer and an anonymous
request are refused with PermissionDenied, and nothing is written."""
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from chiso.accounts.models import Role
from chiso.analysis import services as analysis
from chiso.frameworks.models import Framework, FrameworkVersion
from chiso.scores import services as scores
from chiso.scores.models import Assessment, RawInput, Score
from tests.analysis.conftest import golden
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def setting(frameworks, world):
    year = Assessment.objects.create(unit=world.province, version=frameworks["PAR_INDEX"], year=2024)
    other_coordinator = UserFactory(username="snv-b", role=Role.COORDINATOR,
                                    unit=UnitFactory(name="Sở Nội vụ B", parent=world.other_province))
    return year, [other_coordinator, world.own, AnonymousUser()]


def calls(year, world):
    criterion = year.version.criteria.get(code="1.7")
    return {
        "assessment_get_or_create": lambda actor: scores.assessment_get_or_create(
            actor=actor, unit=world.province, version=year.version, year=2023),
        "scores_save": lambda actor: scores.scores_save(
            actor=actor, assessment=year, rows=[scores.ScoreInput(code="1.7", score=D("1"), fields=("score",))]),
        "targets_save": lambda actor: scores.targets_save(actor=actor, assessment=year, targets={"1.7": D("1")}),
        "raw_inputs_save": lambda actor: scores.raw_inputs_save(actor=actor, assessment=year, criterion=criterion,
                                                                values={"x": D(1)}),
        "scores_fill": lambda actor: scores.scores_fill(actor=actor, unit=world.province, version=year.version,
                                                        year=2024, fills=[scores.ScoreFill(criterion, "score", D(1))]),
        "computed_scores_apply": lambda actor: analysis.computed_scores_apply(actor=actor, assessment=year, inputs={}),
        "results_import_sheet": lambda actor: analysis.results_import_sheet(actor=actor, assessment=year,
                                                                            content=b"", file_name="a.xlsx"),
        "results_import_document": lambda actor: analysis.results_import_document(
            actor=actor, unit=world.province, document=golden(), file_name="kh.json"),
        "results_table_import": lambda actor: analysis.results_table_import(
            actor=actor, index="PAR_INDEX", year=2024, content=b"", file_name="a.csv"),
        "rules_apply": lambda actor: analysis.rules_apply(actor=actor, version=year.version,
                                                          path=analysis.RULES_FILES["QĐ 876/QĐ-BNV"]),
    }


def test_a_wrong_actor_is_refused_by_the_service_itself(setting, world):
    year, wrong_actors = setting
    for name, call in calls(year, world).items():
        for actor in wrong_actors:
            with pytest.raises(PermissionDenied):
                call(actor)
                pytest.fail(f"{name} let {actor} write")
    assert not Score.objects.exists() and not RawInput.objects.exists()
    assert list(Assessment.objects.values_list("year", flat=True)) == [2024]


def test_the_right_actor_passes(setting, world):
    year, _ = setting
    scores.scores_save(actor=world.coordinator, assessment=year,
                       rows=[scores.ScoreInput(code="1.7", score=D("1"), fields=("score",))])
    assert Score.objects.get(assessment=year).score == D("1")


def test_a_version_of_another_provinces_framework_is_not_used(setting, world):
    """Framework versions are read through their policy: another province's own framework is hidden."""
    year, _ = setting
    framework = Framework.objects.create(code="rieng-b", index="PAR_INDEX", name="Bộ chỉ số riêng của tỉnh B",
                                         owner=world.other_province)
    theirs = FrameworkVersion.objects.create(framework=framework, label="B 2024", first_year=2024, total_points=100)
    with pytest.raises(PermissionDenied):
        scores.assessment_get_or_create(actor=world.coordinator, unit=world.province, version=theirs, year=2024)
