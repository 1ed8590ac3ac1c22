"""The plan's appendix and the results template out with text typed to look like formulas."""
import io

from django.urls import reverse

from chiso.analysis.appendix import plan_sheets
from chiso.analysis.exports import appendix_docx, appendix_xlsx
from chiso.plans.models import PlanItem, Task
from chiso.scores.models import Score
from tests.common.test_office import HOSTILE, assert_no_formula, read_back


def test_appendix_keeps_typed_formulas_as_text(dak_nong):
    from docx import Document

    item = PlanItem.objects.filter(table__plan=dak_nong.plan, code="1.1").first()
    item.name = "=1+1"
    item.save()
    task = Task.objects.filter(item__table__plan=dak_nong.plan).first()
    task.text = HOSTILE[0] + "\x01"
    task.save()
    sheets = plan_sheets(dak_nong.plan)
    content = appendix_xlsx(dak_nong.plan, sheets)
    assert_no_formula(content)
    cells = read_back(content)
    assert cells["=1+1"].quotePrefix and cells[HOSTILE[0]].data_type == "s"
    doc = Document(io.BytesIO(appendix_docx(dak_nong.plan, sheets)))
    assert HOSTILE[0] in [c.text for t in doc.tables for row in t.rows for c in row.cells]


def test_results_template_keeps_reasons_as_text(client, dak_nong):
    Score.objects.filter(assessment=dak_nong.assessment).update(reason="-2+3", remedy="@SUM(1+1)")
    client.force_login(dak_nong.coordinator)
    response = client.get(reverse("analysis:sheet_template", args=[dak_nong.assessment.public_id]))
    assert_no_formula(response.content)
    cells = read_back(response.content)
    assert cells["-2+3"].quotePrefix and cells["@SUM(1+1)"].quotePrefix


def test_accounts_template_has_no_formula():
    from chiso.accounts.importing import template_xlsx

    assert_no_formula(template_xlsx())
