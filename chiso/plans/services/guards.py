"""What every write to a plan being written checks first: who is writing, whether the plan is
a draft, and whether the form the change comes from is still what is saved."""
from __future__ import annotations

from django.utils import timezone

from chiso.common.errors import ConflictError, ServiceError, require_permission, shown_version

from ..models import Plan, PlanState
from ..policies import can_write_plan

NOT_A_WRITER = "Chỉ cán bộ điều phối (Sở Nội vụ) của tỉnh ban hành kế hoạch được soạn, sửa kế hoạch này."
STATE_REFUSALS = {
    PlanState.SUBMITTED: "Kế hoạch đang trình lãnh đạo: muốn sửa, hãy rút lại về dự thảo.",
    PlanState.ISSUED: "Kế hoạch đã ban hành: muốn sửa, hãy lập bản điều chỉnh, bổ sung.",
}


def require_writer(actor, plan: Plan) -> None:
    """`actor` None is chiso itself (commands, the demo): always allowed."""
    if actor is not None:
        require_permission(can_write_plan(actor, plan), NOT_A_WRITER)


def locked_plan(plan: Plan) -> Plan:
    """The plan's row, locked until the transaction ends: writes to one plan queue."""
    return Plan.objects.select_for_update(of=("self",)).select_related("issuer").get(pk=plan.pk)


def locked_draft(actor, plan: Plan) -> Plan:
    """The plan, locked, once `actor` may write it and it is a draft (read again: it may have been
    submitted since the page was opened)."""
    require_writer(actor, plan)
    plan = locked_plan(plan)
    if plan.state != PlanState.DRAFT:
        raise ServiceError(STATE_REFUSALS[plan.state])
    return plan


def last_change(obj) -> str:
    """"Nguyễn Văn An lúc 09:12 ngày 02/12/2026": who saved `obj` last, from its history."""
    history = getattr(obj, "history", None)
    record = history.select_related("history_user").first() if history is not None else None
    if record is None:
        return "người khác"
    who = record.history_user.display_name if record.history_user else "hệ thống"
    when = timezone.localtime(record.history_date)
    return f"{who} lúc {when:%H:%M} ngày {when:%d/%m/%Y}"


def require_fresh(obj, version, what: str) -> None:
    """Refuses a change made on a form older than what is saved (`version` is what the form
    showed): nothing is overwritten, and the message says who changed it and when."""
    if shown_version(version) != obj.version:
        raise ConflictError(f"{what} vừa được {last_change(obj)} sửa. Trang hiện bản mới nhất; "
                            "điều anh/chị vừa nhập chưa được lưu, hãy nhập lại nếu vẫn cần.")


def bump(obj) -> None:
    obj.version = (obj.version or 0) + 1
