"""The unit's writes: self-scores, evidence (uploads, or files taken from this year's progress reports),
explanations, N/A, submission by the leader, withdrawal before D1, answers to send-backs."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from chiso.common.actors import by_actor
from chiso.common.errors import ConflictError, ServiceError, require_permission
from chiso.core.evidence_files import check_file, read_head, sha256_of
from chiso.core.tree import fmt
from chiso.frameworks.models import Method

from ..models import CriterionDetail, CycleState, Entry, EntryEvidence, SendBack, Sheet, SheetState
from ..policies import seat, sheet_access

MAX_FILES_PER_SAVE = 10


@dataclass
class SelfInput:
    applicable: bool
    self_score: Decimal | None
    explanation: str = ""


def today():
    return timezone.localdate()


def _conflict(entry: Entry) -> ConflictError:
    who = entry.updated_by.display_name if entry.updated_by else "người khác"
    when = timezone.localtime(entry.updated_at).strftime("%H:%M ngày %d/%m/%Y")
    return ConflictError(f"Tiêu chí {entry.criterion.code} vừa được {who} lưu lúc {when}, sau khi anh/chị mở trang. "
                         "Nội dung anh/chị nhập CHƯA được lưu: hãy mở lại trang, xem bản mới nhất rồi nhập lại.")


def check_uploads(files) -> list[tuple[object, str, str]]:
    """As progress evidence: type by extension and first bytes, size bounded, before anything is stored."""
    files = list(files)
    if len(files) > MAX_FILES_PER_SAVE:
        raise ServiceError(f"Tối đa {MAX_FILES_PER_SAVE} tệp mỗi lần lưu.")
    checked, errors = [], []
    for f in files:
        error, content_type = check_file(f.name, read_head(f), f.size, settings.CHISO_MAX_UPLOAD_BYTES)
        if error:
            errors.append(error)
        else:
            checked.append((f, content_type, sha256_of(f.chunks())))
    if errors:
        raise ServiceError("Tài liệu kiểm chứng chưa được nhận.", details=errors)
    return checked


def attach(*, actor, entry: Entry, uploads, stored: list[str]) -> None:
    for f, content_type, digest in uploads:
        ev = EntryEvidence(entry=entry, file_name=f.name[:255], size=f.size, sha256=digest,
                           content_type=content_type, uploaded_by=actor)
        ev.file.save(f.name, f, save=False)
        stored.append(ev.file.name)
        by_actor(ev, actor).save()


def cleanup(stored: list[str]) -> None:
    for name in stored:
        try:
            default_storage.delete(name)
        except Exception:  # pragma: no cover - best effort on a refused save
            pass


def _self_assessed(entry: Entry) -> bool:
    return entry.criterion.method in {Method.APPRAISAL, ""}


def _require_fill(actor, sheet: Sheet) -> None:
    _require_open(sheet, sheet_access(actor, sheet).fill)


def _require_gather(actor, entry: Entry):
    """Evidence of a criterion: the sheet's fillers, or (the province's own sheet) the criterion's lead
    department."""
    access = sheet_access(actor, entry.sheet)
    if not access.read:
        from django.http import Http404
        raise Http404
    _require_open(entry.sheet, access.gathers(entry.criterion.code))
    return access


def _require_open(sheet: Sheet, allowed: bool) -> None:
    require_permission(allowed)
    if sheet.cycle.state != CycleState.OPEN:
        raise ServiceError("Đợt đánh giá đã chốt: không sửa được phiếu tự đánh giá.")
    if today() > sheet.cycle.appraisal_due:
        raise ServiceError(f"Đã quá hạn thẩm định ({sheet.cycle.appraisal_due:%d/%m/%Y}): không sửa được phiếu "
                           "tự đánh giá.")


def entry_save(*, actor, entry: Entry, data: SelfInput, version: int, files=()) -> Entry:
    """A draft save of one criterion; a refused save stores no file."""
    sheet = entry.sheet
    _require_fill(actor, sheet)
    errors = []
    if data.self_score is not None and not _self_assessed(entry):
        errors.append(f"Tiêu chí {entry.criterion.code} chấm theo {entry.criterion.get_method_display().lower()}: "
                      "đơn vị không tự chấm.")
    if data.self_score is not None:
        if data.self_score < 0:
            errors.append(f"Điểm tự đánh giá {fmt(data.self_score)} nhỏ hơn 0.")
        elif data.self_score > entry.criterion.max_points:
            errors.append(f"Điểm tự đánh giá {fmt(data.self_score)} lớn hơn điểm tối đa "
                          f"{fmt(entry.criterion.max_points)} của tiêu chí {entry.criterion.code}.")
        elif data.self_score != data.self_score.quantize(Decimal("0.01")):
            errors.append(f"Điểm tự đánh giá {data.self_score} có quá 2 chữ số thập phân.")
    if not data.applicable and not data.explanation.strip():
        errors.append("Cần giải trình vì sao tiêu chí không áp dụng với đơn vị.")
    if errors:
        raise ServiceError(f"Tiêu chí {entry.criterion.code} chưa được lưu.", details=errors)
    uploads = check_uploads(files)
    stored: list[str] = []
    try:
        with transaction.atomic():
            sheet = Sheet.objects.select_for_update().get(pk=sheet.pk)
            if sheet.state != SheetState.DRAFT:
                raise ServiceError(f"Phiếu đang “{sheet.get_state_display()}”: không sửa được. Lãnh đạo đơn vị có "
                                   "thể rút lại trước hạn tự đánh giá để sửa.")
            entry = Entry.objects.select_for_update(of=("self",)).select_related("criterion", "updated_by").get(
                pk=entry.pk)
            if entry.version != version:
                raise _conflict(entry)
            entry.applicable = data.applicable
            entry.self_score = data.self_score if data.applicable else None
            entry.explanation = data.explanation.strip()
            entry.version += 1
            entry.updated_by = actor
            by_actor(entry, actor).save()
            attach(actor=actor, entry=entry, uploads=uploads, stored=stored)
    except Exception:
        cleanup(stored)
        raise
    return entry


def sheet_offered_evidence(sheet: Sheet):
    """Evidence of this year's progress reports on the plan tasks the unit reports on: the closed loop
    from last year's lost points to this year's self-assessment. The progress app is of the same
    layer; its model is looked up by name, not imported."""
    Evidence = apps.get_model("progress", "Evidence")
    year = sheet.cycle.framework.year
    # the province's own sheet gathers what every department reported; a unit's, what it reported
    by_unit = {} if sheet.cycle.framework.is_national else {"report__unit_id": sheet.unit_id}
    return (Evidence.objects.filter(
        removed_at__isnull=True, **by_unit,
        report__task__item__table__plan__issuer__root_id=sheet.cycle.framework.province_id,
        report__task__item__table__plan__first_year__lte=year,
        report__task__item__table__plan__last_year__gte=year)
        .select_related("report__period", "report__task__item").order_by("uploaded_at"))


def offered_by_code(sheet: Sheet) -> dict[str, list]:
    """The offered evidence by the criterion code of its task's plan row, in one query."""
    out: dict[str, list] = {}
    for ev in sheet_offered_evidence(sheet):
        out.setdefault(ev.report.task.item.code, []).append(ev)
    return out


