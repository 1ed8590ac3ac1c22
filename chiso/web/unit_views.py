"""The units pages (a unit's tasks come from the plans, so they live above both apps)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from chiso.plans.selectors import unit_assignments
from chiso.units.policies import units_visible_to


@login_required
def unit_list(request):
    units = units_visible_to(request.user).select_related("parent", "successor").order_by("root__name", "kind", "name")
    return render(request, "units/unit_list.html", {"units": units})


@login_required
def unit_detail(request, public_id: str):
    unit = get_object_or_404(
        units_visible_to(request.user).select_related("parent", "successor").prefetch_related("aliases"),
        public_id=public_id,
    )
    assignments = unit_assignments(unit)
    lead = [a for a in assignments if a.role == "lead"]
    other = [a for a in assignments if a.role != "lead"]
    return render(request, "units/unit_detail.html", {"unit": unit, "lead": lead, "other": other})
