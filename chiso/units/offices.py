"""Units as the issuing offices of official documents (chiso.core.signing): the unit with the
bodies above it, and the home-affairs office that compiles the reports on a government's plan."""
from __future__ import annotations

from chiso.core.signing import Office

from .models import Unit, UnitKind

HOME_AFFAIRS = {UnitKind.PROVINCE: "Sở Nội vụ", UnitKind.DISTRICT: "Phòng Nội vụ"}


def office_of(unit: Unit) -> Office:
    """The unit and its parents (a handful of queries at most: trees are 3 levels deep)."""
    chain = []
    node = unit
    while node is not None and len(chain) < 6:
        chain.append(node)
        node = node.parent if node.parent_id else None
    office = None
    for u in reversed(chain):
        office = Office(kind=u.kind, name=u.name, short_name=u.short_name, parent=office)
    return office


def home_affairs_of(government: Unit) -> Unit | None:
    """The office that follows a government's plan: its Sở Nội vụ (Phòng Nội vụ of a district,
    else the province's), or, after the 2025 merger, the successor province's."""
    node = government
    while node is not None:
        name = HOME_AFFAIRS.get(node.kind)
        if name:
            found = Unit.objects.filter(parent=node, name__iexact=name, valid_to__isnull=True).first()
            if found is not None:
                return found
            if node.successor_id and node.kind == UnitKind.PROVINCE:
                return home_affairs_of(node.successor)
        node = node.parent if node.parent_id else None
    return None
