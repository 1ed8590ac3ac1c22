"""A province with an internal framework for its departments and an open cycle: the roles of issue 12
(unit officer, unit leader, appraiser, council lead, coordinator, another province)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.utils import timezone

from chiso.accounts.models import Role
from chiso.appraisal import services
from chiso.appraisal.services import CriterionInput, CycleDates
from tests.factories import ProvinceFactory, UnitFactory, UserFactory

CRITERIA = [
    CriterionInput("1", "Công tác chỉ đạo, điều hành CCHC", D(10)),
    CriterionInput("1.1", "Kế hoạch CCHC năm", D(4), guidance="Ban hành đúng hạn: 4 điểm; muộn: 2 điểm."),
    CriterionInput("1.2", "Báo cáo CCHC định kỳ", D(6), evidence_required=False),
    CriterionInput("2", "Cải cách thủ tục hành chính", D(10)),
    CriterionInput("2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", D(6), method="statistics"),
    CriterionInput("2.2", "Mức độ hài lòng của người dân", D(4), method="survey"),
]


def dates(offset: int = 0) -> CycleDates:
    today = timezone.localdate() + dt.timedelta(days=offset)
    return CycleDates(today + dt.timedelta(days=5), today + dt.timedelta(days=10), today + dt.timedelta(days=15),
                      today + dt.timedelta(days=20))


def build_framework(coordinator, province, year=2026, criteria=CRITERIA):
    fw = services.framework_create(actor=coordinator, province=province, group="departments", year=year)
    services.criteria_import(actor=coordinator, framework=fw, rows=list(criteria), version=fw.edit_version)
    fw.refresh_from_db()
    return fw


@pytest.fixture
def ap(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    province = ProvinceFactory(name="Tỉnh A")
    home = UnitFactory(name="Sở Nội vụ", parent=province)
    justice = UnitFactory(name="Sở Tư pháp", parent=province)
    finance = UnitFactory(name="Sở Tài chính", parent=province)
    other_province = ProvinceFactory(name="Tỉnh B")
    users = SimpleNamespace(
        coordinator=UserFactory(username="coord", unit=home, role=Role.COORDINATOR),
        officer=UserFactory(username="officer", unit=justice, role=Role.OFFICER),
        leader=UserFactory(username="unitleader", unit=justice, role=Role.LEADER),
        appraiser=UserFactory(username="appraiser", unit=home, role=Role.OFFICER),
        lead=UserFactory(username="councillead", unit=finance, role=Role.OFFICER),
        other=UserFactory(username="otherprov", unit=UnitFactory(parent=other_province), role=Role.COORDINATOR),
    )
    fw = build_framework(users.coordinator, province)
    cycle = services.cycle_open(actor=users.coordinator, framework=fw, name="Chỉ số CCHC 2026 các sở", dates=dates())
    services.council_member_set(actor=users.coordinator, cycle=cycle, user=users.appraiser, fields=["1"])
    services.council_member_set(actor=users.coordinator, cycle=cycle, user=users.lead, is_lead=True)
    sheet = cycle.sheets.get(unit=justice)
    return SimpleNamespace(province=province, home=home, justice=justice, finance=finance, fw=fw, cycle=cycle,
                           sheet=sheet, u=users, entry=lambda code, s=None: (s or sheet).entries.select_related(
                               "criterion", "sheet__cycle__framework").get(criterion__code=code))
