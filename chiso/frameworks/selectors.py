"""Reads of frameworks."""
from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from .models import Criterion, Framework, FrameworkVersion


def framework_list(frameworks: QuerySet[Framework]) -> QuerySet[Framework]:
    """The given frameworks (chiso.frameworks.policies.frameworks_visible_to) with their versions."""
    return frameworks.prefetch_related(
        Prefetch("versions", queryset=FrameworkVersion.objects.annotate(n_criteria=Count("criteria")))
    )


def version_for(index: str, year: int) -> FrameworkVersion | None:
    """The national framework version of an index that applies to results of `year`."""
    candidates = (
        FrameworkVersion.objects.filter(framework__index=index, framework__owner__isnull=True)
        .select_related("framework")
        .order_by("-first_year")
    )
    for version in candidates:
        if version.covers(year):
            return version
    return None


def criteria_of(version: FrameworkVersion) -> list[Criterion]:
    return list(version.criteria.order_by("position"))
