"""Results tables whose rows are units (kind `unit_results`), confirmed as those units'
published results for the year.

The preview resolves each row's name like an agency name (within the province in scope; a
ministry's table of provinces among the provinces) and the person confirms or changes each
match. Confirming writes, per unit, the year's assessment of the table's index: the printed
total, the rank and the number of units ranked, and the points of each field where the table
gives them. A table of provinces is the national table of the index-year instead
(`published_results_save`, for users with national scope only). One transaction: everything,
or nothing with every problem named.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from chiso.accounts.policies import scope_roots, sees_everything
from chiso.common.actors import by_actor
from chiso.common.errors import ServiceError, require_permission
from chiso.core.numbers import as_decimal
from chiso.core.text import fold
from chiso.frameworks.models import Criterion
from chiso.frameworks.selectors import version_for
from chiso.units.models import Unit, UnitKind
from chiso.units.services import UnitResolver

VALUE_LABELS = {"appraised": "Điểm thẩm định", "survey": "Điểm điều tra XHH", "self_assessed": "Điểm tự đánh giá",
                "deducted": "Điểm bị trừ", "score": "Điểm lĩnh vực", "total": "Tổng điểm", "percent": "Chỉ số (%)",
                "rank": "Xếp hạng"}


@dataclass
class UnitRow:
    table: int
    row: int
    code: str
    name: str
    values: dict[str, object]
    unit: Unit | None
    method: str
    score: float
    suggestions: list[tuple[Unit, float]] = field(default_factory=list)

    @property
    def field_name(self) -> str:
        return f"unit-{self.table}-{self.row}"

    @property
    def fuzzy(self) -> bool:
        return self.unit is not None and self.method not in {"exact", "alias"}


@dataclass
class UnitTable:
    index: int
    data: dict
    rows: list[UnitRow]
    provinces: bool  # the ministry's table of provinces

    @property
    def year(self) -> str:
        return self.data.get("year") or ""


def _is_province_table(rows: list[dict]) -> bool:
    names = {fold(u.name) for u in Unit.objects.filter(kind=UnitKind.PROVINCE)}
    named = [r for r in rows if r.get("name")]
    return bool(named) and sum(1 for r in named if fold(_bare(r["name"])) in names) * 3 >= len(named) * 2


def _bare(name: str) -> str:
    for prefix in ("tỉnh ", "thành phố ", "tp. ", "tp "):
        if name.lower().startswith(prefix):
            return name[len(prefix):]
    return name


def unit_tables(reading: dict, scope: Unit | None) -> list[UnitTable]:
    """The reading's results-by-unit tables, each row with the unit its name resolves to."""
    out = []
    for t_i, t in enumerate(reading.get("tables") or []):
        if t.get("kind") != "unit_results":
            continue
        rows = t.get("rows") or []
        provinces = _is_province_table(rows)
        resolver = UnitResolver(None if provinces else scope)
        resolved = []
        for r_i, r in enumerate(rows):
            if not r.get("name") or not r.get("values"):
                continue  # a group row ("I. KHỐI SỞ, BAN, NGÀNH")
            name = _bare(r["name"]) if provinces else r["name"]
            hit = resolver.resolve(name)
            unit = hit.unit
            if provinces and unit is not None and unit.kind != UnitKind.PROVINCE:
                unit = None
            values = {}
            for v in r.get("values") or []:
                label = VALUE_LABELS.get(v["key"], v["key"]) + (f" {v['criterion']}" if v.get("criterion") else "")
                values[label] = v["value"]
            resolved.append(UnitRow(t_i, r_i, r.get("code") or "", r["name"], values, unit, hit.method, hit.score,
                                    hit.suggestions))
        out.append(UnitTable(t_i, t, resolved, provinces))
    return out


def _decimal(v) -> Decimal | None:
    return as_decimal(v)  # None for a range or an empty cell


def _value(row: dict, key: str, criterion: str | None = None):
    return next((v["value"] for v in row.get("values") or [] if v["key"] == key
                 and (v.get("criterion") or None) == criterion), None)


