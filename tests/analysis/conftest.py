"""The Đắk Nông 2024 plan (KH 475) loaded from its golden reading, and users around it."""
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from chiso.accounts.models import Role
from tests.factories import UnitFactory, UserFactory

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden" / "002_612d7236c16ec5ba.json"


def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.fixture
def dak_nong(frameworks, world):
    """KH 475/KH-UBND loaded as a plan: 2023 scores and 2024 targets become Đắk Nông's results.

    Users: an officer of a Đắk Nông department (own), the Sở Nội vụ coordinator of Đắk Nông,
    and the world's officer of another province (other)."""
    from chiso.plans.loader import plan_load
    from chiso.scores.models import Assessment

    report = plan_load(actor=None, document=golden())
    plan = report.plan
    province = plan.issuer
    version = frameworks["PAR_INDEX"]
    department = UnitFactory(name="Sở Tư pháp", parent=province)
    home_affairs = UnitFactory(name="Sở Nội vụ", parent=province)
    return SimpleNamespace(
        plan=plan, province=province, version=version, report=report,
        assessment=Assessment.objects.get(unit=province, version=version, year=2023),
        own=UserFactory(username="dn-officer", unit=department, role=Role.OFFICER),
        coordinator=UserFactory(username="dn-coordinator", unit=home_affairs, role=Role.COORDINATOR),
        other=world.other,
    )


@pytest.fixture
def users(dak_nong):
    return {"own": dak_nong.own, "other": dak_nong.other, "coordinator": dak_nong.coordinator}
