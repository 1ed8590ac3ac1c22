"""Where Đắk Nông lost its points in 2023 (KH 475): the issue's figures, checks and the page."""
from decimal import Decimal as D

import pytest
from django.urls import reverse

from chiso.analysis.selectors import unit_year_gap


def test_lost_points_total_rounding_flag_and_order(dak_nong):
    d = unit_year_gap(dak_nong.assessment)
    assert d.total == D("85.415")
    assert d.gap.total_lost == D("14.585")
    assert d.gap.leaves_lost == D("14.5855") and d.gap.rounding_gap == D("-0.0005")
    assert d.gap.fields[0].code == "8" and d.gap.fields[0].lost == D("4.6")
    assert any(w.startswith("3 CẢI CÁCH THỦ TỤC") and "12,905" in w and "12,9045" in w for w in d.warnings)
    assert any("(14,585) khác" in w and "chênh -0,0005" in w for w in d.warnings)


def test_lost_points_by_method_and_task_coverage(dak_nong):
    d = unit_year_gap(dak_nong.assessment)
    by_method = d.gap.lost_by_method
    assert sum(by_method.values()) == D("14.5855")
    assert by_method["survey"] == D("7.17")  # 2.4, 4.1.4-6, 4.3.4, 5.2.3-4, 5.3.2-3, 5.5.2, 5.7, 6.x, 7.3.2, 8.1
    assert by_method["statistics"] == D("2.77") and by_method["appraisal"] == D("4.6455")
    assert d.lost_with_task + d.lost_without_task == D("14.5855")
    without = {x.line.code for x in d.deductions if not x.tasks}
    assert "4.1.5" in without and "7.3.7" in without  # the plan has no task text on these rows
    first = d.deductions[0]
    assert first.line.code == "8.1" and first.deducted == D("-1.83") and first.lead_text


def test_change_from_last_year(dak_nong):
    from chiso.scores.models import Assessment, Score

    earlier = Assessment.objects.create(unit=dak_nong.province, version=dak_nong.version, year=2022,
                                        printed_total=D("84.66"))
    field = dak_nong.version.criteria.get(code="8")
    Score.objects.create(assessment=earlier, criterion=field, score=D("12.5"))
    d = unit_year_gap(dak_nong.assessment)
    assert d.previous == earlier and d.total_delta == D("0.755")
    eight = next(f for f in d.fields if f.code == "8")
    assert eight.delta == D("-0.6")


@pytest.mark.parametrize("who, status", [("own", 200), ("other", 404), ("coordinator", 200)])
def test_gap_page_for_three_users(client, dak_nong, users, who, status, django_assert_max_num_queries):
    client.force_login(users[who])
    with django_assert_max_num_queries(25):
        response = client.get(reverse("analysis:gap", args=[dak_nong.assessment.public_id]))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert 'data-testid="total-lost">14,585<' in body and "12,9045" in body and "<svg" in body
        assert body.count("<polygon") >= 5  # the radar chart


@pytest.mark.parametrize("who, status", [("own", 200), ("other", 404), ("coordinator", 200)])
def test_unit_page_and_home_for_three_users(client, dak_nong, users, who, status):
    client.force_login(users[who])
    response = client.get(reverse("analysis:unit", args=[dak_nong.province.public_id]))
    assert response.status_code == status
    home = client.get(reverse("analysis:home")).content.decode()
    assert (dak_nong.province.name in home) == (status == 200)


def test_gap_page_shows_a_changed_score_at_once(client, dak_nong, django_assert_max_num_queries):
    """The page's body is cached per assessment: a score written (here behind the services' back) shows at once."""
    from chiso.scores.models import Score

    client.force_login(dak_nong.coordinator)
    url = reverse("analysis:gap", args=[dak_nong.assessment.public_id])
    assert 'data-testid="total-lost">14,585<' in client.get(url).content.decode()
    with django_assert_max_num_queries(7):  # cached: session, user, scope, assessment, generation, navbar
        assert 'data-testid="total-lost">14,585<' in client.get(url).content.decode()
    field = dak_nong.version.criteria.get(code="8")
    Score.objects.filter(assessment=dak_nong.assessment, criterion=field).update(score=field.max_points)
    assert 'data-testid="total-lost">14,585<' not in client.get(url).content.decode()
