"""The province's own Word template of a plan's body."""
from __future__ import annotations

from django.db import transaction

from chiso.common.actors import acting_user, by_actor
from chiso.common.errors import ServiceError, require_permission
from chiso.common.uploads import upload_bytes

from ..models import PlanDocumentTemplate
from ..policies import can_load_plan, issuer_allowed

NOT_A_WRITER = "Chỉ cán bộ điều phối (Sở Nội vụ) của tỉnh được thay mẫu văn bản kế hoạch."


def _require(actor, owner) -> None:
    if actor is not None:
        require_permission(can_load_plan(actor) and issuer_allowed(actor, owner), NOT_A_WRITER)


@transaction.atomic
def body_template_save(*, actor, owner, uploaded) -> PlanDocumentTemplate:
    """A .docx template for the plans of `owner` (a province): refused unless it renders a sample."""
    from django.core.files.base import ContentFile

    from ..documents import MAX_TEMPLATE_BYTES, check_template

    _require(actor, owner)
    data = upload_bytes(uploaded, limit=MAX_TEMPLATE_BYTES)
    name = (uploaded.name or "mau-ke-hoach.docx")[:255]
    if not name.lower().endswith(".docx"):
        raise ServiceError(f"{name}: mẫu văn bản phải là tệp Word .docx.")
    problem = check_template(data)
    if problem:
        raise ServiceError(f"{name}: {problem}")
    template = PlanDocumentTemplate(owner=owner, file_name=name, uploaded_by=acting_user(actor))
    template.file.save(name, ContentFile(data), save=False)
    by_actor(template, actor).save()
    return template


@transaction.atomic
def body_template_reset(*, actor, owner) -> int:
    """Back to chiso's default template: the province's own ones are removed (history keeps them)."""
    _require(actor, owner)
    removed = 0
    for template in PlanDocumentTemplate.objects.filter(owner=owner):
        by_actor(template, actor).delete()
        removed += 1
    return removed
