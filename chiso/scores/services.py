"""Writes to scores: results per criterion, targets, raw inputs, national results tables.

Every write is one transaction and is refused whole: a list of problems, each
naming where it comes from (a file's line, a criterion's code) and what is wrong.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from chiso.common.errors import ServiceError
from chiso.core.tree import fmt
from chiso.frameworks.models import Criterion

from .models import Assessment, PublishedResult, RawInput, Score

SCORE_FIELDS = ("self_score", "score", "target", "reason", "remedy")
POINT_FIELDS = {"self_score": "điểm tự đánh giá", "score": "điểm thẩm định/đạt được", "target": "mục tiêu"}
MAX_VALUE = Decimal("999999")


@dataclass
class ScoreInput:
    """One criterion's figures as a form or a file gives them; `fields` says which to write."""

    code: str
    where: str = ""  # "tệp ket-qua.xlsx, dòng 12" — prefixed to problems
    self_score: Decimal | None = None
    score: Decimal | None = None
    target: Decimal | None = None
    reason: str = ""
    remedy: str = ""
    fields: tuple[str, ...] = ("self_score", "score", "reason", "remedy")
    name: str = ""
    max_points: Decimal | None = None  # as the file prints it, checked against the framework


@dataclass
class SaveReport:
    assessment: Assessment
    created: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)


def _by(actor, obj):
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor
    return obj


def assessment_get_or_create(*, actor, unit, version, year: int, source: str = "") -> Assessment:
    if not version.covers(year):
        raise ServiceError(f"Bộ chỉ số {version.label} không áp dụng cho năm {year} "
                           f"(từ {version.first_year} đến {version.last_year or 'nay'}).")
    assessment, _ = Assessment.objects.get_or_create(unit=unit, version=version, year=year,
                                                     defaults={"source": source[:255]})
    return assessment


def validate_rows(version, rows: list[ScoreInput]) -> tuple[dict[str, Criterion], list[str]]:
    criteria = {c.code: c for c in Criterion.objects.filter(version=version)}
    problems: list[str] = []
    seen: dict[str, str] = {}
    for row in rows:
        where = f"{row.where}: " if row.where else ""
        start = len(problems)
        criterion = criteria.get(row.code)
        if criterion is None:
            problems.append(f"{where}mã tiêu chí '{row.code}' không có trong bộ chỉ số {version.label}")
            continue
        if row.code in seen:
            problems.append(f"{where}tiêu chí {row.code} đã có ở {seen[row.code] or 'dòng trước'}")
        seen[row.code] = row.where
        if row.max_points is not None and row.max_points != criterion.max_points:
            problems.append(f"{where}tiêu chí {row.code} ghi điểm tối đa {fmt(row.max_points)}, bộ chỉ số "
                            f"{version.label} ghi {fmt(criterion.max_points)}")
        for name, label in POINT_FIELDS.items():
            value = getattr(row, name)
            if name not in row.fields or value is None:
                continue
            if value < 0:
                problems.append(f"{where}tiêu chí {row.code}: {label} {fmt(value)} nhỏ hơn 0")
            elif value > criterion.max_points:
                problems.append(f"{where}tiêu chí {row.code}: {label} {fmt(value)} lớn hơn điểm tối đa "
                                f"{fmt(criterion.max_points)}")
            elif value != value.quantize(Decimal("0.0001")):
                problems.append(f"{where}tiêu chí {row.code}: {label} {value} có quá 4 chữ số thập phân")
        if not where:  # the message starts the sentence
            problems[start:] = [p[:1].upper() + p[1:] for p in problems[start:]]
    return criteria, problems


@transaction.atomic
def scores_save(*, actor, assessment: Assessment, rows: list[ScoreInput], source: str = "",
                printed_total: Decimal | None = None) -> SaveReport:
    """Writes the given fields of each row; nothing is written if any row is wrong."""
    criteria, problems = validate_rows(assessment.version, rows)
    if printed_total is not None and not (0 <= printed_total <= assessment.version.total_points):
        problems.append(f"Tổng điểm {fmt(printed_total)} ngoài khoảng 0–{fmt(assessment.version.total_points)}")
    if problems:
        raise ServiceError(f"Chưa lưu kết quả {assessment}: có {len(problems)} lỗi.", details=problems)
    report = SaveReport(assessment)
    existing = {s.criterion_id: s for s in assessment.scores.all()}
    for row in rows:
        criterion = criteria[row.code]
        score = existing.get(criterion.pk)
        if score is None:
            score = Score(assessment=assessment, criterion=criterion, source=source[:255])
            for name in row.fields:
                setattr(score, name, getattr(row, name))
            _by(actor, score).save()
            existing[criterion.pk] = score
            report.created += 1
            continue
        changed = [name for name in row.fields if getattr(score, name) != getattr(row, name)]
        if changed:
            for name in changed:
                setattr(score, name, getattr(row, name))
            if source:
                score.source = source[:255]
                changed.append("source")
            _by(actor, score).save(update_fields=changed)
            report.updated += 1
    if printed_total is not None and assessment.printed_total != printed_total:
        assessment.printed_total = printed_total
        _by(actor, assessment).save(update_fields=["printed_total"])
    return report


