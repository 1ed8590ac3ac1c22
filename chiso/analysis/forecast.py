"""Targets and what-if: the projected total, the projected rank among a year's results
table, and what it takes to reach a chosen rank. A fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from chiso.core.ranking import (Projection, ProjectionRow, Recoverable, Recovery, cheapest_recovery,
                                competition_ranks, project, rank_bounds, total_needed)
from chiso.core.text import fold
from chiso.core.tree import fmt
from chiso.frameworks.models import Criterion
from chiso.plans.selectors import leaf_methods
from chiso.scores.models import Assessment, PublishedResult, Score
from chiso.scores.tables import version_lines

ZERO = Decimal(0)


@dataclass
class TargetRow:
    criterion: Criterion
    baseline: Decimal | None
    target: Decimal | None
    projected: Decimal | None
    method: str
    leaf: bool

    @property
    def lost(self) -> Decimal | None:
        return None if self.baseline is None else self.criterion.max_points - self.baseline

    @property
    def gain(self) -> Decimal | None:
        if self.projected is None or self.baseline is None:
            return None
        return self.projected - self.baseline


@dataclass
class Standing:
    """One line of the comparison table: a unit's total and rank in the table's year."""

    name: str
    total: Decimal | None
    rank: int | None
    own: bool = False


@dataclass
class WhatIf:
    unit: object
    version: object
    year: int
    baseline: Assessment | None
    target_assessment: Assessment | None
    rows: list[TargetRow]
    projection: Projection | None
    baseline_total: Decimal | None
    table_year: int | None = None
    table: list[Standing] = field(default_factory=list)
    table_complete: bool = False
    current_rank: int | None = None
    rank_best: int | None = None
    rank_worst: int | None = None
    rank_of: int | None = None
    wanted_rank: int | None = None
    needed_total: Decimal | None = None
    needed_exact: bool = False
    recovery: Recovery | None = None
    errors: list[str] = field(default_factory=list)
    private: object = None  # the private ResultsTable compared with, if chosen
    # why no rank is given at all (a district or commune is never ranked against the provinces)
    unranked: str = ""

    @property
    def projected_total(self) -> Decimal | None:
        return self.projection.total if self.projection else None

    def refuse(self) -> None:
        """Drops everything projected: a refused input never yields a total, a rank or a gain."""
        self.projection = None
        self.rank_best = self.rank_worst = self.wanted_rank = self.needed_total = None
        self.recovery = None
        for row in self.rows:
            row.projected = None

    @property
    def others(self) -> list[tuple[Decimal | None, int | None]]:
        return [(s.total, s.rank) for s in self.table if not s.own]


def baseline_for(unit, version, year: int) -> Assessment | None:
    """The unit's latest results before `year` in the same framework (same version first)."""
    qs = (Assessment.objects.filter(unit=unit, year__lt=year, version__framework_id=version.framework_id)
          .select_related("version").order_by("-year"))
    candidates = list(qs[:3])
    same = [a for a in candidates if a.version_id == version.pk]
    return same[0] if same else (candidates[0] if candidates else None)


def peer_totals(version_id: int, year: int, parent_id: int | None) -> list[tuple[int, str, Decimal | None]]:
    """(unit id, name, total) of every assessment of a version-year among siblings (three queries).

    The total is the printed one, else the sum of the field scores (summed from the
    score table through its (assessment, criterion) index: fast for thousands of units).
    """
    fields = list(Criterion.objects.filter(version_id=version_id, parent__isnull=True).values_list("pk", flat=True))
    units = Assessment.objects.filter(version_id=version_id, year=year)
    scores = Score.objects.filter(assessment__version_id=version_id, assessment__year=year, criterion_id__in=fields)
    if parent_id is not None:
        units = units.filter(unit__parent_id=parent_id)
        scores = scores.filter(assessment__unit__parent_id=parent_id)
    sums = dict(scores.order_by().values("assessment__unit_id").annotate(total=Sum("score"))
                .values_list("assessment__unit_id", "total"))
    return [(uid, name, printed if printed is not None else sums.get(uid))
            for uid, name, printed in units.order_by().values_list("unit_id", "unit__name", "printed_total")]


def standings(unit, version, table_year: int, private=None) -> list[Standing]:
    """The results table of a year: a private table chosen by the province (a ResultsTable of
    its own), else the national one if loaded, else the unit's peers' assessments."""
    index = version.framework.index
    if private is not None:
        lines = [(line.unit_id, line.unit_name, line.total, line.rank) for line in version_lines(private.current)]
    else:
        lines = list(PublishedResult.objects.filter(index=index, year=table_year).values_list(
            "unit_id", "unit_name", "total", "rank"))
    own_name = fold(unit.name)
    if lines:
        return [Standing(name, total, rank, own=(uid == unit.pk or fold(name) == own_name))
                for uid, name, total, rank in lines]
    peers = peer_totals(version.pk, table_year, unit.parent_id)
    ranks = competition_ranks({uid: t for uid, _, t in peers if t is not None})
    return [Standing(name, total, ranks.get(uid), own=(uid == unit.pk)) for uid, name, total in peers]


