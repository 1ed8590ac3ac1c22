"""Pages for following a plan: my work, the province dashboard, periods, tasks, reports, evidence."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from chiso.accounts.policies import oversees_province
from chiso.common.errors import ServiceError
from chiso.common.fragments import cached_fragment
from chiso.common.pages import cached_page
from chiso.common.office import XLSX_TYPE
from chiso.plans.models import Assignment
from chiso.plans.policies import plans_visible_to

from . import services
from .dashboards import plan_dashboard as build_plan_dashboard
from .exports import default_signing, export_docx, export_xlsx, file_name, period_list_workbook, signing_from
from .forms import ContributionForm, PeriodForm, ReportForm, ReviewForm, form_errors
from .history import task_history
from .models import Contribution, Evidence, ProgressReport, ReportingPeriod, ReportState
from .policies import (can_contribute, can_open_period, can_review, can_write_report, require_permission,
                       sees_plan_dashboard, tasks_visible_to, unit_roles, visible_plan_or_404)
from .selectors import (MY_WORK, SORTS, filter_period_rows, period_filters, period_rows, province_deadlines,
                        state_counts, task_reports, unit_dashboard)

INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def _period_or_404(user, public_id: str) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod.objects.filter(plan__in=plans_visible_to(user).values("pk"))
                             .select_related("plan__issuer"), public_id=public_id)


def _task_or_404(user, public_id: str, **filters):
    return get_object_or_404(tasks_visible_to(user).filter(**filters).select_related("item__table__plan__issuer"),
                             public_id=public_id)


def _error_list(error: ServiceError) -> list[str]:
    return [error.message, *error.details]


def _links(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def my_work(user, today):
    """The user's work: their unit's tasks and reports; for an overseer, the province's deadlines."""
    board = unit_dashboard(user, today, review_scope=tasks_visible_to(user) if can_review(user) else None)
    if oversees_province(user):
        province_deadlines(board, tasks_visible_to(user), today)
    return board


@login_required
def home(request):
    user = request.user
    board = my_work(user, timezone.localdate())
    plans = list(plans_visible_to(user).select_related("issuer")) if sees_plan_dashboard(user) else []
    shown = request.GET.get("viec", "")
    if shown not in {key for key, _, _ in MY_WORK}:
        shown = ""
    return render(request, "progress/home.html", {"board": board, "plans": plans, "today": timezone.localdate(),
                                                  "shown": shown, "my_work": my_work_counts(board)})


def my_work_counts(board) -> list[dict]:
    return [{"key": key, "label": label, "n": len(getattr(board, attr))} for key, label, attr in MY_WORK
            if attr != "to_review" or board.may_review]


@login_required
@cached_page("plan-dashboard")
def plan_dashboard(request, public_id: str):
    plan = visible_plan_or_404(request.user, public_id)
    require_permission(sees_plan_dashboard(request.user))
    today, unit_param, field_param = timezone.localdate(), request.GET.get("don-vi", "")[:40], request.GET.get("linh-vuc", "")[:40]

    def content_html() -> str:  # the same for every overseer of the plan, on one day
        dashboard = build_plan_dashboard(plan, today, unit=unit_param, field_id=field_param)
        unit, field_id = dashboard.unit, dashboard.field_id
        # the plan page's list of the same tasks (its filters take the same parameters)
        query = urlencode({k: v for k, v in (("linh-vuc", field_id), ("don-vi", unit), ("chu-tri", "1" if unit else ""))
                           if v})
        return render_to_string("progress/plan_dashboard.html#content", {
            "plan": plan, "d": dashboard, "choices": {"fields": dashboard.fields, "units": dashboard.units},
            "unit": unit, "field_id": field_id, "filter_query": query, "filtered": bool(query)})

    html = cached_fragment("plan-dashboard", (plan.pk, today.isoformat(), unit_param, field_param), content_html)
    return render(request, "progress/plan_dashboard.html", {"plan": plan, "content_html": mark_safe(html)})


@login_required
def periods(request, public_id: str):
    plan = visible_plan_or_404(request.user, public_id)
    may_open = can_open_period(request.user)
    form, errors = PeriodForm(), []
    if request.method == "POST":
        require_permission(may_open)
        form = PeriodForm(request.POST)
        if form.is_valid():
            try:
                period = services.period_open(actor=request.user, plan=plan, **form.cleaned_data)
            except ServiceError as e:
                errors = _error_list(e)
            else:
                messages.success(request, f"Đã mở kỳ báo cáo “{period.name}”: các đơn vị chủ trì có thể gửi báo cáo.")
                return redirect("progress:period", period.public_id)
        else:
            errors = ["Chưa mở được kỳ báo cáo.", *form_errors(form)]
    items = list(plan.reporting_periods.order_by("-start"))
    return render(request, "progress/periods.html", {"plan": plan, "periods": items, "form": form, "errors": errors,
                                                     "may_open": may_open}, status=200)


