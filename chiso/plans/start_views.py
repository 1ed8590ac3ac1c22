"""Starting a plan: from a unit's results, from last year's plan, or blank on a framework."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from chiso.accounts.policies import can_manage_plans, scope_roots
from chiso.common.errors import ServiceError, require_permission
from chiso.frameworks.policies import versions_visible_to
from chiso.scores.models import Assessment
from chiso.units.models import Unit, UnitKind

from . import services
from .models import PlanState
from .policies import plans_visible_to
from .services.loading import NOT_A_LOADER

ISSUER_KINDS = [UnitKind.PROVINCE, UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE]


def _in_scope(qs, user, field: str):
    roots = scope_roots(user)
    return qs if roots is None else qs.filter(**{f"{field}__in": roots})


def _year(value, default=None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def new(request):
    user = request.user
    require_permission(can_manage_plans(user), NOT_A_LOADER)
    assessments = (_in_scope(Assessment.objects.all(), user, "unit__root_id").filter(scores__score__isnull=False)
                   .distinct().select_related("unit", "version__framework").order_by("-year", "unit__name")[:300])
    plans = (plans_visible_to(user).filter(state=PlanState.ISSUED).select_related("issuer")
             .order_by("-first_year", "issuer__name")[:300])
    issuers = (_in_scope(Unit.objects.filter(kind__in=ISSUER_KINDS), user, "root_id").select_related("parent")
               .order_by("kind", "name")[:1000])
    versions = versions_visible_to(user).select_related("framework").order_by("framework__index", "-first_year")
    return render(request, "plans/plan_new.html", {
        "assessments": assessments, "plans": plans, "issuers": issuers, "versions": versions,
        "chosen_results": request.GET.get("ket-qua", ""), "chosen_plan": request.GET.get("ke-hoach", ""),
        "next_year": timezone.localdate().year + 1,
    })


def _started(request, plan):
    messages.success(request, f"Đã lập dự thảo “{plan.title}”. Viết nhiệm vụ, cơ quan chủ trì, thời hạn cho từng dòng; "
                              "các điểm cần xem lại hiện ở cột bên phải.")
    return redirect("plans:edit", plan.public_id)


def _refused(request, error: ServiceError, query: str = ""):
    messages.error(request, " ".join([error.message, *error.details]))
    return redirect(reverse("plans:new") + query)


@login_required
@require_POST
def from_results(request):
    require_permission(can_manage_plans(request.user), NOT_A_LOADER)
    assessment = get_object_or_404(_in_scope(Assessment.objects.select_related("unit", "version"), request.user,
                                             "unit__root_id"), public_id=request.POST.get("results", ""))
    try:
        plan = services.plan_start_from_results(actor=request.user, assessment=assessment,
                                                first_year=_year(request.POST.get("year")))
    except ServiceError as error:
        return _refused(request, error, f"?ket-qua={assessment.public_id}")
    return _started(request, plan)


@login_required
@require_POST
def from_plan(request):
    require_permission(can_manage_plans(request.user), NOT_A_LOADER)
    previous = get_object_or_404(plans_visible_to(request.user).select_related("issuer"),
                                 public_id=request.POST.get("plan", ""))
    try:
        plan = services.plan_start_from_plan(actor=request.user, previous=previous,
                                             first_year=_year(request.POST.get("year")))
    except ServiceError as error:
        return _refused(request, error, f"?ke-hoach={previous.public_id}")
    return _started(request, plan)


@login_required
@require_POST
def blank(request):
    user = request.user
    require_permission(can_manage_plans(user), NOT_A_LOADER)
    issuer = get_object_or_404(_in_scope(Unit.objects.all(), user, "root_id"), public_id=request.POST.get("issuer", ""))
    version = get_object_or_404(versions_visible_to(user).select_related("framework"),
                                public_id=request.POST.get("version", ""))
    first_year = _year(request.POST.get("year"))
    try:
        if first_year is None:
            raise ServiceError("Cần ghi năm của kế hoạch.")
        plan = services.plan_start_blank(actor=user, issuer=issuer, version=version, first_year=first_year,
                                         last_year=_year(request.POST.get("last_year"), first_year))
    except ServiceError as error:
        return _refused(request, error)
    return _started(request, plan)
