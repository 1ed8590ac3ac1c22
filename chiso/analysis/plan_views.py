"""The checks beside a plan being written (chiso.plans.checks), with the projected total and rank
of the plan's own targets (what-if): composed here, where both the plan and the analysis are; and the
plan's outcome once its year's results are in."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from chiso.accounts.policies import can_manage_plans
from chiso.plans.checks import leaf_targets, plan_checks as build_checks
from chiso.plans.policies import plans_visible_to

from .forecast import what_if
from .outcome import plan_outcome as outcome_of


def plan_projection(plan):
    """What-if of the plan's targets for its first year (None without a framework or targets)."""
    table, targets, year = leaf_targets(plan)
    if table is None or not targets:
        return None
    return what_if(plan.issuer, table.version, year, overrides=targets, saved_targets=False)


@login_required
def plan_checks(request, public_id: str):
    plan = get_object_or_404(plans_visible_to(request.user).select_related("issuer"), public_id=public_id)
    return render(request, "analysis/plan_checks.html", {
        "plan": plan, "c": build_checks(plan), "p": plan_projection(plan)})


@login_required
def plan_outcome(request, public_id: str):
    """Did the plan work? Its year against that year's results; the next plan starts here."""
    plan = get_object_or_404(plans_visible_to(request.user).select_related("issuer", "results"), public_id=public_id)
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        year = None
    return render(request, "analysis/plan_outcome.html", {
        "plan": plan, "d": outcome_of(plan, year), "can_start": can_manage_plans(request.user)})
