"""Targets and what-if on the Đắk Nông plan; projected rank; what it takes; the page with three users."""
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from chiso.analysis.forecast import what_if
from chiso.common.errors import ServiceError
from chiso.scores.models import Assessment, Score
from chiso.scores.services import ResultLine, published_results_save, targets_save


def national_table(year=2023, own=D("85.415")):
    """A generated 63-line table: Đắk Nông at `own`, the others spread from 92.5 down by 0.15."""
    lines = [ResultLine(f"Tỉnh mẫu {i:02d}", D("92.5") - D("0.15") * i, None) for i in range(62)]
    lines.append(ResultLine("Đắk Nông", own, None))
    ordered = sorted(lines, key=lambda ln: -ln.total)
    for rank, line in enumerate(ordered, start=1):
        line.rank = rank
    return published_results_save(actor=None, index="PAR_INDEX", year=year, lines=lines)


def test_every_target_of_the_plan_gives_the_printed_total(dak_nong):
    d = what_if(dak_nong.province, dak_nong.version, 2024)
    assert d.baseline == dak_nong.assessment and d.baseline_total == D("85.415")
    assert d.projected_total == D("88.679")  # the plan's own printed target total
    assert d.projection.conflicts == []
    assert {r.criterion.code for r in d.rows if r.leaf} >= {"2.4", "8.1", "3.4.1"}


def test_no_target_keeps_the_printed_total_and_one_target_moves_only_its_field(dak_nong):
    Score.objects.filter(assessment__year=2024).update(target=None)
    assert what_if(dak_nong.province, dak_nong.version, 2024).projected_total == D("85.415")
    d = what_if(dak_nong.province, dak_nong.version, 2024, overrides={"6.3.4": D(1)})
    assert d.projected_total == D("86.415")
    d = what_if(dak_nong.province, dak_nong.version, 2024, overrides={"3.4.1": D("1.5")})
    assert d.projected_total == D("85.415") + D("0.0216") - D("0.0005")  # field 3 recomputed from its criteria


def test_projected_rank_with_a_full_table_and_what_it_takes(dak_nong):
    national_table()
    d = what_if(dak_nong.province, dak_nong.version, 2024, wanted_rank=10)
    assert d.table_year == 2023 and d.table_complete and d.rank_of == 63
    others = sorted((t for t, _ in d.others), reverse=True)
    assert d.current_rank == 49 == 1 + sum(1 for t in others if t > D("85.415"))
    assert d.rank_best == d.rank_worst == 1 + sum(1 for t in others if t > D("88.679"))
    assert d.needed_total == others[9]
    plan = d.recovery
    assert plan.reachable and D("85.415") + plan.recovered >= d.needed_total
    assert plan.chosen[0].method == "appraisal"  # won back by action first


def test_partial_published_table_gives_a_rank_interval(dak_nong):
    from chiso.analysis.services import bundled_published_results_load

    bundled_published_results_load()
    d = what_if(dak_nong.province, dak_nong.version, 2024)
    assert d.table_year == 2023 and not d.table_complete
    assert d.current_rank == 51 and (d.rank_best, d.rank_worst) == (12, 32)


def test_targets_never_above_max(dak_nong):
    target = Assessment.objects.get(unit=dak_nong.province, year=2024)
    with pytest.raises(ServiceError) as e:
        targets_save(actor=dak_nong.coordinator, assessment=target, targets={"3.4.1": D("1.6"), "9.9": D(1)})
    assert any("3.4.1" in p and "lớn hơn điểm tối đa 1,5" in p for p in e.value.details)
    assert any("9.9" in p for p in e.value.details)
    assert Score.objects.get(assessment=target, criterion__code="3.4.1").target == D("1.479")  # nothing saved


@pytest.mark.parametrize("who, status", [("own", 200), ("other", 404), ("coordinator", 200)])
def test_targets_page_for_three_users(client, dak_nong, users, who, status, django_assert_max_num_queries):
    national_table()
    client.force_login(users[who])
    url = reverse("analysis:targets", args=[dak_nong.province.public_id, dak_nong.version.public_id, 2024])
    with django_assert_max_num_queries(25):
        response = client.get(url, {"hang": "20"})
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert 'data-testid="projected-total">88,679<' in body and "Cần làm gì?" in body and "Để đứng thứ 20" in body


def test_what_if_without_saving_and_saving_by_the_coordinator_only(client, dak_nong, users):
    url = reverse("analysis:targets", args=[dak_nong.province.public_id, dak_nong.version.public_id, 2024])
    client.force_login(users["own"])
    body = client.post(url, {"t-6.3.4": "0", "tinh-thu": "1"}).content.decode()
    assert 'data-testid="projected-total">87,679<' in body
    assert client.post(url, {"t-6.3.4": "0", "luu": "1"}).status_code == 403
    client.force_login(users["coordinator"])
    response = client.post(url, {"t-6.3.4": "1,2", "luu": "1"})
    body = response.content.decode()
    assert response.status_code == 400 and body.count("lớn hơn điểm tối đa 1") == 1
    assert "mục tiêu 1,2 lớn hơn điểm tối đa 1." in body
    shown = re.search(r'name="version" value="(\d+)"', body).group(1)  # kept from the refused form
    assert client.post(url, {"t-6.3.4": "0,5", "luu": "1", "version": shown}).status_code == 302
    assert Score.objects.get(assessment__year=2024, criterion__code="6.3.4").target == D("0.5")


