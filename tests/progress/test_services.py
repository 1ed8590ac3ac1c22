"""Reports: drafts, submission, review, concurrency, evidence checks; the task takes the accepted status."""
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage

from chiso.common.errors import ServiceError
from chiso.plans.models import TaskStatus
from chiso.progress import services
from chiso.progress.history import task_history
from chiso.progress.models import Evidence, ProgressReport, ReportState
from tests.progress.conftest import PDF, pdf


def test_draft_then_submit_then_return_then_accept_sets_task_status(world, period, draft):
    assert draft.state == ReportState.DRAFT and draft.version == 1
    data = services.ReportInput("done", 100, "Đã tổ chức kiểm tra 5 cơ quan.", "")
    report = services.report_save(actor=world.own, period=period, task=world.task, data=data, version=1, submit=True,
                                  files=[pdf()])
    assert report.state == ReportState.SUBMITTED and report.unit == world.lead_unit
    services.report_review(actor=world.coordinator, report=report, accept=False, comment="Bổ sung biên bản.")
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED and report.review_comment == "Bổ sung biên bản."
    world.task.refresh_from_db()
    assert world.task.status == TaskStatus.NOT_STARTED
    report = services.report_save(actor=world.own, period=period, task=world.task, data=data, version=report.version,
                                  submit=True)
    services.report_review(actor=world.coordinator, report=report, accept=True)
    world.task.refresh_from_db()
    assert world.task.status == TaskStatus.DONE
    assert world.task.history.first().history_user == world.coordinator


def test_second_editor_is_told_and_nothing_is_overwritten(world, period, draft):
    first = services.ReportInput("in_progress", 60, "Bản của người thứ nhất.", "")
    services.report_save(actor=world.own, period=period, task=world.task, data=first, version=draft.version)
    second = services.ReportInput("in_progress", 10, "Bản của người thứ hai.", "")
    with pytest.raises(ServiceError) as error:
        services.report_save(actor=world.own, period=period, task=world.task, data=second, version=draft.version)
    assert "CHƯA được lưu" in error.value.message and "own" in error.value.message
    assert ProgressReport.objects.get().done == "Bản của người thứ nhất."


def test_two_new_reports_for_the_same_task_conflict(world, period, draft):
    data = services.ReportInput("in_progress", 10, "x", "")
    with pytest.raises(ServiceError):
        services.report_save(actor=world.own, period=period, task=world.task, data=data, version=0)


@pytest.mark.parametrize("data,message", [
    (services.ReportInput("delayed", 30, "Đã làm một phần", ""), "Cần ghi lý do khi tình hình là “Chậm tiến độ”"),
    (services.ReportInput("blocked", 0, "", ""), "Cần ghi lý do khi tình hình là “Không thực hiện được”"),
    (services.ReportInput("done", 80, "x", ""), "phải là 100%"),
    (services.ReportInput("in_progress", 120, "x", ""), "từ 0 đến 100"),
    (services.ReportInput("in_progress", 50, "", ""), "Cần ghi kết quả đã thực hiện"),
])
def test_refused_reports_name_the_problem_and_save_nothing(world, period, data, message):
    with pytest.raises(ServiceError) as error:
        services.report_save(actor=world.own, period=period, task=world.task, data=data, version=0, submit=True)
    assert any(message in d for d in error.value.details), error.value.details
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("upload,message", [
    (pdf("virus.exe", b"MZ..."), "chỉ nhận PDF"),
    (pdf("gia.pdf", b"not a pdf at all"), "không phải tệp .pdf hợp lệ"),
    (pdf("rong.pdf", b""), "rỗng"),
])
def test_bad_evidence_is_refused_and_nothing_is_kept(world, period, upload, message):
    data = services.ReportInput("in_progress", 50, "Đang làm", "")
    with pytest.raises(ServiceError) as error:
        services.report_save(actor=world.own, period=period, task=world.task, data=data, version=0, files=[upload])
    assert message in " ".join(error.value.details)
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


def test_evidence_over_the_size_limit_is_refused(world, period, settings):
    settings.CHISO_MAX_UPLOAD_BYTES = 10
    data = services.ReportInput("in_progress", 50, "Đang làm", "")
    with pytest.raises(ServiceError) as error:
        services.report_save(actor=world.own, period=period, task=world.task, data=data, version=0, files=[pdf()])
    assert "vượt giới hạn" in error.value.details[0]


def test_evidence_is_stored_with_checksum_through_storage(submitted):
    evidence = submitted.evidence.get()
    assert evidence.sha256 == __import__("hashlib").sha256(PDF).hexdigest()
    assert evidence.size == len(PDF) and evidence.file_name == "bien-ban.pdf"
    assert default_storage.exists(evidence.file.name) and evidence.public_id in evidence.file.name


