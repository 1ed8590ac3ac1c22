"""Questionnaires: the bundled templates, a province's copies, versions (a version with answers is frozen)."""
from __future__ import annotations

import json
from typing import Callable

from django.db import transaction
from django.db.models import Max

from chiso.common.actors import by_actor
from chiso.common.errors import ConflictError, ServiceError
from chiso.core import questionnaire_edit as qedit
from chiso.units.models import Unit

from ..models import Questionnaire
from ..policies import can_manage_surveys, owns_province, require_permission
from .base import BUNDLED, _check_definition

STALE = ("Phiếu vừa được người khác lưu sau khi anh/chị mở trang: nội dung anh/chị sửa CHƯA được lưu. "
         "Trang đã hiện lại nội dung đang lưu; hãy sửa lại.")

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
            raise ConflictError(STALE)
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


def questionnaire_change(*, actor, questionnaire: Questionnaire, revision: int,
                         change: Callable[[dict], dict]) -> Questionnaire:
    """One edit of the per-question editor: `change` (a chiso.core.questionnaire_edit operation)
    applied to the content saved now, checked whole, saved as the same version. Refused on a stale
    form (ConflictError), on a template, and on a version in use — that one is changed through a
    new version (`questionnaire_copy`), so answers already given keep the questions they answered."""
    require_permission(can_manage_surveys(actor))
    if questionnaire.is_template:
        raise ServiceError("Phiếu mẫu dùng chung không sửa được: hãy tạo bản sao cho tỉnh rồi sửa bản sao.")
    require_permission(owns_province(actor, questionnaire.owner))
    with transaction.atomic():
        current = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if current.revision != revision:
            raise ConflictError(STALE)
        if current.used_by is not None:
            raise ServiceError(f"Phiên bản {current.version} đang được dùng cho đợt khảo sát “{current.used_by.name}”: "
                               "không sửa trực tiếp để các phiếu đã trả lời giữ nguyên câu hỏi. Hãy bấm “Tạo phiên "
                               "bản mới để sửa”.")
        try:
            definition = change(current.definition)
        except qedit.EditError as exc:
            raise ServiceError("Chưa lưu thay đổi.", details=exc.problems) from None
        spec = _check_definition({**definition, "code": current.code})
        current.definition, current.title, current.audience = definition, spec.title, spec.audience
        current.revision += 1
        by_actor(current, actor).save()
    return current
