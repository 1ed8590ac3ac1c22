"""Writes: each `<thing>_<verb>(*, actor, ...)` checks its actor and runs in one transaction.

Answering is the one write without an account: `response_submit` takes the token (a printed
or emailed single-use key, or a unit's open-link key) as its credential.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mass_mail
from django.core.validators import validate_email
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from chiso.common.actors import acting_user, by_actor
from chiso.common.errors import ServiceError
from chiso.core import questionnaire as qdef
from chiso.core.survey_math import MIN_CELL, encode_levels
from chiso.units.models import Unit

from .models import (Campaign, CampaignState, CampaignUnit, Channel, Publication, Questionnaire, RespondentToken,
                     Response, TokenKind)
from .policies import can_enter_responses, can_manage_surveys, owns_province, require_permission

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "surveys"
MAX_TOKENS_PER_BATCH = 600  # 50 printed pages of 12
MAX_INVITES = 500
MAX_SERIAL = 32


class AnswerErrors(ServiceError):
    """A form with wrong or missing answers: `errors` maps question codes to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(f"Phiếu chưa được gửi: còn {len(errors)} câu cần xem lại.", details=list(errors.values()))
        self.errors = errors


class Refused(ServiceError):
    """A token that cannot be used (spent, unknown, campaign closed): nothing was stored."""


def _check_definition(definition) -> qdef.Definition:
    try:
        return qdef.validate(definition)
    except qdef.DefinitionError as exc:
        raise ServiceError(f"Phiếu khảo sát chưa hợp lệ: có {len(exc.problems)} lỗi.", details=exc.problems) from None


# -- questionnaires ----------------------------------------------------------------------------

def bundled_questionnaires_load(*, actor=None) -> list[Questionnaire]:
    """The shipped templates (no owner, read-only): created once, updated while nobody answered them."""
    out = []
    with transaction.atomic():
        for path in sorted(BUNDLED.glob("*.json")):
            raw = json.loads(path.read_text(encoding="utf-8"))
            spec = _check_definition(raw)
            current = Questionnaire.objects.filter(owner=None, code=raw["code"]).order_by("-version").first()
            if current is None:
                current = by_actor(Questionnaire(owner=None, code=raw["code"], label=raw.get("label", ""),
                                                   title=spec.title, audience=spec.audience, definition=raw), actor)
                current.save()
            elif current.definition != raw:
                current.definition, current.title, current.audience = raw, spec.title, spec.audience
                current.label = raw.get("label", "")
                current.revision += 1
                by_actor(current, actor).save()
            out.append(current)
    return out


def questionnaire_copy(*, actor, source: Questionnaire, owner: Unit, title: str = "") -> Questionnaire:
    """An editable copy for the province: a new code's version 1, or the next version of the same code."""
    require_permission(can_manage_surveys(actor) and owns_province(actor, owner))
    province = owner if owner.parent_id is None else owner.root
    with transaction.atomic():
        definition = dict(source.definition)
        if title.strip():
            definition["title"] = title.strip()[:300]
        spec = _check_definition(definition)
        last = Questionnaire.objects.filter(owner=province, code=source.code).aggregate(v=Max("version"))["v"] or 0
        copy = by_actor(Questionnaire(owner=province, code=source.code, version=last + 1, label=source.label,
                                        title=spec.title, audience=spec.audience, definition=definition,
                                        based_on=source), actor)
        copy.save()
    return copy


def questionnaire_save(*, actor, questionnaire: Questionnaire, definition: dict, revision: int) -> Questionnaire:
    """Saves a new content. A questionnaire already answered is frozen: the change becomes the next version
    (returned); a template cannot be changed; a form opened before another save is refused."""
    require_permission(can_manage_surveys(actor))
    if questionnaire.is_template:
        raise ServiceError("Phiếu mẫu dùng chung không sửa được: hãy tạo bản sao cho tỉnh rồi sửa bản sao.")
    require_permission(owns_province(actor, questionnaire.owner))
    definition = {**definition, "code": questionnaire.code, "label": definition.get("label", questionnaire.label)}
    spec = _check_definition(definition)
    with transaction.atomic():
        current = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if current.revision != revision:
            raise ServiceError("Phiếu vừa được người khác lưu sau khi anh/chị mở trang: nội dung anh/chị sửa CHƯA "
                               "được lưu. Hãy mở lại trang và sửa lại.")
        if current.is_frozen:
            last = Questionnaire.objects.filter(owner=current.owner, code=current.code).aggregate(v=Max("version"))["v"]
            target = Questionnaire(owner=current.owner, code=current.code, version=last + 1, based_on=current)
        else:
            target = current
            target.revision += 1
        target.definition, target.title, target.audience = definition, spec.title, spec.audience
        target.label = str(definition.get("label") or "")[:128]
        by_actor(target, actor).save()
    return target


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


