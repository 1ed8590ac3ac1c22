"""The life of a plan written in chiso: draft → submitted to the leader → issued (number, date,
the signed PDF) → amended. An amendment is a new edition of the same plan: the coordinator
drafts it on the plan itself, so every task that survives keeps its reports and evidence; each
issued edition keeps a snapshot of the plan, and the diff between snapshots shows what an
amendment changed."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from chiso.common.actors import acting_user, by_actor
from chiso.common.errors import ServiceError, require_permission
from chiso.core.evidence_files import check_file, read_head, sha256_of
from chiso.core.text import collapse

from ..models import EditionKind, Plan, PlanEdition, PlanState
from ..policies import can_decide_plan
from ..snapshot import plan_snapshot
from .guards import STATE_REFUSALS, bump, locked_draft, locked_plan, require_fresh, require_writer

NOT_A_DECIDER = "Chỉ lãnh đạo hoặc cán bộ điều phối của tỉnh được trả lại hoặc ban hành kế hoạch."


def _require_state(plan: Plan, state: str, doing: str) -> None:
    if plan.state != state:
        current = STATE_REFUSALS.get(plan.state, "Kế hoạch đang là dự thảo.")
        raise ServiceError(f"Không {doing} được: {current[0].lower()}{current[1:]}")


@transaction.atomic
def plan_submit(*, actor, plan: Plan, version) -> Plan:
    """The draft goes to the leader; nobody edits it while it is there."""
    plan = locked_draft(actor, plan)
    require_fresh(plan, version, "Kế hoạch")
    if not plan.tables.filter(items__removed_at__isnull=True).exists():
        raise ServiceError("Kế hoạch chưa có dòng nào: chưa trình được.")
    plan.state, plan.submitted_at, plan.submitted_by = PlanState.SUBMITTED, timezone.now(), acting_user(actor)
    plan.leader_comment = ""
    bump(plan)
    by_actor(plan, actor).save()
    return plan


@transaction.atomic
def plan_return(*, actor, plan: Plan, version, comment: str = "") -> Plan:
    """A submitted plan back to draft: the leader's comments, or the coordinator taking it back."""
    if actor is not None:
        require_permission(can_decide_plan(actor, plan), NOT_A_DECIDER)
    plan = locked_plan(plan)
    require_fresh(plan, version, "Kế hoạch")
    _require_state(plan, PlanState.SUBMITTED, "trả lại")
    plan.state, plan.leader_comment = PlanState.DRAFT, (comment or "").strip()[:4000]
    bump(plan)
    by_actor(plan, actor).save()
    return plan


def _check_pdf(signed_pdf) -> tuple[str, str]:
    if signed_pdf is None:
        raise ServiceError("Cần đính kèm bản kế hoạch đã ký (PDF).")
    error, _type = check_file(signed_pdf.name or "ban-ky.pdf", read_head(signed_pdf), signed_pdf.size or 0,
                              settings.CHISO_MAX_UPLOAD_BYTES)
    if error is None and not (signed_pdf.name or "").lower().endswith(".pdf"):
        error = f"Tệp “{signed_pdf.name}” không phải PDF: cần bản đã ký ở dạng PDF."
    if error:
        raise ServiceError("Chưa ban hành được kế hoạch.", details=[error])
    return signed_pdf.name[:255], sha256_of(signed_pdf.chunks())


@transaction.atomic
def plan_issue(*, actor, plan: Plan, version, number: str, date: dt.date | None, signed_pdf) -> PlanEdition:
    """The signed plan (or amendment), with its number, date and PDF: a new edition that keeps
    what the plan holds now."""
    if actor is not None:
        require_permission(can_decide_plan(actor, plan), NOT_A_DECIDER)
    plan = locked_plan(plan)
    require_fresh(plan, version, "Kế hoạch")
    _require_state(plan, PlanState.SUBMITTED, "ban hành")
    number = collapse(number)[:64]
    errors = []
    if not number:
        errors.append("Cần ghi số hiệu văn bản, ví dụ 123/KH-UBND.")
    if date is None:
        errors.append("Cần ghi ngày ban hành.")
    elif date > timezone.localdate() + dt.timedelta(days=1):
        errors.append(f"Ngày ban hành {date:%d/%m/%Y} ở tương lai.")
    elif plan.editions.filter(date__gt=date).exists():
        errors.append(f"Ngày ban hành {date:%d/%m/%Y} trước lần ban hành trước của kế hoạch.")
    if errors:
        raise ServiceError("Chưa ban hành được kế hoạch.", details=errors)
    pdf_name, digest = _check_pdf(signed_pdf)
    edition = PlanEdition(plan=plan, seq=plan.edition, number=number, date=date, pdf_name=pdf_name,
                          pdf_size=signed_pdf.size, pdf_sha256=digest, issued_by=acting_user(actor),
                          kind=EditionKind.ORIGINAL if plan.edition == 1 else EditionKind.AMENDMENT,
                          reason=plan.amendment_reason if plan.edition > 1 else "")
    edition.signed_pdf.save(pdf_name, signed_pdf, save=False)
    stored = edition.signed_pdf.name
    try:
        edition.snapshot = {**plan_snapshot(plan), "number": number, "date": date.isoformat()}
        by_actor(edition, actor).save()
        plan.state = PlanState.ISSUED
        if plan.edition == 1:
            plan.number, plan.date, plan.date_text = number, date, date.isoformat()
        bump(plan)
        by_actor(plan, actor).save()
    except Exception:
        default_storage.delete(stored)
        raise
    return edition


def _first_edition(actor, plan: Plan) -> PlanEdition:
    """A plan issued outside chiso (loaded from its document) has no edition yet: the plan as it
    was loaded becomes edition 1, so that an amendment has something to be compared with."""
    source = plan.source
    return by_actor(PlanEdition(plan=plan, seq=1, kind=EditionKind.ORIGINAL, number=plan.number, date=plan.date,
                                pdf_name=source.file_name if source else "", snapshot=plan_snapshot(plan),
                                issued_by=None), actor)


@transaction.atomic
def plan_amend(*, actor, plan: Plan, version, reason: str) -> Plan:
    """Opens an amendment (kế hoạch điều chỉnh, bổ sung): the issued plan becomes a draft of its
    next edition. Its tasks stay the same tasks, with their reports."""
    require_writer(actor, plan)
    plan = locked_plan(plan)
    require_fresh(plan, version, "Kế hoạch")
    _require_state(plan, PlanState.ISSUED, "lập bản điều chỉnh")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Cần ghi lý do điều chỉnh, bổ sung kế hoạch.")
    if not plan.editions.exists():
        _first_edition(actor, plan).save()
    plan.state, plan.edition = PlanState.DRAFT, plan.edition + 1
    plan.leader_comment, plan.amendment_reason = "", reason[:4000]
    bump(plan)
    by_actor(plan, actor).save()
    return plan


@transaction.atomic
def plan_discard(*, actor, plan: Plan, version) -> None:
    """Deletes a draft that was never issued (nothing reports on it yet)."""
    plan = locked_draft(actor, plan)
    require_fresh(plan, version, "Kế hoạch")
    if plan.editions.exists() or plan.edition > 1:
        raise ServiceError("Kế hoạch đã từng ban hành: không xoá được, chỉ điều chỉnh được.")
    if plan.reporting_periods.exists():
        raise ServiceError("Kế hoạch đã có kỳ báo cáo: không xoá được.")
    by_actor(plan, actor).delete()
