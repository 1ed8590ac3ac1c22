"""Computed criteria: the bundled QĐ 876 rules, inputs per year, scores with their arithmetic."""
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from chiso.analysis.services import bundled_rules_apply, compute, computed_scores_apply, rules_apply
from chiso.common.errors import ServiceError
from chiso.scores.models import Assessment, Score


@pytest.fixture
def ruled(frameworks, world):
    version = frameworks["PAR_INDEX"]
    assert bundled_rules_apply() == 25
    assert bundled_rules_apply() == 0  # idempotent
    return Assessment.objects.create(unit=world.province, version=version, year=2024)


def ids(assessment, *codes):
    return {code: assessment.version.criteria.get(code=code).pk for code in codes}


def test_the_issue_examples_reproduce_to_four_decimals(ruled):
    c = ids(ruled, "3.4.1", "7.3.6")
    computed_scores_apply(actor=None, assessment=ruled, inputs={
        c["3.4.1"]: {"on_time": D(101835), "received": D(102337)},
        c["7.3.6"]: {"online": D(41940), "dossiers": D(58818)},
    })
    on_time = Score.objects.get(assessment=ruled, criterion__code="3.4.1")
    online = Score.objects.get(assessment=ruled, criterion__code="7.3.6")
    assert on_time.score == D("1.4926") and on_time.arithmetic == "101.835 / 102.337 × 1,5 = 1,4926"
    assert online.score == D("1.0696") and online.arithmetic == "41.940 / 58.818 × 1,5 = 1,0696"
    assert on_time.history.count() >= 1  # traceable


def test_threshold_count_and_year_over_year(ruled, world):
    c = ids(ruled, "1.3.1", "1.5", "8.3.1")
    last_year = Assessment.objects.create(unit=world.province, version=ruled.version, year=2023)
    computed_scores_apply(actor=None, assessment=last_year, inputs={c["8.3.1"]: {"enterprises": D(850)}})
    results = {r.criterion.code: r for r in computed_scores_apply(actor=None, assessment=ruled, inputs={
        c["1.3.1"]: {"inspected": D(9), "units": D(30)},
        c["1.5"]: {"initiatives": D(1)},
        c["8.3.1"]: {"enterprises": D(900)},
    })}
    assert results["1.3.1"].points == D(1) and "≥ 30%" in results["1.3.1"].result.arithmetic
    assert results["1.5"].points == D(1)
    assert results["8.3.1"].points == D("0.5") and "850 (năm trước)" in results["8.3.1"].result.arithmetic
    assert "thiếu số liệu" in results["3.4.2"].error


def test_a_value_above_max_is_capped_and_said(ruled):
    c = ids(ruled, "3.4.1")
    [r] = [r for r in computed_scores_apply(actor=None, assessment=ruled, inputs={
        c["3.4.1"]: {"on_time": D(120), "received": D(100)}}) if r.criterion.code == "3.4.1"]
    assert r.clamped and r.points == D("1.5")
    assert "giới hạn" in Score.objects.get(assessment=ruled, criterion__code="3.4.1").arithmetic


def test_a_bad_rules_file_names_the_line_and_changes_nothing(frameworks, tmp_path):
    path = tmp_path / "rules.csv"
    path.write_text('code,rule,inputs\n3.4.1,"ratio(a, b) * max_points",\n3.4.2,"ratio(a,,",\n9.9,1,\n3.4,1,\n',
                    encoding="utf-8")
    with pytest.raises(ServiceError) as e:
        rules_apply(actor=None, version=frameworks["PAR_INDEX"], path=path)
    details = " | ".join(e.value.details)
    assert "rules.csv, dòng 3: Công thức, ký tự thứ 9" in details and "dòng 4: mã '9.9'" in details
    assert "dòng 5: tiêu chí 3.4 có tiêu chí con" in details
    assert frameworks["PAR_INDEX"].criteria.get(code="3.4.1").rule == ""


@pytest.mark.parametrize("who, status", [("own", 200), ("other", 404), ("coordinator", 200)])
def test_inputs_page_for_three_users(client, ruled, three_users, who, status):
    user = dict(three_users)[who]
    client.force_login(user)
    url = reverse("analysis:inputs", args=[ruled.public_id])
    response = client.get(url)
    assert response.status_code == status
    if status != 200:
        return
    body = response.content.decode()
    assert "ratio(on_time, received)" not in body and "được giải quyết đúng hạn" in body  # labels, not the rule
    c = ids(ruled, "3.4.1")
    shown = re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)
    post = client.post(url, {f"in-{c['3.4.1']}-on_time": "101835", f"in-{c['3.4.1']}-received": "102337",
                             "version": shown})
    if who == "own":
        assert post.status_code == 403 and not Score.objects.filter(assessment=ruled).exists()
    else:
        assert post.status_code == 302
        assert "1,4926" in client.get(url).content.decode()
        bad = client.post(url, {f"in-{c['3.4.1']}-on_time": "nhiều", "version": "1"})
        assert bad.status_code == 400
        assert "Tiêu chí 3.4.1, số liệu &#x27;on_time&#x27;: &#x27;nhiều&#x27; không phải là số" in bad.content.decode()


def test_compute_reads_without_writing(ruled):
    assert all(r.result is None for r in compute(ruled))
    assert not Score.objects.filter(assessment=ruled).exists()


def test_inputs_page_labels_the_inputs_in_vietnamese_without_the_rule(client, ruled, world):
    from django.urls import reverse

    from chiso.analysis.edit_views import input_labels

    labels, note = input_labels("inspected: số cơ quan được kiểm tra; units: tổng số cơ quan. Đủ điểm từ 30%.")
    assert labels == {"inspected": "số cơ quan được kiểm tra", "units": "tổng số cơ quan"}
    assert note == "Đủ điểm từ 30%."
    client.force_login(world.coordinator)
    body = client.get(reverse("analysis:inputs", args=[ruled.public_id])).content.decode()
    assert "Số hồ sơ TTHC do CQCM cấp tỉnh tiếp nhận trong năm được giải quyết đúng hạn" in body
    assert ">on_time<" not in body and ">inspected<" not in body and "ratio(" not in body