def table_years(version) -> list[int]:
    years = set(PublishedResult.objects.filter(index=version.framework.index).order_by()
                .values_list("year", flat=True).distinct())
    years |= set(Assessment.objects.filter(version__framework_id=version.framework_id).order_by()
                 .values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def what_if(unit, version, year: int, *, overrides: dict[str, Decimal | None] | None = None,
            table_year: int | None = None, wanted_rank: int | None = None, saved_targets: bool = True,
            private=None) -> WhatIf:
    """Projected total and rank for `year` from its targets (or `overrides`), against a results table.
    `saved_targets` False: only `overrides` (a plan's own targets; the rest keep their score).
    `private`: a province's own ResultsTable of the index (the caller checked it is visible)."""
    baseline = baseline_for(unit, version, year)
    target_assessment = Assessment.objects.filter(unit=unit, version=version, year=year).first()
    criteria = list(Criterion.objects.filter(version=version).order_by("position"))
    base = {}
    if baseline is not None:
        base_codes = dict(Score.objects.filter(assessment=baseline, score__isnull=False)
                          .values_list("criterion__code", "score"))
        base = {c.pk: base_codes[c.code] for c in criteria if c.code in base_codes}
    targets = {}
    if target_assessment is not None and saved_targets:
        targets = dict(Score.objects.filter(assessment=target_assessment, target__isnull=False)
                       .values_list("criterion_id", "target"))
    codes = {c.code: c.pk for c in criteria}
    parent_of = {c.pk: c.parent_id for c in criteria}
    typed = {codes[code] for code in (overrides or {}) if code in codes}
    for code, value in (overrides or {}).items():
        if code in codes:
            targets[codes[code]] = value
    # A saved target above a typed one follows its children (as in a plan): it was not typed here.
    for pk in typed:
        parent = parent_of.get(pk)
        while parent is not None:
            if parent not in typed:
                targets.pop(parent, None)
            parent = parent_of.get(parent)
    targets = {k: v for k, v in targets.items() if v is not None}
    methods = leaf_methods(version.pk)
    present = [c for c in criteria if c.pk in base or c.pk in targets]
    present_ids = {c.pk for c in present}
    has_child = {c.parent_id for c in present if c.parent_id in present_ids}
    errors = [f"Tiêu chí {c.code}: mục tiêu {fmt(targets[c.pk])} ngoài khoảng 0 – {fmt(c.max_points)}"
              for c in present if c.pk in targets and not 0 <= targets[c.pk] <= c.max_points]
    printed = baseline.printed_total if baseline is not None and baseline.version_id == version.pk else None
    projection = project([ProjectionRow(c.code, c.max_points, base.get(c.pk), targets.get(c.pk)) for c in present],
                         aggregation=version.aggregation, printed_total=printed) if present else None
    rows = [TargetRow(c, base.get(c.pk), targets.get(c.pk), projection.values.get(c.code) if projection else None,
                      methods.get(c.pk, c.method), c.pk not in has_child) for c in present]
    roots = [base.get(c.pk) for c in present if c.parent_id is None]
    baseline_total = printed if printed is not None else (
        sum(roots, ZERO) if roots and all(v is not None for v in roots) and version.aggregation == "sum" else None)
    result = WhatIf(unit, version, year, baseline, target_assessment, rows, projection, baseline_total, errors=errors)
    if errors:
        result.refuse()
    if private is None and getattr(unit, "kind", "province") != "province":
        # the national tables rank provinces: a district's (or a commune's) total placed among
        # them would be a rank it never had; only a table of its own (private) may rank it
        result.unranked = (f"{unit.name} không được xếp hạng cùng các tỉnh, thành phố: bảng kết quả của Bộ Nội vụ "
                           "chỉ xếp hạng cấp tỉnh.")
        return result
    years = table_years(version)
    if private is not None:
        table_year = private.year
        result.private = private
    if table_year is None:
        earlier = [y for y in years if y < year]
        table_year = earlier[0] if earlier else (years[0] if years else None)
    if table_year is None:
        return result
    result.table_year = table_year
    result.table = sorted(standings(unit, version, table_year, private),
                          key=lambda s: (s.rank is None, s.rank or 0, -(s.total or 0), s.name))
    others = result.others
    result.rank_of = max([len(result.table)] + [s.rank or 0 for s in result.table])
    result.table_complete = bool(others) and all(t is not None for t, _ in others)
    own = [s for s in result.table if s.own]
    if own and own[0].rank is not None:
        result.current_rank = own[0].rank
    elif baseline_total is not None and others:
        result.current_rank = rank_bounds(others, baseline_total)[0] if result.table_complete else None
    if result.projected_total is not None and others:
        result.rank_best, result.rank_worst = rank_bounds(others, result.projected_total)
    if wanted_rank and others and version.aggregation == "sum" and not errors:
        result.wanted_rank = wanted_rank
        result.needed_total, result.needed_exact = total_needed(others, wanted_rank)
        if result.needed_total is not None and baseline_total is not None:
            pool = [Recoverable(r.criterion.code, r.criterion.name, r.lost, r.method) for r in rows
                    if r.leaf and r.lost is not None and r.lost > 0]
            result.recovery = cheapest_recovery(pool, result.needed_total - baseline_total)
    return result
