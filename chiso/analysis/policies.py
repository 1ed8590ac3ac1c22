"""Who sees and who changes results: units are read within the user's province (and its
predecessors); coordinators (and administrators) enter results, targets and tables."""
from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from chiso.accounts.policies import can_manage_plans, scope_roots
from chiso.scores.models import Assessment
from chiso.scores.policies import can_edit_results  # noqa: F401 — the analysis pages ask it here
from chiso.units.models import Unit


def units_visible_to(user) -> QuerySet[Unit]:
    roots = scope_roots(user)
    qs = Unit.objects.all()
    return qs if roots is None else qs.filter(root_id__in=roots)


def assessments_visible_to(user) -> QuerySet[Assessment]:
    roots = scope_roots(user)
    qs = Assessment.objects.all()
    return qs if roots is None else qs.filter(unit__root_id__in=roots)


def unit_or_404(user, public_id: str) -> Unit:
    return get_object_or_404(units_visible_to(user), public_id=public_id)


def assessment_or_404(user, public_id: str) -> Assessment:
    return get_object_or_404(assessments_visible_to(user).select_related("unit", "version__framework"),
                             public_id=public_id)


def can_import_tables(user) -> bool:
    return can_manage_plans(user)
