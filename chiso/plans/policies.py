"""Plan scoping: a plan is read within its issuer's province (and its successors)."""
from __future__ import annotations

from django.db.models import QuerySet

from chiso.accounts.policies import can_manage_plans, oversees_province, scope_roots

from .models import Assignment, Plan, Task


def plans_visible_to(user) -> QuerySet[Plan]:
    roots = scope_roots(user)
    qs = Plan.objects.all()
    if roots is None:
        return qs
    return qs.filter(issuer__root_id__in=roots)


def tasks_visible_to(user) -> QuerySet[Task]:
    """Overseers (coordinators, leaders) read every task of the plans in their scope; officers
    and viewers the tasks where their unit has any role."""
    if not user.is_authenticated:
        return Task.objects.none()
    qs = Task.objects.filter(item__table__plan__in=plans_visible_to(user).values("pk"))
    if oversees_province(user):
        return qs
    if not user.unit_id:
        return qs.none()
    return qs.filter(pk__in=Assignment.objects.filter(unit_id=user.unit_id).values("task_id"))


def can_load_plan(user) -> bool:
    return can_manage_plans(user)


def issuer_allowed(user, issuer) -> bool:
    """A plan is written for a unit of the person's own scope (a province and the provinces merged
    into it); someone who sees everything writes any unit's."""
    roots = scope_roots(user)
    return roots is None or (issuer.root_id or issuer.pk) in roots
