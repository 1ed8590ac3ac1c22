"""A plan written in chiso (started from Đắk Nông's 2023 results, a task with a lead and a
deadline in words on every lost criterion, issued) reads back through the reader from its
appendix (.docx) at ≥ 0.98 against the plan's own data — the check of issue 11, item 5."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso.analysis.appendix import plan_document, plan_sheets
from chiso.analysis.exports import appendix_docx
from chiso.core.agencies import group_of
from chiso.plans import services
from chiso.plans.checks import plan_checks
from chiso.plans.models import PlanItem
from tests.reader.helpers import require_scorer, score

LEADS = ["Sở Tư pháp", "Sở Nội vụ"]
DEADLINES = ["Trước ngày 30/6/2024", "Quý III/2024", "Tháng 10/2024", "Thường xuyên"]


@pytest.fixture
def authored(daknong, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actor = daknong.coordinator
    plan = services.plan_start_from_results(actor=actor, assessment=daknong.results)
    leaves = [i for i in PlanItem.objects.filter(table__plan=plan).order_by("position") if not i.children.exists()]
    for n, item in enumerate(leaves):
        lead = LEADS[n % 2]
        services.task_add(actor=actor, item=item, text=f"Khắc phục tồn tại của tiêu chí {item.code}: rà soát, "
                                                       f"ban hành văn bản và tổ chức thực hiện",
                          deliverable="Báo cáo kết quả", deadline_text=DEADLINES[n % len(DEADLINES)],
                          assignments=[services.AssignmentInput("lead", lead, unit=daknong.issuer.children.get(name=lead)),
                                       services.AssignmentInput("coordinating", "Các sở, ban, ngành",
                                                                group=group_of("Các sở, ban, ngành"))])
    plan.refresh_from_db()
    assert not plan_checks(plan).lost_without_task and not plan_checks(plan).without_lead
    plan = services.plan_submit(actor=actor, plan=plan, version=plan.version)
    services.plan_issue(actor=daknong.leader, plan=plan, version=plan.version, number="15/KH-UBND",
                        date=dt.date(2024, 1, 20), signed_pdf=SimpleUploadedFile("ky.pdf", b"%PDF-1.4\n%%EOF\n"))
    plan.refresh_from_db()
    return plan


@pytest.mark.parametrize("deductions", [False, True], ids=["appendix", "appendix+deductions"])
def test_an_authored_plans_appendix_reads_back(authored, tmp_path, deductions):
    from chiso.reader import read_document

    require_scorer()  # the 0.98 of the issue is the shared scorer's share, not the all-or-nothing stand-in's
    sheets = plan_sheets(authored, deductions=deductions)
    expected = plan_document(authored, sheets)
    rows = expected["tables"][0]["rows"]
    assert len(rows) > 20 and all(r["text"].get("lead") for r in rows if r["text"].get("tasks"))
    path = tmp_path / "phu-luc.docx"
    path.write_bytes(appendix_docx(authored, sheets))
    share, misses = score(expected, read_document(path))
    print(f"read-back score {share:.4f} over {sum(len(t['rows']) for t in expected['tables'])} rows")
    assert share >= 0.98, misses[:10]

