"""Management pages: questionnaires, campaigns, their units and targets, printed QR sheets, invitations."""
from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chiso.common.errors import ServiceError
from chiso.common.uploads import upload_bytes
from chiso.core.numbers import parse_count
from chiso.units.models import Unit

from . import services
from .models import CampaignState, Questionnaire, RespondentToken, TokenKind
from .policies import (campaign_or_404, campaign_unit_or_404, campaigns_visible_to, can_enter_responses,
                       can_manage_surveys, can_read_results, questionnaire_or_404, questionnaires_visible_to,
                       require_permission)
from .reminders import MAX_REMINDERS, REMIND_EVERY
from .selectors import campaign_progress

DATE_ATTRS = {"placeholder": "dd/mm/yyyy", "class": "form-control", "inputmode": "numeric", "autocomplete": "off"}


def _errors(exc: ServiceError) -> list[str]:
    return [exc.message, *exc.details]


def _province(user) -> Unit | None:
    if not user.unit_id:
        return None
    return user.unit if user.unit.parent_id is None else user.unit.root


@login_required
def home(request):
    campaigns = campaigns_visible_to(request.user).select_related("owner", "questionnaire")[:200]
    questionnaires = questionnaires_visible_to(request.user).select_related("owner")
    return render(request, "surveys/home.html", {"campaigns": campaigns, "questionnaires": questionnaires,
                                                 "may_manage": can_manage_surveys(request.user)})


@login_required
def questionnaire_detail(request, public_id: str):
    q = questionnaire_or_404(request.user, public_id)
    from .public_views import form_blocks

    return render(request, "surveys/questionnaire.html", {
        "q": q, "spec": q.spec, "blocks": form_blocks(q.spec), "may_manage": can_manage_surveys(request.user),
        "versions": Questionnaire.objects.filter(owner=q.owner, code=q.code).order_by("-version"),
    })


@login_required
@require_POST
def questionnaire_copy(request, public_id: str):
    source = questionnaire_or_404(request.user, public_id)
    province = _province(request.user)
    require_permission(can_manage_surveys(request.user) and province is not None)
    try:
        copy = services.questionnaire_copy(actor=request.user, source=source, owner=province,
                                           title=request.POST.get("title", ""))
    except ServiceError as exc:
        for line in _errors(exc):
            messages.error(request, line)
        return redirect("surveys:questionnaire", source.public_id)
    messages.success(request, f"Đã tạo bản sao (phiên bản {copy.version}) để tỉnh chỉnh sửa.")
    if request.POST.get("next") == "edit":  # from the editor of a locked version: on to the new one's editor
        return redirect("surveys:questionnaire_edit", copy.public_id)
    return redirect("surveys:questionnaire", copy.public_id)


@login_required
def questionnaire_json(request, public_id: str):
    """The questionnaire's content as JSON (chiso.questionnaire/1), for those who prefer it to the editor;
    checked on save; a stale form is refused; a version in use is saved as the next version."""
    q = questionnaire_or_404(request.user, public_id)
    require_permission(can_manage_surveys(request.user))
    errors: list[str] = []
    text = json.dumps(q.definition, ensure_ascii=False, indent=1)
    if request.method == "POST":
        text = request.POST.get("definition", "")
        try:
            revision = int(request.POST.get("revision", "-1"))
            definition = json.loads(text)
            if not isinstance(definition, dict):
                raise ValueError
        except (ValueError, TypeError) as exc:
            line = getattr(exc, "lineno", None)
            errors = [f"Nội dung không phải JSON hợp lệ{f' (dòng {line})' if line else ''}: chưa lưu gì."]
        else:
            try:
                saved = services.questionnaire_save(actor=request.user, questionnaire=q, definition=definition,
                                                    revision=revision)
            except ServiceError as exc:
                errors = _errors(exc)
            else:
                if saved.pk != q.pk:
                    messages.success(request, f"Phiếu đã có người trả lời nên thay đổi được lưu thành phiên bản "
                                              f"{saved.version}; các đợt khảo sát cũ giữ nguyên phiên bản cũ.")
                else:
                    messages.success(request, "Đã lưu phiếu khảo sát.")
                return redirect("surveys:questionnaire", saved.public_id)
    return render(request, "surveys/questionnaire_edit.html", {"q": q, "text": text, "errors": errors},
                  status=422 if errors else 200)


