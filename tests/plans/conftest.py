"""Đắk Nông's 2024 plan (KH 475, its 2023 results with it) and the people around it: Lâm Đồng's
coordinator (Đắk Nông merged into Lâm Đồng on 1/7/2025), a Đắk Nông department's officer, a
leader, and Gia Lai's coordinator (another province)."""
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from chiso.accounts.models import Role
from chiso.units.reference import province
from tests.factories import UserFactory

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden"
DAKNONG_2024 = "002_612d7236c16ec5ba.json"


def golden(name=DAKNONG_2024):
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


@pytest.fixture
def daknong(demo_reference):
    from chiso.plans.services import plan_load
    from chiso.scores.models import Assessment

    plan = plan_load(actor=None, document=golden()).plan
    issuer = plan.issuer
    lam_dong = province("Lâm Đồng")
    return SimpleNamespace(
        plan=plan, issuer=issuer, version=demo_reference["PAR_INDEX"],
        results=Assessment.objects.get(unit=issuer, version=demo_reference["PAR_INDEX"], year=2023),
        coordinator=UserFactory(username="snv.lamdong", role=Role.COORDINATOR,
                                unit=lam_dong.children.get(name="Sở Nội vụ")),
        leader=UserFactory(username="lanhdao.lamdong", role=Role.LEADER, unit=lam_dong),
        officer=UserFactory(username="stp.daknong", role=Role.OFFICER, unit=issuer.children.get(name="Sở Tư pháp")),
        stranger=UserFactory(username="snv.gialai", role=Role.COORDINATOR,
                             unit=province("Gia Lai").children.get(name="Sở Nội vụ")),
        justice=issuer.children.get(name="Sở Tư pháp"),
        home_affairs=issuer.children.get(name="Sở Nội vụ"),
    )
