"""The demo of the province's own index, and the published appendix read back by the reader as a
units-as-rows results table (what `chiso ingest` does with the downloaded decision)."""
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.urls import reverse

from chiso.appraisal.models import Cycle, CycleState, Sheet, SheetState

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden"


@pytest.fixture
def daklak(demo_reference, settings, tmp_path):
    from chiso.demo.appraisal import load_appraisal_demo
    from chiso.demo.progress import load_progress_demo
    from chiso.demo.steps import create_demo_users
    from chiso.plans.loader import plan_load

    settings.MEDIA_ROOT = tmp_path
    plan_load(actor=None, document=json.loads((GOLDEN / "000_c15530573d130bd3.json").read_text(encoding="utf-8")))
    create_demo_users(lambda line: None)
    load_progress_demo(lambda line: None)
    lines = []
    load_appraisal_demo(lines.append)
    load_appraisal_demo(lines.append)
    return lines


def test_demo_cycles_and_the_closed_loop(daklak, client):
    from chiso.accounts.models import User

    assert sorted(Cycle.objects.values_list("framework__year", "state")) == [
        (2024, "published"), (2024, "published"), (2025, "open"), (2025, "open")]
    assert Cycle.objects.count() == 4  # the second run added nothing
    assert any("chutich.hdtd.daklak" in line for line in daklak)
    stp = Sheet.objects.get(unit__name="Sở Tư pháp", cycle__framework__year=2025)
    assert stp.state == SheetState.DRAFT and stp.entries.filter(self_score__isnull=False).count() > 20
    na = stp.entries.get(criterion__code="5.6")
    assert not na.applicable  # commune officials' standard: not a department's
    client.force_login(User.objects.get(username="stp.daklak"))
    page = client.get(reverse("appraisal:sheet", args=[stp.public_id])).content.decode()
    assert "bao-cao-2.1.pdf" in page  # its Quý IV/2025 report, offered under criterion 2.1
    last = Sheet.objects.get(unit__name="Sở Tư pháp", cycle__framework__year=2024)
    assert last.results is not None and last.results.scores.filter(criterion__code="1").exists()


def test_published_appendix_reads_back_as_unit_results(daklak, client, tmp_path):
    from chiso.accounts.models import User
    from chiso.appraisal.selectors import results
    from chiso.reader import read_document

    cycle = Cycle.objects.get(framework__year=2024, framework__group="departments", state=CycleState.PUBLISHED)
    client.force_login(User.objects.get(username="stp.daklak"))
    response = client.get(reverse("appraisal:decision_docx", args=[cycle.public_id]))
    path = tmp_path / "quyet-dinh.docx"
    path.write_bytes(response.content)
    tables = [t for t in read_document(path)["tables"] if t.get("kind") == "unit_results"]
    assert len(tables) == 2  # one appendix per group
    lines = {line.sheet.unit.name: line for line in results(cycle)}
    read = {row["name"]: {v["key"]: v["value"] for v in row["values"]} for row in tables[0]["rows"]}
    assert set(read) == set(lines)
    for name, values in read.items():
        line = lines[name]
        assert D(str(values["total"])) == line.result.points.quantize(D("0.01"))
        assert D(str(values["percent"])) == line.result.index.quantize(D("0.01"))
        assert values["rank"] == line.rank
