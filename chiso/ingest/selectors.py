"""What the preview shows: tables, columns, warnings, and the agency names with their matches."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from chiso.core.agencies import split_agencies, split_roles
from chiso.core.numbers import as_decimal, format_decimal
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


@dataclass
class ReviewCell:
    field: str
    text: str
    why: str = ""


@dataclass
class ReviewColumn:
    field: str
    label: str
    kind: str  # code | name | value | text
    why: str = ""  # the column's type is a guess: why
    choices: list[tuple[str, str]] = field(default_factory=list)  # (field, label) it may become


@dataclass
class ReviewTable:
    index: int
    title: str
    kind: str
    columns: list[ReviewColumn]
    rows: list[tuple[int, list[ReviewCell]]]
    hints: int


def _show(v) -> str:
    if isinstance(v, list):
        return " - ".join(_show(x) for x in v)
    number = as_decimal(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
    return format_decimal(number, 4, trim=True) if number is not None else str(v).replace(".", ",")


def _value_label(c: dict) -> str:
    from .unit_results import VALUE_LABELS

    label = COLUMN_LABELS.get(c["key"]) or VALUE_LABELS.get(c["key"], c["key"])
    return " ".join(x for x in (label, c.get("criterion") and f"lĩnh vực {c['criterion']}", c.get("year")) if x)


def review_tables(reading: dict) -> list[ReviewTable]:
    """Every table of the (corrected) reading as the person reviews it: its cells, the cells and
    columns the reader marked for checking, and what each column may be changed into."""
    from chiso.core.plan_table import field_name

    out = []
    for t_i, t in enumerate(reading.get("tables") or []):
        hints = {(h.get("row"), h.get("field")): h.get("why") or "" for h in t.get("review") or []}
        columns = [ReviewColumn("code", "STT", "code"), ReviewColumn("name", "Tên", "name")]
        value_cols = t.get("columns") or []
        for c in value_cols:
            f = field_name("value", c["key"], c.get("year") if c["key"] != "max_points" else None, c.get("criterion"))
            same_year = [(field_name("value", k, c.get("year") if k != "max_points" else None), COLUMN_LABELS[k])
                         for k in COLUMN_LABELS if k != c["key"]]
            columns.append(ReviewColumn(f, _value_label(c), "value", hints.get((None, f), ""),
                                        same_year + [("skip", "Bỏ cột này")]))
        text_keys = [c["key"] for c in t.get("text_columns") or []] or \
            sorted({k for r in t.get("rows") or [] for k in (r.get("text") or {})})
        for k in dict.fromkeys(text_keys):
            f = field_name("text", k)
            choices = [(field_name("text", x), TEXT_LABELS.get(x, x)) for x in TEXT_LABELS if x != k]
            columns.append(ReviewColumn(f, TEXT_LABELS.get(k, k), "text", hints.get((None, f), ""),
                                        choices + [("skip", "Bỏ cột này")]))
        rows = []
        for r_i, r in enumerate(t.get("rows") or []):
            vals = {field_name("value", v["key"], v.get("year") if v["key"] != "max_points" else None,
                               v.get("criterion")): v["value"] for v in r.get("values") or []}
            cells = []
            for c in columns:
                if c.kind == "code":
                    text = r.get("code") or ""
                elif c.kind == "name":
                    text = r.get("name") or ""
                elif c.kind == "value":
                    text = _show(vals[c.field]) if c.field in vals else ""
                else:
                    text = (r.get("text") or {}).get(c.field.split(".", 1)[1], "")
                cells.append(ReviewCell(c.field, text, hints.get((r_i, c.field), "")))
            rows.append((r_i, cells))
        title = f"Bảng {t_i + 1}: {t.get('caption') or t.get('index')}"
        out.append(ReviewTable(t_i, title, t.get("kind") or "criteria", columns, rows,
                               sum(1 for h in t.get("review") or [])))
    return out
