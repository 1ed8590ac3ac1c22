"""Writes to units, and resolving the agency names documents use into units."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from chiso.core.agencies import is_ministry_name
from chiso.core.matching import NameMatcher
from chiso.core.text import collapse, fold

from .models import Unit, UnitAlias, UnitKind


def guess_kind(name: str) -> str:
    folded = fold(name)
    if is_ministry_name(name):
        return UnitKind.MINISTRY
    if folded.startswith(("so ", "ban ")):
        return UnitKind.DEPARTMENT
    if folded.startswith("phong "):
        return UnitKind.DISTRICT_OFFICE
    if folded.startswith(("ubnd huyen", "uy ban nhan dan huyen", "huyen ", "thi xa ")):
        return UnitKind.DISTRICT
    if folded.startswith(("ubnd xa", "uy ban nhan dan xa", "xa ", "phuong ", "thi tran ")):
        return UnitKind.COMMUNE
    return UnitKind.OTHER


def unit_create(*, actor, name: str, kind: str, parent: Unit | None = None, short_name: str = "",
                aliases: list[str] | tuple[str, ...] = (), verified: bool = True,
                valid_from: dt.date | None = None, valid_to: dt.date | None = None, note: str = "") -> Unit:
    unit = Unit(name=collapse(name), kind=kind, parent=parent, short_name=short_name, verified=verified,
                valid_from=valid_from, valid_to=valid_to, note=note)
    unit.save()
    for alias in aliases:
        if alias and fold(alias) != fold(unit.name):
            UnitAlias.objects.get_or_create(unit=unit, folded=fold(alias), defaults={"name": alias})
    return unit


@transaction.atomic
def unit_add_alias(*, actor, unit: Unit, alias: str) -> UnitAlias:
    obj, _ = UnitAlias.objects.get_or_create(unit=unit, folded=fold(alias), defaults={"name": collapse(alias)})
    return obj


@transaction.atomic
def unit_merge(*, actor, unit: Unit, into: Unit) -> Unit:
    """An unverified unit confirmed to be an existing one: move its links, keep its name as alias."""
    from chiso.plans.models import Assignment

    Assignment.objects.filter(unit=unit).update(unit=into)
    UnitAlias.objects.get_or_create(unit=into, folded=fold(unit.name), defaults={"name": unit.name})
    for alias in unit.aliases.all():
        UnitAlias.objects.get_or_create(unit=into, folded=alias.folded, defaults={"name": alias.name})
    unit.aliases.all().delete()
    Unit.objects.filter(parent=unit).update(parent=into)
    unit.delete()
    return into


def _valid_at(unit: Unit, at: dt.date | None) -> bool:
    if at is None:
        return True
    return (unit.valid_from is None or unit.valid_from <= at) and (unit.valid_to is None or unit.valid_to >= at)


def _names(unit: Unit) -> list[str]:
    names = [unit.name] + ([unit.short_name] if unit.short_name else [])
    return names + [a.name for a in unit.aliases.all()]


@dataclass
class Resolution:
    unit: Unit | None
    method: str
    score: float
    suggestions: list[tuple[Unit, float]] = field(default_factory=list)


class UnitResolver:
    """Resolves agency names within one tree (a province, or a district's offices).

    Exact and alias matches first, then fuzzy; units valid at the document's
    date are preferred, so a 2024 plan's "Sở Kế hoạch và Đầu tư" finds the
    department that existed then, not its 2025 successor.
    """

    def __init__(self, root: Unit | None, at: dt.date | None = None):
        units = Unit.objects.prefetch_related("aliases")
        if root is not None:
            units = units.filter(Q(root=root.root_id or root.pk) | Q(pk=root.pk))
        everything = {u.public_id: u for u in units}
        self.units: dict[str, Unit] = {key: u for key, u in everything.items() if _valid_at(u, at)}
        # Units of the same tree that did not exist at the date: a document that names one
        # exactly (a plan dated only by its year, naming a department created in March)
        # means that unit, not a new one.
        self.others: dict[str, Unit] = {key: u for key, u in everything.items() if key not in self.units}
        self._other_matcher: NameMatcher | None = None  # built on the first name the valid units miss
        self._rebuild()

    def _rebuild(self) -> None:
        self.matcher = NameMatcher([(u.public_id, _names(u)) for u in self.units.values()])

    @property
    def other_matcher(self) -> NameMatcher:
        if self._other_matcher is None:
            self._other_matcher = NameMatcher([(u.public_id, _names(u)) for u in self.others.values()])
        return self._other_matcher

    def known_names(self) -> list[str]:
        names = []
        for unit in self.units.values():
            names.append(unit.name)
            names.extend(a.name for a in unit.aliases.all())
        return names

    def resolve(self, name: str) -> Resolution:
        result = self.matcher.match(name)
        if result.method not in {"exact", "alias"} and self.others:
            other = self.other_matcher.match(name)
            if other.method in {"exact", "alias"}:
                unit = self.others[other.key]
                return Resolution(unit, other.method, other.score, [(unit, other.score)])
        suggestions = [(self.units[key], score) for key, _label, score in result.suggestions if key in self.units]
        unit = self.units.get(result.key) if result.key else None
        return Resolution(unit, result.method, result.score, suggestions)

    def add(self, unit: Unit) -> None:
        self.units[unit.public_id] = unit
        self._rebuild()
