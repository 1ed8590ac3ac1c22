"""Answering: what a public key opens, storing one anonymous response exactly once, staff entry of paper forms."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from chiso.core import questionnaire as qdef
from chiso.core.survey_math import encode_levels

from ..models import Campaign, CampaignState, CampaignUnit, Channel, RespondentToken, Response, TokenKind
from ..policies import can_enter_responses, require_permission
from .base import MAX_SERIAL, AnswerErrors, Refused


def encoded(spec: qdef.Definition, answers: dict) -> str:
    return encode_levels(answers, list(spec.rated_items()), spec.levels())


# -- answering ---------------------------------------------------------------------------------


@dataclass


class Entry:
    """What a public key opens: a single-use token, or a unit's open link."""

    campaign_unit: CampaignUnit
    token: RespondentToken | None

    @property
    def channel(self) -> str:
        if self.token is None:
            return Channel.OPEN
        return Channel.INVITE if self.token.kind == TokenKind.INVITE else Channel.PRINTED


def entry_for_key(key: str) -> Entry | None:
    key = (key or "").strip().lower()
    if not key or len(key) > 24:
        return None
    token = (RespondentToken.objects.select_related("campaign_unit__campaign__questionnaire", "campaign_unit__unit",
                                                    "campaign_unit__campaign__owner").filter(key=key).first())
    if token is not None:
        return Entry(token.campaign_unit, token)
    cu = (CampaignUnit.objects.select_related("campaign__questionnaire", "campaign__owner", "unit")
          .filter(open_key=key, open_link=True).first())
    return Entry(cu, None) if cu is not None else None


def entry_refusal(entry: Entry, today: dt.date) -> str:
    """Why this key cannot be answered now ('' if it can)."""
    campaign = entry.campaign_unit.campaign
    if entry.token is not None and entry.token.used:
        return "Mã này đã được dùng để gửi một phiếu. Mỗi mã chỉ dùng được một lần."
    if campaign.state == CampaignState.DRAFT or today < campaign.starts_on:
        return f"Đợt khảo sát “{campaign.name}” chưa bắt đầu nhận phiếu (từ ngày {campaign.starts_on:%d/%m/%Y})."
    if campaign.state == CampaignState.CLOSED or today > campaign.ends_on:
        return f"Đợt khảo sát “{campaign.name}” đã kết thúc."
    return ""


def response_submit(*, entry: Entry, data, today: dt.date, receipt: str = "", device_count: int = 0) -> Response:
    """Stores one anonymous response exactly once; the token (if any) is spent in the same transaction."""
    refusal = entry_refusal(entry, today)
    if refusal:
        raise Refused(refusal)
    campaign = entry.campaign_unit.campaign
    if entry.token is None and device_count >= campaign.device_limit:
        raise Refused("Thiết bị này đã gửi đủ số phiếu cho phép qua đường dẫn chung. Xin cảm ơn ông/bà.")
    spec = campaign.questionnaire.spec
    answers, errors = qdef.clean(spec, data)
    if errors:
        raise AnswerErrors(errors)
    receipt = (receipt or "")[:32] or None
    try:
        with transaction.atomic():
            if entry.token is not None:
                spent = RespondentToken.objects.filter(pk=entry.token.pk, used=False).update(used=True)
                if spent != 1:
                    raise Refused("Mã này đã được dùng để gửi một phiếu. Mỗi mã chỉ dùng được một lần.")
            return Response.objects.create(campaign=campaign, campaign_unit=entry.campaign_unit, channel=entry.channel,
                                           submitted_on=today, answers=answers, levels=encoded(spec, answers),
                                           receipt=receipt if entry.token is None else None)
    except IntegrityError:
        raise Refused("Phiếu này đã được ghi nhận (gửi lại lần hai không tạo thêm phiếu).") from None


def response_enter(*, actor, campaign_unit: CampaignUnit, serial: str, data, today: dt.date) -> Response:
    """A paper form keyed in by staff, under its serial number: the same number twice is refused."""
    require_permission(can_enter_responses(actor, campaign_unit),
                       "Chỉ cán bộ của đơn vị được khảo sát hoặc Sở Nội vụ được nhập phiếu giấy.")
    campaign = Campaign.objects.select_related("questionnaire").get(pk=campaign_unit.campaign_id)  # its state now
    if campaign.state != CampaignState.OPEN:
        raise Refused(f"Đợt khảo sát “{campaign.name}” không ở trạng thái thu phiếu.")
    serial = " ".join((serial or "").split()).upper()
    if not serial:
        raise AnswerErrors({"serial": "Cần ghi số phiếu in trên phiếu giấy."})
    if len(serial) > MAX_SERIAL:
        raise AnswerErrors({"serial": f"Số phiếu tối đa {MAX_SERIAL} ký tự."})
    spec = campaign.questionnaire.spec
    answers, errors = qdef.clean(spec, data)
    if errors:
        raise AnswerErrors(errors)
    try:
        with transaction.atomic():
            return Response.objects.create(campaign=campaign, campaign_unit=campaign_unit, channel=Channel.ENTRY,
                                           submitted_on=today, answers=answers, levels=encoded(spec, answers),
                                           serial=serial, entered_by=actor)
    except IntegrityError:
        raise AnswerErrors({"serial": f"Phiếu số {serial} của {campaign_unit.unit.name} đã được nhập trước đó: "
                                      "không nhập lần hai."}) from None
