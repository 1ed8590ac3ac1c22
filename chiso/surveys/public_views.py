"""The public form at /khao-sat/<key>/ (no account) and staff data entry of paper forms.

The form is made for phones: its own small stylesheet and script (static files, no inline
script or style, nothing from another site), labels on every control, an error summary
linked to the questions, half-finished answers kept in the phone's localStorage until sent.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from chiso.core import questionnaire as qdef
from chiso.core.ids import new_public_id

from . import throttle
from .policies import can_enter_responses, campaign_unit_or_404
from .services import AnswerErrors, Entry, Refused, entry_for_key, entry_refusal, response_enter, response_submit

DEVICE_COOKIE = "ks-{}"
DEVICE_SALT = "chiso.surveys.device"


@dataclass
class FormQuestion:
    q: qdef.Question
    number: int
    options: list[tuple[str, str, bool]]  # (value, label, checked)
    text: str = ""
    error: str = ""
    condition: str = ""  # "Trả lời nếu ở câu 17 chọn “Có”"
    show_values: str = ""


@dataclass
class FormBlock:
    title: str
    questions: list[FormQuestion]


def form_blocks(spec: qdef.Definition, data=None, errors=None) -> list[FormBlock]:
    """The questions grouped as the form shows them: facts first, then each element, then the rest."""
    errors = errors or {}
    numbers = {q.code: i for i, q in enumerate(spec.questions, start=1)}
    blocks: dict[str, FormBlock] = {}
    names = {e.code: e.name for e in spec.elements}
    for q in spec.questions:
        chosen = set(data.getlist(q.code)) if data is not None else set()
        if q.kind == "rating":
            labels = q.scale or spec.scale
            options = [(str(i), label, str(i) in chosen) for i, label in enumerate(labels, start=1)]
        else:
            options = [(v, label, v in chosen) for v, label in q.choices]
        condition = values = ""
        if q.show_if:
            source = spec.question(q.show_if[0])
            wanted = [label for v, label in (source.choices or [(str(i), s) for i, s in enumerate(
                source.scale or spec.scale, start=1)]) if v in q.show_if[1]]
            condition = f"Trả lời câu này nếu ở câu {numbers[source.code]} ông/bà chọn " + \
                " hoặc ".join(f"“{w}”" for w in wanted)
            values = " ".join(sorted(q.show_if[1]))
        text = "\n".join(data.getlist(q.code)) if data is not None and q.kind == "text" else ""
        title = "Thông tin chung" if q.kind == "fact" else names.get(q.element, "Ý kiến khác")
        key = "facts" if q.kind == "fact" else (q.element or "other")
        block = blocks.setdefault(key, FormBlock(title, []))
        block.questions.append(FormQuestion(q, numbers[q.code], options, text, errors.get(q.code, ""), condition,
                                            values))
    order = ["facts"] + [e.code for e in spec.elements] + ["other"]
    return [blocks[k] for k in order if k in blocks]


def _device_count(request, entry: Entry) -> int:
    if entry.token is not None:
        return 0
    try:
        return int(request.get_signed_cookie(DEVICE_COOKIE.format(entry.campaign_unit.public_id), default="0",
                                             salt=DEVICE_SALT))
    except (ValueError, TypeError):
        return 0


def _refused(request, message: str, status: int):
    return render(request, "surveys/public_refused.html", {"message": message}, status=status)


@never_cache
def answer(request, key: str):
    if throttle.exceeded(request, "bad-key", throttle.BAD_KEYS):
        return _refused(request, "Có quá nhiều lần mở mã không đúng từ thiết bị này. Xin thử lại sau ít phút.", 429)
    entry = entry_for_key(key)
    if entry is None:
        throttle.allow(request, "bad-key", throttle.BAD_KEYS)
        return _refused(request, "Không tìm thấy phiếu khảo sát với mã này. Xin kiểm tra lại đường dẫn hoặc mã QR.",
                        404)
    today = timezone.localdate()
    refusal = entry_refusal(entry, today)
    if refusal:
        return _refused(request, refusal, 410 if entry.token is not None and entry.token.used else 403)
    campaign = entry.campaign_unit.campaign
    spec = campaign.questionnaire.spec
    count = _device_count(request, entry)
    if entry.token is None and count >= campaign.device_limit:
        return _refused(request, "Thiết bị này đã gửi phiếu qua đường dẫn này. Xin cảm ơn ông/bà.", 403)
    errors: dict[str, str] = {}
    data = None
    status = 200
    if request.method == "POST":
        data = request.POST
        if entry.token is None and not throttle.allow(request, "open", throttle.OPEN_SUBMITS):
            return _refused(request, "Có quá nhiều phiếu gửi từ cùng một mạng trong thời gian ngắn. "
                                     "Xin thử lại sau ít phút.", 429)
        try:
            response_submit(entry=entry, data=request.POST, today=today, receipt=request.POST.get("receipt", ""),
                            device_count=count)
        except AnswerErrors as exc:
            errors, status = exc.errors, 422
        except Refused as exc:
            return _refused(request, exc.message, 410)
        else:
            done = redirect("public:thanks", key=key)
            if entry.token is None:
                done.set_signed_cookie(DEVICE_COOKIE.format(entry.campaign_unit.public_id), str(count + 1),
                                       salt=DEVICE_SALT, max_age=400 * 24 * 3600, httponly=True, samesite="Lax",
                                       secure=request.is_secure())
            return done
    return render(request, "surveys/public_form.html", {
        "campaign": campaign, "unit": entry.campaign_unit.unit, "spec": spec,
        "blocks": form_blocks(spec, data, errors), "errors": errors, "draft_key": f"khaosat:{key}",
        "receipt": (data.get("receipt") if data is not None else "") or new_public_id(24),
        "restore": data is None, "action": request.path,
    }, status=status)


@never_cache
def thanks(request, key: str):
    entry = entry_for_key(key)
    if entry is None:
        return _refused(request, "Không tìm thấy phiếu khảo sát với mã này.", 404)
    return render(request, "surveys/public_thanks.html", {"campaign": entry.campaign_unit.campaign,
                                                          "draft_key": f"khaosat:{key}"})


@login_required
@never_cache
def enter(request, public_id: str):
    """Staff keying in paper forms, one after another, each under its serial number."""
    cu = campaign_unit_or_404(request.user, public_id)
    if not can_enter_responses(request.user, cu):
        raise PermissionDenied("Chỉ cán bộ của đơn vị được khảo sát hoặc Sở Nội vụ được nhập phiếu giấy.")
    campaign = cu.campaign
    spec = campaign.questionnaire.spec
    errors: dict[str, str] = {}
    data, status, refusal = None, 200, ""
    if request.method == "POST":
        data = request.POST
        try:
            response = response_enter(actor=request.user, campaign_unit=cu, serial=request.POST.get("serial", ""),
                                      data=request.POST, today=timezone.localdate())
        except AnswerErrors as exc:
            errors, status = exc.errors, 422
        except Refused as exc:
            refusal, status = exc.message, 422
        else:
            messages.success(request, f"Đã nhập phiếu số {response.serial}. Mời nhập phiếu tiếp theo.")
            return redirect(f"{reverse('surveys:enter', args=[cu.public_id])}?da-luu=1")
    return render(request, "surveys/public_form.html", {
        "campaign": campaign, "unit": cu.unit, "spec": spec, "blocks": form_blocks(spec, data, errors),
        "errors": errors, "draft_key": f"khaosat-nhap:{cu.public_id}", "entry": True, "refusal": refusal,
        "serial": (data.get("serial", "") if data is not None else ""), "serial_error": errors.get("serial", ""),
        "restore": data is None and "da-luu" not in request.GET, "clear_draft": "da-luu" in request.GET,
        "saved": list(messages.get_messages(request)), "action": request.path,
        "back": reverse("surveys:campaign", args=[campaign.public_id]),
    }, status=status)