def offered_evidence(entry: Entry):
    """The offered evidence of a plan task under the same criterion as the entry."""
    return sheet_offered_evidence(entry.sheet).filter(report__task__item__code=entry.criterion.code)


def evidence_take(*, actor, entry: Entry, source_id: str) -> EntryEvidence:
    """Attaches a file or link of a progress report (the same stored file, not a copy)."""
    _require_gather(actor, entry)
    source = offered_evidence(entry).filter(public_id=source_id).first()
    if source is None:
        raise ServiceError("Tài liệu này không thuộc báo cáo tiến độ của đơn vị cho tiêu chí này.")
    with transaction.atomic():
        sheet = Sheet.objects.select_for_update().get(pk=entry.sheet_id)
        if sheet.state != SheetState.DRAFT:
            raise ServiceError(f"Phiếu đang “{sheet.get_state_display()}”: không thêm được tài liệu.")
        if entry.evidence.filter(source_id=source_id, removed_at__isnull=True).exists():
            raise ServiceError("Tài liệu này đã được gắn vào tiêu chí.")
        ev = EntryEvidence(entry=entry, file=source.file.name if source.file else "", file_name=source.file_name,
                           size=source.size, sha256=source.sha256, content_type=source.content_type, url=source.url,
                           source_id=source.public_id, uploaded_by=actor,
                           taken_from=f"Báo cáo {source.report.period.name}: {source.report.task.text}"[:255])
        by_actor(ev, actor).save()
    return ev


