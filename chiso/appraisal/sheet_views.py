"""A unit's sheet: the self-assessment page (the unit's officer and leader), the appraisal page
(the council: self-score beside appraised score, with the difference), evidence, send-backs.

Each criterion saves on its own (htmx, the fragment of that criterion comes back; without htmx, a
redirect). A refused save answers the same fragment with the reason: 409 when the form was stale
(it then shows what is saved), 422 when the input was not valid (what was typed stays)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from chiso.common.errors import ConflictError, ServiceError, require_permission

from . import selectors, services
from .models import Entry, EntryEvidence, SendBack, SheetState
from .policies import seat, sheet_access, visible_sheet_or_404

SELF = "appraisal/sheet.html#entry"
APPRAISE = "appraisal/appraise.html#entry"
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def parse_points(raw: str, what: str = "Điểm") -> Decimal | None:
    """"8,5", "8.5" or empty; anything else is refused with a message (never a number on screen)."""
    text = (raw or "").strip().replace(" ", "")
    if not text:
        return None
    if text.count(",") + text.count(".") > 1:
        raise ServiceError(f"{what} “{raw}” không phải là một số (ghi như 8,5).")
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ServiceError(f"{what} “{raw}” không phải là một số (ghi như 8,5).") from None
    if not value.is_finite():
        raise ServiceError(f"{what} “{raw}” không phải là một số.")
    return value


def parse_version(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ServiceError("Biểu mẫu thiếu số phiên bản: hãy mở lại trang.") from None


def parse_date(raw: str, what: str) -> dt.date | None:
    text = (raw or "").strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ServiceError(f"{what} “{text}” không phải là ngày (ghi như 31/12/2026).")


def error_list(error: ServiceError) -> list[str]:
    return [error.message, *error.details]


def _status(error: ServiceError | None) -> int:
    if error is None:
        return 200
    return 409 if isinstance(error, ConflictError) else 422


def _entry(user, public_id: str):
    entry = get_object_or_404(Entry.objects.select_related("criterion", "sheet__cycle__framework__version",
                                                           "sheet__unit", "updated_by"), public_id=public_id)
    sheet = entry.sheet
    member = seat(user, sheet.cycle)
    access = sheet_access(user, sheet, member)
    if not access.read:
        raise Http404
    return entry, access, member


class Links:
    """The URLs of a sheet's rows, each reversed once with a placeholder: a page of 60 criteria with 5
    files each would otherwise reverse a thousand URLs."""

    NAMES = ("entry_save", "evidence_take", "evidence_add", "entry_appraise", "evidence", "evidence_remove", "answer")

    def __init__(self):
        self.patterns = {name: reverse(f"appraisal:{name}", args=["0ID0"]) for name in self.NAMES}

    def of(self, name: str, public_id: str) -> str:
        return self.patterns[name].replace("0ID0", public_id)

    def attach(self, rows) -> None:
        for r in rows:
            if r.entry is None:
                continue
            r.links = {name: self.of(name, r.entry.public_id)
                       for name in ("entry_save", "evidence_take", "evidence_add", "entry_appraise")}
            for ev in r.evidence:
                ev.href, ev.remove_href = self.of("evidence", ev.public_id), self.of("evidence_remove", ev.public_id)
            for sb in r.send_backs:
                sb.answer_href = self.of("answer", sb.public_id)


def _gathering(rows, access, sheet) -> None:
    """Which rows take evidence from this user now: every row for the unit's fillers, the led criteria for
    a lead department (the province's own sheet)."""
    draft = sheet.state == SheetState.DRAFT
    leads = selectors.criterion_leads(sheet.cycle) if sheet.cycle.framework.is_national else {}
    for r in rows:
        r.gathers = draft and r.entry is not None and access.gathers(r.criterion.code)
        r.leads = leads.get(r.criterion.code, [])


def _row(entry: Entry, access):
    row = next(r for r in selectors.sheet_rows(entry.sheet) if r.entry is not None and r.entry.pk == entry.pk)
    _gathering([row], access, entry.sheet)
    if row.gathers:
        row.offered = list(services.offered_evidence(entry))
    Links().attach([row])
    return row


def _fragment(request, template, entry, access, *, error=None, typed=None, member=None):
    return render(request, template, {
        "r": _row(entry, access), "sheet": entry.sheet, "access": access, "error": error_list(error) if error else [],
        "typed": typed or {}, "today": timezone.localdate(), "fields": access.fields_of(member)},
        status=_status(error))


@login_required
def sheet(request, public_id: str):
    sheet, access, member = visible_sheet_or_404(request.user, public_id)
    if not (access.fill or access.manage) and access.appraise:
        return redirect("appraisal:appraise", sheet.public_id)
    rows = selectors.sheet_rows(sheet)
    _gathering(rows, access, sheet)
    if any(r.gathers for r in rows):
        offered = services.offered_by_code(sheet)
        for r in rows:
            r.offered = offered.get(r.criterion.code, []) if r.gathers else []
    Links().attach(rows)
    return render(request, "appraisal/sheet.html", {
        "national": sheet.cycle.framework.is_national,
        "sheet": sheet, "rows": rows, "access": access, "today": timezone.localdate(),
        "self_result": selectors.sheet_index(sheet, appraised=False), "result": selectors.sheet_index(sheet),
        "problems": services.submission_problems(sheet) if access.fill and sheet.state == SheetState.DRAFT else [],
    })


@login_required
@require_POST
def entry_save(request, public_id: str):
    entry, access, member = _entry(request.user, public_id)
    require_permission(access.fill)
    try:
        services.entry_save(actor=request.user, entry=entry, version=parse_version(request.POST.get("version")),
                            files=request.FILES.getlist("files"),
                            data=services.SelfInput(request.POST.get("applicable") != "0",
                                                    parse_points(request.POST.get("self_score"), "Điểm tự đánh giá"),
                                                    request.POST.get("explanation", "")))
    except ServiceError as error:
        entry.refresh_from_db()
        if not request.htmx:
            messages.error(request, " ".join(error_list(error)))
            return redirect("appraisal:sheet", entry.sheet.public_id)
        return _fragment(request, SELF, entry, access, error=error,
                         typed=None if isinstance(error, ConflictError) else request.POST)
    entry.refresh_from_db()
    if not request.htmx:
        messages.success(request, f"Đã lưu tiêu chí {entry.criterion.code}.")
        return redirect("appraisal:sheet", entry.sheet.public_id)
    return _fragment(request, SELF, entry, access)


@login_required
@require_POST
def evidence_take(request, public_id: str):
    entry, access, _ = _entry(request.user, public_id)
    require_permission(access.fill)
    try:
        services.evidence_take(actor=request.user, entry=entry, source_id=request.POST.get("source", ""))
    except ServiceError as error:
        if request.htmx:
            return _fragment(request, SELF, entry, access, error=error)
        messages.error(request, " ".join(error_list(error)))
    if request.htmx:
        return _fragment(request, SELF, entry, access)
    return redirect("appraisal:sheet", entry.sheet.public_id)


def _evidence(user, public_id: str):
    ev = get_object_or_404(EntryEvidence.objects.select_related("entry__sheet__cycle__framework", "entry__criterion"),
                           public_id=public_id, removed_at__isnull=True)
    access = sheet_access(user, ev.entry.sheet, seat(user, ev.entry.sheet.cycle))
    if not access.read:
        raise Http404
    return ev, access


@login_required
def evidence_download(request, public_id: str):
    ev, _ = _evidence(request.user, public_id)
    if ev.url and not ev.file:
        return redirect(ev.url)
    try:
        handle = ev.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = ev.content_type in INLINE_TYPES
    return FileResponse(handle, as_attachment=not inline, filename=ev.file_name, content_type=ev.content_type)


@login_required
@require_POST
def evidence_remove(request, public_id: str):
    ev, access = _evidence(request.user, public_id)
    require_permission(access.fill or (access.gathers(ev.entry.criterion.code) and ev.uploaded_by_id == request.user.pk))
    try:
        services.evidence_remove(actor=request.user, evidence=ev)
    except ServiceError as error:
        messages.error(request, " ".join(error_list(error)))
    else:
        messages.success(request, f"Đã gỡ tài liệu “{ev}”.")
    return redirect("appraisal:sheet", ev.entry.sheet.public_id)


@login_required
@require_POST
def sheet_state(request, public_id: str, action: str):
    """Submit (the leader), withdraw (the leader, before D1) or finalise (the council's lead)."""
    sheet, access, member = visible_sheet_or_404(request.user, public_id)
    do = {"submit": services.sheet_submit, "withdraw": services.sheet_withdraw, "finalise": services.sheet_finalise}
    done = {"submit": "Đã duyệt và gửi phiếu tự đánh giá.", "withdraw": "Đã rút lại phiếu để sửa.",
            "finalise": "Đã chốt kết quả của đơn vị."}
    try:
        do[action](actor=request.user, sheet=sheet, version=parse_version(request.POST.get("version")))
    except ServiceError as error:
        messages.error(request, " ".join(error_list(error)))
    else:
        messages.success(request, done[action])
    return redirect("appraisal:appraise" if action == "finalise" else "appraisal:sheet", sheet.public_id)


@login_required
def appraise(request, public_id: str):
    sheet, access, member = visible_sheet_or_404(request.user, public_id)
    require_permission(access.appraise or access.manage, "Anh/chị không được phân công thẩm định đơn vị này.")
    rows = selectors.sheet_rows(sheet)
    Links().attach(rows)
    return render(request, "appraisal/appraise.html", {
        "sheet": sheet, "rows": rows, "access": access, "fields": access.fields_of(member),
        "today": timezone.localdate(), "self_result": selectors.sheet_index(sheet, appraised=False),
        "result": selectors.sheet_index(sheet)})


@login_required
@require_POST
def entry_appraise(request, public_id: str):
    entry, access, member = _entry(request.user, public_id)
    require_permission(access.appraise)
    applicable = {"1": True, "0": False}.get(request.POST.get("applicable", ""))
    try:
        services.entry_appraise(actor=request.user, entry=entry, comment=request.POST.get("comment", ""),
                                score=parse_points(request.POST.get("score"), "Điểm thẩm định"),
                                version=parse_version(request.POST.get("version")), applicable=applicable)
    except ServiceError as error:
        entry.refresh_from_db()
        if not request.htmx:
            messages.error(request, " ".join(error_list(error)))
            return redirect("appraisal:appraise", entry.sheet.public_id)
        return _fragment(request, APPRAISE, entry, access, error=error, member=member,
                         typed=None if isinstance(error, ConflictError) else request.POST)
    entry.refresh_from_db()
    if not request.htmx:
        messages.success(request, f"Đã lưu điểm thẩm định tiêu chí {entry.criterion.code}.")
        return redirect("appraisal:appraise", entry.sheet.public_id)
    return _fragment(request, APPRAISE, entry, access, member=member)


@login_required
@require_POST
def accept_self(request, public_id: str):
    sheet, access, _ = visible_sheet_or_404(request.user, public_id)
    require_permission(access.appraise)
    try:
        n = services.entries_accept_self(actor=request.user, sheet=sheet)
    except ServiceError as error:
        messages.error(request, " ".join(error_list(error)))
    else:
        messages.success(request, f"Đã lấy điểm tự đánh giá làm điểm thẩm định cho {n} tiêu chí chưa chấm.")
    return redirect("appraisal:appraise", sheet.public_id)


@login_required
@require_POST
def send_back(request, public_id: str):
    sheet, access, member = visible_sheet_or_404(request.user, public_id)
    require_permission(access.appraise)
    entries = list(sheet.entries.filter(public_id__in=request.POST.getlist("entries"))
                   .select_related("criterion", "sheet__cycle__framework", "sheet__unit"))
    try:
        services.send_back_create(actor=request.user, entries=entries, message=request.POST.get("message", ""),
                                  due=parse_date(request.POST.get("due"), "Hạn trả lời"))
    except ServiceError as error:
        messages.error(request, " ".join(error_list(error)))
    else:
        messages.success(request, f"Đã gửi yêu cầu giải trình {len(entries)} tiêu chí cho {sheet.unit.name}.")
    return redirect("appraisal:appraise", sheet.public_id)


@login_required
@require_POST
def answer(request, public_id: str):
    sb = get_object_or_404(SendBack.objects.select_related("entry__sheet__cycle__framework", "entry__criterion"),
                           public_id=public_id)
    access = sheet_access(request.user, sb.entry.sheet, seat(request.user, sb.entry.sheet.cycle))
    if not access.read:
        raise Http404
    require_permission(access.fill)
    try:
        services.send_back_answer(actor=request.user, send_back=sb, answer=request.POST.get("answer", ""),
                                  files=request.FILES.getlist("files"))
    except ServiceError as error:
        messages.error(request, " ".join(error_list(error)))
    else:
        messages.success(request, f"Đã gửi giải trình tiêu chí {sb.entry.criterion.code}.")
    return redirect("appraisal:sheet", sb.entry.sheet.public_id)
