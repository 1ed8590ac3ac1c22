"""Template helpers of the progress pages."""
from __future__ import annotations

from django import template

from chiso.accounts.policies import oversees_province

register = template.Library()

STATE_CLASS = {"missing": "secondary", "draft": "light text-dark border", "submitted": "info", "returned": "warning",
               "accepted": "success"}
STATUS_CLASS = {"not_started": "secondary", "in_progress": "primary", "done": "success", "delayed": "warning",
                "blocked": "danger"}
STATE_LABEL = {"missing": "Chưa có báo cáo"}


@register.filter
def state_badge(state: str) -> str:
    return STATE_CLASS.get(state, "secondary")


@register.filter
def status_badge(status: str) -> str:
    return STATUS_CLASS.get(status, "secondary")


@register.filter
def opens_for(task, user) -> bool:
    """Whether the user may open the task's progress page (uses the prefetched assignments)."""
    if not user.is_authenticated:
        return False
    if oversees_province(user):
        return True
    return bool(user.unit_id) and any(a.unit_id == user.unit_id for a in task.assignments.all())


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
