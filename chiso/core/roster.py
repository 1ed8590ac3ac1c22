"""Reference units shipped in chiso/data/units: provinces and the standard rosters. Pure Python.

- provinces.csv: the 63 provinces and centrally-run cities before 1/7/2025 and the 34
  after the merger (Nghị quyết 202/2025/QH15). The 29 that merged away end on
  2025-06-30 and name their successor; the 11 unchanged and the 23 that absorbed
  others continue as the same unit. "Thừa Thiên Huế" is the former name of Huế (an
  alias of the same unit).
- province_agencies.csv: the standard bodies under a UBND tỉnh, with the 1/3/2025
  department mergers (valid_to 2025-02-28, successor; the new departments valid from
  2025-03-01). `{province}` stands for the province's name.
- district_offices.csv: the standard offices under a UBND huyện, all ending with the
  district level on 2025-06-30, with the 1/3/2025 office mergers (Nghị định 45/2025/NĐ-CP).

Names are written for a tỉnh; for a centrally-run city (Hà Nội, Huế, …) `agencies_for`
writes "thành phố" instead and keeps the "tỉnh" form as an alias.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .text import collapse, fold

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "units"
MERGER_DAY = dt.date(2025, 7, 1)  # Nghị quyết 202/2025/QH15 takes effect


@dataclass(frozen=True)
class ProvinceRecord:
    name: str
    kind: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor: str
    aliases: tuple[str, ...]

    @property
    def city(self) -> bool:
        """A centrally-run city (thành phố trực thuộc Trung ương)."""
        return fold(self.name).startswith("thanh pho ") or any(
            fold(a) == fold(f"Thành phố {self.name}") for a in self.aliases)

    def valid_at(self, at: dt.date) -> bool:
        return _valid(self.valid_from, self.valid_to, at)


@dataclass(frozen=True)
class AgencyTemplate:
    name: str
    short_name: str
    aliases: tuple[str, ...]
    kind: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor: str

    def valid_at(self, at: dt.date) -> bool:
        return _valid(self.valid_from, self.valid_to, at)

    @property
    def names(self) -> tuple[str, ...]:
        """Name, short name and aliases, without repeats (for matching)."""
        seen, out = set(), []
        for n in (self.name, self.short_name, *self.aliases):
            if n and fold(n) not in seen:
                seen.add(fold(n))
                out.append(n)
        return tuple(out)


def _valid(start: dt.date | None, end: dt.date | None, at: dt.date) -> bool:
    return (start is None or start <= at) and (end is None or at <= end)


def _date(text: str) -> dt.date | None:
    text = (text or "").strip()
    return dt.date.fromisoformat(text) if text else None


def _aliases(text: str) -> tuple[str, ...]:
    return tuple(collapse(a) for a in (text or "").split(";") if collapse(a))


def _rows(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=1)
def _provinces() -> tuple[ProvinceRecord, ...]:
    return tuple(
        ProvinceRecord(collapse(r["name"]), r["kind"] or "province", _date(r["valid_from"]), _date(r["valid_to"]),
                       collapse(r["successor"]), _aliases(r["aliases"]))
        for r in _rows("provinces.csv"))


def load_provinces() -> list[ProvinceRecord]:
    """Every province record, before and after the 2025 merger."""
    return list(_provinces())


def provinces_at(at: dt.date) -> list[ProvinceRecord]:
    return [p for p in _provinces() if p.valid_at(at)]


_LEVEL_PREFIX = re.compile(r"^(ubnd |uy ban nhan dan )?(tinh|thanh pho|tp\.?)\s+")


def find_province(name: str) -> ProvinceRecord | None:
    """By name or alias, ignoring case, diacritics and a leading "tỉnh"/"thành phố"/"UBND tỉnh"."""
    wanted = {fold(name), _LEVEL_PREFIX.sub("", fold(name))}
    for rec in _provinces():
        for n in (rec.name, *rec.aliases):
            if fold(n) in wanted or _LEVEL_PREFIX.sub("", fold(n)) in wanted:
                return rec
    return None


def successor_at(name: str, at: dt.date) -> ProvinceRecord | None:
    """The province that a (possibly merged-away) province's area belongs to at a date."""
    rec = find_province(name)
    seen = set()
    while rec is not None and not rec.valid_at(at) and rec.successor and rec.name not in seen:
        seen.add(rec.name)
        rec = find_province(rec.successor)
    return rec if rec is not None and rec.valid_at(at) else None


