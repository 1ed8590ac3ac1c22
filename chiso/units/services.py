"""Writes to units, and resolving the agency names documents use into units."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q

from chiso.common.actors import by_actor
from chiso.common.errors import ServiceError, require_permission
from chiso.core.agencies import is_ministry_name
from chiso.core.matching import NameMatcher
from chiso.core.text import collapse, fold

from .models import Unit, UnitAlias, UnitKind
from .policies import can_write_unit

if TYPE_CHECKING:
    from chiso.accounts.models import User


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


def require_unit_writer(actor: User | None, unit: Unit | None) -> None:
    """`unit` is the unit changed, or the parent of a new one (None: a new top-level unit)."""
    if actor is not None:
        where = f"các đơn vị thuộc {unit.name}" if unit is not None else "đơn vị cấp tỉnh, bộ, ngành"
        require_permission(can_write_unit(actor, unit), f"Tài khoản không có quyền thêm, sửa {where}.")


@transaction.atomic
def unit_create(*, actor: User | None, name: str, kind: str, parent: Unit | None = None, short_name: str = "",
                aliases: list[str] | tuple[str, ...] = (), verified: bool = True,
                valid_from: dt.date | None = None, valid_to: dt.date | None = None, note: str = "") -> Unit:
    require_unit_writer(actor, parent)
    unit = Unit(name=collapse(name), kind=kind, parent=parent, short_name=short_name, verified=verified,
                valid_from=valid_from, valid_to=valid_to, note=note)
    by_actor(unit, actor).save()
    for alias in aliases:
        if alias and fold(alias) != fold(unit.name):
            UnitAlias.objects.get_or_create(unit=unit, folded=fold(alias), defaults={"name": alias})
    return unit


@transaction.atomic
def unit_add_alias(*, actor: User | None, unit: Unit, alias: str) -> UnitAlias:
    require_unit_writer(actor, unit)
    obj, _ = UnitAlias.objects.get_or_create(unit=unit, folded=fold(alias), defaults={"name": collapse(alias)})
    return obj


@transaction.atomic
def unit_merge(*, actor: User | None, unit: Unit, into: Unit) -> Unit:
    """An unverified unit confirmed to be an existing one: everything that points at it (tasks'
    assignments, plans, results, users, child units …) moves to `into`; its names become aliases."""
    require_unit_writer(actor, unit)
    require_unit_writer(actor, into)
    if unit.pk == into.pk:
        raise ServiceError(f"Không gộp được {unit.name} vào chính nó.")
    # every foreign key to Unit, whichever app holds it (units does not import the apps above
    # it); history keeps the name it had
    for relation in Unit._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and relation.one_to_many) or relation.related_model is UnitAlias \
                or hasattr(relation.related_model, "instance_type"):
            continue
        model, name = relation.related_model, relation.field.name
        if model is Unit and name == "root":
            Unit.objects.filter(root=unit).update(root=into.root_id or into.pk)
            continue
        try:
            with transaction.atomic():
                model._base_manager.filter(**{name: unit}).update(**{name: into})
        except IntegrityError:
            raise ServiceError(f"Không gộp được {unit.name} vào {into.name}: cả hai đã có "
                               f"{model._meta.verbose_name_plural} trùng nhau, hãy xử lý trước.") from None
    UnitAlias.objects.get_or_create(unit=into, folded=fold(unit.name), defaults={"name": unit.name})
    for alias in unit.aliases.all():
        UnitAlias.objects.get_or_create(unit=into, folded=alias.folded, defaults={"name": alias.name})
    unit.aliases.all().delete()
    by_actor(unit, actor).delete()
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