def _period_query(request) -> dict[str, str]:
    return {k: request.GET.get(k, "")[:40] for k in ("trang-thai", "don-vi", "linh-vuc", "sap-xep")}


def _filtered(request, period):
    rows = period_rows(period, tasks_visible_to(request.user), timezone.localdate())
    q = _period_query(request)
    shown = filter_period_rows(rows, state=q["trang-thai"], unit=q["don-vi"], field=q["linh-vuc"],
                               sort=q["sap-xep"] if q["sap-xep"] in SORTS else "")
    return rows, shown, q


@login_required
def period_detail(request, public_id: str):
    period = _period_or_404(request.user, public_id)
    rows, shown, q = _filtered(request, period)
    return render(request, "progress/period_detail.html", {
        "period": period, "rows": shown, "counts": state_counts(rows), "state": q["trang-thai"],
        "q": q, "filters": period_filters(rows), "sorts": SORTS, "filter_query": urlencode({k: v for k, v in q.items() if v}),
        "today": timezone.localdate(),
        "may_open": can_open_period(request.user), "may_review": can_review(request.user),
        "sign": default_signing(period, request.user),
    })


@login_required
def period_list_xlsx(request, public_id: str):
    """The period's list as filtered on the page, as a spreadsheet."""
    period = _period_or_404(request.user, public_id)
    _, shown, _ = _filtered(request, period)
    response = HttpResponse(period_list_workbook(period, shown), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name(period, request.user, "xlsx").replace("bao-cao-", "danh-sach-", 1)}"'
    return response


@login_required
@require_POST
def period_toggle(request, public_id: str):
    period = _period_or_404(request.user, public_id)
    require_permission(can_open_period(request.user))
    is_open = request.POST.get("open") == "1"
    services.period_set_open(actor=request.user, period=period, is_open=is_open)
    messages.success(request, f"Đã {'mở lại' if is_open else 'đóng'} kỳ báo cáo “{period.name}”.")
    return redirect("progress:period", period.public_id)


@login_required
def task_detail(request, public_id: str):
    task = _task_or_404(request.user, public_id)
    assignments = list(Assignment.objects.filter(task=task).select_related("unit").order_by("role_order", "position"))
    roles = unit_roles(request.user, task)
    return render(request, "progress/task_detail.html", {
        "task": task, "assignments": assignments, "periods": task_reports(task), "history": task_history(task),
        "may_write": can_write_report(request.user, roles), "may_contribute": can_contribute(request.user, roles),
        "may_review": can_review(request.user), "my_unit_id": request.user.unit_id, "today": timezone.localdate(),
    })


@login_required
@cached_page("report-form")
def report_edit(request, period_id: str, task_id: str):
    period = _period_or_404(request.user, period_id)
    task = _task_or_404(request.user, task_id, item__table__plan_id=period.plan_id)
    require_permission(can_write_report(request.user, unit_roles(request.user, task)))
    report = ProgressReport.objects.filter(period=period, task=task).select_related("updated_by").first()
    errors, current = [], None
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            c = form.cleaned_data
            submit = "submit" in request.POST
            try:
                saved = services.report_save(
                    actor=request.user, period=period, task=task, version=c["version"], submit=submit,
                    data=services.ReportInput(c["status"], c["percent"], c["done"], c["reason"]),
                    files=request.FILES.getlist("files"), links=_links(c["links"]))
            except ServiceError as e:
                errors = _error_list(e)
                current = ProgressReport.objects.filter(period=period, task=task).select_related("updated_by").first()
            else:
                messages.success(request, "Đã gửi báo cáo để Sở Nội vụ xem xét." if submit
                                 else "Đã lưu bản nháp; báo cáo chưa được gửi.")
                return redirect(reverse("progress:task", args=[task.public_id]) + f"#ky-{saved.period.public_id}")
        else:
            errors = ["Báo cáo chưa được lưu.", *form_errors(form)]
        if errors and request.FILES:
            errors.append("Các tệp đã chọn chưa được tải lên: hãy chọn lại tệp trước khi lưu.")
    else:
        if report and not report.is_editable:
            messages.info(request, f"Báo cáo đang “{report.get_state_display()}”: không sửa được.")
            return redirect("progress:report", report.public_id)
        initial = {"status": report.status if report else "in_progress", "percent": report.percent if report else 0,
                   "done": report.done if report else "", "reason": report.reason if report else "",
                   "version": report.version if report else 0}
        form = ReportForm(initial=initial)
    evidence = list(report.evidence.filter(removed_at__isnull=True)) if report else []
    return render(request, "progress/report_form.html", {
        "period": period, "task": task, "report": report, "form": form, "errors": errors, "current": current,
        "evidence": evidence,
    })