# -- public page ---------------------------------------------------------------------------------

def publication_save(*, actor, owner: Unit, enabled: bool, indices: list[str], years: list[int], levels: list[str],
                     revision: int) -> Publication:
    from chiso.frameworks.models import IndexKind
    from chiso.units.models import UnitKind

    require_permission(can_manage_surveys(actor) and owns_province(actor, owner))
    problems = [f"Chỉ số '{i}' không có" for i in indices if i not in IndexKind.values]
    problems += [f"Cấp đơn vị '{k}' không có" for k in levels if k not in UnitKind.values]
    problems += [f"Năm {y} không hợp lệ" for y in years if not 2000 <= y <= 2100]
    if problems:
        raise ServiceError("Chưa lưu cài đặt trang công khai.", details=problems)
    with transaction.atomic():
        pub, _ = Publication.objects.select_for_update().get_or_create(owner=owner)
        if pub.revision != revision:
            raise ServiceError("Cài đặt vừa được người khác lưu sau khi anh/chị mở trang: hãy mở lại trang.")
        pub.enabled, pub.indices, pub.years, pub.levels = enabled, sorted(set(indices)), sorted(set(years)), \
            sorted(set(levels))
        pub.revision += 1
        by_actor(pub, actor).save()
    return pub


# -- feeding the indices -------------------------------------------------------------------------

def campaign_results_feed(*, actor, campaign: Campaign) -> tuple[int, int]:
    """Writes the campaign's results as the province's own measurement of the questionnaire's
    framework (the `self_score` of its criteria: SIPAS elements, or PAR criteria measured by survey)
    and offers each unit's points to the internal index (signal `survey_points_ready`).

    A criterion's points are its index (%) × its max points; cells under MIN_CELL answers are
    left out. Returns (criteria written for the province, unit points offered)."""
    from chiso.common.signals import SurveyPoint, survey_points_ready
    from chiso.frameworks.models import Criterion, FrameworkVersion
    from chiso.scores.services import ScoreInput, assessment_get_or_create, scores_save

    from .selectors import campaign_results

    require_permission(can_manage_surveys(actor) and owns_province(actor, campaign.owner))
    results = campaign_results(campaign)
    spec = results.spec
    if not spec.framework:
        raise ServiceError("Phiếu khảo sát không ghi bộ chỉ số mà kết quả đo (khóa “framework”).")
    # a national framework (SIPAS, PAR INDEX) or the province's own internal index
    version = (FrameworkVersion.objects.filter(framework__code=spec.framework, first_year__lte=campaign.year)
               .filter(Q(framework__owner__isnull=True) | Q(framework__owner=campaign.owner))
               .filter(Q(last_year__isnull=True) | Q(last_year__gte=campaign.year)).select_related("framework").first())
    if version is None:
        raise ServiceError(f"Không có bộ chỉ số “{spec.framework}” áp dụng cho năm {campaign.year}.")

    def cells(group) -> dict[str, tuple]:
        out = {}
        for e in spec.elements:
            cell = group.elements.get(e.code)
            if e.criterion and cell is not None and cell.shown:
                out[e.criterion] = cell
        for q in spec.questions:
            cell = group.items.get(q.code)
            if q.criterion and cell is not None and cell.shown:
                out[q.criterion] = cell
        return out

    maxima = dict(Criterion.objects.filter(version=version).values_list("code", "max_points"))
    source = f"Khảo sát {campaign.name} (chiso)"
    province_cells = {code: c for code, c in cells(results.total).items() if code in maxima}
    if not province_cells:
        raise ServiceError(f"Chưa có chỉ số nào đủ {MIN_CELL} phiếu để đưa vào bộ chỉ số.")
    rows: list = []
    with transaction.atomic():
        if version.framework.owner_id is None:  # the internal index takes unit points only (the signal)
            assessment = assessment_get_or_create(actor=actor, unit=campaign.owner, version=version,
                                                  year=campaign.year, source=source)
            rows = [ScoreInput(code=code, self_score=(c.value * maxima[code] / 100).quantize(Decimal("0.0001")),
                               fields=("self_score",)) for code, c in province_cells.items()]
            scores_save(actor=actor, assessment=assessment, rows=rows, source=source)
        points = [SurveyPoint(r.cu.unit_id, code, c.value, c.n, source)
                  for r in results.units if r.result is not None
                  for code, c in cells(r.result).items()]
        transaction.on_commit(lambda: survey_points_ready.send(
            sender=Campaign, actor=actor, year=campaign.year, framework=spec.framework, points=points))
    return len(rows), len(points)


