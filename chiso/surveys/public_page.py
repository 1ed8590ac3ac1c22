"""A province's public results page (/cong-khai/<slug>/, no login): the indices, levels and years
its coordinator chose — published national results, results per unit and year (internal index
included), the SIPAS campaigns made public — with charts. Rendered once and cached."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Avg, Sum
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string

from chiso.frameworks.models import IndexKind
from chiso.scores.models import Assessment, PublishedResult, Score
from chiso.units.models import Unit

from .charts import percent_bars, trend
from .models import Campaign, Publication
from .selectors import campaign_results

CACHE_SECONDS = 300


@dataclass
class IndexSection:
    index: str
    label: str
    national: list = field(default_factory=list)  # PublishedResult of the province per year
    units: list = field(default_factory=list)  # (unit, {year: total})
    years: list = field(default_factory=list)
    chart: str = ""


def _unit_totals(owner: Unit, index: str, years: list[int], levels: list[str]) -> tuple[list, list[int]]:
    assessments = Assessment.objects.filter(unit__root=owner, version__framework__index=index)
    if years:
        assessments = assessments.filter(year__in=years)
    if levels:
        assessments = assessments.filter(unit__kind__in=levels)
    assessments = list(assessments.select_related("unit", "version"))
    top = Score.objects.filter(assessment__in=[a.pk for a in assessments], criterion__parent__isnull=True)
    sums = dict(top.values("assessment").annotate(v=Sum("score")).values_list("assessment", "v"))
    means = dict(top.values("assessment").annotate(v=Avg("score")).values_list("assessment", "v"))
    table: dict[int, dict] = defaultdict(dict)
    units: dict[int, Unit] = {}
    for a in assessments:
        value = a.printed_total
        if value is None:
            value = means.get(a.pk) if a.version.aggregation == "mean" else sums.get(a.pk)
        if value is None:
            continue
        table[a.unit_id][a.year] = Decimal(value).quantize(Decimal("0.01"))
        units[a.unit_id] = a.unit
    all_years = sorted({y for row in table.values() for y in row})
    rows = sorted(((units[k], v) for k, v in table.items()), key=lambda r: (r[0].kind != "province", r[0].name))
    return rows, all_years


def page_context(pub: Publication) -> dict:
    owner = pub.owner
    owners = [owner.pk] + list(Unit.objects.filter(successor=owner, parent__isnull=True).values_list("pk", flat=True))
    sections = []
    for index, label in IndexKind.choices:
        if pub.indices and index not in pub.indices:
            continue
        section = IndexSection(index, label)
        national = PublishedResult.objects.filter(index=index, unit_id__in=owners)
        if pub.years:
            national = national.filter(year__in=pub.years)
        section.national = list(national.order_by("year"))
        section.units, section.years = _unit_totals(owner, index, pub.years, pub.levels)
        section.chart = trend(owner.name, [(r.year, r.total) for r in section.national if r.total is not None],
                              f"{label} qua các năm", "%" if index == IndexKind.SIPAS else "")
        if section.national or section.units:
            sections.append(section)
    surveys = []
    if not pub.indices or IndexKind.SIPAS in pub.indices:
        campaigns = Campaign.objects.filter(owner=owner, results_public=True).select_related("questionnaire")
        if pub.years:
            campaigns = campaigns.filter(year__in=pub.years)
        for campaign in campaigns[:10]:
            results = campaign_results(campaign)
            rows = [r for r in results.units if r.shown and (not pub.levels or r.cu.unit.kind in pub.levels)]
            chart = percent_bars([(r.cu.unit.name, r.result.overall.value) for r in rows],
                                 "Chỉ số hài lòng theo đơn vị (%)")
            surveys.append({"campaign": campaign, "r": results, "rows": rows, "chart": chart})
    return {"owner": owner, "sections": sections, "surveys": surveys}


def results_page(request, slug: str):
    pub = Publication.objects.filter(slug=slug, enabled=True).select_related("owner").first()
    if pub is None:
        raise Http404
    key = f"surveys:public:{pub.slug}:{pub.revision}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("surveys/public_results.html", page_context(pub))
        cache.set(key, html, CACHE_SECONDS)
    response = HttpResponse(html)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
