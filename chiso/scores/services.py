"""Writes to scores: results per criterion, targets, raw inputs, national results tables.

Every write is one transaction and is refused whole: a list of problems, each
naming where it comes from (a file's line, a criterion's code) and what is wrong.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from chiso.common.actors import by_actor
from chiso.common.errors import ServiceError, require_permission
from chiso.core.tree import fmt
from chiso.frameworks.models import Criterion
from chiso.frameworks.policies import versions_visible_to

from . import staleness
from .models import Assessment, RawInput, Score
from .policies import may_write_results
# results tables live in .tables; callers import them from here too
from .tables import ResultLine, published_results_save, results_table_restore, results_table_save  # noqa: F401

if TYPE_CHECKING:
    from chiso.common.actors import Actor

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


def assessment_get_or_create(*, actor: Actor, unit, version, year: int, source: str = "") -> Assessment:
    require_permission(may_write_results(actor, unit), f"Tài khoản không có quyền ghi kết quả của {unit.name}.")
    if actor is not None:
        require_permission(versions_visible_to(actor).filter(pk=version.pk).exists(),
                           f"Bộ chỉ số {version.label} không dùng được cho {unit.name}.")
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


def _forms_of(fields) -> tuple[str, ...]:
    """Which edit forms show these score fields (their counters are bumped by a change)."""
    forms = ["results"] if set(fields) & set(SCORE_FIELDS[:2] + SCORE_FIELDS[3:]) else []
    return (*forms, "targets") if "target" in fields else tuple(forms)


@transaction.atomic
def scores_save(*, actor: Actor, assessment: Assessment, rows: list[ScoreInput], source: str = "",
                printed_total: Decimal | None = None, version: int | None = None,
                form: str = "results") -> SaveReport:
    """Writes the given fields of each row; nothing is written if any row is wrong. `version`:
    the counter of `form` ("results" or "targets") that the form showed — a stale one is refused
    with what changed since (None: no form, e.g. a file or a command)."""
    require_permission(may_write_results(actor, assessment.unit),
                       f"Tài khoản không có quyền ghi kết quả của {assessment.unit.name}.")
    criteria, problems = validate_rows(assessment.version, rows)
    if printed_total is not None and not (0 <= printed_total <= assessment.version.total_points):
        problems.append(f"Tổng điểm {fmt(printed_total)} ngoài khoảng 0–{fmt(assessment.version.total_points)}")
    if problems:
        raise ServiceError(f"Chưa lưu kết quả {assessment}: có {len(problems)} lỗi.", details=problems)
    row_lock = staleness.locked(assessment)
    if version is not None:
        staleness.require_fresh(row_lock, form, version)
    report = SaveReport(assessment)
    existing = {s.criterion_id: s for s in assessment.scores.all()}
    writes: list[tuple[Score, list[str] | None]] = []  # (score, fields to update; None: a new row)
    touched: set[str] = set()
    for row in rows:
        criterion = criteria[row.code]
        score = existing.get(criterion.pk)
        if score is None:
            score = Score(assessment=assessment, criterion=criterion, source=source[:255])
            for name in row.fields:
                setattr(score, name, getattr(row, name))
            existing[criterion.pk] = score
            writes.append((score, None))
            touched |= {n for n in row.fields if getattr(row, n) not in (None, "")}
            report.created += 1
            continue
        changed = [name for name in row.fields if getattr(score, name) != getattr(row, name)]
        if changed:
            for name in changed:
                setattr(score, name, getattr(row, name))
            touched |= set(changed)
            if source:
                score.source = source[:255]
                changed.append("source")
            writes.append((score, changed))
            report.updated += 1
    total_changed = printed_total is not None and row_lock.printed_total != printed_total
    forms = set(_forms_of(touched)) | ({"results"} if total_changed else set())
    if forms:  # bumped before the rows are written: their history follows the bump's
        if total_changed:
            row_lock.printed_total = printed_total
        staleness.bump(row_lock, actor, *sorted(forms), also=("printed_total",) if total_changed else ())
        assessment.printed_total = row_lock.printed_total
        for counter in staleness.COUNTERS.values():
            setattr(assessment, counter, getattr(row_lock, counter))
    for score, fields in writes:
        by_actor(score, actor).save(update_fields=fields) if fields else by_actor(score, actor).save()
    return report


@dataclass
class ScoreFill:
    """A value a document gives for one criterion's field (a plan's past results and targets)."""

    criterion: Criterion
    field_name: str  # "self_score", "score" or "target"
    value: Decimal
    where: str = ""  # "2.1: điểm 2023" — how messages name it


@dataclass
class FillReport:
    filled: int = 0
    kept: list[tuple[ScoreFill, Decimal]] = field(default_factory=list)  # a value already there, kept
    refused: list[str] = field(default_factory=list)  # values that cannot be the criterion's, not written


@transaction.atomic
def scores_fill(*, actor: Actor, unit, version, year: int, fills: list[ScoreFill], printed_total: Decimal | None = None,
                source: str = "") -> FillReport:
    """Fills the empty fields of a unit's results for a year from a document, never overwriting:
    a field that has a value keeps it (and is reported), a value outside 0 – the criterion's max
    is refused (and reported). The printed total fills an existing year's empty total."""
    require_permission(may_write_results(actor, unit), f"Tài khoản không có quyền ghi kết quả của {unit.name}.")
    report = FillReport()
    if fills:
        assessment = assessment_get_or_create(actor=actor, unit=unit, version=version, year=year, source=source)
    else:
        assessment = Assessment.objects.filter(unit=unit, version=version, year=year).first()
    if assessment is None:
        return report
    row_lock = staleness.locked(assessment)
    existing = {s.criterion_id: s for s in assessment.scores.all()}
    writes: list[tuple[Score, list[str] | None]] = []
    for fill in fills:
        if not (0 <= fill.value <= fill.criterion.max_points) or fill.value != fill.value.quantize(Decimal("0.0001")):
            report.refused.append(f"{fill.where}: {fmt(fill.value)} không phải điểm của tiêu chí {fill.criterion.code} "
                                  f"(0–{fmt(fill.criterion.max_points)}), không ghi")
            continue
        score = existing.get(fill.criterion.pk)
        if score is None:
            score = Score(assessment=assessment, criterion=fill.criterion, source=source[:255], **{fill.field_name: fill.value})
            existing[fill.criterion.pk] = score
            writes.append((score, None))
            report.filled += 1
        elif getattr(score, fill.field_name) is None:
            setattr(score, fill.field_name, fill.value)
            writes.append((score, [fill.field_name]))
            report.filled += 1
        elif getattr(score, fill.field_name) != fill.value:
            report.kept.append((fill, getattr(score, fill.field_name)))
    fill_total = printed_total is not None and row_lock.printed_total is None
    forms = set(_forms_of({fill.field_name for fill in fills})) if writes else set()
    if fill_total:
        row_lock.printed_total = assessment.printed_total = printed_total
        forms.add("results")
    if forms:  # bumped before the rows are written: their history follows the bump's
        staleness.bump(row_lock, actor, *sorted(forms), also=("printed_total",) if fill_total else ())
    for score, fields in writes:
        by_actor(score, actor).save(update_fields=fields) if fields else by_actor(score, actor).save()
    return report


