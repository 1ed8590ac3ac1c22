"""Gap analysis: where the points were lost. Pure Python.

Fields' lost points come from the printed field rows (max − score), because the
province's total is the sum of its printed fields; criteria's come from the
leaves. Where the two disagree (a document that rounds a field), the gap is
reported, never hidden.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Sequence

from .tree import SumMismatch, build, leaves, sum_mismatches

SURVEY, APPRAISAL, STATISTICS, UNKNOWN = "survey", "appraisal", "statistics", ""


@dataclass(frozen=True)
class GapInput:
    code: str
    name: str
    max_points: Decimal | None
    score: Decimal | None
    method: str = UNKNOWN
    has_task: bool = False


@dataclass
class GapLine:
    code: str
    name: str
    max_points: Decimal
    score: Decimal
    method: str = UNKNOWN
    has_task: bool = False

    @property
    def lost(self) -> Decimal:
        return self.max_points - self.score

    @property
    def share_lost(self) -> Decimal:
        return self.lost / self.max_points if self.max_points else Decimal(0)


@dataclass
class GapResult:
    fields: list[GapLine]
    criteria: list[GapLine]
    total_max: Decimal
    total_score: Decimal
    lost_by_method: dict[str, Decimal]
    leaves_lost: Decimal
    mismatches: list[SumMismatch] = field(default_factory=list)

    @property
    def total_lost(self) -> Decimal:
        return self.total_max - self.total_score

    @property
    def rounding_gap(self) -> Decimal:
        """Lost points by fields minus lost points by leaf criteria."""
        return self.total_lost - self.leaves_lost


def analyse(rows: Sequence[GapInput]) -> GapResult:
    """Rows of one table in document order (fields, criteria, sub-criteria)."""
    by_code = {r.code: r for r in rows if r.code}
    scored = [r for r in rows if r.code and r.max_points is not None and r.score is not None]
    roots = build((r.code, r.name, r.score) for r in scored)
    max_roots = build((r.code, r.name, r.max_points) for r in scored)

    def line(code: str) -> GapLine:
        r = by_code[code]
        return GapLine(r.code, r.name, r.max_points, r.score, r.method, r.has_task)

    fields = sorted((line(n.code) for n in roots), key=lambda g: (-g.lost, g.code))
    leaf_lines = [line(n.code) for n in leaves(roots)]
    criteria = sorted((g for g in leaf_lines if g.lost > 0), key=lambda g: (-g.lost, g.code))
    by_method: dict[str, Decimal] = {}
    for g in leaf_lines:
        by_method[g.method] = by_method.get(g.method, Decimal(0)) + g.lost
    mismatches = sum_mismatches(roots) + sum_mismatches(max_roots)
    return GapResult(
        fields=fields,
        criteria=criteria,
        total_max=sum((g.max_points for g in fields), Decimal(0)),
        total_score=sum((g.score for g in fields), Decimal(0)),
        lost_by_method=by_method,
        leaves_lost=sum((g.lost for g in leaf_lines), Decimal(0)),
        mismatches=mismatches,
    )
