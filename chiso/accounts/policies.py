"""Who may see what: the province (or ministry) trees a user's queries are scoped to."""
from __future__ import annotations

from django.http import Http404

from chiso.units.models import Unit, UnitKind

from .models import Role


def sees_everything(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return bool(user.unit_id and user.unit.kind == UnitKind.MINISTRY)


def scope_roots(user) -> set[int] | None:
    """Root unit ids a user may read; None means no limit (administrators, the ministry).

    A province's scope includes the provinces merged into it on 1/7/2025, so the
    new Lâm Đồng sees the plans that Đắk Nông issued before the merger.
    """
    if sees_everything(user):
        return None
    if not user.is_authenticated or not user.unit_id:
        return set()
    root = user.unit.root_id or user.unit_id
    # A page asks two or three times (the object, the navbar, a policy): the walk is kept on
    # the user object, which lives for one request, for the same unit.
    memo = getattr(user, "_scope_roots", None)
    if memo is not None and memo[0] == root:
        return set(memo[1])
    roots = {root}
    frontier = [root]
    while frontier:
        found = set(Unit.objects.filter(successor_id__in=frontier, parent__isnull=True).values_list("pk", flat=True))
        frontier = list(found - roots)
        roots |= found
    user._scope_roots = (root, frozenset(roots))
    return roots


def oversees_province(user) -> bool:
    """Coordinators, the province's leaders and administrators read every unit of their scope.

    A leader of a department or a commune (the person who approves that unit's self-assessment)
    leads their own unit only: another agency's objects stay hidden from them."""
    if sees_everything(user) or user.role == Role.COORDINATOR:
        return True
    return user.role == Role.LEADER and bool(user.unit_id) and user.unit.parent_id is None


def can_manage_plans(user) -> bool:
    return sees_everything(user) or user.role == Role.COORDINATOR


def require(condition: bool) -> None:
    """A hidden object answers 404, as if it did not exist."""
    if not condition:
        raise Http404
