"""Reads for account administration: logins locked after repeated failures."""
from __future__ import annotations

from django.conf import settings


def locked_logins():
    """Username-and-address pairs locked out now (django-axes' attempts at the failure limit,
    within the lock-out period), newest first."""
    from axes.models import AccessAttempt
    from django.utils import timezone

    qs = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if settings.AXES_COOLOFF_TIME:
        qs = qs.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return qs.order_by("-attempt_time")


def managed_units(actor):
    """The units a coordinator may put an account in: the current units of its province (every
    current unit for an administrator), the province first, then by name."""
    from chiso.units.models import Unit

    from .policies import scope_roots

    qs = Unit.objects.filter(valid_to__isnull=True)
    roots = scope_roots(actor)
    if roots is not None:
        qs = qs.filter(root_id__in=roots)
    return qs.select_related("parent").order_by("root__name", "parent_id", "name")


def managed_users(actor, *, unit=None, role: str = "", active: bool | None = None):
    """Accounts of the actor's province (every account for an administrator), with filters."""
    from .models import User
    from .policies import scope_roots

    qs = User.objects.select_related("unit")
    roots = scope_roots(actor)
    if roots is not None:
        qs = qs.filter(unit__root_id__in=roots)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if role:
        qs = qs.filter(role=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("unit__name", "full_name", "username")
