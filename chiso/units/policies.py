"""Unit scoping: officers read their own unit; overseers read their whole province."""
from __future__ import annotations

from django.db.models import QuerySet

from chiso.accounts.policies import can_manage_plans, oversees_province, scope_roots

from .models import Unit


def units_visible_to(user) -> QuerySet[Unit]:
    roots = scope_roots(user)
    qs = Unit.objects.all()
    if roots is None:
        return qs
    if oversees_province(user):
        return qs.filter(root_id__in=roots)
    if not user.unit_id:
        return qs.none()
    return qs.filter(pk=user.unit_id)


def can_write_unit(user, unit: Unit | None) -> bool:
    """Coordinators and administrators add and correct the units of their own scope (the
    agencies a plan names); a unit at the top of a tree (a province, a ministry: `unit` None)
    only someone who sees everything."""
    if not can_manage_plans(user):
        return False
    roots = scope_roots(user)
    return roots is None or (unit is not None and (unit.root_id or unit.pk) in roots)
