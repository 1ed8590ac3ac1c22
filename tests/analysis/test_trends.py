"""A unit's results over the years across a change of framework version."""
from decimal import Decimal as D

import pytest
from django.urls import reverse

from chiso.analysis.trends import unit_trends
from chiso.frameworks.services import framework_version_load
from chiso.scores.models import Assessment, Score

ENTRY = {"framework": "thu-nghiem", "index": "PAR_INDEX", "name": "Bộ chỉ số thử nghiệm", "total": "100"}


@pytest.fixture
def history(world):
    old = framework_version_load(actor=None, entry={**ENTRY, "label": "Cũ", "first_year": 2019, "last_year": 2021},
                                 rows=[{"code": "1", "name": "Chỉ đạo", "max_points": D(50), "method": ""},
                                       {"code": "2", "name": "Thể chế", "max_points": D(50), "method": ""}]).version
    new = framework_version_load(actor=None, entry={**ENTRY, "label": "Mới", "first_year": 2022, "last_year": None},
                                 rows=[{"code": "1", "name": "Chỉ đạo", "max_points": D(40), "method": ""},
                                       {"code": "2", "name": "Thể chế", "max_points": D(50), "method": ""},
                                       {"code": "3", "name": "Số hóa", "max_points": D(10), "method": ""}]).version
    for year, version, scores in [(2020, old, [40, 45]), (2021, old, [42, 46]), (2022, new, [36, 47, 8]),
                                  (2023, new, [38, 48, 9])]:
        a = Assessment.objects.create(unit=world.province, version=version, year=year)
        for criterion, value in zip(version.criteria.order_by("position"), scores):
            Score.objects.create(assessment=a, criterion=criterion, score=D(value))
    return old, new


def test_trend_marks_the_change_and_compares_only_comparable_fields(history, world):
    [trend] = unit_trends(world.province)
    assert [p.year for p in trend.points] == [2020, 2021, 2022, 2023]
    assert [p.total for p in trend.points] == [D(85), D(88), D(91), D(95)]
    assert trend.changes == [(2022, "Mới")]
    chart = trend.fields_chart()
    assert "framework-change" in chart and "Mới" in chart
    assert chart.count("<polyline") == 3  # field 1 only from 2022 (its max changed), 2 throughout, 3 from 2022
    assert "1. Chỉ đạo 2020" not in chart and "2. Thể chế 2020" in chart


@pytest.mark.parametrize("who, status", [("own", 200), ("other", 404), ("coordinator", 200)])
def test_unit_page_shows_the_trend(client, history, three_users, world, who, status):
    client.force_login(dict(three_users)[who])
    response = client.get(reverse("analysis:unit", args=[world.province.public_id]))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert 'data-testid="trend"' in body and "từ năm 2022 theo Mới" in body
