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
