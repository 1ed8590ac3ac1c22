"""API of reporting periods and progress reports: read, and submit, with the same scope as the pages."""
from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import File, Router, Schema
from ninja.files import UploadedFile

try:
    from ninja import Status
except ImportError:  # django-ninja < 1.7 takes a (status, body) tuple
    def Status(status_code, value):  # noqa: N802
        return status_code, value

from chiso.plans.policies import plans_visible_to

from . import services
from .models import Evidence, ProgressReport, ReportingPeriod
from .policies import tasks_visible_to
from .selectors import period_rows

router = Router(tags=["Kỳ báo cáo, báo cáo tiến độ"])


class PeriodIn(Schema):
    name: str
    start: dt.date
    end: dt.date
    due_date: dt.date


class PeriodOut(Schema):
    id: str
    plan_id: str
    name: str
    start: dt.date
    end: dt.date
    due_date: dt.date
    is_open: bool


class EvidenceOut(Schema):
    id: str
    file_name: str
    size: int
    sha256: str
    url: str
    download_url: str | None


class ReportIn(Schema):
    status: str
    percent: int
    done: str = ""
    reason: str = ""
    links: list[str] = []
    version: int = 0
    submit: bool = False


class ReviewIn(Schema):
    decision: str
    comment: str = ""


class ReportOut(Schema):
    id: str
    period_id: str
    task_id: str
    unit: str | None
    state: str
    status: str
    percent: int
    done: str
    reason: str
    review_comment: str
    version: int
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    evidence: list[EvidenceOut]


class TaskReportRow(Schema):
    task_id: str
    task: str
    report: ReportOut | None
    late: bool


def period_out(p: ReportingPeriod) -> dict:
    return {"id": p.public_id, "plan_id": p.plan.public_id, "name": p.name, "start": p.start, "end": p.end,
            "due_date": p.due_date, "is_open": p.is_open}


def evidence_out(e: Evidence) -> dict:
    return {"id": e.public_id, "file_name": e.file_name, "size": e.size, "sha256": e.sha256, "url": e.url,
            "download_url": reverse("progress:evidence", args=[e.public_id]) if e.file else None}


def report_out(r: ProgressReport) -> dict:
    evidence = [e for e in r.evidence.all() if e.removed_at is None]
    return {"id": r.public_id, "period_id": r.period.public_id, "task_id": r.task.public_id,
            "unit": r.unit.name if r.unit else None, "state": r.state, "status": r.status, "percent": r.percent,
            "done": r.done, "reason": r.reason, "review_comment": r.review_comment, "version": r.version,
            "updated_at": r.updated_at, "submitted_at": r.submitted_at, "evidence": [evidence_out(e) for e in evidence]}


def _reports(request):
    return (ProgressReport.objects.filter(task__in=tasks_visible_to(request.user))
            .select_related("period__plan", "task", "unit").prefetch_related(Prefetch("evidence")))


def _period(request, period_id: str) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod.objects.filter(plan__in=plans_visible_to(request.user).values("pk"))
                             .select_related("plan"), public_id=period_id)


@router.get("/plans/{plan_id}/periods", response=list[PeriodOut], summary="Kỳ báo cáo của kế hoạch")
def list_periods(request, plan_id: str):
    plan = get_object_or_404(plans_visible_to(request.user), public_id=plan_id)
    return [period_out(p) for p in plan.reporting_periods.select_related("plan").order_by("-start")]


@router.post("/plans/{plan_id}/periods", response={201: PeriodOut}, summary="Mở kỳ báo cáo (cán bộ điều phối)")
def open_period(request, plan_id: str, data: PeriodIn):
    plan = get_object_or_404(plans_visible_to(request.user), public_id=plan_id)
    period = services.period_open(actor=request.user, plan=plan, **data.dict())
    return Status(201, period_out(period))


@router.get("/periods/{period_id}", response=PeriodOut, summary="Một kỳ báo cáo")
def get_period(request, period_id: str):
    return period_out(_period(request, period_id))


@router.get("/periods/{period_id}/reports", response=list[TaskReportRow],
            summary="Nhiệm vụ phải báo cáo trong kỳ, với báo cáo của từng nhiệm vụ")
def list_period_reports(request, period_id: str):
    period = _period(request, period_id)
    rows = period_rows(period, tasks_visible_to(request.user), timezone.localdate())
    reports = {r.task_id: r for r in _reports(request).filter(period=period)}
    return [{"task_id": r.task.public_id, "task": r.task.text, "late": r.late,
             "report": report_out(reports[r.task.pk]) if r.task.pk in reports else None} for r in rows]


@router.get("/reports/{report_id}", response=ReportOut, summary="Một báo cáo")
def get_report(request, report_id: str):
    return report_out(get_object_or_404(_reports(request), public_id=report_id))


@router.put("/periods/{period_id}/tasks/{task_id}/report", response=ReportOut,
            summary="Lưu nháp hoặc gửi báo cáo (đơn vị chủ trì)",
            description="`version` là phiên bản báo cáo khi đọc (0 khi chưa có báo cáo); nếu báo cáo đã được "
                        "người khác sửa sau đó, yêu cầu bị từ chối với mã 409 và không ghi đè gì.")
def save_report(request, period_id: str, task_id: str, data: ReportIn):
    period = _period(request, period_id)
    task = get_object_or_404(tasks_visible_to(request.user).select_related("item__table"), public_id=task_id)
    report = services.report_save(
        actor=request.user, period=period, task=task, version=data.version, submit=data.submit,
        data=services.ReportInput(data.status, data.percent, data.done, data.reason), links=data.links)
    return report_out(get_object_or_404(_reports(request), pk=report.pk))


@router.post("/reports/{report_id}/evidence", response={201: list[EvidenceOut]},
             summary="Thêm tệp kiểm chứng vào báo cáo chưa gửi")
def add_evidence(request, report_id: str, file: File[UploadedFile]):
    report = get_object_or_404(_reports(request), public_id=report_id)
    added = services.evidence_add(actor=request.user, report=report, files=[file])
    return Status(201, [evidence_out(e) for e in added])


@router.post("/reports/{report_id}/review", response=ReportOut, summary="Duyệt hoặc trả lại báo cáo (điều phối)",
             description="`decision`: `accept` hoặc `return` (khi trả lại phải có `comment`).")
def review_report(request, report_id: str, data: ReviewIn):
    report = get_object_or_404(_reports(request), public_id=report_id)
    if data.decision not in {"accept", "return"}:
        from chiso.common.errors import ServiceError

        raise ServiceError("`decision` phải là “accept” (duyệt) hoặc “return” (trả lại).")
    services.report_review(actor=request.user, report=report, accept=data.decision == "accept", comment=data.comment)
    return report_out(get_object_or_404(_reports(request), pk=report.pk))