@dataclass
class UnitResultsReport:
    units: int = 0
    national: int = 0
    scores: int = 0
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def unit_results_confirm(*, actor, reading: dict, choices: dict[str, Unit | None], file_name: str,
                         scope: Unit | None) -> UnitResultsReport:
    """Writes every results-by-unit table of `reading` as its units' published results.

    `choices` maps a row's field name ("unit-0-3") to the unit the person confirmed (None: the
    row is left out); rows without a choice keep the unit their name resolved to."""
    from chiso.scores.policies import can_edit_results
    from chiso.scores.models import Assessment
    from chiso.scores.services import ResultLine, ScoreFill, published_results_save, scores_fill

    require_permission(can_edit_results(actor), "Chỉ cán bộ điều phối hoặc quản trị được nạp kết quả.")
    roots = scope_roots(actor)
    report = UnitResultsReport()
    problems: list[str] = []
    tables = unit_tables(reading, scope)
    if not tables:
        raise ServiceError(f"{file_name}: không có bảng kết quả theo đơn vị nào.")
    for t in tables:
        year = int(t.year) if str(t.year)[:4].isdigit() else None
        index = t.data.get("index") or "PAR_INDEX"
        if year is None:
            problems.append(f"Bảng {t.index + 1}: không xác định được năm của kết quả")
            continue
        rows = t.data.get("rows") or []
        picked = []
        for ur in t.rows:
            unit = choices.get(ur.field_name, ur.unit) if ur.field_name in choices else ur.unit
            if unit is None:
                report.warnings.append(f"Bảng {t.index + 1}, {ur.name}: không gắn với đơn vị nào, bỏ qua")
                continue
            picked.append((ur, unit))
        ranked = sum(1 for ur, _ in picked if _value(rows[ur.row], "rank") is not None)
        if t.provinces:
            require_permission(sees_everything(actor), "Chỉ tài khoản cấp quốc gia được nạp bảng kết quả các tỉnh.")
            lines = [ResultLine(unit_name=unit.name, total=_decimal(_value(rows[ur.row], "total")),
                                rank=_value(rows[ur.row], "rank"), where=f"dòng {ur.code or ur.row + 1}", unit=unit,
                                source=file_name) for ur, unit in picked]
            report.national += published_results_save(actor=actor, index=index, year=year, lines=lines,
                                                      source=file_name)
            continue
        version = version_for(index, year)
        if version is None:
            problems.append(f"Bảng {t.index + 1}: chưa có bộ chỉ số {index} áp dụng cho năm {year}")
            continue
        criteria = {c.code: c for c in Criterion.objects.filter(version=version)}
        for ur, unit in picked:
            if roots is not None and (unit.root_id or unit.pk) not in roots:
                problems.append(f"{ur.name}: {unit.name} không thuộc phạm vi của bạn")
                continue
            row = rows[ur.row]
            fills = []
            for v in row.get("values") or []:
                c = criteria.get(v.get("criterion") or "")
                if v["key"] == "score" and c is not None and _decimal(v["value"]) is not None:
                    fills.append(ScoreFill(c, "score", _decimal(v["value"]), f"{ur.name}: lĩnh vực {c.code}"))
            if fills:
                fill = scores_fill(actor=actor, unit=unit, version=version, year=year, fills=fills, source=file_name)
                report.scores += fill.filled
                report.warnings += fill.refused
            assessment, _ = Assessment.objects.get_or_create(unit=unit, version=version, year=year,
                                                             defaults={"source": file_name[:255]})
            assessment.printed_total = _decimal(_value(row, "total"))
            rank = _value(row, "rank")
            assessment.rank = int(rank) if rank is not None else None
            assessment.rank_of = ranked or None
            assessment.source = file_name[:255]
            by_actor(assessment, actor).save()
            report.units += 1
    if problems:
        raise ServiceError(f"{file_name}: chưa nạp kết quả, có {len(problems)} lỗi.", details=problems)
    return report
