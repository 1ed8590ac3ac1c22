"""No lost update: every edit form of results carries the version it showed. Two people open the
same form and save: the first's values are kept, the second is refused with who saved, when and
which values changed (chiso.scores.staleness)."""
import re
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from chiso.accounts.models import Role
from chiso.analysis.services import bundled_rules_apply
from chiso.scores.models import Assessment, RawInput, Score
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def two(world):
    """Two coordinators of province A, each in their own browser."""
    first = UserFactory(username="an", unit=world.home_affairs, role=Role.COORDINATOR, full_name="Nguyễn Văn An")
    second = UserFactory(username="binh", unit=UnitFactory(name="Văn phòng UBND", parent=world.province),
                         role=Role.COORDINATOR, full_name="Trần Thị Bình")
    browsers = []
    for user in (first, second):
        client = Client()
        client.force_login(user)
        browsers.append(client)
    return browsers


def shown_version(page) -> str:
    return re.search(r'name="version" value="(-?\d+)"', page.content.decode()).group(1)


@pytest.fixture
def year(frameworks, world):
    return Assessment.objects.create(unit=world.province, version=frameworks["PAR_INDEX"], year=2024)


def test_results_form(two, year):
    first, second = two
    url = reverse("analysis:edit", args=[year.public_id])
    v1, v2 = shown_version(first.get(url)), shown_version(second.get(url))
    assert v1 == v2
    form = {"printed_total": "", "reason-1.7": ""}
    response = first.post(url, {**form, "version": v1, "score-1.7": "1,45", "reason-1.7": "Chậm một nhiệm vụ"})
    assert response.status_code == 302
    response = second.post(url, {**form, "version": v2, "score-1.7": "1,2", "score-1.1": "1"})
    text = response.content.decode()
    assert response.status_code == 409
    assert "vừa được Nguyễn Văn An lưu lúc" in text
    assert "tiêu chí 1.7: điểm thẩm định (trống) → 1,45" in text
    assert "tiêu chí 1.7: lý do bị trừ điểm (trống) → “Chậm một nhiệm vụ”" in text
    score = Score.objects.get(assessment=year, criterion__code="1.7")
    assert (score.score, score.reason) == (D("1.45"), "Chậm một nhiệm vụ")
    assert not Score.objects.filter(assessment=year, criterion__code="1.1").exists()
    # the refused page shows what is saved now, and a save from it goes through
    assert 'value="1,45"' in text
    response = second.post(url, {**form, "version": shown_version(response), "score-1.7": "1,2",
                                  "reason-1.7": "Chậm một nhiệm vụ"})
    assert response.status_code == 302
    assert Score.objects.get(assessment=year, criterion__code="1.7").score == D("1.2")


def test_a_file_import_makes_an_open_results_form_stale(two, year):
    from chiso.scores.services import ScoreInput, scores_save

    first, _ = two
    url = reverse("analysis:edit", args=[year.public_id])
    shown = shown_version(first.get(url))
    scores_save(actor=None, assessment=year, rows=[ScoreInput(code="1.7", score=D("1.3"), fields=("score",))],
                printed_total=D("80"))
    response = first.post(url, {"version": shown, "score-1.7": "1", "printed_total": "81"})
    text = response.content.decode()
    assert response.status_code == 409 and "vừa được hệ thống lưu" in text
    assert "tổng điểm công bố (trống) → 80" in text and "tiêu chí 1.7: điểm thẩm định (trống) → 1,3" in text
    year.refresh_from_db()
    assert year.printed_total == D("80")


def test_targets_form(two, year, world):
    first, second = two
    url = reverse("analysis:targets", args=[world.province.public_id, year.version.public_id, 2024])
    v1, v2 = shown_version(first.get(url)), shown_version(second.get(url))
    assert v1 == v2 == "0"  # no targets for 2024 yet
    assert first.post(url, {"version": v1, "luu": "1", "t-1.7": "1,5"}).status_code == 302
    response = second.post(url, {"version": v2, "luu": "1", "t-1.7": "1", "t-1.1": "1"})
    text = response.content.decode()
    assert response.status_code == 409
    assert "Mục tiêu năm 2024 của Tỉnh A vừa được Nguyễn Văn An lưu" in text
    assert "tiêu chí 1.7: mục tiêu (trống) → 1,5" in text
    targets = dict(Score.objects.filter(assessment=year).values_list("criterion__code", "target"))
    assert targets == {"1.7": D("1.5")}


def test_raw_inputs_form(two, year):
    assert bundled_rules_apply() > 0
    first, second = two
    criterion = year.version.criteria.get(code="3.4.1")
    url = reverse("analysis:inputs", args=[year.public_id])
    v1, v2 = shown_version(first.get(url)), shown_version(second.get(url))
    field = f"in-{criterion.pk}-"
    response = first.post(url, {"version": v1, f"{field}on_time": "101835", f"{field}received": "102337"})
    assert response.status_code == 302
    response = second.post(url, {"version": v2, f"{field}on_time": "90000", f"{field}received": "100000"})
    text = response.content.decode()
    assert response.status_code == 409 and "Số liệu đầu vào năm 2024 của Tỉnh A vừa được Nguyễn Văn An lưu" in text
    assert "tiêu chí 3.4.1, số liệu “on_time”: (trống) → 101835" in text
    values = dict(RawInput.objects.filter(assessment=year).values_list("name", "value"))
    assert values == {"on_time": D("101835"), "received": D("102337")}
    assert Score.objects.get(assessment=year, criterion__code="3.4.1").score == D("1.4926")


def test_the_services_refuse_a_stale_version_without_a_form(year):
    from chiso.common.errors import ConflictError
    from chiso.scores.services import ScoreInput, scores_save, targets_save

    scores_save(actor=None, assessment=year, rows=[ScoreInput(code="1.7", score=D("1"), fields=("score",))],
                version=0)
    with pytest.raises(ConflictError):
        scores_save(actor=None, assessment=year, rows=[ScoreInput(code="1.7", score=D("1.1"), fields=("score",))],
                    version=0)
    targets_save(actor=None, assessment=year, targets={"1.7": D("1.5")}, version=0)  # another form's counter
    assert Score.objects.get(assessment=year, criterion__code="1.7").score == D("1")
