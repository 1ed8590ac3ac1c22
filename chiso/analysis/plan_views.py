"""The checks beside a plan being written (chiso.plans.checks), with the projected total and rank
of the plan's own targets (what-if): composed here, where both the plan and the analysis are."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from chiso.plans.checks import leaf_targets, plan_checks as build_checks
from chiso.plans.policies import plans_visible_to

from .forecast import what_if


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
