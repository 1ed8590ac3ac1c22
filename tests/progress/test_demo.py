"""The progress demo step: a period with reports in every state, and nothing duplicated on a rerun."""
import json
from pathlib import Path

import pytest

from chiso.progress.models import Evidence, ProgressReport, ReportingPeriod

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden"


@pytest.fixture
def daklak_demo(demo_reference, settings, tmp_path):
    from chiso.plans.loader import plan_load
    from chiso.demo.steps import create_demo_users

    settings.MEDIA_ROOT = tmp_path
    doc = json.loads((GOLDEN / "000_c15530573d130bd3.json").read_text(encoding="utf-8"))
    plan_load(actor=None, document=doc)
    create_demo_users(lambda line: None)


def test_demo_step_is_idempotent(daklak_demo):
    from chiso.demo.progress import load_progress_demo

    lines = []
    load_progress_demo(lines.append)
    load_progress_demo(lines.append)
    assert ReportingPeriod.objects.get().name == "Quý IV/2025"
    states = sorted(ProgressReport.objects.values_list("state", flat=True))
    assert states == ["accepted", "draft", "returned", "submitted"]
    assert Evidence.objects.count() == 1
    assert "4 báo cáo mẫu mới" in lines[0] and "0 báo cáo mẫu mới" in lines[1]


def test_demo_has_a_district_and_a_commune_login(demo_reference, client):
    """The district office's login leads tasks of the Tuy Phước plan (its home counts them); the
    commune's login (made by the internal index's demo) is listed with the others, on the login
    page and in the banner of `chiso serve`."""
    from chiso.accounts.models import User
    from chiso.demo.steps import create_demo_users, demo_logins
    from chiso.plans.loader import plan_load
    from chiso.plans.policies import tasks_visible_to
    from chiso.units.models import UnitKind
    from tests.factories import UserFactory

    doc = json.loads((GOLDEN / "003_5869b5a3940833bd.json").read_text(encoding="utf-8"))
    plan = plan_load(actor=None, document=doc).plan
    create_demo_users(lambda line: None)
    district_officer = User.objects.get(username="pnv.tuyphuoc")
    assert district_officer.unit.name == "Phòng Nội vụ" and district_officer.unit.parent.kind == UnitKind.DISTRICT
    led = tasks_visible_to(district_officer).filter(item__table__plan=plan, assignments__role="lead",
                                                    assignments__unit=district_officer.unit).distinct()
    assert led.count() == 4  # and it coordinates others
    UserFactory(username="xa.hoaphu.daklak", full_name="Y Blang Niê (công chức Văn phòng UBND xã Hòa Phú)")
    listed = [name for name, _, _ in demo_logins()]
    assert {"pnv.tuyphuoc", "xa.hoaphu.daklak", "snv.daklak"} <= set(listed)
    assert len(listed) == len(set(listed))
