"""Small helpers of the plan editor's templates."""
from django import template

from chiso.plans.models import AssignmentRole
from chiso.plans.services import EDITABLE_ROLES

register = template.Library()


@register.filter
def has_lead(task) -> bool:
    """Whether a task has a lead agency (from its prefetched assignments)."""
    return any(a.role in {AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE} for a in task.assignments.all())


@register.simple_tag
def editable_roles():
    """(value, label) of the roles an agency is given on a task while writing a plan."""
    return [(role.value, role.label) for role in EDITABLE_ROLES]
