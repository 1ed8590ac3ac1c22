"""The province's own index of its departments and communes (Bộ chỉ số CCHC nội bộ). Pure Python.

- A unit's index is its points over the max of the criteria that apply to it × 100: a criterion
  marked not applicable (N/A) leaves both the points and the max, so a commune without a
  field's work is not penalised for it. Raw points and the index are both reported.
- Callers pass leaf criteria only: parents are sums of their children and would count twice.
- A criterion that applies but has no points yet counts as 0 and marks the result incomplete,
  so an unfinished appraisal never shows a number as if it were final.
- Ranks are competition ranks (90, 88, 88, 85 → 1, 2, 2, 4) on the index as published, rounded
  to two decimals: two units printed with the same index share the rank.
- Classification takes the first threshold (highest first) the index reaches.
- Change is this year's index minus last year's; the rank by improvement ranks the units that
  have both, largest rise first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Hashable, Iterable, Mapping, Sequence

from .ranking import competition_ranks

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

DEFAULT_THRESHOLDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "Xuất sắc"),
    (Decimal(80), "Tốt"),
    (Decimal(70), "Khá"),
    (Decimal(50), "Trung bình"),
    (ZERO, "Yếu"),
)


@dataclass(frozen=True)
class IndexLine:
    """One leaf criterion for one unit."""

    code: str
    max_points: Decimal
    points: Decimal | None
    applicable: bool = True

    @property
    def field_code(self) -> str:
        return self.code.split(".")[0]


@dataclass(frozen=True)
class IndexResult:
    points: Decimal
    max_points: Decimal
    index: Decimal | None  # None when nothing applies
    complete: bool
    not_applicable: int = 0

    @property
    def published_index(self) -> Decimal | None:
        return round_index(self.index)


def round_index(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def unit_index(lines: Iterable[IndexLine]) -> IndexResult:
    points = max_points = ZERO
    complete, skipped = True, 0
    for line in lines:
        if not line.applicable:
            skipped += 1
            continue
        max_points += line.max_points
        if line.points is None:
            complete = False
        else:
            points += line.points
    index = points / max_points * HUNDRED if max_points else None
    return IndexResult(points, max_points, index, complete, skipped)


def from_sums(points: Decimal | None, max_points: Decimal | None, missing: int = 0, skipped: int = 0) -> IndexResult:
    """The result from sums a database already made (points and max of the applicable criteria, how many
    applicable criteria lack points, how many are N/A)."""
    points, max_points = points or ZERO, max_points or ZERO
    return IndexResult(points, max_points, points / max_points * HUNDRED if max_points else None, not missing, skipped)


def combine(parts: Iterable[IndexResult]) -> IndexResult:
    """The unit's result from its fields' results."""
    parts = list(parts)
    points = sum((p.points for p in parts), ZERO)
    max_points = sum((p.max_points for p in parts), ZERO)
    return IndexResult(points, max_points, points / max_points * HUNDRED if max_points else None,
                       all(p.complete for p in parts), sum(p.not_applicable for p in parts))


def field_indices(lines: Iterable[IndexLine]) -> dict[str, IndexResult]:
    """The index of each field (the first part of the code) for the heat map, in code order."""
    by_field: dict[str, list[IndexLine]] = {}
    for line in lines:
        by_field.setdefault(line.field_code, []).append(line)
    return {code: unit_index(group) for code, group in by_field.items()}


def check_thresholds(thresholds: Sequence[tuple[Decimal, str]]) -> list[str]:
    """Problems with a classification scale (Vietnamese, for the coordinator's form)."""
    problems = []
    if not thresholds:
        return ["Cần ít nhất một mức xếp loại."]
    labels = [label.strip() for _, label in thresholds]
    if any(not label for label in labels):
        problems.append("Mỗi mức xếp loại cần có tên, ví dụ “Tốt”.")
    if len(set(labels)) != len(labels):
        problems.append("Tên các mức xếp loại bị trùng.")
    bounds = [bound for bound, _ in thresholds]
    if any(b < ZERO or b > HUNDRED for b in bounds):
        problems.append("Ngưỡng xếp loại phải từ 0 đến 100.")
    if any(a <= b for a, b in zip(bounds, bounds[1:])):
        problems.append("Các ngưỡng phải giảm dần từ mức cao nhất đến mức thấp nhất, không trùng nhau.")
    if bounds and bounds[-1] != ZERO:
        problems.append("Mức thấp nhất phải bắt đầu từ 0 để mọi đơn vị đều được xếp loại.")
    return problems


def classify(index: Decimal | None, thresholds: Sequence[tuple[Decimal, str]] = DEFAULT_THRESHOLDS) -> str:
    """The label of the first threshold (highest first) that the published index reaches."""
    published = round_index(index)
    if published is None:
        return ""
    for bound, label in thresholds:
        if published >= bound:
            return label
    return ""


@dataclass
class UnitStanding:
    key: Hashable
    result: IndexResult
    rank: int | None = None
    classification: str = ""
    previous_index: Decimal | None = None
    change: Decimal | None = None
    improvement_rank: int | None = None
    fields: dict[str, IndexResult] = field(default_factory=dict)


def standings(results: Mapping[Hashable, IndexResult], *, previous: Mapping[Hashable, Decimal | None] | None = None,
              thresholds: Sequence[tuple[Decimal, str]] = DEFAULT_THRESHOLDS) -> list[UnitStanding]:
    """Each unit's rank in its group, classification, change from last year and rank by
    improvement; ordered by rank, then key order as given. A unit with no index has no rank."""
    previous = previous or {}
    ranked = {k: r.published_index for k, r in results.items() if r.index is not None}
    ranks = competition_ranks(ranked)
    out = []
    for key, result in results.items():
        before = round_index(previous.get(key))
        now = result.published_index
        change = now - before if now is not None and before is not None else None
        out.append(UnitStanding(key, result, ranks.get(key), classify(result.index, thresholds), before, change))
    improvement = competition_ranks({s.key: s.change for s in out if s.change is not None})
    for s in out:
        s.improvement_rank = improvement.get(s.key)
    order = {key: i for i, key in enumerate(results)}
    out.sort(key=lambda s: (s.rank is None, s.rank or 0, order[s.key]))
    return out
