"""Loads the reference units shipped in chiso/data/units: provinces and standard rosters.

Idempotent: a unit is identified by its parent and its name, so running it again
creates nothing. A province's bodies end when the province does (its merger).
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from chiso.common.actors import by_actor
from chiso.core import roster
from chiso.core.text import fold

from .models import Unit, UnitAlias, UnitKind
from .services import require_unit_writer


def _get_or_create(*, actor, name: str, kind: str, parent: Unit | None, short_name: str = "",
                   aliases=(), valid_from=None, valid_to=None) -> tuple[Unit, bool]:
    existing = [u for u in Unit.objects.filter(parent=parent, kind=kind) if fold(u.name) == fold(name)]
    if existing:
        return existing[0], False
    unit = Unit(name=name, kind=kind, parent=parent, short_name=short_name or "",
                valid_from=valid_from, valid_to=valid_to)
    by_actor(unit, actor).save()
    for alias in aliases:
        if alias and fold(alias) != fold(name):
            UnitAlias.objects.get_or_create(unit=unit, folded=fold(alias), defaults={"name": alias})
    return unit, True


@transaction.atomic
def provinces_load(*, actor=None) -> int:
    """The 63 provinces before 1/7/2025; the 29 merged away end then, with their successor."""
    require_unit_writer(actor, None)
    created = 0
    records = roster.load_provinces()
    units = {}
    for rec in records:
        unit, new = _get_or_create(actor=actor, name=rec.name, kind=UnitKind.PROVINCE, parent=None, aliases=rec.aliases,
                                   valid_from=rec.valid_from, valid_to=rec.valid_to)
        units[rec.name] = unit
        created += new
    for rec in records:
        if rec.successor and units[rec.name].successor_id is None:
            Unit.objects.filter(pk=units[rec.name].pk).update(successor=units[rec.successor])
    return created


def province(name: str) -> Unit:
    matches = [u for u in Unit.objects.filter(kind=UnitKind.PROVINCE, parent=None) if fold(u.name) == fold(name)]
    if not matches:
        raise Unit.DoesNotExist(f"Không có tỉnh {name}")
    return matches[0]


def _capped(valid_to: dt.date | None, owner_end: dt.date | None) -> dt.date | None:
    if owner_end is None:
        return valid_to
    return min(valid_to, owner_end) if valid_to else owner_end


@transaction.atomic
def agencies_load(*, actor=None, owner: Unit, templates) -> int:
    """Standard bodies under a province or district, with their 2025 successors linked."""
    require_unit_writer(actor, owner)
    created = 0
    by_name: dict[str, Unit] = {}
    for tpl in templates:
        if owner.valid_to and tpl.valid_from and tpl.valid_from > owner.valid_to:
            continue  # the owner had ended before this body was created
        unit, new = _get_or_create(
            actor=actor, name=tpl.name, kind=tpl.kind, parent=owner, short_name=tpl.short_name, aliases=tpl.aliases,
            valid_from=tpl.valid_from, valid_to=_capped(tpl.valid_to, owner.valid_to),
        )
        by_name[fold(tpl.name)] = unit
        created += new
    for tpl in templates:
        unit = by_name.get(fold(tpl.name))
        successor = by_name.get(fold(tpl.successor)) if tpl.successor else None
        if unit and successor and unit.successor_id is None:
            Unit.objects.filter(pk=unit.pk).update(successor=successor)
    return created


def province_agencies_load(*, actor=None, province_name: str) -> int:
    owner = province(province_name)
    return agencies_load(actor=actor, owner=owner, templates=roster.agencies_for(owner.name))


def district_load(*, actor=None, province_name: str, district_name: str) -> tuple[Unit, int]:
    """A district (abolished 1/7/2025) with its standard offices."""
    owner = province(province_name)
    require_unit_writer(actor, owner)
    district, _ = _get_or_create(actor=actor, name=district_name, kind=UnitKind.DISTRICT, parent=owner,
                                 valid_to=dt.date(2025, 6, 30))
    return district, agencies_load(actor=actor, owner=district, templates=roster.district_offices_for(district_name))
