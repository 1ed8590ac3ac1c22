"""Who writes results and who reads and replaces results tables: the scores app owns them, so
the analysis pages, the document uploads (ingest) and the surveys ask here.

`actor` None is chiso itself (commands, bundled data, background jobs): always allowed. A
request never passes None (an anonymous one is an AnonymousUser, refused by every check).
"""
from __future__ import annotations

from django.db.models import Q, QuerySet

from chiso.accounts.models import Role
from chiso.accounts.policies import can_manage_plans, scope_roots, sees_everything

from .models import ResultsTable

NATIONAL_ONLY = "Chỉ tài khoản cấp quốc gia (Bộ Nội vụ, quản trị) được thay bảng kết quả quốc gia."


def can_edit_results(user) -> bool:
    """Entering results, inputs and targets of units in one's scope: coordinators and administrators."""
    return can_manage_plans(user)


def may_write_results(actor, unit) -> bool:
    """Results, targets and raw inputs of `unit`: coordinators and administrators whose scope holds it."""
    if actor is None:
        return True
    if not actor.is_authenticated or not can_manage_plans(actor):
        return False
    roots = scope_roots(actor)
    return roots is None or (unit.root_id or unit.pk) in roots


def may_replace_national_tables(actor) -> bool:
    """The national tables every province reads: national scope, and a role that manages."""
    if actor is None:
        return True
    return (actor.is_authenticated and sees_everything(actor)
            and (actor.is_superuser or actor.role in {Role.ADMIN, Role.COORDINATOR}))


def tables_visible_to(user) -> QuerySet[ResultsTable]:
    """National tables for everyone signed in; private ones within their province."""
    if not user.is_authenticated:
        return ResultsTable.objects.none()
    roots = scope_roots(user)
    if roots is None:
        return ResultsTable.objects.all()
    return ResultsTable.objects.filter(Q(owner__isnull=True) | Q(owner_id__in=roots))


def may_write_table(actor, table: ResultsTable) -> bool:
    if table.owner_id is None:
        return may_replace_national_tables(actor)
    return may_write_results(actor, table.owner)


def private_owner(actor):
    """The province whose private tables `actor` keeps (its root unit), or None."""
    if actor is None or not actor.is_authenticated or not actor.unit_id:
        return None
    unit = actor.unit
    return unit.root if unit.root_id else unit
