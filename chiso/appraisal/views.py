"""The coordinator's pages (framework builder, cycle opening, council, survey points, publication),
the start page of every role, and the results with the heat map."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from chiso.accounts.models import User
from chiso.common.errors import ServiceError, require_permission
from chiso.frameworks.models import Criterion, Method
from chiso.units.models import Unit, UnitKind

from . import selectors, services, workbooks
from .heatmap import heat_svg
from .models import INTERNAL_GROUPS, CouncilMember, Cycle, CycleState, InternalFramework, Sheet, UnitGroup
from .policies import (cycles_visible_to, frameworks_visible_to, manages, oversees, seat, sees_results, sheet_access,
                       visible_cycle_or_404)
from .sheet_views import error_list, parse_date, parse_points, parse_version


def _framework(user, public_id: str) -> InternalFramework:
    """Every user of the province reads its frameworks (the units score against them)."""
    fw = frameworks_visible_to(user).filter(public_id=public_id).first()
    if fw is None:
        raise Http404
    return fw


def _managed_framework(user, public_id: str) -> InternalFramework:
    fw = _framework(user, public_id)
    require_permission(manages(user, fw.province_id))
    return fw


def _back_to(fw: InternalFramework):
    return redirect("appraisal:framework", fw.public_id)


def _flash(request, error: ServiceError) -> None:
    messages.error(request, " ".join(error_list(error)))


@login_required
def home(request):
    user = request.user
    province = user.unit.root if user.unit_id else None
    cycles = list(cycles_visible_to(user).order_by("-framework__year", "framework__group"))
    my_sheets = list(Sheet.objects.filter(unit_id=user.unit_id).select_related("cycle", "cycle__framework")
                     .order_by("-cycle__framework__year")) if user.unit_id else []
    seats = list(CouncilMember.objects.filter(user=user).select_related("cycle"))
    may_manage = province is not None and manages(user, province.pk)
    frameworks = list(frameworks_visible_to(user).filter(province=province).exclude(group=UnitGroup.PROVINCE)) \
        if may_manage else []
    year = timezone.localdate().year
    # the province's own self-assessment toward the ministry: the sheets this user's unit gathers evidence for
    national = [s for s in Sheet.objects.filter(cycle__framework__group=UnitGroup.PROVINCE, cycle__state=CycleState.OPEN,
                                                unit_id=province.pk if province else None)
                .select_related("cycle__framework", "unit") if sheet_access(user, s).contribute] \
        if province is not None and user.unit_id != province.pk and not may_manage else []
    return render(request, "appraisal/home.html", {
        "cycles": cycles, "my_sheets": my_sheets, "seats": seats, "frameworks": frameworks, "may_manage": may_manage,
        "groups": [(v, label) for v, label in UnitGroup.choices if v in INTERNAL_GROUPS], "year": year,
        "national_sheets": national, "national_versions": list(selectors.national_versions(year)) if may_manage else [],
        "date_fields": DATE_FIELDS})


@login_required
@require_POST
def framework_new(request):
    user = request.user
    province = user.unit.root if user.unit_id else None
    require_permission(province is not None and manages(user, province.pk))
    try:
        year = int(request.POST.get("year") or 0)
        source_id = request.POST.get("copy_of", "")
        if source_id:
            fw = services.framework_copy(actor=user, source=_framework(user, source_id), year=year)
        else:
            fw = services.framework_create(actor=user, province=province, group=request.POST.get("group", ""), year=year)
    except ValueError:
        messages.error(request, "Năm đánh giá phải là một số, ví dụ 2026.")
        return redirect("appraisal:home")
    except ServiceError as error:
        _flash(request, error)
        return redirect("appraisal:home")
    return _back_to(fw)


@login_required
def framework(request, public_id: str):
    fw = _framework(request.user, public_id)
    criteria = list(fw.version.criteria.select_related("internal").order_by("position"))
    base = fw.based_on
    return render(request, "appraisal/framework.html", {
        "fw": fw, "criteria": criteria, "locked": services.in_use(fw), "may_manage": manages(request.user, fw.province_id),
        "differences": selectors.framework_differences(base.version, fw.version) if base else [],
        "methods": [(v, label) for v, label in Method.choices], "kinds": UnitKind.choices,
        "cycle": fw.cycles.first(), "edit": request.GET.get("sua", "")})


def _criterion_input(post) -> services.CriterionInput:
    return services.CriterionInput(
        code=post.get("code", ""), name=post.get("name", ""),
        max_points=parse_points(post.get("max_points"), "Điểm tối đa"), method=post.get("method", "appraisal"),
        guidance=post.get("guidance", ""), evidence_required=post.get("evidence_required") == "1",
        unit_kinds=post.getlist("unit_kinds"), rule=post.get("rule", ""), inputs=post.get("inputs", ""))


@login_required
@require_POST
def criterion_save(request, public_id: str):
    fw = _managed_framework(request.user, public_id)
    code = request.POST.get("editing", "")
    criterion = get_object_or_404(Criterion, version=fw.version, code=code) if code else None
    try:
        saved = services.criterion_save(actor=request.user, framework=fw, criterion=criterion,
                                        data=_criterion_input(request.POST),
                                        version=parse_version(request.POST.get("version")))
    except ServiceError as error:
        _flash(request, error)
    else:
        messages.success(request, f"Đã lưu tiêu chí {saved.code}.")
    return _back_to(fw)


@login_required
def criteria_template(request, public_id: str):
    """The Excel template of a criteria set: its columns, two example rows and the instructions."""
    fw = _managed_framework(request.user, public_id)
    content, ctype = workbooks.criteria_template(fw, services.criterion_inputs(fw.version))
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="mau-bo-chi-so-{fw.year}-{fw.group}.xlsx"'
    return response


@login_required
@require_POST
def criteria_import(request, public_id: str):
    """A filled template: every row added, or none (each problem names its line)."""
    fw = _managed_framework(request.user, public_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ServiceError("Chưa chọn tệp Excel bộ chỉ số.")
        rows = workbooks.read_criteria(upload)
        n = services.criteria_import(actor=request.user, framework=fw, rows=rows,
                                     version=parse_version(request.POST.get("version")))
    except ServiceError as error:
        for line in error_list(error):
            messages.error(request, line)
    else:
        messages.success(request, f"Đã nhập {n} lĩnh vực, tiêu chí từ {upload.name}.")
    return _back_to(fw)


@login_required
@require_POST
def criterion_remove(request, public_id: str, code: str):
    fw = _managed_framework(request.user, public_id)
    criterion = get_object_or_404(Criterion, version=fw.version, code=code)
    try:
        services.criterion_remove(actor=request.user, framework=fw, criterion=criterion,
                                  version=parse_version(request.POST.get("version")))
    except ServiceError as error:
        _flash(request, error)
    else:
        messages.success(request, f"Đã xoá tiêu chí {code} và các tiêu chí con.")
    return _back_to(fw)


@login_required
@require_POST
def framework_revise(request, public_id: str):
    fw = _managed_framework(request.user, public_id)
    new = services.framework_copy(actor=request.user, source=fw)
    messages.success(request, f"Đã tạo {new}: sửa ở bản này, bản đang dùng giữ nguyên.")
    return _back_to(new)


@login_required
@require_POST
def thresholds(request, public_id: str):
    fw = _managed_framework(request.user, public_id)
    try:
        scale = [(parse_points(b, "Ngưỡng"), (label or "").strip())
                 for b, label in zip(request.POST.getlist("bound"), request.POST.getlist("label")) if b or label]
        if any(b is None for b, _ in scale):
            raise ServiceError("Mỗi mức xếp loại cần có ngưỡng (điểm chỉ số tối thiểu).")
        services.thresholds_save(actor=request.user, framework=fw, thresholds=scale,
                                 version=parse_version(request.POST.get("version")))
    except ServiceError as error:
        _flash(request, error)
    else:
        messages.success(request, "Đã lưu thang xếp loại.")
    return _back_to(fw)


@login_required
@require_POST
def cycle_open(request, public_id: str):
    fw = _managed_framework(request.user, public_id)
    try:
        dates = services.CycleDates(*(parse_date(request.POST.get(k), label) for k, label in DATE_FIELDS))
        cycle = services.cycle_open(actor=request.user, framework=fw, name=request.POST.get("name", ""), dates=dates)
    except ServiceError as error:
        _flash(request, error)
        return _back_to(fw)
    messages.success(request, f"Đã mở {cycle.name}: {cycle.sheets.count()} đơn vị tự đánh giá đến "
                              f"{cycle.self_due:%d/%m/%Y}.")
    return redirect("appraisal:cycle", cycle.public_id)


DATE_FIELDS = [("self_due", "Hạn tự đánh giá"), ("appraisal_due", "Hạn thẩm định"),
               ("explanation_due", "Hạn giải trình"), ("publish_on", "Ngày công bố")]


@login_required
def cycle(request, public_id: str):
    c = visible_cycle_or_404(request.user, public_id)
    province_id = c.framework.province_id
    if c.framework.is_national:  # one sheet, the province's: no council, no ranking
        return redirect("appraisal:sheet", c.sheets.get().public_id)
    member = seat(request.user, c)
    may_manage = manages(request.user, province_id)
    if not (oversees(request.user, province_id) or member or c.state == CycleState.PUBLISHED):
        mine = c.sheets.filter(unit_id=request.user.unit_id).first()
        if mine is None:
            raise Http404
        return redirect("appraisal:sheet", mine.public_id)
    if member is not None and not member.is_lead and not oversees(request.user, province_id):
        sheets = list(selectors.sheets_for_member(member))
    else:
        sheets = list(c.sheets.select_related("unit"))
    return render(request, "appraisal/cycle.html", {
        "c": c, "sheets": sheets, "member": member, "may_manage": may_manage,
        "members": list(c.members.select_related("user__unit").prefetch_related("units")) if may_manage else [],
        "people": list(User.objects.filter(unit__root_id=province_id, is_active=True).select_related("unit")
                       .order_by("unit__name", "username")) if may_manage else [],
        "units": list(Unit.objects.filter(pk__in=c.sheets.values("unit_id")).order_by("name")) if may_manage else [],
        "fields": selectors.fields_of(c.framework.version), "date_fields": DATE_FIELDS,
        "sees_results": sees_results(request.user, c)})


def _managed_cycle(user, public_id: str) -> Cycle:
    c = visible_cycle_or_404(user, public_id)
    require_permission(manages(user, c.framework.province_id))
    return c


@login_required
@require_POST
def cycle_dates(request, public_id: str):
    c = _managed_cycle(request.user, public_id)
    try:
        dates = services.CycleDates(*(parse_date(request.POST.get(k), label) for k, label in DATE_FIELDS))
        services.cycle_dates_save(actor=request.user, cycle=c, dates=dates,
                                  version=parse_version(request.POST.get("version")))
    except ServiceError as error:
        _flash(request, error)
    else:
        messages.success(request, "Đã lưu các mốc thời gian.")
    return redirect("appraisal:cycle", c.public_id)


@login_required
@require_POST
def council(request, public_id: str):
    c = _managed_cycle(request.user, public_id)
    person = User.objects.filter(public_id=request.POST.get("user", ""), unit__root_id=c.framework.province_id).first()
    try:
        if person is None:
            raise ServiceError("Chọn một người của tỉnh để phân công.")
        units = list(Unit.objects.filter(public_id__in=request.POST.getlist("units")))
        services.council_member_set(actor=request.user, cycle=c, user=person, is_lead=request.POST.get("is_lead") == "1",
                                    fields=request.POST.getlist("fields"), units=units)
    except ServiceError as error:
        _flash(request, error)
    else:
        messages.success(request, f"Đã phân công {person.display_name}.")
    return redirect("appraisal:cycle", c.public_id)


@login_required
@require_POST
def council_remove(request, public_id: str, member_id: str):
    c = _managed_cycle(request.user, public_id)
    member = get_object_or_404(CouncilMember, cycle=c, public_id=member_id)
    services.council_member_remove(actor=request.user, member=member)
    messages.success(request, f"Đã bỏ phân công {member.user.display_name}.")
    return redirect("appraisal:cycle", c.public_id)


@login_required
@require_POST
def publish(request, public_id: str):
    c = _managed_cycle(request.user, public_id)
    try:
        services.cycle_publish(actor=request.user, cycle=c, decision_number=request.POST.get("decision_number", ""),
                               version=parse_version(request.POST.get("version")))
    except ServiceError as error:
        _flash(request, error)
        return redirect("appraisal:cycle", c.public_id)
    messages.success(request, f"Đã công bố kết quả {c.name}.")
    return redirect("appraisal:results", c.public_id)


@login_required
def results(request, public_id: str):
    c = visible_cycle_or_404(request.user, public_id)
    if not sees_results(request.user, c):
        raise Http404
    lines = selectors.results(c)
    fields = selectors.fields_of(c.framework.version)
    gap = reverse("analysis:gap", args=["0ID0"])  # reversed once, not once per unit
    for line in lines:
        line.gap_href = gap.replace("0ID0", line.sheet.results.public_id) if line.sheet.results_id else ""
    return render(request, "appraisal/results.html", {
        "c": c, "lines": lines, "fields": fields,
        "heat": heat_svg(lines, fields, title=f"Chỉ số từng lĩnh vực (%) — {c.name}"),
        "may_manage": manages(request.user, c.framework.province_id)})