@transaction.atomic
def targets_save(*, actor, assessment: Assessment, targets: dict[str, Decimal | None], source: str = "") -> SaveReport:
    """Targets per criterion code (None clears one); never above the criterion's max."""
    rows = [ScoreInput(code=code, target=value, fields=("target",)) for code, value in targets.items()]
    return scores_save(actor=actor, assessment=assessment, rows=rows, source=source)


@transaction.atomic
def raw_inputs_save(*, actor, assessment: Assessment, criterion: Criterion, values: dict[str, Decimal | None],
                    notes: dict[str, str] | None = None) -> int:
    """Sets (or, with None, removes) a computed criterion's raw inputs for the year."""
    if criterion.version_id != assessment.version_id:
        raise ServiceError(f"Tiêu chí {criterion.code} không thuộc bộ chỉ số {assessment.version.label}.")
    problems = [f"Tiêu chí {criterion.code}, số liệu '{name}': {fmt(v)} nhỏ hơn 0"
                for name, v in values.items() if v is not None and v < 0]
    problems += [f"Tiêu chí {criterion.code}, số liệu '{name}': quá lớn" for name, v in values.items()
                 if v is not None and abs(v) > Decimal("1e15")]
    if problems:
        raise ServiceError("Chưa lưu số liệu.", details=problems)
    existing = {r.name: r for r in RawInput.objects.filter(assessment=assessment, criterion=criterion)}
    changed = 0
    for name, value in values.items():
        note = (notes or {}).get(name, "")[:255]
        row = existing.get(name)
        if value is None:
            if row is not None:
                row.delete()
                changed += 1
        elif row is None:
            _by(actor, RawInput(assessment=assessment, criterion=criterion, name=name, value=value, note=note)).save()
            changed += 1
        elif row.value != value or (notes is not None and row.note != note):
            row.value, row.note = value, note
            _by(actor, row).save()
            changed += 1
    return changed


@dataclass
class ResultLine:
    unit_name: str
    total: Decimal | None
    rank: int | None
    where: str = ""
    unit: object = None
    source: str = ""
    note: str = ""


@transaction.atomic
def published_results_save(*, actor, index: str, year: int, lines: list[ResultLine], source: str = "",
                           replace: bool = True) -> int:
    """A national results table for an index-year: the whole table, or refused whole."""
    problems = []
    seen: dict[str, str] = {}
    for line in lines:
        where = f"{line.where}: " if line.where else ""
        key = " ".join(line.unit_name.split()).casefold()
        if not key:
            problems.append(f"{where}thiếu tên tỉnh, thành phố")
        elif key in seen:
            problems.append(f"{where}{line.unit_name} đã có ở {seen[key] or 'dòng trước'}")
        seen[key] = line.where
        if line.total is None and line.rank is None:
            problems.append(f"{where}{line.unit_name}: không có điểm cũng không có xếp hạng")
        if line.total is not None and not (0 <= line.total <= 100):
            problems.append(f"{where}{line.unit_name}: điểm {fmt(line.total)} ngoài khoảng 0–100")
    if problems:
        raise ServiceError(f"Chưa nạp bảng kết quả {index} {year}: có {len(problems)} lỗi.", details=problems)
    existing = PublishedResult.objects.filter(index=index, year=year)
    wanted = {(" ".join(l.unit_name.split()), l.unit.pk if l.unit else None, l.total, l.rank, (l.source or source)[:500],
               l.note) for l in lines}
    have = set(existing.values_list("unit_name", "unit_id", "total", "rank", "source", "note"))
    if wanted == have or (not replace and wanted <= have):
        return len(lines)  # the same table again: nothing to write
    if replace:
        existing.delete()
    for line in lines:
        PublishedResult.objects.update_or_create(
            index=index, year=year, unit_name=" ".join(line.unit_name.split()),
            defaults={"unit": line.unit, "total": line.total, "rank": line.rank,
                      "source": (line.source or source)[:500], "note": line.note},
        )
    return len(lines)
