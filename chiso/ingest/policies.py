"""Uploads: coordinators and administrators upload; an upload is seen only by its uploader."""
from __future__ import annotations

from django.db.models import QuerySet

from chiso.accounts.policies import can_manage_plans, scope_roots, sees_everything
from chiso.units.models import Unit

from .models import Upload


def can_upload(user) -> bool:
    return can_manage_plans(user)


def uploads_visible_to(user) -> QuerySet[Upload]:
    if sees_everything(user):
        return Upload.objects.all()
    return Upload.objects.filter(uploaded_by=user)


def issuers_choosable_by(user) -> QuerySet[Unit]:
    """Units a plan may be attached to: the province, its districts and communes in scope."""
    roots = scope_roots(user)
    qs = Unit.objects.filter(kind__in=["province", "district", "commune", "ministry"])
    return qs if roots is None else qs.filter(root_id__in=roots)
