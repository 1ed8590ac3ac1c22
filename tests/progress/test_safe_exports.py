"""The quarterly report out as .xlsx and .docx with text typed to look like formulas."""
import io

from django.urls import reverse

from chiso.progress.models import ProgressReport
from tests.common.test_office import HOSTILE, assert_no_formula, read_back


def test_report_exports_keep_typed_formulas_as_text(client, world, period, submitted):
    from docx import Document

    world.task.text = HOSTILE[0]
    world.task.save()
    world.lead_unit.name = "@SUM(1+1)"
    world.lead_unit.save()
    ProgressReport.objects.filter(pk=submitted.pk).update(done="\t=1+1\x0b", reason="-2+3")
    world.plan.title = "+1+1 kế hoạch"
    world.plan.save()
    client.force_login(world.coordinator)

    content = b"".join(client.get(reverse("progress:export_xlsx", args=[period.public_id])).streaming_content)
    assert_no_formula(content)
    cells = read_back(content)
    for text in (HOSTILE[0], "@SUM(1+1)", "\t=1+1"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    assert any(str(v).startswith("Lý do: -2+3") for v in cells)

    response = client.get(reverse("progress:export_docx", args=[period.public_id]))
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    texts = [c.text for row in doc.tables[1].rows for c in row.cells]
    assert HOSTILE[0] in texts and "\t=1+1" in texts
