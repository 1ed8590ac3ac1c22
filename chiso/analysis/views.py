"""Read pages of the analysis: units with results, a unit-year's gap, trends, national tables."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from chiso.common.fragments import cached_fragment
from chiso.common.pages import cached_page
from chiso.core.svg import bar_chart, radar_chart
from chiso.frameworks.models import IndexKind
from chiso.frameworks.policies import versions_visible_to
from chiso.plans.selectors import METHOD_LABELS
from chiso.scores.models import Assessment, PublishedResult, ResultsTable
from chiso.scores.policies import may_replace_national_tables, tables_visible_to

from .labels import chart_label
from .policies import (assessment_or_404, assessments_visible_to, can_edit_results, can_import_tables, unit_or_404,
                       units_visible_to)
from .selectors import unit_year_gap
from .trends import unit_trends


@login_required
def home(request):
    assessments = (assessments_visible_to(request.user).select_related("unit", "version__framework")
                   .order_by("unit__name", "-year")[:500])
    units: dict[int, dict] = {}
    for a in assessments:
        units.setdefault(a.unit_id, {"unit": a.unit, "assessments": []})["assessments"].append(a)
    tables = (PublishedResult.objects.values("index", "year").annotate(n=Count("id"), top=Max("total"))
              .order_by("index", "-year"))
    return render(request, "analysis/home.html", {"units": list(units.values()), "tables": tables,
                                                  "can_import": can_import_tables(request.user)})


@login_required
def unit_detail(request, public_id: str):
    unit = unit_or_404(request.user, public_id)
    assessments = list(Assessment.objects.filter(unit=unit).select_related("version__framework").order_by("-year"))
    trends = unit_trends(unit)
    versions = versions_visible_to(request.user).filter(
        Q(framework__owner__isnull=True) | Q(framework__owner_id=unit.root_id)).select_related("framework")
    return render(request, "analysis/unit_detail.html", {
        "unit": unit, "assessments": assessments, "trends": trends, "versions": versions.distinct(),
        "can_edit": can_edit_results(request.user),
    })


def _charts(data) -> dict:
    gap = data.gap
    if gap is None:
        return {}
    fields = sorted(data.fields, key=lambda f: [int(p) if p.isdigit() else p for p in f.code.split(".")])
    axes = [chart_label(f.code, f.name) for f in fields]
    series = [(str(data.assessment.year), [f.share for f in fields])]
    if data.previous is not None and any(f.previous is not None and f.comparable for f in fields):
        series.insert(0, (str(data.previous.year), [f.previous / f.max_points if f.previous is not None and
                                                    f.comparable and f.max_points else None for f in fields]))
    return {
        "bar": bar_chart([(chart_label(g.code, g.name), g.lost, g.max_points) for g in gap.fields],
                         title="Điểm bị mất theo lĩnh vực", value_label="điểm bị mất / điểm tối đa", label_width=300),
        "radar": radar_chart(axes, series, title="Tỷ lệ điểm đạt của từng lĩnh vực"),
    }


@login_required
@cached_page("gap")
def gap(request, public_id: str):
    assessment = assessment_or_404(request.user, public_id)

    def body_html() -> str:  # the same for every reader of the assessment
        data = unit_year_gap(assessment)
        methods = sorted((data.gap.lost_by_method.items() if data.gap else []), key=lambda kv: -kv[1])
        return render_to_string("analysis/gap.html#body", {
            "d": data, "charts": _charts(data), "methods": [(METHOD_LABELS.get(m, m), m, v) for m, v in methods]})

    return render(request, "analysis/gap.html", {
        "a": assessment, "body_html": mark_safe(cached_fragment("gap", (assessment.pk,), body_html)),
        "can_edit": can_edit_results(request.user), "next_year": assessment.year + 1,
    })


@login_required
def rankings(request):
    tables = (PublishedResult.objects.values("index", "year").annotate(n=Count("id"), top=Max("total"))
              .order_by("index", "-year"))
    private = (tables_visible_to(request.user).filter(owner__isnull=False).select_related("owner", "current")
               .order_by("index", "-year", "name"))
    return render(request, "analysis/rankings.html", {
        "tables": tables, "indexes": IndexKind.choices, "private": private,
        "can_import": can_import_tables(request.user), "can_national": may_replace_national_tables(request.user)})


@login_required
def ranking(request, index: str, year: int):
    from chiso.core.ranking import competition_ranks

    lines = list(PublishedResult.objects.filter(index=index, year=year).select_related("unit"))
    computed = competition_ranks({r.pk: r.total for r in lines if r.total is not None})
    complete = bool(lines) and all(r.total is not None for r in lines)
    # A province outside the user's scope is named, not linked: its page would answer 404.
    visible = set(units_visible_to(request.user).filter(pk__in={r.unit_id for r in lines if r.unit_id})
                  .values_list("pk", flat=True))
    rows = sorted(({"r": r, "computed": computed.get(r.pk), "linked": r.unit_id in visible} for r in lines),
                  key=lambda x: (x["r"].rank or x["computed"] or 999, x["r"].unit_name))
    return render(request, "analysis/ranking.html", {
        "index": index, "index_label": dict(IndexKind.choices).get(index, index), "year": year, "rows": rows,
        "complete": complete, "can_import": can_import_tables(request.user),
        "table": ResultsTable.objects.filter(index=index, year=year, owner__isnull=True).first(),
        "mismatch": [x for x in rows if x["r"].rank and x["computed"] and complete and x["r"].rank != x["computed"]],
    })