class CampaignForm(forms.Form):
    questionnaire = forms.ChoiceField(label="Phiếu khảo sát")
    name = forms.CharField(label="Tên đợt khảo sát", max_length=255,
                           widget=forms.TextInput(attrs={"class": "form-control",
                                                         "placeholder": "Khảo sát SIPAS năm 2025"}))
    year = forms.IntegerField(label="Năm đánh giá", min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"class": "form-control"}))
    starts_on = forms.DateField(label="Thu phiếu từ ngày", widget=forms.DateInput(attrs=DATE_ATTRS, format="%d/%m/%Y"))
    ends_on = forms.DateField(label="Đến ngày", widget=forms.DateInput(attrs=DATE_ATTRS, format="%d/%m/%Y"))
    margin = forms.DecimalField(label="Sai số cho phép e", initial=Decimal("0.05"), max_digits=4, decimal_places=3,
                                localize=True, widget=forms.TextInput(attrs={"class": "form-control"}))
    device_limit = forms.IntegerField(label="Số phiếu tối đa mỗi thiết bị qua đường dẫn chung", initial=1,
                                      min_value=1, max_value=50, widget=forms.NumberInput(attrs={"class": "form-control"}))

    def __init__(self, *args, questionnaires=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].choices = [(q.public_id, f"{q.title} — phiên bản {q.version}"
                                                 f"{' (mẫu)' if q.is_template else ''}") for q in questionnaires]
        self.fields["questionnaire"].widget.attrs["class"] = "form-select"
        for name in ("starts_on", "ends_on"):
            self.fields[name].error_messages["invalid"] = "Ngày ghi theo dạng ngày/tháng/năm, ví dụ 15/12/2025."


@login_required
def campaign_new(request):
    require_permission(can_manage_surveys(request.user))
    province = _province(request.user)
    questionnaires = list(questionnaires_visible_to(request.user).select_related("owner"))
    form = CampaignForm(request.POST or None, questionnaires=questionnaires)
    errors: list[str] = []
    if request.method == "POST":
        if province is None:
            errors = ["Tài khoản chưa gắn với một tỉnh: không tạo được đợt khảo sát."]
        elif form.is_valid():
            data = form.cleaned_data
            q = next(x for x in questionnaires if x.public_id == data["questionnaire"])
            try:
                campaign = services.campaign_create(actor=request.user, owner=province, questionnaire=q,
                                                    data=services.CampaignInput(
                                                        data["name"], data["year"], data["starts_on"], data["ends_on"],
                                                        data["margin"], data["device_limit"]))
            except ServiceError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, "Đã tạo đợt khảo sát: thêm các đơn vị và số hồ sơ đã giải quyết để tính cỡ mẫu.")
                return redirect("surveys:campaign", campaign.public_id)
        else:
            errors = ["Chưa tạo được đợt khảo sát."] + [f"{form.fields[f].label}: {e}" for f, es in form.errors.items()
                                                        for e in es]
    return render(request, "surveys/campaign_new.html", {"form": form, "errors": errors}, status=422 if errors else 200)


@login_required
def campaign_detail(request, public_id: str):
    campaign = campaign_or_404(request.user, public_id)
    rows = campaign_progress(campaign)
    may_manage = can_manage_surveys(request.user)
    province_units = []
    if may_manage:
        taken = {r.cu.unit_id for r in rows}
        province_units = [u for u in Unit.objects.filter(root=campaign.owner, valid_to__isnull=True)
                          .exclude(pk=campaign.owner_id).order_by("kind", "name") if u.pk not in taken]
    batches: dict[int, list[int]] = {}
    for cu_id, batch in (RespondentToken.objects.filter(campaign_unit__campaign=campaign, kind=TokenKind.PRINTED)
                         .values_list("campaign_unit_id", "batch").distinct().order_by("batch")):
        batches.setdefault(cu_id, []).append(batch)
    invited: dict[int, list] = {}
    if may_manage:  # who was invited and reminded — never which response is whose
        for t in (RespondentToken.objects.filter(campaign_unit__campaign=campaign, kind=TokenKind.INVITE)
                  .annotate(reminded=Count("reminders"), last_reminded=Max("reminders__sent_on")).order_by("email")):
            invited.setdefault(t.campaign_unit_id, []).append(t)
    for r in rows:
        r.may_enter = can_enter_responses(request.user, r.cu)
        r.batches = batches.get(r.cu.pk, [])
        r.invited = invited.get(r.cu.pk, [])
        r.invited_answered = sum(t.used for t in r.invited)
    return render(request, "surveys/campaign.html", {
        "campaign": campaign, "rows": rows, "may_manage": may_manage, "province_units": province_units,
        "may_read_results": can_read_results(request.user), "states": CampaignState,
        "received": sum(r.received for r in rows), "target": sum(r.target or 0 for r in rows),
        "open_url": request.build_absolute_uri("/khao-sat/"),
        "remind_every": REMIND_EVERY.days, "max_reminders": MAX_REMINDERS,
    })


def _parse_dossiers(text: str) -> int | None:
    if not (text or "").strip():
        return None
    value = parse_count(text)
    if value is None:
        raise ValueError(text)
    return value


