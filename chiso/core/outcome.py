"""The year's outcome of a plan: did it work? Pure Python over Decimal.

Once the results of the plan's year arrive, each row of the plan is set against them: the
target against the result, the points won back (result above last year's score) or lost
again (below it), and whether the row's tasks were done. Per lead agency: its tasks done, done
on time, and the points won back or lost on the criteria it led tasks on — a criterion led by
two agencies counts for both, since nobody can split a criterion's points between them.

A task is done on time when the report that first said "done" (and was accepted) belongs to a
reporting period that began on or before the task's deadline: reports come by period, so that
is as precise as the record allows. A task with no dated deadline (recurring, "theo thời hạn
của Trung ương") that is done counts as done, neither on time nor late.

The verdict answers "did the plan work?" from the totals when they are known (the result
against the target and against last year), else from the rows.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Sequence

from .tree import TOLERANCE

ZERO = Decimal(0)

ON_TIME, LATE, UNDATED, NOT_DONE = "on_time", "late", "undated", "not_done"
TIMING_LABELS = {ON_TIME: "Hoàn thành đúng hạn", LATE: "Hoàn thành chậm", UNDATED: "Hoàn thành (không có hạn ngày)",
                 NOT_DONE: "Chưa hoàn thành"}

MET, IMPROVED, SAME, WORSE, NO_RESULT = "met", "improved", "same", "worse", "no_result"
ROW_LABELS = {MET: "Đạt mục tiêu", IMPROVED: "Tăng nhưng chưa đạt mục tiêu", SAME: "Không đổi",
              WORSE: "Giảm điểm", NO_RESULT: "Chưa có kết quả"}

WORKED, PARTLY, DID_NOT_WORK, UNKNOWN = "worked", "partly", "did_not_work", "unknown"


@dataclass(frozen=True)
class TaskFact:
    key: str
    text: str
    leads: tuple[str, ...] = ()
    done: bool = False
    due: dt.date | None = None
    # the reporting period (start) of the first accepted report that said "done"
    done_in_period_from: dt.date | None = None

    @property
    def timing(self) -> str:
        if not self.done:
            return NOT_DONE
        if self.due is None or self.done_in_period_from is None:
            return UNDATED
        return ON_TIME if self.done_in_period_from <= self.due else LATE

    @property
    def timing_label(self) -> str:
        return TIMING_LABELS[self.timing]


@dataclass(frozen=True)
class RowFact:
    """A row of the plan with its numbers: last year's score (baseline), the target for the
    year, the year's result, and the maximum the result was scored against (a different
    framework version may have moved it)."""

    key: str
    code: str
    name: str
    parent_key: str | None
    max_points: Decimal | None
    baseline: Decimal | None
    target: Decimal | None
    result: Decimal | None
    result_max: Decimal | None = None
    tasks: tuple[TaskFact, ...] = ()


@dataclass
class RowOutcome:
    fact: RowFact
    leaf: bool

    @property
    def comparable(self) -> bool:
        f = self.fact
        return f.result_max is None or f.max_points is None or f.result_max == f.max_points

    @property
    def change(self) -> Decimal | None:
        f = self.fact
        if f.result is None or f.baseline is None or not self.comparable:
            return None
        return f.result - f.baseline

    @property
    def won_back(self) -> Decimal:
        return max(self.change or ZERO, ZERO)

    @property
    def lost_again(self) -> Decimal:
        return max(-(self.change or ZERO), ZERO)

    @property
    def still_lost(self) -> Decimal | None:
        f = self.fact
        if f.result is None or f.max_points is None or not self.comparable:
            return None
        return f.max_points - f.result

    @property
    def target_met(self) -> bool | None:
        f = self.fact
        if f.result is None or f.target is None or not self.comparable:
            return None
        return f.result + TOLERANCE >= f.target

    @property
    def status(self) -> str:
        if self.fact.result is None or not self.comparable:
            return NO_RESULT
        if self.target_met:
            return MET
        change = self.change
        if change is None:
            return NO_RESULT
        if change > TOLERANCE:
            return IMPROVED
        if change < -TOLERANCE:
            return WORSE
        return SAME

    @property
    def status_label(self) -> str:
        return ROW_LABELS[self.status]

    @property
    def tasks_done(self) -> int:
        return sum(1 for t in self.fact.tasks if t.done)

    @property
    def all_done(self) -> bool:
        return bool(self.fact.tasks) and all(t.done for t in self.fact.tasks)


@dataclass
class AgencyOutcome:
    name: str
    tasks: int = 0
    done: int = 0
    on_time: int = 0
    late: int = 0
    undated: int = 0
    codes: list[str] = field(default_factory=list)
    won_back: Decimal = ZERO
    lost_again: Decimal = ZERO
    targets_met: int = 0
    targets_set: int = 0

    @property
    def not_done(self) -> int:
        return self.tasks - self.done

    @property
    def net(self) -> Decimal:
        return self.won_back - self.lost_again


@dataclass(frozen=True)
class Totals:
    """The index's totals: last year's, the plan's target, the year's result (None: unknown)."""

    baseline: Decimal | None = None
    target: Decimal | None = None
    result: Decimal | None = None


@dataclass
class GroupChange:
    """The rows of one kind (all tasks done / not all done / no task) and what they gained."""

    rows: int = 0
    net: Decimal = ZERO

    @property
    def mean(self) -> Decimal | None:
        return self.net / self.rows if self.rows else None


@dataclass
class Outcome:
    rows: list[RowOutcome]
    agencies: list[AgencyOutcome]
    totals: Totals
    tasks: int = 0
    done: int = 0
    on_time: int = 0
    late: int = 0
    undated: int = 0
    won_back: Decimal = ZERO
    lost_again: Decimal = ZERO
    targets_met: int = 0
    targets_set: int = 0
    rows_with_result: int = 0
    done_rows: GroupChange = field(default_factory=GroupChange)
    undone_rows: GroupChange = field(default_factory=GroupChange)
    taskless_rows: GroupChange = field(default_factory=GroupChange)

    @property
    def net(self) -> Decimal:
        return self.won_back - self.lost_again

    @property
    def total_change(self) -> Decimal | None:
        t = self.totals
        return None if t.result is None or t.baseline is None else t.result - t.baseline

    @property
    def total_gap(self) -> Decimal | None:
        """Result minus target (negative: short of the target)."""
        t = self.totals
        return None if t.result is None or t.target is None else t.result - t.target

    @property
    def verdict(self) -> str:
        t = self.totals
        if t.result is not None and t.target is not None:
            if t.result + TOLERANCE >= t.target:
                return WORKED
            if t.baseline is not None and t.result > t.baseline + TOLERANCE:
                return PARTLY
            return DID_NOT_WORK if t.baseline is not None else PARTLY
        if not self.rows_with_result:
            return UNKNOWN
        if self.targets_set and self.targets_met == self.targets_set:
            return WORKED
        return PARTLY if self.net > 0 else DID_NOT_WORK


def _leaves(rows: Sequence[RowFact]) -> set[str]:
    parents = {r.parent_key for r in rows if r.parent_key}
    return {r.key for r in rows if r.key not in parents}


def _group(outcome: Outcome, row: RowOutcome) -> GroupChange:
    if not row.fact.tasks:
        return outcome.taskless_rows
    return outcome.done_rows if row.all_done else outcome.undone_rows


def evaluate(rows: Sequence[RowFact], totals: Totals = Totals()) -> Outcome:
    """Rows in the plan's order. Sums and per-agency figures are over the rows with no rows
    under them (a field's points are its criteria's), tasks over every row."""
    leaves = _leaves(rows)
    outcome = Outcome(rows=[RowOutcome(r, r.key in leaves) for r in rows], agencies=[], totals=totals)
    agencies: dict[str, AgencyOutcome] = {}
    for row in outcome.rows:
        for task in row.fact.tasks:
            outcome.tasks += 1
            timing = task.timing
            outcome.done += task.done
            outcome.on_time += timing == ON_TIME
            outcome.late += timing == LATE
            outcome.undated += timing == UNDATED
            for name in dict.fromkeys(task.leads):
                a = agencies.setdefault(name, AgencyOutcome(name))
                a.tasks += 1
                a.done += task.done
                a.on_time += timing == ON_TIME
                a.late += timing == LATE
                a.undated += timing == UNDATED
                if row.fact.code not in a.codes:
                    a.codes.append(row.fact.code)
                    if row.leaf:
                        a.won_back += row.won_back
                        a.lost_again += row.lost_again
                        if row.target_met is not None:
                            a.targets_set += 1
                            a.targets_met += row.target_met
        if not row.leaf or row.change is None:
            continue
        outcome.rows_with_result += 1
        outcome.won_back += row.won_back
        outcome.lost_again += row.lost_again
        if row.target_met is not None:
            outcome.targets_set += 1
            outcome.targets_met += row.target_met
        group = _group(outcome, row)
        group.rows += 1
        group.net += row.change
    outcome.agencies = sorted(agencies.values(), key=lambda a: (-a.tasks, a.name))
    return outcome


def summed_target(baseline_total: Decimal | None, fields: Sequence[tuple[Decimal | None, Decimal | None]]) -> Decimal | None:
    """The plan's target total when it does not print one: last year's total plus what the
    plan's top rows aim to gain ((baseline, target) per field; a field not in the plan keeps
    its score)."""
    if baseline_total is None:
        return None
    gain = sum(((t - b) for b, t in fields if b is not None and t is not None), ZERO)
    return baseline_total + gain
