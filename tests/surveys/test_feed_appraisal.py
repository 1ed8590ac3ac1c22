"""End to end across the seam: a campaign's results fed by the coordinator become the survey points
of the province's own index (chiso.appraisal receives chiso.common.signals.survey_points_ready;
the surveys app never imports it)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from chiso.appraisal import services as appraisal
from chiso.appraisal.models import Entry
from chiso.surveys import services
from tests.appraisal.conftest import build_framework, dates
from tests.factories import UnitFactory

from .conftest import Posted, answers


@pytest.fixture
def seam(world):
    fw = build_framework(world.coordinator, world.province, year=2026)
    cycle = appraisal.cycle_open(actor=world.coordinator, framework=fw, name="Chỉ số CCHC 2026 các sở", dates=dates())
    template = next(q for q in services.bundled_questionnaires_load(actor=None) if q.code == "sipas-qd1001")
    copy = services.questionnaire_copy(actor=world.coordinator, source=template, owner=world.province)

    def measure_internal(d):  # the element "Thủ tục hành chính" measures criterion 2.2 of the internal index
        d["framework"] = fw.version.framework.code
        for e in d["elements"]:
            e.pop("criterion", None)
            if e["code"] == "DV2":
                e["criterion"] = "2.2"
        return d

    copy = services.questionnaire_change(actor=world.coordinator, questionnaire=copy, revision=0,
                                         change=measure_internal)
    today = dt.date.today()
    campaign = services.campaign_create(actor=world.coordinator, owner=world.province, questionnaire=copy,
                                        data=services.CampaignInput("SIPAS các sở 2026", 2026, today, today))
    return world, cycle, campaign


def _open_and_fill(world, campaign, units):
    services.campaign_units_save(actor=world.coordinator, campaign=campaign,
                                 rows=[services.UnitRow(u, 100) for u in units])
    services.campaign_set_state(actor=world.coordinator, campaign=campaign, state="open")
    for cu in campaign.units.all():
        for i in range(10):  # 7 of 10 satisfied (levels 5), 3 neutral (level 3)
            services.response_enter(actor=world.coordinator, campaign_unit=cu, serial=f"{cu.pk}-{i}",
                                    data=Posted(answers(5 if i % 4 else 3)), today=dt.date.today())


def test_fed_results_become_the_units_survey_points(client, seam):
    world, cycle, campaign = seam
    _open_and_fill(world, campaign, [world.lead_unit])
    client.force_login(world.coordinator)
    response = client.post(reverse("surveys:feed_scores", args=[campaign.public_id]), follow=True)
    html = response.content.decode()
    assert "1 điểm điều tra theo đơn vị được chuyển cho bộ chỉ số nội bộ" in html
    assert "không nhận điểm điều tra" not in html
    entry = Entry.objects.get(sheet__cycle=cycle, sheet__unit=world.lead_unit, criterion__code="2.2")
    assert entry.score == Decimal("2.80")  # 70,00 % × 4 points
    other = Entry.objects.get(sheet__cycle=cycle, sheet__unit=world.home_affairs, criterion__code="2.2")
    assert other.score is None  # a unit the campaign did not survey keeps no points


def test_a_refusal_by_the_index_is_shown_to_the_coordinator(client, seam):
    world, cycle, campaign = seam
    commune = UnitFactory(name="UBND xã Thử", parent=world.province, kind="commune")  # not in the departments' cycle
    _open_and_fill(world, campaign, [world.lead_unit, commune])
    client.force_login(world.coordinator)
    html = client.post(reverse("surveys:feed_scores", args=[campaign.public_id]), follow=True).content.decode()
    assert "Bộ chỉ số nội bộ không nhận điểm điều tra: Chưa lưu điểm: 1 lỗi." in html
    assert "UBND xã Thử không có tiêu chí 2.2 trong đợt đánh giá" in html
    assert Entry.objects.get(sheet__cycle=cycle, sheet__unit=world.lead_unit, criterion__code="2.2").score is None
