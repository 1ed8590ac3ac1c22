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
