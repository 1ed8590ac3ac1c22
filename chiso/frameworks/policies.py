"""Who reads which framework: the national frameworks are everyone's; a province's own
framework (owned by a unit) is read within that province's scope. Loading a national
framework version is for chiso itself and for someone who sees everything."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from chiso.accounts.policies import scope_roots, sees_everything

from .models import Framework, FrameworkVersion


def _visible(user, owner_field: str) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    roots = scope_roots(user)
    if roots is None:
        return Q()
    return Q(**{f"{owner_field}__isnull": True}) | Q(**{f"{owner_field}__root_id__in": roots}) \
        | Q(**{f"{owner_field}_id__in": roots})


def frameworks_visible_to(user) -> QuerySet[Framework]:
    return Framework.objects.filter(_visible(user, "owner"))


def versions_visible_to(user) -> QuerySet[FrameworkVersion]:
    return FrameworkVersion.objects.filter(_visible(user, "framework__owner"))


def can_load_national_framework(user) -> bool:
    return sees_everything(user)
