"""Who may do what on tasks and their reports.

Reading: administrators and the province's overseers (coordinator, leader) read
every task of the plans in their scope; officers and viewers read the tasks where
their unit has any role. Writing: the officers of a lead unit write the report,
officers of a coordinating (or implementing) unit add a contribution, the
coordinator opens periods and reviews. The coordinator's own department (the Sở Nội
vụ) also leads tasks, so its coordinators act for it as its officers do: they write
its reports and contributions. Leaders and viewers change nothing.

A task the user cannot read answers 404; a task they read but may not change, 403.
"""
from __future__ import annotations


from chiso.accounts.models import Role
from chiso.accounts.policies import can_manage_plans, oversees_province
from chiso.common.errors import require_permission  # noqa: F401 (the views' and services' 403)
from chiso.plans.models import Assignment, AssignmentRole, Plan, Task
from chiso.plans.policies import issuer_allowed, plans_visible_to, tasks_visible_to  # noqa: F401 (read by the views)

CONTRIBUTING_ROLES = {AssignmentRole.COORDINATING, AssignmentRole.IMPLEMENTING, AssignmentRole.RESPONSIBLE}


def unit_roles(user, task: Task) -> set[str]:
    """The roles the user's unit holds on the task."""
    if not user.is_authenticated or not user.unit_id:
        return set()
    return set(Assignment.objects.filter(task=task, unit_id=user.unit_id).values_list("role", flat=True))


# Roles that act for their own unit on its tasks: officers, and coordinators (their unit is an agency too).
ACTS_FOR_UNIT = {Role.OFFICER, Role.COORDINATOR}


def acts_for_unit(user) -> bool:
    """Whether the user writes their unit's reports and contributions (not leaders, viewers, admins)."""
    return bool(user.is_authenticated and user.unit_id and user.role in ACTS_FOR_UNIT)


def can_write_report(user, roles: set[str]) -> bool:
    return acts_for_unit(user) and AssignmentRole.LEAD in roles


def can_contribute(user, roles: set[str]) -> bool:
    return acts_for_unit(user) and AssignmentRole.LEAD not in roles and bool(roles & CONTRIBUTING_ROLES)


def can_review(user, plan: Plan | None = None) -> bool:
    """Coordinators review reports; given the plan, only a plan of their own scope."""
    return user.is_authenticated and can_manage_plans(user) and (plan is None or issuer_allowed(user, plan.issuer))


def can_open_period(user, plan: Plan | None = None) -> bool:
    return can_review(user, plan)


def sees_plan_dashboard(user) -> bool:
    return user.is_authenticated and oversees_province(user)


def visible_plan_or_404(user, public_id: str) -> Plan:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(plans_visible_to(user).select_related("issuer"), public_id=public_id)