# -- PAPI ----------------------------------------------------------------------------------------

@dataclass
class PapiReport:
    year: int
    lines: int = 0
    matched: int = 0
    assessments: list = None
    unmatched: list = None


def papi_results_import(*, actor, year: int, content: bytes, file_name: str) -> PapiReport:
    """A published PAPI table: the national line of each province (total, rank) into the results
    tables, and the dimension and sub-dimension scores of the provinces in the actor's scope as
    their PAPI results of the year — so that gap, trends and targets work on PAPI as on PAR.
    Refused whole on any wrong line."""
    from chiso.core.matching import NameMatcher
    from chiso.core.ranking import competition_ranks
    from chiso.frameworks.models import Criterion, FrameworkVersion, IndexKind
    from chiso.scores.services import ResultLine, ScoreInput, assessment_get_or_create, published_results_save, \
        scores_save
    from chiso.units.models import UnitKind

    from .tables import read_papi_table

    require_permission(can_manage_surveys(actor))
    version = (FrameworkVersion.objects.filter(framework__index=IndexKind.PAPI, framework__owner__isnull=True,
                                               first_year__lte=year)
               .filter(Q(last_year__isnull=True) | Q(last_year__gte=year)).first())
    if version is None:
        raise ServiceError(f"Không có bộ chỉ số PAPI áp dụng cho năm {year}.")
    criteria = {c.code: c for c in Criterion.objects.filter(version=version)}
    lines = read_papi_table(content, file_name, {k: c.name for k, c in criteria.items()},
                            {k: c.max_points for k, c in criteria.items()})
    provinces = list(Unit.objects.filter(kind=UnitKind.PROVINCE, parent__isnull=True).prefetch_related("aliases"))
    matcher = NameMatcher([(u.pk, [u.name, *[a.name for a in u.aliases.all()]]) for u in provinces])
    by_pk = {u.pk: u for u in provinces}
    dimensions = sorted({c.split(".")[0] for c in criteria})
    report = PapiReport(year, len(lines), assessments=[], unmatched=[])
    for line in lines:
        for d in dimensions:  # a dimension's score is the sum of its sub-dimensions (PAPI's own roll-up)
            subs = [k for k in criteria if k.startswith(f"{d}.")]
            if d not in line.values and subs and all(s in line.values for s in subs):
                line.values[d] = sum(line.values[s] for s in subs)
        if line.total is None and all(d in line.values for d in dimensions):
            line.total = sum(line.values[d] for d in dimensions)
    ranks = competition_ranks({i: line.total for i, line in enumerate(lines) if line.total is not None})
    source = f"PAPI {year}, nhập từ tệp {file_name}"
    with transaction.atomic():
        results = []
        for i, line in enumerate(lines):
            match = matcher.match(line.name)
            unit = by_pk.get(match.key) if match.key is not None else None
            if unit is None:
                report.unmatched.append(line.name)
            else:
                report.matched += 1
            results.append(ResultLine(line.name, line.total, line.rank or ranks.get(i), line.where, unit, source))
            if unit is None or not owns_province(actor, unit):
                continue
            assessment = assessment_get_or_create(actor=actor, unit=unit, version=version, year=year, source=source)
            scores_save(actor=actor, assessment=assessment, source=source, printed_total=line.total,
                        rows=[ScoreInput(code=k, score=v, where=line.where, fields=("score",))
                              for k, v in line.values.items()])
            report.assessments.append(assessment)
        published_results_save(actor=actor, index=IndexKind.PAPI, year=year, lines=results, source=source)
    return report
