"""Plan scoping: a plan is read within its issuer's province (and its successors)."""
from __future__ import annotations

from django.db.models import QuerySet

from chiso.accounts.models import Role
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


def can_write_plan(user, plan) -> bool:
    """Who writes a plan (drafts it, edits it, submits it, amends it): the coordinators of the
    issuer's scope (a province and the provinces merged into it) and the administrators."""
    if not getattr(user, "is_authenticated", False):
        return False
    return can_manage_plans(user) and issuer_allowed(user, plan.issuer)


def can_decide_plan(user, plan) -> bool:
    """Who returns a submitted plan or issues it: the province's leaders, and its coordinators
    (who record the number, date and signed copy once the leader has signed)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (can_manage_plans(user) or user.role == Role.LEADER) and issuer_allowed(user, plan.issuer)
