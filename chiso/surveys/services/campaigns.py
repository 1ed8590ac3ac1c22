"""Campaigns: creating one, its state, its units and their targets; printed tokens and email invitations."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from chiso.common.actors import acting_user, by_actor
from chiso.common.errors import ServiceError
from chiso.units.models import Unit

from ..models import Campaign, CampaignState, CampaignUnit, Questionnaire, RespondentToken, Response, TokenKind
from ..policies import can_enter_responses, can_manage_surveys, owns_province, require_permission
from .base import MAX_INVITES, MAX_TOKENS_PER_BATCH, _check_definition

# -- campaigns ---------------------------------------------------------------------------------


@dataclass


class CampaignInput:
    name: str
    year: int | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    margin: Decimal | None = Decimal("0.05")
    device_limit: int = 1


def _campaign_problems(data: CampaignInput) -> list[str]:
    problems = []
    if not data.name.strip():
        problems.append("Cần ghi tên đợt khảo sát, ví dụ “Khảo sát SIPAS năm 2025”.")
    if data.year is None or not 2000 <= data.year <= 2100:
        problems.append("Năm đánh giá phải là một năm từ 2000 đến 2100.")
    if data.starts_on is None or data.ends_on is None:
        problems.append("Cần ghi thời gian thu phiếu từ ngày – đến ngày.")
    elif data.starts_on > data.ends_on:
        problems.append(f"Ngày bắt đầu ({data.starts_on:%d/%m/%Y}) sau ngày kết thúc ({data.ends_on:%d/%m/%Y}).")
    if data.margin is None or not Decimal("0.01") <= data.margin <= Decimal("0.2"):
        problems.append("Sai số cho phép e phải từ 0,01 đến 0,2 (thường là 0,05).")
    if not 1 <= data.device_limit <= 50:
        problems.append("Số phiếu mỗi thiết bị phải từ 1 đến 50.")
    return problems


def campaign_create(*, actor, owner: Unit, questionnaire: Questionnaire, data: CampaignInput) -> Campaign:
    require_permission(can_manage_surveys(actor) and owns_province(actor, owner))
    if questionnaire.owner_id is not None and not owns_province(actor, questionnaire.owner):
        raise ServiceError("Phiếu khảo sát này thuộc tỉnh khác.")
    problems = _campaign_problems(data)
    if problems:
        raise ServiceError("Chưa tạo được đợt khảo sát.", details=problems)
    _check_definition(questionnaire.definition)
    province = owner if owner.parent_id is None else owner.root
    with transaction.atomic():
        campaign = by_actor(Campaign(owner=province, questionnaire=questionnaire, name=data.name.strip()[:255],
                                       year=data.year, starts_on=data.starts_on, ends_on=data.ends_on,
                                       margin=data.margin, device_limit=data.device_limit,
                                       created_by=acting_user(actor)), actor)
        campaign.save()
    return campaign


def campaign_set_state(*, actor, campaign: Campaign, state: str) -> Campaign:
    require_permission(can_manage_surveys(actor) and owns_province(actor, campaign.owner))
    if state not in CampaignState.values:
        raise ServiceError(f"Trạng thái '{state}' không có.")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if state == CampaignState.OPEN and not campaign.units.exists():
            raise ServiceError("Đợt khảo sát chưa có đơn vị nào: hãy thêm đơn vị trước khi mở thu phiếu.")
        if campaign.state != state:
            campaign.state = state
            campaign.revision += 1
            by_actor(campaign, actor).save()
    return campaign


def campaign_set_public(*, actor, campaign: Campaign, public: bool) -> Campaign:
    require_permission(can_manage_surveys(actor) and owns_province(actor, campaign.owner))
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.results_public != public:
            campaign.results_public = public
            by_actor(campaign, actor).save()
    return campaign


@dataclass


class UnitRow:
    unit: Unit | None
    dossiers: int | None
    where: str = ""
    name: str = ""


def campaign_units_save(*, actor, campaign: Campaign, rows: list[UnitRow]) -> tuple[int, int]:
    """Adds units to a campaign and sets their settled dossiers (N); refused whole if a row is wrong.

    Returns (added, updated)."""
    require_permission(can_manage_surveys(actor) and owns_province(actor, campaign.owner))
    problems, seen = [], {}
    for row in rows:
        where = f"{row.where}: " if row.where else ""
        if row.unit is None:
            problems.append(f"{where}không tìm thấy đơn vị “{row.name}” trong tỉnh")
            continue
        if (row.unit.root_id or row.unit.pk) != campaign.owner_id:
            problems.append(f"{where}{row.unit.name} không thuộc {campaign.owner.name}")
        if row.unit.pk in seen:
            problems.append(f"{where}{row.unit.name} đã có ở {seen[row.unit.pk] or 'dòng trước'}")
        seen[row.unit.pk] = row.where
        if row.dossiers is not None and not 0 <= row.dossiers <= 10_000_000:
            problems.append(f"{where}số hồ sơ {row.dossiers} của {row.unit.name} không hợp lệ")
    if problems:
        raise ServiceError(f"Chưa lưu danh sách đơn vị: có {len(problems)} lỗi.", details=problems)
    added = updated = 0
    with transaction.atomic():
        existing = {cu.unit_id: cu for cu in CampaignUnit.objects.select_for_update().filter(campaign=campaign)}
        for row in rows:
            cu = existing.get(row.unit.pk)
            if cu is None:
                by_actor(CampaignUnit(campaign=campaign, unit=row.unit, dossiers=row.dossiers), actor).save()
                added += 1
            elif cu.dossiers != row.dossiers:
                cu.dossiers = row.dossiers
                by_actor(cu, actor).save()
                updated += 1
    return added, updated


def campaign_unit_remove(*, actor, campaign_unit: CampaignUnit) -> None:
    require_permission(can_manage_surveys(actor) and owns_province(actor, campaign_unit.campaign.owner))
    with transaction.atomic():
        if Response.objects.filter(campaign_unit=campaign_unit).exists():
            raise ServiceError(f"{campaign_unit.unit.name} đã có phiếu trả lời: không gỡ khỏi đợt khảo sát được.")
        by_actor(campaign_unit, actor).delete()


# -- tokens and invitations ------------------------------------------------------------------------


def tokens_issue(*, actor, campaign_unit: CampaignUnit, count: int) -> int:
    """A new batch of single-use printed tokens for a unit; returns the batch number."""
    require_permission(can_enter_responses(actor, campaign_unit))
    if not 1 <= count <= MAX_TOKENS_PER_BATCH:
        raise ServiceError(f"Số mã mỗi lần in phải từ 1 đến {MAX_TOKENS_PER_BATCH}.")
    if campaign_unit.campaign.state == CampaignState.CLOSED:
        raise ServiceError("Đợt khảo sát đã kết thúc: không in thêm mã.")
    with transaction.atomic():
        CampaignUnit.objects.select_for_update().filter(pk=campaign_unit.pk).first()
        batch = (RespondentToken.objects.filter(campaign_unit=campaign_unit, kind=TokenKind.PRINTED)
                 .aggregate(b=Max("batch"))["b"] or 0) + 1
        RespondentToken.objects.bulk_create(
            [RespondentToken(campaign_unit=campaign_unit, kind=TokenKind.PRINTED, batch=batch) for _ in range(count)])
    return batch


def invitations_send(*, actor, campaign_unit: CampaignUnit, emails: list[str], link_for) -> int:
    """One single-use invitation per address (an address already invited is not invited twice);
    `link_for(key)` gives the absolute URL of the form. Returns how many were sent."""
    require_permission(can_manage_surveys(actor) and owns_province(actor, campaign_unit.campaign.owner))
    campaign = Campaign.objects.select_related("owner").get(pk=campaign_unit.campaign_id)  # its state now
    if campaign.state != CampaignState.OPEN:
        raise ServiceError("Chỉ gửi thư mời khi đợt khảo sát đang thu phiếu.")
    cleaned, problems = [], []
    for i, raw in enumerate(emails, start=1):
        address = raw.strip().lower()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            problems.append(f"Dòng {i}: “{raw.strip()[:80]}” không phải địa chỉ thư điện tử")
            continue
        if address not in cleaned:
            cleaned.append(address)
    if len(cleaned) > MAX_INVITES:
        problems.append(f"Tối đa {MAX_INVITES} địa chỉ mỗi lần gửi.")
    if problems:
        raise ServiceError("Chưa gửi thư mời nào.", details=problems)
    if not cleaned:
        raise ServiceError("Chưa có địa chỉ thư điện tử nào.")
    with transaction.atomic():
        invited = set(RespondentToken.objects.filter(campaign_unit__campaign=campaign, kind=TokenKind.INVITE,
                                                     email__in=cleaned).values_list("email", flat=True))
        new = [RespondentToken(campaign_unit=campaign_unit, kind=TokenKind.INVITE, email=a, sent_at=timezone.now())
               for a in cleaned if a not in invited]
        RespondentToken.objects.bulk_create(new)
        subject = f"Mời tham gia khảo sát: {campaign.name}"
        messages = [(subject, _invitation_text(campaign, link_for(t.key)), settings.DEFAULT_FROM_EMAIL, [t.email])
                    for t in new]
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(new)


def _invitation_text(campaign: Campaign, link: str) -> str:
    return (f"Kính gửi ông/bà,\n\n{campaign.owner.name} tổ chức {campaign.name} "
            f"(từ ngày {campaign.starts_on:%d/%m/%Y} đến ngày {campaign.ends_on:%d/%m/%Y}).\n"
            f"Xin ông/bà dành ít phút trả lời phiếu khảo sát tại:\n\n{link}\n\n"
            "Phiếu không ghi tên: câu trả lời không gắn với địa chỉ thư này. Đường dẫn chỉ dùng được một lần.\n")