def evidence_add(*, actor, entry: Entry, files=(), url: str = "", label: str = "") -> list[EntryEvidence]:
    """Files and/or a link (an address where the evidence is published: the province's portal, the
    public service portal…) added to a criterion without touching its score. A lead department adds
    to the criteria it leads on the province's own sheet, its unit named beside each item."""
    access = _require_gather(actor, entry)
    url, label = (url or "").strip(), " ".join((label or "").split())
    errors = []
    if url:
        from django.core.exceptions import ValidationError
        from django.core.validators import URLValidator

        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors.append(f"Đường dẫn “{url[:80]}” không hợp lệ: ghi đầy đủ, bắt đầu bằng http:// hoặc https://.")
        if len(url) > 1000:
            errors.append("Đường dẫn dài quá 1.000 ký tự.")
    if not url and not files:
        errors.append("Chọn tệp hoặc ghi đường dẫn tài liệu kiểm chứng.")
    if errors:
        raise ServiceError(f"Tiêu chí {entry.criterion.code}: chưa thêm được tài liệu kiểm chứng.", details=errors)
    uploads = check_uploads(files)
    given_by = "" if access.fill or actor.unit is None else f"Do {actor.unit.name} cung cấp"[:255]
    stored: list[str] = []
    added: list[EntryEvidence] = []
    try:
        with transaction.atomic():
            sheet = Sheet.objects.select_for_update().get(pk=entry.sheet_id)
            if sheet.state != SheetState.DRAFT:
                raise ServiceError(f"Phiếu đang “{sheet.get_state_display()}”: không thêm được tài liệu.")
            before = set(entry.evidence.values_list("pk", flat=True))
            attach(actor=actor, entry=entry, uploads=uploads, stored=stored)
            if url:
                by_actor(EntryEvidence(entry=entry, url=url, file_name=(label or url)[:255], uploaded_by=actor),
                         actor).save()
            added = list(entry.evidence.exclude(pk__in=before))
            if given_by:
                EntryEvidence.objects.filter(pk__in=[ev.pk for ev in added]).update(taken_from=given_by)
    except Exception:
        cleanup(stored)
        raise
    return added


def evidence_remove(*, actor, evidence: EntryEvidence) -> None:
    """The sheet's fillers remove any item; a lead department only what it added itself."""
    access = _require_gather(actor, evidence.entry)
    require_permission(access.fill or evidence.uploaded_by_id == actor.pk)
    with transaction.atomic():
        sheet = Sheet.objects.select_for_update().get(pk=evidence.entry.sheet_id)
        if sheet.state != SheetState.DRAFT:
            raise ServiceError("Phiếu đã gửi: không gỡ được tài liệu kiểm chứng.")
        evidence.removed_at = timezone.now()
        by_actor(evidence, actor).save()


def submission_problems(sheet: Sheet) -> list[str]:
    """What keeps a sheet from being submitted, criterion by criterion."""
    entries = list(sheet.entries.select_related("criterion").order_by("criterion__position"))
    if sheet.cycle.framework.is_national:  # the ministry asks evidence of every self-scored criterion
        required = {e.criterion_id for e in entries}
    else:
        required = set(CriterionDetail.objects.filter(criterion__version=sheet.cycle.framework.version,
                                                      evidence_required=True).values_list("criterion_id", flat=True))
    with_evidence = set(EntryEvidence.objects.filter(entry__sheet=sheet, removed_at__isnull=True)
                        .values_list("entry_id", flat=True))
    problems = []
    for e in entries:
        if not e.applicable or not _self_assessed(e):
            continue
        if e.self_score is None:
            problems.append(f"Tiêu chí {e.criterion.code}: chưa chấm điểm tự đánh giá.")
        elif (e.criterion_id in required and e.pk not in with_evidence and e.self_score > 0
              and not e.explanation.strip()):
            problems.append(f"Tiêu chí {e.criterion.code}: chưa có tài liệu kiểm chứng — cần giải trình vì sao.")
    return problems