def _templates(filename: str) -> tuple[AgencyTemplate, ...]:
    return tuple(
        AgencyTemplate(collapse(r["name"]), collapse(r["short_name"]), _aliases(r["aliases"]), r["kind"],
                       _date(r["valid_from"]), _date(r["valid_to"]), collapse(r["successor"]))
        for r in _rows(filename))


@lru_cache(maxsize=1)
def _province_agencies() -> tuple[AgencyTemplate, ...]:
    return _templates("province_agencies.csv")


@lru_cache(maxsize=1)
def _district_offices() -> tuple[AgencyTemplate, ...]:
    return _templates("district_offices.csv")


def load_province_agencies() -> list[AgencyTemplate]:
    """The raw templates, with the `{province}` placeholder unexpanded."""
    return list(_province_agencies())


def load_district_offices() -> list[AgencyTemplate]:
    return list(_district_offices())


_TINH = re.compile(r"\btỉnh\b", re.IGNORECASE)


def _for_city(text: str) -> str:
    return _TINH.sub("thành phố", text)


def _expand(tpl: AgencyTemplate, fields: dict[str, str], city: bool) -> AgencyTemplate:
    def sub(s: str) -> str:
        for key, value in fields.items():
            s = s.replace("{" + key + "}", value)
        return s

    name, short = sub(tpl.name), sub(tpl.short_name)
    aliases = [sub(a) for a in tpl.aliases]
    if city and _TINH.search(name):
        aliases = [name, *(_for_city(a) for a in aliases), *aliases]
        name, short = _for_city(name), _for_city(short)
    seen, unique = {fold(name)}, []
    for a in aliases:
        if fold(a) not in seen:
            seen.add(fold(a))
            unique.append(a)
    successor = _for_city(sub(tpl.successor)) if city else sub(tpl.successor)
    return replace(tpl, name=name, short_name=short, aliases=tuple(unique), successor=successor)


def agencies_for(province_name: str, at: dt.date | None = None) -> list[AgencyTemplate]:
    """The standard bodies under the UBND of a province, `{province}` filled in.

    With `at`, only those that existed on that day (a 2024 plan gets Sở Kế hoạch và
    Đầu tư, a 2025 one Sở Tài chính); without it, every body with its dates.
    """
    rec = find_province(province_name)
    name = rec.name if rec else collapse(province_name)
    out = [_expand(t, {"province": name}, bool(rec and rec.city)) for t in _province_agencies()]
    return [t for t in out if at is None or t.valid_at(at)]


def district_offices_for(district_name: str, at: dt.date | None = None) -> list[AgencyTemplate]:
    """The standard offices under the UBND of a district (`{district}` filled in)."""
    out = [_expand(t, {"district": collapse(district_name)}, False) for t in _district_offices()]
    return [t for t in out if at is None or t.valid_at(at)]


def matcher_entries(templates) -> list[tuple[str, tuple[str, ...]]]:
    """(key, names) pairs for `chiso.core.matching.NameMatcher`; the key is the template's name."""
    return [(t.name, t.names) for t in templates]


def known_names(province_name: str | None = None, *, at: dt.date | None = None,
                district_name: str | None = None) -> list[str]:
    """Names and aliases that `split_agencies` must not break apart.

    Without a province, the templates that need the province's name are left out.
    """
    if province_name:
        templates = agencies_for(province_name, at)
    else:
        templates = [t for t in _province_agencies() if "{" not in t.name and (at is None or t.valid_at(at))]
    if district_name is not None or not province_name:
        templates += district_offices_for(district_name or "", at)
    names: list[str] = []
    for t in templates:
        names.extend(n for n in t.names if "{" not in n)
    return names
