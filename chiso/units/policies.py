"""Unit scoping: officers read their own unit; overseers read their whole province."""
from __future__ import annotations

from django.db.models import QuerySet

from chiso.accounts.policies import oversees_province, scope_roots

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
