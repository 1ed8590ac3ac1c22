"""The life of a plan: draft → submitted → issued (number, date, signed PDF) → amended; the diff
between editions; tasks that survive an amendment keep their reports and evidence."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso.common.errors import ConflictError, ServiceError
from chiso.plans import services
from chiso.plans.models import EditionKind, PlanItem, PlanState, Task
from chiso.plans.snapshot import edition_diff, plan_snapshot

PDF = b"%PDF-1.4\n%%EOF\n"


def pdf(name="ke-hoach-da-ky.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def issued(daknong, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = services.plan_start_from_results(actor=daknong.coordinator, assessment=daknong.results)
    for item in PlanItem.objects.filter(table__plan=plan, level__gt=1):
        services.task_add(actor=daknong.coordinator, item=item, text=f"Khắc phục {item.code}",
                          deadline_text="Trước ngày 30/9/2024",
                          assignments=[services.AssignmentInput("lead", "Sở Tư pháp", unit=daknong.justice)])
    plan.refresh_from_db()
    plan = services.plan_submit(actor=daknong.coordinator, plan=plan, version=plan.version)
    services.plan_issue(actor=daknong.leader, plan=plan, version=plan.version, number="12/KH-UBND",
                        date=dt.date(2024, 2, 1), signed_pdf=pdf())
    plan.refresh_from_db()
    return plan


def test_issue_needs_number_date_and_a_signed_pdf(daknong, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = services.plan_start_from_results(actor=daknong.coordinator, assessment=daknong.results)
    plan = services.plan_submit(actor=daknong.coordinator, plan=plan, version=plan.version)
    with pytest.raises(ServiceError) as refused:
        services.plan_issue(actor=daknong.leader, plan=plan, version=plan.version, number="", date=None,
                            signed_pdf=pdf())
    assert len(refused.value.details) == 2
    with pytest.raises(ServiceError) as refused:
        services.plan_issue(actor=daknong.leader, plan=plan, version=plan.version, number="1/KH-UBND",
                            date=dt.date(2024, 1, 5), signed_pdf=SimpleUploadedFile("ky.pdf", b"not a pdf"))
    assert "không phải tệp .pdf" in refused.value.details[0]
    with pytest.raises(PermissionDenied):
        services.plan_issue(actor=daknong.officer, plan=plan, version=plan.version, number="1/KH-UBND",
                            date=dt.date(2024, 1, 5), signed_pdf=pdf())
    plan = services.plan_return(actor=daknong.leader, plan=plan, version=plan.version, comment="Bổ sung thời hạn")
    assert plan.state == PlanState.DRAFT and plan.leader_comment == "Bổ sung thời hạn"
    assert not plan.editions.exists()


def test_issued_plan_keeps_its_edition_and_an_amendment_is_the_next_one(daknong, issued):
    edition = issued.editions.get()
    assert (issued.state, issued.number, issued.date) == (PlanState.ISSUED, "12/KH-UBND", dt.date(2024, 2, 1))
    assert (edition.seq, edition.kind, edition.pdf_name) == (1, EditionKind.ORIGINAL, "ke-hoach-da-ky.pdf")
    assert edition.signed_pdf.read() == PDF
    assert edition.snapshot == plan_snapshot(issued)  # the number and date too
    with pytest.raises(ServiceError):
        services.plan_amend(actor=daknong.coordinator, plan=issued, version=issued.version, reason="")
    with pytest.raises(ConflictError):
        services.plan_amend(actor=daknong.coordinator, plan=issued, version=issued.version - 1, reason="Sửa")
    plan = services.plan_amend(actor=daknong.coordinator, plan=issued, version=issued.version,
                               reason="Bổ sung nhiệm vụ theo kết quả quý II")
    assert (plan.state, plan.edition) == (PlanState.DRAFT, 2)


def test_amendment_diff_and_reports_stay_with_their_tasks(daknong, issued):
    from chiso.progress import services as progress
    from chiso.progress.models import ReportingPeriod

    task = Task.objects.filter(item__table__plan=issued).order_by("pk").first()
    gone = Task.objects.filter(item__table__plan=issued).order_by("pk").last()
    period = ReportingPeriod.objects.create(plan=issued, name="Quý I/2024", start=dt.date(2024, 1, 1),
                                            end=dt.date(2024, 3, 31), due_date=dt.date(2024, 3, 25))
    officer = daknong.officer
    report = progress.report_save(actor=officer, period=period, task=task, version=0,
                                  data=progress.ReportInput("in_progress", 40, "Đã dự thảo", ""),
                                  files=[SimpleUploadedFile("bb.pdf", PDF)])
    plan = services.plan_amend(actor=daknong.coordinator, plan=issued, version=issued.version, reason="Điều chỉnh")
    # change a deadline, an agency, a target; remove one task, add one
    task = services.task_update(actor=daknong.coordinator, task=task, version=task.version, text=task.text,
                                deadline_text="Trước ngày 31/10/2024")
    services.assignment_add(actor=daknong.coordinator, task=task, version=task.version, role="coordinating",
                            unit=daknong.home_affairs)
    leaf = task.item
    services.item_update(actor=daknong.coordinator, item=leaf, version=leaf.version, targets={"2024": leaf.max_points})
    services.task_remove(actor=daknong.coordinator, task=gone, version=gone.version)
    added = services.task_add(actor=daknong.coordinator, item=leaf, text="Nhiệm vụ bổ sung")
    change = edition_diff(plan.editions.get(seq=1), None, plan)
    assert [(d.old, d.new) for d in change.deadlines] == [("Trước ngày 30/9/2024", "Trước ngày 31/10/2024")]
    assert [(a.role, a.added) for a in change.agencies] == [("coordinating", ("Sở Nội vụ",))]
    assert {(t.what, t.task_id) for t in change.tasks} == {("added", added.public_id), ("removed", gone.public_id)}
    assert any(t.code == leaf.code and t.new == leaf.max_points for t in change.targets)
    plan.refresh_from_db()
    plan = services.plan_submit(actor=daknong.coordinator, plan=plan, version=plan.version)
    amendment = services.plan_issue(actor=daknong.coordinator, plan=plan, version=plan.version,
                                    number="45/KH-UBND", date=dt.date(2024, 6, 1), signed_pdf=pdf("dc.pdf"))
    assert (amendment.seq, amendment.kind, amendment.reason) == (2, EditionKind.AMENDMENT, "Điều chỉnh")
    plan.refresh_from_db()
    assert (plan.number, plan.edition) == ("12/KH-UBND", 2)  # the plan keeps its own number
    report.refresh_from_db()
    assert report.task_id == task.pk and report.evidence.count() == 1
    assert task.progress_reports.get() == report
    assert edition_diff(plan.editions.get(seq=1), amendment, plan).count == change.count


def test_a_loaded_plan_is_amended_from_what_was_loaded(daknong):
    plan = daknong.plan
    assert plan.state == PlanState.ISSUED and not plan.editions.exists()
    plan = services.plan_amend(actor=daknong.coordinator, plan=plan, version=plan.version, reason="Sáp nhập tỉnh")
    first = plan.editions.get()
    assert (first.seq, first.number) == (1, "475/KH-UBND")
    assert edition_diff(first, None, plan).empty
    with pytest.raises(PermissionDenied):
        services.plan_amend(actor=daknong.stranger, plan=plan, version=plan.version, reason="x")


def test_only_a_never_issued_draft_is_discarded(daknong, issued):
    draft = services.plan_start_from_results(actor=daknong.coordinator, assessment=daknong.results)
    services.plan_discard(actor=daknong.coordinator, plan=draft, version=draft.version)
    assert not type(draft).objects.filter(pk=draft.pk).exists()
    plan = services.plan_amend(actor=daknong.coordinator, plan=issued, version=issued.version, reason="x")
    with pytest.raises(ServiceError):
        services.plan_discard(actor=daknong.coordinator, plan=plan, version=plan.version)
