"""What the preview shows: tables, columns, warnings, and the agency names with their matches."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from chiso.core.agencies import split_agencies, split_roles
from chiso.core.text import collapse, fold
from chiso.plans.loader import ROLE_KEYS, find_issuer, names_date, reference_agencies_load
from chiso.units.models import Unit
from chiso.units.services import UnitResolver

ROLE_LABELS = {"lead": "Chủ trì", "coordinating": "Phối hợp", "implementing": "Thực hiện",
               "monitoring": "Theo dõi", "responsible": "Trách nhiệm"}
TEXT_LABELS = {"tasks": "Nhiệm vụ, giải pháp", "reason": "Lý do bị trừ điểm", "deadline": "Thời hạn",
               "deliverable": "Sản phẩm", "note": "Ghi chú", **{k: f"Cơ quan {v.lower()}" for k, v in ROLE_LABELS.items()}}
COLUMN_LABELS = {"max_points": "Điểm tối đa", "achieved": "Điểm đạt được", "appraised": "Điểm thẩm định",
                 "deducted": "Điểm bị trừ", "target": "Mục tiêu"}


@dataclass
class AgencyRow:
    name: str
    folded: str
    count: int
    roles: list[str]
    unit: Unit | None
    method: str
    score: float
    suggestions: list[tuple[Unit, float]] = field(default_factory=list)

    @property
    def field_name(self) -> str:
        import hashlib

        return "agency-" + hashlib.sha1(self.folded.encode()).hexdigest()[:12]


@dataclass
class Preview:
    issuer: Unit | None
    issuer_text: str
    tables: list[dict]
    warnings: list[str]
    agencies: list[AgencyRow]
    groups: list[tuple[str, int]]


def _mentions(cell: str, column_role: str, known: list[str]):
    """(role, mention) of a cell: roles written in the cell ("Chủ trì: …") win over the column's."""
    for role, part in split_roles(cell):
        for mention in split_agencies(part, known_names=known):
            yield role or column_role, mention


def preview(reading: dict, issuer: Unit | None = None) -> Preview:
    """What loading would do, computed without saving: a province seen for the first time gets
    its standard agencies inside a transaction that is rolled back, exactly as the loader
    would load them, so that the matches shown are the matches loading makes."""
    meta = reading.get("document") or {}
    if issuer is None:
        issuer, _, _ = find_issuer(meta.get("issuer"))
    with transaction.atomic():
        if issuer is not None:
            reference_agencies_load(actor=None, issuer=issuer)
        result = _preview(reading, meta, issuer)
        transaction.set_rollback(True)
    return result


def _preview(reading: dict, meta: dict, issuer: Unit | None) -> Preview:
    at = names_date(reading)
    resolver = UnitResolver(issuer, at=at) if issuer else None
    known = resolver.known_names() if resolver else []
    tables = []
    names: Counter = Counter()
    roles: dict[str, set] = {}
    display: dict[str, str] = {}
    groups: Counter = Counter()
    for table in reading.get("tables") or []:
        rows = table.get("rows") or []
        text_keys = sorted({k for r in rows for k in (r.get("text") or {})})
        tables.append({
            "index": table.get("index"), "caption": table.get("caption") or "", "rows": len(rows),
            "columns": [f"{COLUMN_LABELS.get(c.get('key'), c.get('key'))} {c.get('year') or ''}".strip()
                        for c in table.get("columns") or []],
            "text_columns": [TEXT_LABELS.get(k, k) for k in text_keys], "sample": rows[:8],
        })
        for row in rows:
            for role in ROLE_KEYS:
                cell = (row.get("text") or {}).get(role)
                if not cell:
                    continue
                for mention_role, mention in _mentions(cell, role, known):
                    if mention.group:
                        groups[collapse(mention.raw)] += 1
                        continue
                    key = fold(mention.name)
                    names[key] += 1
                    display.setdefault(key, mention.name)
                    roles.setdefault(key, set()).add(ROLE_LABELS[mention_role])
    agencies = []
    for key, count in names.most_common():
        hit = resolver.resolve(display[key]) if resolver else None
        agencies.append(AgencyRow(
            name=display[key], folded=key, count=count, roles=sorted(roles[key]),
            unit=hit.unit if hit else None, method=hit.method if hit else "none",
            score=hit.score if hit else 0, suggestions=hit.suggestions if hit else [],
        ))
    return Preview(issuer=issuer, issuer_text=meta.get("issuer") or "", tables=tables,
                   warnings=list(reading.get("warnings") or []), agencies=agencies,
                   groups=groups.most_common())