@login_required
def contribution_edit(request, period_id: str, task_id: str):
    period = _period_or_404(request.user, period_id)
    task = _task_or_404(request.user, task_id, item__table__plan_id=period.plan_id)
    require_permission(can_contribute(request.user, unit_roles(request.user, task)))
    contribution = Contribution.objects.filter(period=period, task=task, unit_id=request.user.unit_id).first()
    errors = []
    if request.method == "POST":
        form = ContributionForm(request.POST)
        if form.is_valid():
            c = form.cleaned_data
            try:
                services.contribution_save(actor=request.user, period=period, task=task, text=c["text"],
                                           version=c["version"], files=request.FILES.getlist("files"),
                                           links=_links(c["links"]))
            except ServiceError as e:
                errors = _error_list(e)
            else:
                messages.success(request, "Đã lưu nội dung phối hợp.")
                return redirect(reverse("progress:task", args=[task.public_id]) + f"#ky-{period.public_id}")
        else:
            errors = ["Nội dung phối hợp chưa được lưu.", *form_errors(form)]
    else:
        form = ContributionForm(initial={"text": contribution.text if contribution else "",
                                         "version": contribution.version if contribution else 0})
    evidence = list(contribution.evidence.filter(removed_at__isnull=True)) if contribution else []
    return render(request, "progress/contribution_form.html", {
        "period": period, "task": task, "form": form, "errors": errors, "evidence": evidence})


@login_required
def report_detail(request, public_id: str):
    report = get_object_or_404(
        ProgressReport.objects.filter(task__in=tasks_visible_to(request.user))
        .select_related("period__plan", "task__item", "unit", "submitted_by", "reviewed_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True))),
        public_id=public_id)
    may_review = can_review(request.user)
    errors = []
    if request.method == "POST":
        require_permission(may_review)
        form = ReviewForm(request.POST)
        form.is_valid()
        accept = request.POST.get("decision") == "accept"
        try:
            services.report_review(actor=request.user, report=report, accept=accept,
                                   comment=form.cleaned_data.get("comment", ""))
        except ServiceError as e:
            errors = _error_list(e)
        else:
            messages.success(request, "Đã duyệt báo cáo." if accept else "Đã trả lại báo cáo cho đơn vị.")
            return redirect("progress:period", report.period.public_id)
    else:
        form = ReviewForm()
    contributions = (Contribution.objects.filter(period=report.period, task=report.task).select_related("unit")
                     .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True))))
    return render(request, "progress/report_detail.html", {
        "report": report, "form": form, "errors": errors, "contributions": contributions,
        "may_review": may_review and report.state == ReportState.SUBMITTED,
    })


def _evidence_or_404(user, public_id: str) -> Evidence:
    visible = tasks_visible_to(user).values("pk")
    evidence = get_object_or_404(
        Evidence.objects.filter(Q(report__task__in=visible) | Q(contribution__task__in=visible))
        .select_related("report__task", "report__period", "contribution__task", "contribution__period"),
        public_id=public_id)
    if evidence.removed_at and not oversees_province(user):
        raise Http404
    return evidence


@login_required
def evidence_download(request, public_id: str):
    evidence = _evidence_or_404(request.user, public_id)
    if not evidence.file:
        return HttpResponseRedirect(evidence.url)
    inline = evidence.content_type in INLINE_TYPES
    return FileResponse(evidence.file.open("rb"), as_attachment=not inline, filename=evidence.file_name,
                        content_type=evidence.content_type or "application/octet-stream")


@login_required
@require_POST
def evidence_remove(request, public_id: str):
    evidence = _evidence_or_404(request.user, public_id)
    owner = evidence.report or evidence.contribution
    try:
        services.evidence_remove(actor=request.user, evidence=evidence)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"Đã gỡ tài liệu kiểm chứng “{evidence}”.")
    name = "progress:report_edit" if evidence.report_id else "progress:contribution_edit"
    return redirect(name, owner.period.public_id, owner.task.public_id)


@login_required
def export(request, public_id: str, fmt: str):
    period = _period_or_404(request.user, public_id)
    rows = period_rows(period, tasks_visible_to(request.user), timezone.localdate())
    build = export_docx if fmt == "docx" else export_xlsx
    sign = signing_from(period, request.user, request.GET)
    content, content_type = build(period, rows, sign=sign, today=timezone.localdate())
    response = FileResponse(iter([content]), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name(period, request.user, fmt)}"'
    return response
