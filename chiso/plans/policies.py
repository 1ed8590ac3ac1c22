"""Plan scoping: a plan is read within its issuer's province (and its successors)."""
from __future__ import annotations

from django.db.models import QuerySet

from chiso.accounts.policies import can_manage_plans, scope_roots

from .models import Plan


def plans_visible_to(user) -> QuerySet[Plan]:
    roots = scope_roots(user)
    qs = Plan.objects.all()
    if roots is None:
        return qs
    return qs.filter(issuer__root_id__in=roots)


def can_load_plan(user) -> bool:
    return can_manage_plans(user)