@pytest.mark.parametrize("typed, message", [
    ("12", "mục tiêu 12 lớn hơn điểm tối đa 10."),
    ("-1", "mục tiêu -1 nhỏ hơn 0."),
    ("mười", "“mười” không phải là số"),
])
def test_an_impossible_target_never_yields_a_total_or_a_rank(client, dak_nong, users, typed, message):
    national_table()
    url = reverse("analysis:targets", args=[dak_nong.province.public_id, dak_nong.version.public_id, 2024])
    client.force_login(users["coordinator"])
    response = client.post(url, {"t-8.1": typed, "t-6.3.4": "2", "hang": "10", "tinh-thu": "1"})
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body and body.count("Tiêu chí 8.1") == 1
    assert "Tiêu chí 6.3.4: mục tiêu 2 lớn hơn điểm tối đa 1." in body  # one error per wrong field
    assert 'data-testid="projected-total">—<' in body and 'data-testid="projected-rank">—<' in body
    assert "Để đứng thứ" not in body
    assert f'value="{typed}"' in body  # shown back as typed


def test_changing_one_criterion_does_not_claim_its_field_target_was_typed(client, dak_nong, users):
    url = reverse("analysis:targets", args=[dak_nong.province.public_id, dak_nong.version.public_id, 2024])
    client.force_login(users["own"])
    body = client.post(url, {"t-8.1": "9", "tinh-thu": "1"}).content.decode()
    assert "giữ như đã nhập" not in body and 'data-testid="target-conflicts"' not in body
    assert 'data-testid="projected-total">—<' not in body


def test_the_targets_form_goes_by_post(client, dak_nong, users):
    url = reverse("analysis:targets", args=[dak_nong.province.public_id, dak_nong.version.public_id, 2024])
    client.force_login(users["own"])
    body = client.get(url).content.decode()
    assert 'method="get"' not in body.split('data-testid="targets"')[0].split("<main")[1].replace(
        'role="search" action="/tim-kiem/" method="get"', "")
    assert 'data-testid="targets-form"' in body and 'formmethod="get"' not in body


def test_plan_links_lead_to_the_targets_page(client, dak_nong, users):
    client.force_login(users["coordinator"])
    page = client.get(reverse("plans:detail", args=[dak_nong.plan.public_id])).content.decode()
    assert "Mục tiêu và dự báo" in page and "Xuất phụ lục (Word)" in page
    response = client.get(reverse("analysis:plan_targets", args=[dak_nong.plan.public_id]))
    assert response.status_code == 302 and "/2024/" in response["Location"]
    client.force_login(users["other"])
    assert client.get(reverse("analysis:plan_targets", args=[dak_nong.plan.public_id])).status_code == 404


def test_a_district_is_never_ranked_against_the_provinces(client, dak_nong, users):
    """The national table ranks provinces: a district's total gets no rank among them (current,
    projected or wanted), while its projection still works."""
    from chiso.units.models import Unit, UnitKind

    national_table()
    district = Unit.objects.create(name="Huyện thử", kind=UnitKind.DISTRICT, parent=dak_nong.province)
    Assessment.objects.filter(unit=dak_nong.province).update(unit=district)
    d = what_if(district, dak_nong.version, 2024, wanted_rank=10)
    assert d.projected_total == D("88.679") and d.baseline_total == D("85.415")
    assert d.table == [] and d.table_year is None and d.unranked
    assert (d.current_rank, d.rank_best, d.rank_worst, d.rank_of, d.needed_total) == (None,) * 5
    client.force_login(users["coordinator"])
    body = client.get(reverse("analysis:targets", args=[district.public_id, dak_nong.version.public_id, 2024]),
                      {"hang": "10"}).content.decode()
    assert 'data-testid="unranked"' in body and "Để đứng thứ" not in body and 'data-testid="standings"' not in body


def test_no_scores_offer_the_import_instead_of_an_empty_table(client, world, frameworks):
    """A unit without results: its targets page and its plan's gap page offer the coordinator
    to import them (the officer is told who does it); no empty table."""
    version = frameworks["PAR_INDEX"]
    url = reverse("analysis:targets", args=[world.province.public_id, version.public_id, 2026])
    gap = reverse("plans:gap", args=[world.plan.public_id])
    client.force_login(world.coordinator)
    for page in (client.get(url).content.decode(), client.get(gap).content.decode()):
        assert 'data-testid="no-scores"' in page and 'data-testid="import-results"' in page
        assert reverse("analysis:unit", args=[world.province.public_id]) + "#nhap-ket-qua" in page
    assert 'data-testid="targets"' not in client.get(url).content.decode()
    client.force_login(world.own)
    page = client.get(gap).content.decode()
    assert 'data-testid="no-scores"' in page and 'data-testid="import-results"' not in page