def sheet_submit(*, actor, sheet: Sheet, version: int) -> Sheet:
    """The unit's leader approves and submits; the sheet is locked. After D1 it is marked late."""
    require_permission(sheet_access(actor, sheet).submit, "Chỉ lãnh đạo đơn vị được duyệt và gửi phiếu tự đánh giá.")
    _require_fill(actor, sheet)
    problems = submission_problems(sheet)
    if problems:
        raise ServiceError("Chưa gửi được phiếu tự đánh giá.", details=problems)
    with transaction.atomic():
        sheet = Sheet.objects.select_for_update().select_related("cycle").get(pk=sheet.pk)
        if sheet.version != version:
            raise ConflictError("Phiếu vừa được người khác thay đổi; hãy mở lại trang.")
        if sheet.state != SheetState.DRAFT:
            raise ServiceError(f"Phiếu đang “{sheet.get_state_display()}”.")
        sheet.state, sheet.submitted_at, sheet.submitted_by = SheetState.SUBMITTED, timezone.now(), actor
        sheet.late = today() > sheet.cycle.self_due
        sheet.version += 1
        by_actor(sheet, actor).save()
    return sheet


def sheet_withdraw(*, actor, sheet: Sheet, version: int) -> Sheet:
    """Before D1 the leader takes the sheet back to correct it, unless appraisal has begun."""
    require_permission(sheet_access(actor, sheet).submit, "Chỉ lãnh đạo đơn vị được rút lại phiếu tự đánh giá.")
    with transaction.atomic():
        sheet = Sheet.objects.select_for_update().select_related("cycle").get(pk=sheet.pk)
        if sheet.version != version:
            raise ConflictError("Phiếu vừa được người khác thay đổi; hãy mở lại trang.")
        if sheet.state != SheetState.SUBMITTED:
            raise ServiceError(f"Chỉ rút lại được phiếu đã gửi; phiếu đang “{sheet.get_state_display()}”.")
        if today() > sheet.cycle.self_due:
            raise ServiceError(f"Đã quá hạn tự đánh giá ({sheet.cycle.self_due:%d/%m/%Y}): không rút lại được phiếu.")
        if sheet.entries.filter(score__isnull=False, criterion__method__in=[Method.APPRAISAL, ""]).exists():
            raise ServiceError("Hội đồng đã bắt đầu thẩm định phiếu này: không rút lại được.")
        sheet.state, sheet.submitted_at, sheet.late = SheetState.DRAFT, None, False
        sheet.version += 1
        by_actor(sheet, actor).save()
    return sheet


def send_back_answer(*, actor, send_back: SendBack, answer: str, files=()) -> SendBack:
    """The unit answers a request for explanation in the same place; its files join the criterion."""
    entry = send_back.entry
    sheet = entry.sheet
    require_permission(sheet_access(actor, sheet, seat(actor, sheet.cycle)).fill)
    if not (answer or "").strip():
        raise ServiceError("Cần ghi nội dung giải trình.")
    if today() > send_back.due:
        raise ServiceError(f"Đã quá hạn trả lời ({send_back.due:%d/%m/%Y}).")
    if sheet.cycle.state != CycleState.OPEN:
        raise ServiceError("Đợt đánh giá đã chốt.")
    uploads = check_uploads(files)
    stored: list[str] = []
    try:
        with transaction.atomic():
            send_back = SendBack.objects.select_for_update().get(pk=send_back.pk)
            if not send_back.is_open:
                raise ServiceError("Yêu cầu này đã được trả lời.")
            send_back.answer, send_back.answered_by, send_back.answered_at = answer.strip(), actor, timezone.now()
            by_actor(send_back, actor).save()
            attach(actor=actor, entry=entry, uploads=uploads, stored=stored)
    except Exception:
        cleanup(stored)
        raise
    return send_back
