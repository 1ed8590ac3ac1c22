"""API of surveys at /api/surveys/: questionnaires, campaigns with their progress, results;
the raw (anonymous) responses only for coordinators. Same scope as the pages."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from .policies import (DENIED, campaign_or_404, campaigns_visible_to, can_manage_surveys, can_read_results,
                       questionnaires_visible_to)
from .selectors import campaign_progress, campaign_results, unit_element_cells

router = Router(tags=["Khảo sát"])


class QuestionnaireOut(Schema):
    id: str
    code: str
    version: int
    title: str
    audience: str
    template: bool
    owner_id: str | None
    definition: dict


class UnitProgressOut(Schema):
    unit_id: str
    unit_name: str
    dossiers: int | None
    target: int | None
    received: int


class CampaignOut(Schema):
    id: str
    name: str
    year: int
    starts_on: dt.date
    ends_on: dt.date
    state: str
    margin: Decimal
    questionnaire_id: str
    units: list[UnitProgressOut] = []


class CellOut(Schema):
    code: str
    name: str
    n: int
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None


class UnitResultOut(Schema):
    unit_id: str
    unit_name: str
    respondents: int
    rank: int | None
    overall: CellOut | None
    previous: Decimal | None
    elements: list[CellOut | None]


class ResultsOut(Schema):
    campaign_id: str
    respondents: int
    overall: CellOut
    elements: list[CellOut]
    items: list[CellOut]
    units: list[UnitResultOut]
    min_cell: int


class ResponseOut(Schema):
    unit_id: str
    channel: str
    submitted_on: dt.date
    answers: dict


def _cell(code, name, cell) -> dict | None:
    if cell is None:
        return None
    return {"code": code, "name": name, "n": cell.n, "value": cell.value, "low": cell.low, "high": cell.high}


def _questionnaire(q) -> dict:
    return {"id": q.public_id, "code": q.code, "version": q.version, "title": q.title, "audience": q.audience,
            "template": q.is_template, "owner_id": q.owner.public_id if q.owner_id else None, "definition": q.definition}


@router.get("/surveys/questionnaires", response=list[QuestionnaireOut], summary="Phiếu khảo sát (mẫu và của tỉnh)")
def list_questionnaires(request):
    return [_questionnaire(q) for q in questionnaires_visible_to(request.user).select_related("owner")]


@router.get("/surveys/questionnaires/{questionnaire_id}", response=QuestionnaireOut, summary="Một phiếu khảo sát")
def get_questionnaire(request, questionnaire_id: str):
    return _questionnaire(get_object_or_404(questionnaires_visible_to(request.user).select_related("owner"),
                                            public_id=questionnaire_id))


def _campaign(c, progress=None) -> dict:
    out = {"id": c.public_id, "name": c.name, "year": c.year, "starts_on": c.starts_on, "ends_on": c.ends_on,
           "state": c.state, "margin": c.margin, "questionnaire_id": c.questionnaire.public_id}
    if progress is not None:
        out["units"] = [{"unit_id": p.cu.unit.public_id, "unit_name": p.cu.unit.name, "dossiers": p.cu.dossiers,
                         "target": p.target, "received": p.received} for p in progress]
    return out


@router.get("/surveys/campaigns", response=list[CampaignOut], summary="Các đợt khảo sát")
def list_campaigns(request):
    return [_campaign(c) for c in campaigns_visible_to(request.user).select_related("questionnaire")[:500]]


@router.get("/surveys/campaigns/{campaign_id}", response=CampaignOut, summary="Một đợt khảo sát và tiến độ thu phiếu")
def get_campaign(request, campaign_id: str):
    campaign = campaign_or_404(request.user, campaign_id)
    return _campaign(campaign, campaign_progress(campaign))


@router.get("/surveys/campaigns/{campaign_id}/results", response=ResultsOut,
            summary="Kết quả: chỉ số theo nội dung, yếu tố, đơn vị, chung, với n và khoảng tin cậy 95 %")
def get_results(request, campaign_id: str):
    campaign = campaign_or_404(request.user, campaign_id)
    if not can_read_results(request.user):
        raise PermissionDenied
    r = campaign_results(campaign)
    units = []
    for row in r.units:
        units.append({
            "unit_id": row.cu.unit.public_id, "unit_name": row.cu.unit.name, "respondents": row.respondents,
            "rank": row.rank, "previous": row.previous,
            "overall": _cell("overall", "Chỉ số chung", row.result.overall) if row.shown else None,
            "elements": [_cell(e.code, e.name, c) for (e, _), c in zip(r.elements, unit_element_cells(r, row))],
        })
    return {"campaign_id": campaign.public_id, "respondents": r.respondents, "min_cell": r.min_cell,
            "overall": _cell("overall", "Chỉ số chung", r.total.overall),
            "elements": [_cell(e.code, e.name, c) for e, c in r.elements],
            "items": [_cell(q.code, q.text, c) for q, c in r.items], "units": units}


@router.get("/surveys/campaigns/{campaign_id}/responses", response=list[ResponseOut],
            summary="Phiếu trả lời (ẩn danh; chỉ Sở Nội vụ)")
def list_responses(request, campaign_id: str, offset: int = 0, limit: int = 1000):
    campaign = campaign_or_404(request.user, campaign_id)
    if not can_manage_surveys(request.user):
        raise PermissionDenied(DENIED)
    limit = max(1, min(limit, 5000))
    units = {cu.pk: cu.unit.public_id for cu in campaign.units.select_related("unit")}
    rows = (campaign.responses.order_by("pk").values_list("campaign_unit_id", "channel", "submitted_on", "answers")
            [max(0, offset):max(0, offset) + limit])
    return [{"unit_id": units[cu], "channel": ch, "submitted_on": day, "answers": answers}
            for cu, ch, day, answers in rows]
