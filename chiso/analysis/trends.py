"""A unit's results over the years, across framework versions (3 queries).

Totals are compared as a share of the version's total points; a field is compared
only where the versions keep it (same code and same maximum), else its line breaks.
A change of version is marked on the chart.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from chiso.core.svg import line_chart
from chiso.scores.models import Assessment, PublishedResult, Score

from .labels import chart_label

ZERO = Decimal(0)


@dataclass
class YearPoint:
    year: int
    assessment: Assessment
    total: Decimal | None
    fields: dict[str, tuple[str, Decimal, Decimal | None]]  # code → (name, max, score)
    published_rank: int | None = None

    @property
    def share(self) -> Decimal | None:
        points = self.assessment.version.total_points
        if self.total is None or not points:
            return None
        return self.total * 100 / points


@dataclass
class Trend:
    index: str
    label: str
    points: list[YearPoint]
    changes: list[tuple[int, str]] = field(default_factory=list)  # (first year, new version label)
    field_codes: list[tuple[str, str]] = field(default_factory=list)

    def total_chart(self) -> str:
        series = [("Tổng điểm (% điểm tối đa)", [(p.year, p.share) for p in self.points])]
        return line_chart(series, title=f"{self.label}: tổng điểm qua các năm", marks=self.changes, unit="%")

    def fields_chart(self) -> str:
        latest = self.points[-1].fields if self.points else {}
        series = []
        for code, name in self.field_codes:
            _, maximum, _ = latest[code]
            values = []
            for p in self.points:
                f = p.fields.get(code)
                comparable = f is not None and f[1] == maximum and f[2] is not None and f[1]
                values.append((p.year, f[2] * 100 / f[1] if comparable else None))
            series.append((chart_label(code, name), values))
        return line_chart(series, title=f"{self.label}: từng lĩnh vực (% điểm tối đa)", marks=self.changes,
                          unit="%", y_max=100)


def unit_trends(unit) -> list[Trend]:
    assessments = list(Assessment.objects.filter(unit=unit).select_related("version__framework").order_by("year"))
    if not assessments:
        return []
    fields: dict[int, dict[str, tuple[str, Decimal, Decimal | None]]] = defaultdict(dict)
    rows = Score.objects.filter(assessment__in=[a.pk for a in assessments], criterion__parent__isnull=True)
    for aid, code, name, maximum, value in rows.values_list("assessment_id", "criterion__code", "criterion__name",
                                                            "criterion__max_points", "score"):
        fields[aid][code] = (name, maximum, value)
    ranks = {(index, year): rank for index, year, rank in PublishedResult.objects.filter(unit=unit)
             .values_list("index", "year", "rank")}
    by_index: dict[str, list[Assessment]] = defaultdict(list)
    for a in assessments:
        by_index[a.version.framework.index].append(a)
    trends = []
    for index, items in by_index.items():
        points = []
        for a in items:
            f = fields.get(a.pk, {})
            values = [v for _, _, v in f.values()]
            total = a.printed_total
            if total is None and values and all(v is not None for v in values) and a.version.aggregation == "sum":
                total = sum(values, ZERO)
            points.append(YearPoint(a.year, a, total, f, ranks.get((index, a.year))))
        changes = [(cur.year, cur.assessment.version.label) for prev, cur in zip(points, points[1:])
                   if prev.assessment.version_id != cur.assessment.version_id]
        latest = points[-1]
        codes = sorted(latest.fields.items(), key=lambda kv: [int(x) if x.isdigit() else x for x in kv[0].split(".")])
        trends.append(Trend(index, items[-1].version.framework.name, points, changes,
                            [(code, name) for code, (name, _, _) in codes]))
    return trends