def test_only_the_lead_unit_writes_and_only_the_coordinator_reviews(world, period, partner, submitted):
    data = services.ReportInput("in_progress", 50, "x", "")
    for actor in (world.coordinator, partner, world.other):
        with pytest.raises(PermissionDenied):
            services.report_save(actor=actor, period=period, task=world.task, data=data, version=submitted.version)
    with pytest.raises(PermissionDenied):
        services.report_review(actor=world.own, report=submitted, accept=True)


def test_returning_needs_a_comment_and_submitted_reports_are_locked(world, period, submitted):
    with pytest.raises(ServiceError, match="Cần ghi ý kiến"):
        services.report_review(actor=world.coordinator, report=submitted, accept=False, comment=" ")
    data = services.ReportInput("done", 100, "sửa", "")
    with pytest.raises(ServiceError, match="không sửa được"):
        services.report_save(actor=world.own, period=period, task=world.task, data=data, version=submitted.version)


def test_closed_period_refuses_reports(world, period):
    services.period_set_open(actor=world.coordinator, period=period, is_open=False)
    data = services.ReportInput("in_progress", 50, "x", "")
    with pytest.raises(ServiceError, match="đã đóng"):
        services.report_save(actor=world.own, period=period, task=world.task, data=data, version=0)


def test_contribution_of_coordinating_unit(world, period, partner):
    c = services.contribution_save(actor=partner, period=period, task=world.task, text="Đã cử cán bộ phối hợp.",
                                   version=0, links=["https://snv.daklak.gov.vn/tin/1"])
    assert c.unit == partner.unit and c.evidence.get().url.startswith("https://")
    with pytest.raises(PermissionDenied):
        services.contribution_save(actor=world.own, period=period, task=world.task, text="x", version=0)


def test_period_open_validates(world):
    import datetime as dt

    with pytest.raises(ServiceError) as error:
        services.period_open(actor=world.coordinator, plan=world.plan, name="", start=dt.date(2025, 12, 31),
                             end=dt.date(2025, 10, 1), due_date=None)
    assert len(error.value.details) == 3
    with pytest.raises(PermissionDenied):
        services.period_open(actor=world.own, plan=world.plan, name="Quý I", start=dt.date(2025, 1, 1),
                             end=dt.date(2025, 3, 31), due_date=dt.date(2025, 3, 15))


def test_history_shows_old_and_new_values(world, period, submitted):
    services.report_review(actor=world.coordinator, report=submitted, accept=True)
    entries = task_history(world.task)
    changes = {(c.label, c.old, c.new) for e in entries for c in e.changes}
    assert ("Trạng thái", "Chưa thực hiện", "Hoàn thành") in changes
    assert ("Trạng thái báo cáo", "Đã gửi, chờ duyệt", "Đã duyệt") in changes
    assert {e.who for e in entries} >= {"own", "coordinator"}


def test_another_provinces_coordinator_neither_reviews_nor_opens_periods(world, period, submitted):
    from chiso.accounts.models import Role
    from tests.factories import UnitFactory, UserFactory

    stranger = UserFactory(unit=UnitFactory(name="Sở Nội vụ", parent=world.other_province), role=Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        services.report_review(actor=stranger, report=submitted, accept=True)
    with pytest.raises(PermissionDenied):
        services.period_set_open(actor=stranger, period=period, is_open=False)
    with pytest.raises(PermissionDenied):
        services.period_open(actor=stranger, plan=world.plan, name="Quý I", start=None, end=None, due_date=None)
    submitted.refresh_from_db()
    period.refresh_from_db()
    assert submitted.state == ReportState.SUBMITTED and period.is_open


def test_nobody_accepts_their_own_report(world, period):
    """The Sở Nội vụ's coordinators report for their own department too: another one reviews."""
    from chiso.plans.models import Assignment

    Assignment.objects.filter(task=world.task).update(unit=world.home_affairs)
    data = services.ReportInput("done", 100, "Đã kiểm tra 18/35 cơ quan.", "")
    report = services.report_save(actor=world.coordinator, period=period, task=world.task, data=data, version=0,
                                  submit=True)
    with pytest.raises(ServiceError, match="Không tự duyệt"):
        services.report_review(actor=world.coordinator, report=report, accept=True)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    from chiso.accounts.models import Role
    from tests.factories import UserFactory

    colleague = UserFactory(unit=world.home_affairs, role=Role.COORDINATOR)
    assert services.report_review(actor=colleague, report=report, accept=True).state == ReportState.ACCEPTED