@login_required
@require_POST
def campaign_units(request, public_id: str):
    """Adds units (chosen in the list) and sets each unit's settled dossiers N."""
    campaign = campaign_or_404(request.user, public_id)
    require_permission(can_manage_surveys(request.user))
    upload = request.FILES.get("file")
    if upload is not None:
        return _campaign_units_from_file(request, campaign, upload)
    rows, problems = [], []
    units = {u.public_id: u for u in Unit.objects.filter(root=campaign.owner)}
    wanted = request.POST.getlist("add") + [cu.unit.public_id for cu in campaign.units.select_related("unit")]
    for uid in dict.fromkeys(wanted):
        unit = units.get(uid)
        raw = request.POST.get(f"n-{uid}", "")
        try:
            n = _parse_dossiers(raw)
        except ValueError:
            problems.append(f"{unit.name if unit else uid}: số hồ sơ “{raw}” không phải số nguyên")
            continue
        if unit is None:
            problems.append(f"Đơn vị {uid} không thuộc {campaign.owner.name}")
            continue
        rows.append(services.UnitRow(unit, n, name=unit.name))
    try:
        if problems:
            raise ServiceError("Chưa lưu danh sách đơn vị.", details=problems)
        added, updated = services.campaign_units_save(actor=request.user, campaign=campaign, rows=rows)
    except ServiceError as exc:
        for line in _errors(exc):
            messages.error(request, line)
    else:
        messages.success(request, f"Đã thêm {added} đơn vị, cập nhật số hồ sơ của {updated} đơn vị.")
    return redirect("surveys:campaign", campaign.public_id)


def _campaign_units_from_file(request, campaign, upload):
    """An Excel/CSV list of units and the dossiers each settled, matched by name within the province."""
    from chiso.core.matching import NameMatcher

    from .tables import read_dossier_table

    try:
        lines = read_dossier_table(upload_bytes(upload, limit=5 * 1024 * 1024), upload.name)
        units = list(Unit.objects.filter(root=campaign.owner, valid_to__isnull=True).exclude(pk=campaign.owner_id)
                     .prefetch_related("aliases"))
        matcher = NameMatcher([(u.pk, [u.name, *[a.name for a in u.aliases.all()]]) for u in units])
        by_pk = {u.pk: u for u in units}
        rows = [services.UnitRow(by_pk.get(matcher.match(line.name).key), line.dossiers, line.where, line.name)
                for line in lines]
        added, updated = services.campaign_units_save(actor=request.user, campaign=campaign, rows=rows)
    except ServiceError as exc:
        for line in _errors(exc):
            messages.error(request, line)
    else:
        messages.success(request, f"Đã nạp {len(rows)} đơn vị từ tệp {upload.name}: thêm {added}, cập nhật {updated}.")
    return redirect("surveys:campaign", campaign.public_id)


@login_required
@require_POST
def campaign_state(request, public_id: str):
    campaign = campaign_or_404(request.user, public_id)
    require_permission(can_manage_surveys(request.user))
    try:
        campaign = services.campaign_set_state(actor=request.user, campaign=campaign, state=request.POST.get("state", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đợt khảo sát: {campaign.get_state_display().lower()}.")
    return redirect("surveys:campaign", campaign.public_id)


@login_required
@require_POST
def campaign_public(request, public_id: str):
    campaign = campaign_or_404(request.user, public_id)
    require_permission(can_manage_surveys(request.user))
    campaign = services.campaign_set_public(actor=request.user, campaign=campaign,
                                            public=request.POST.get("public") == "1")
    messages.success(request, "Kết quả đợt khảo sát " + ("được công bố trên trang công khai." if campaign.results_public
                                                         else "không còn trên trang công khai."))
    return redirect("surveys:campaign", campaign.public_id)


@login_required
@require_POST
def tokens_new(request, public_id: str):
    cu = campaign_unit_or_404(request.user, public_id)
    require_permission(can_enter_responses(request.user, cu))
    try:
        count = int(request.POST.get("count", "0"))
    except ValueError:
        count = 0
    try:
        batch = services.tokens_issue(actor=request.user, campaign_unit=cu, count=count)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("surveys:campaign", cu.campaign.public_id)
    return redirect("surveys:tokens_pdf", cu.public_id, batch)


@login_required
def tokens_pdf(request, public_id: str, batch: int):
    """A printable A4 sheet of QR codes (one per single-use token) to hand out at the counter."""
    cu = campaign_unit_or_404(request.user, public_id)
    require_permission(can_enter_responses(request.user, cu))
    tokens = list(RespondentToken.objects.filter(campaign_unit=cu, kind=TokenKind.PRINTED, batch=batch)
                  .order_by("pk").values_list("key", "used"))
    if not tokens:
        return redirect("surveys:campaign", cu.campaign.public_id)
    from .exports import qr_sheet_pdf

    base = request.build_absolute_uri(reverse("public:answer", args=["x"]))[:-2]
    pdf = qr_sheet_pdf(cu, tokens, base, batch)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ma-qr-{cu.public_id}-{batch}.pdf"'
    return response


@login_required
@require_POST
def invitations(request, public_id: str):
    cu = campaign_unit_or_404(request.user, public_id)
    require_permission(can_manage_surveys(request.user))
    emails = request.POST.get("emails", "").replace(",", "\n").replace(";", "\n").splitlines()
    try:
        sent = services.invitations_send(
            actor=request.user, campaign_unit=cu, emails=emails,
            link_for=lambda key: request.build_absolute_uri(reverse("public:answer", args=[key])))
    except ServiceError as exc:
        for line in _errors(exc):
            messages.error(request, line)
    else:
        messages.success(request, f"Đã gửi {sent} thư mời (địa chỉ đã mời trước đó không được gửi lại).")
    return redirect("surveys:campaign", cu.campaign.public_id)

