"""Writes: each `<thing>_<verb>(*, actor, ...)` runs in one transaction and either saves
everything or nothing (uploaded files of a refused save are removed again)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from chiso.common.actors import by_actor
from chiso.common.errors import ConflictError, ServiceError
from chiso.core.evidence_files import check_file, read_head, sha256_of
from chiso.plans.models import Plan, Task, TaskStatus

from .models import (NEEDS_REASON, Contribution, Evidence, ProgressReport, ReportingPeriod, ReportState)
from .notifications import notify_review
from .policies import can_contribute, can_open_period, can_review, can_write_report, require_permission, unit_roles

MAX_LINKS = 20


@dataclass
class ReportInput:
    status: str
    percent: int | None
    done: str = ""
    reason: str = ""


# -- periods -----------------------------------------------------------------

def period_open(*, actor, plan: Plan, name: str, start: dt.date | None, end: dt.date | None,
                due_date: dt.date | None) -> ReportingPeriod:
    require_permission(can_open_period(actor, plan))
    name = (name or "").strip()
    errors = []
    if not name:
        errors.append("Cần ghi tên kỳ báo cáo, ví dụ “Quý IV/2025”.")
    if start is None or end is None:
        errors.append("Cần ghi thời gian từ ngày – đến ngày của kỳ báo cáo.")
    elif start > end:
        errors.append(f"Ngày bắt đầu ({start:%d/%m/%Y}) sau ngày kết thúc ({end:%d/%m/%Y}).")
    if due_date is None:
        errors.append("Cần ghi hạn nộp báo cáo.")
    elif start is not None and due_date < start:
        errors.append(f"Hạn nộp báo cáo ({due_date:%d/%m/%Y}) trước ngày bắt đầu kỳ ({start:%d/%m/%Y}).")
    if name and ReportingPeriod.objects.filter(plan=plan, name__iexact=name).exists():
        errors.append(f"Kế hoạch này đã có kỳ báo cáo “{name}”.")
    if errors:
        raise ServiceError("Chưa mở được kỳ báo cáo.", details=errors)
    with transaction.atomic():
        period = by_actor(ReportingPeriod(plan=plan, name=name, start=start, end=end, due_date=due_date,
                                           opened_by=actor), actor)
        period.save()
    return period


def period_set_open(*, actor, period: ReportingPeriod, is_open: bool) -> ReportingPeriod:
    require_permission(can_open_period(actor, period.plan))
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update(of=("self",)).get(pk=period.pk)
        if period.is_open != is_open:
            period.is_open = is_open
            by_actor(period, actor).save()
    return period


def _require_open(period: ReportingPeriod, what: str) -> None:
    """Checked against the database: the period may have closed since the page was opened."""
    if not ReportingPeriod.objects.filter(pk=period.pk, is_open=True).exists():
        raise ServiceError(f"Kỳ báo cáo “{period.name}” đã đóng: {what}.")


# -- evidence ----------------------------------------------------------------

def _check_uploads(files) -> list[tuple[object, str, str]]:
    """(file, content type, sha256) for each upload, or a ServiceError naming every bad file."""
    checked, errors = [], []
    for f in files:
        error, content_type = check_file(f.name, read_head(f), f.size, settings.CHISO_MAX_UPLOAD_BYTES)
        if error:
            errors.append(error)
            continue
        checked.append((f, content_type, sha256_of(f.chunks())))
    if errors:
        raise ServiceError("Tài liệu kiểm chứng chưa được nhận.", details=errors)
    return checked


def _check_links(links) -> list[str]:
    links = [link.strip() for link in links if link and link.strip()]
    validate = URLValidator(schemes=["http", "https"])
    errors = []
    for link in links:
        try:
            validate(link)
        except ValidationError:
            errors.append(f"Đường dẫn “{link[:80]}” không hợp lệ (cần bắt đầu bằng http:// hoặc https://).")
    if len(links) > MAX_LINKS:
        errors.append(f"Tối đa {MAX_LINKS} đường dẫn mỗi lần lưu.")
    if errors:
        raise ServiceError("Đường dẫn kiểm chứng chưa được nhận.", details=errors)
    return links


def _attach(*, actor, owner: dict, uploads, links, stored: list[str]) -> int:
    for f, content_type, digest in uploads:
        ev = Evidence(**owner, file_name=f.name[:255], size=f.size, sha256=digest, content_type=content_type,
                      uploaded_by=actor)
        ev.file.save(f.name, f, save=False)
        stored.append(ev.file.name)
        by_actor(ev, actor).save()
    for link in links:
        by_actor(Evidence(**owner, url=link, uploaded_by=actor), actor).save()
    return len(uploads) + len(links)


def _cleanup(stored: list[str]) -> None:
    for name in stored:
        try:
            default_storage.delete(name)
        except Exception:  # pragma: no cover - best effort on a failed save
            pass


def evidence_add(*, actor, report: ProgressReport, files=(), links=()) -> list[Evidence]:
    """Adds evidence to a report that is still a draft or was sent back (the API's upload)."""
    require_permission(can_write_report(actor, unit_roles(actor, report.task)))
    _require_open(report.period, "không thêm được tài liệu kiểm chứng")
    uploads, links = _check_uploads(files), _check_links(links)
    if not uploads and not links:
        raise ServiceError("Chưa chọn tệp hoặc đường dẫn kiểm chứng nào.")
    stored: list[str] = []
    try:
        with transaction.atomic():
            report = ProgressReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
            if not report.is_editable:
                raise ServiceError(f"Báo cáo đang “{report.get_state_display()}”: không thêm được tài liệu.")
            before = set(report.evidence.values_list("pk", flat=True))
            _attach(actor=actor, owner={"report": report}, uploads=uploads, links=links, stored=stored)
            return list(report.evidence.exclude(pk__in=before))
    except Exception:
        _cleanup(stored)
        raise


def evidence_remove(*, actor, evidence: Evidence) -> None:
    owner = evidence.report or evidence.contribution
    roles = unit_roles(actor, owner.task)
    if evidence.report_id:
        require_permission(can_write_report(actor, roles))
        if not evidence.report.is_editable:
            raise ServiceError("Báo cáo đã gửi hoặc đã duyệt: không gỡ được tài liệu kiểm chứng.")
    else:
        require_permission(can_contribute(actor, roles) and evidence.contribution.unit_id == actor.unit_id)
    _require_open(owner.period, "không gỡ được tài liệu kiểm chứng")
    with transaction.atomic():
        evidence.removed_at = timezone.now()
        evidence.removed_by = actor
        by_actor(evidence, actor).save()


# -- reports -----------------------------------------------------------------

def _conflict(obj, what: str) -> ServiceError:
    who = obj.updated_by.display_name if obj.updated_by else "người khác"
    when = timezone.localtime(obj.updated_at).strftime("%H:%M ngày %d/%m/%Y")
    return ConflictError(
        f"{what} vừa được {who} lưu lúc {when}, sau khi anh/chị mở trang. Nội dung anh/chị nhập CHƯA được lưu "
        "để không ghi đè lên bản của họ: hãy mở lại trang, xem bản mới nhất rồi nhập lại phần thay đổi.")


def _validate_report(data: ReportInput, *, submit: bool) -> list[str]:
    errors = []
    if data.status not in TaskStatus.values:
        errors.append("Chọn tình hình thực hiện.")
        return errors
    label = TaskStatus(data.status).label
    if data.percent is None or not 0 <= data.percent <= 100:
        errors.append("Tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100.")
    elif data.status == TaskStatus.DONE and data.percent != 100:
        errors.append(f"Nhiệm vụ “{label}” thì tỷ lệ hoàn thành phải là 100% (đang ghi {data.percent}%).")
    elif data.status == TaskStatus.NOT_STARTED and data.percent != 0:
        errors.append(f"Nhiệm vụ “{label}” thì tỷ lệ hoàn thành phải là 0% (đang ghi {data.percent}%).")
    if data.status in NEEDS_REASON and not data.reason.strip():
        errors.append(f"Cần ghi lý do khi tình hình là “{label}”.")
    if submit and data.status not in {TaskStatus.NOT_STARTED, TaskStatus.BLOCKED} and not data.done.strip():
        errors.append("Cần ghi kết quả đã thực hiện trước khi gửi báo cáo.")
    return errors


def report_save(*, actor, period: ReportingPeriod, task: Task, data: ReportInput, version: int,
                submit: bool = False, files=(), links=()) -> ProgressReport:
    """Saves the lead unit's report as a draft, or submits it for review.

    `version` is the report's version when the form was opened (0 for a report that
    did not exist yet): a save from an outdated form is refused, nothing is overwritten.
    """
    require_permission(can_write_report(actor, unit_roles(actor, task)))
    if task.item.table.plan_id != period.plan_id:
        raise ServiceError("Nhiệm vụ không thuộc kế hoạch của kỳ báo cáo này.")
    _require_open(period, "không sửa được báo cáo")
    errors = _validate_report(data, submit=submit)
    if errors:
        raise ServiceError("Báo cáo chưa được lưu." if not submit else "Báo cáo chưa được gửi.", details=errors)
    uploads, links = _check_uploads(files), _check_links(links)
    stored: list[str] = []
    try:
        with transaction.atomic():
            report = ProgressReport.objects.select_for_update(of=("self",)).select_related("updated_by").filter(
                period=period, task=task).first()
            if report is None:
                if version:
                    raise ConflictError("Báo cáo không còn như khi anh/chị mở trang; hãy mở lại trang.")
                report = ProgressReport(period=period, task=task, version=0)
            elif report.version != version:
                raise _conflict(report, "Báo cáo này")
            elif not report.is_editable:
                raise ServiceError(f"Báo cáo đang ở trạng thái “{report.get_state_display()}”: không sửa được.")
            report.unit_id = actor.unit_id
            report.status, report.percent = data.status, data.percent
            report.done, report.reason = data.done.strip(), data.reason.strip()
            report.version += 1
            report.updated_by = actor
            if submit:
                report.state = ReportState.SUBMITTED
                report.submitted_at, report.submitted_by = timezone.now(), actor
                report.first_submitted_at = report.first_submitted_at or report.submitted_at
            try:
                with transaction.atomic():
                    by_actor(report, actor).save()
            except IntegrityError:
                raise ConflictError("Một người khác vừa tạo báo cáo này. Nội dung anh/chị nhập CHƯA được lưu: "
                                   "hãy mở lại trang rồi nhập lại.") from None
            _attach(actor=actor, owner={"report": report}, uploads=uploads, links=links, stored=stored)
    except Exception:
        _cleanup(stored)
        raise
    return report


def report_review(*, actor, report: ProgressReport, accept: bool, comment: str = "") -> ProgressReport:
    """The coordinator accepts a submitted report (the task takes its status) or sends it back."""
    require_permission(can_review(actor, report.period.plan))
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ServiceError("Cần ghi ý kiến khi trả lại báo cáo, để đơn vị biết phải sửa gì.")
    with transaction.atomic():
        report = (ProgressReport.objects.select_for_update(of=("self",))
                  .select_related("task", "period", "submitted_by").get(pk=report.pk))
        if report.state != ReportState.SUBMITTED:
            raise ServiceError(f"Chỉ duyệt được báo cáo đã gửi; báo cáo này đang “{report.get_state_display()}”.")
        if report.submitted_by_id == actor.pk:
            # the Sở Nội vụ's coordinators also report for their own department: four eyes
            raise ServiceError("Không tự duyệt báo cáo do chính mình gửi: một cán bộ điều phối khác "
                               "của Sở Nội vụ cần duyệt báo cáo này.")
        report.state = ReportState.ACCEPTED if accept else ReportState.RETURNED
        report.review_comment = comment
        report.reviewed_at, report.reviewed_by = timezone.now(), actor
        report.version += 1
        report.updated_by = actor
        by_actor(report, actor).save()
        if accept and report.task.status != report.status:
            task = report.task
            task.status = report.status
            by_actor(task, actor).save()
        notify_review(report)
    return report


# -- contributions -------------------------------------------------------------

def contribution_save(*, actor, period: ReportingPeriod, task: Task, text: str, version: int,
                      files=(), links=()) -> Contribution:
    require_permission(can_contribute(actor, unit_roles(actor, task)))
    if task.item.table.plan_id != period.plan_id:
        raise ServiceError("Nhiệm vụ không thuộc kế hoạch của kỳ báo cáo này.")
    _require_open(period, "không sửa được nội dung phối hợp")
    text = (text or "").strip()
    if not text:
        raise ServiceError("Nội dung phối hợp chưa được lưu.", details=["Cần ghi nội dung đơn vị đã phối hợp thực hiện."])
    uploads, links = _check_uploads(files), _check_links(links)
    stored: list[str] = []
    try:
        with transaction.atomic():
            contribution = Contribution.objects.select_for_update(of=("self",)).select_related("updated_by").filter(
                period=period, task=task, unit_id=actor.unit_id).first()
            if contribution is None:
                if version:
                    raise ConflictError("Nội dung phối hợp không còn như khi anh/chị mở trang; hãy mở lại trang.")
                contribution = Contribution(period=period, task=task, unit_id=actor.unit_id, version=0)
            elif contribution.version != version:
                raise _conflict(contribution, "Nội dung phối hợp này")
            contribution.text = text
            contribution.version += 1
            contribution.updated_by = actor
            try:
                with transaction.atomic():
                    by_actor(contribution, actor).save()
            except IntegrityError:
                raise ConflictError("Một người khác vừa lưu nội dung phối hợp này; hãy mở lại trang.") from None
            _attach(actor=actor, owner={"contribution": contribution}, uploads=uploads, links=links, stored=stored)
    except Exception:
        _cleanup(stored)
        raise
    return contribution