@transaction.atomic
def targets_save(*, actor: Actor, assessment: Assessment, targets: dict[str, Decimal | None], source: str = "",
                 version: int | None = None) -> SaveReport:
    """Targets per criterion code (None clears one); never above the criterion's max. `version`:
    the targets counter the form showed (a stale form is refused)."""
    rows = [ScoreInput(code=code, target=value, fields=("target",)) for code, value in targets.items()]
    return scores_save(actor=actor, assessment=assessment, rows=rows, source=source, version=version, form="targets")


@transaction.atomic
def raw_inputs_save(*, actor: Actor, assessment: Assessment, criterion: Criterion, values: dict[str, Decimal | None],
                    notes: dict[str, str] | None = None, version: int | None = None) -> int:
    """Sets (or, with None, removes) a computed criterion's raw inputs for the year. `version`: the
    inputs counter the form showed (a stale form is refused)."""
    require_permission(may_write_results(actor, assessment.unit),
                       f"Tài khoản không có quyền ghi số liệu của {assessment.unit.name}.")
    if criterion.version_id != assessment.version_id:
        raise ServiceError(f"Tiêu chí {criterion.code} không thuộc bộ chỉ số {assessment.version.label}.")
    problems = [f"Tiêu chí {criterion.code}, số liệu '{name}': {fmt(v)} nhỏ hơn 0"
                for name, v in values.items() if v is not None and v < 0]
    problems += [f"Tiêu chí {criterion.code}, số liệu '{name}': quá lớn" for name, v in values.items()
                 if v is not None and abs(v) > Decimal("1e15")]
    if problems:
        raise ServiceError("Chưa lưu số liệu.", details=problems)
    row_lock = staleness.locked(assessment)
    if version is not None:
        staleness.require_fresh(row_lock, "inputs", version)
    existing = {r.name: r for r in RawInput.objects.filter(assessment=assessment, criterion=criterion)}
    writes: list[tuple[RawInput, bool]] = []  # (row, removed)
    for name, value in values.items():
        note = (notes or {}).get(name, "")[:255]
        row = existing.get(name)
        if value is None:
            if row is not None:
                writes.append((row, True))
        elif row is None:
            writes.append((RawInput(assessment=assessment, criterion=criterion, name=name, value=value, note=note),
                           False))
        elif row.value != value or (notes is not None and row.note != note):
            row.value, row.note = value, note
            writes.append((row, False))
    if writes:  # bumped before the rows are written: their history follows the bump's
        staleness.bump(row_lock, actor, "inputs")
        assessment.inputs_version = row_lock.inputs_version
    for row, removed in writes:
        by_actor(row, actor).delete() if removed else by_actor(row, actor).save()
    return len(writes)
