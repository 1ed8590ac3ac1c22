"""The coordinator's writes: frameworks (criteria, scale, copy, revision), cycles and the council."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from chiso.common.actors import by_actor
from chiso.common.errors import ConflictError, ServiceError, require_permission
from chiso.core import rules
from chiso.core.internal_index import DEFAULT_THRESHOLDS, check_thresholds
from chiso.core.tree import fmt, parent_code
from chiso.frameworks.models import Criterion, Framework, FrameworkVersion, IndexKind, Method
from chiso.units.models import Unit, UnitKind

from ..models import (GROUP_KINDS, INTERNAL_GROUPS, CouncilMember, CriterionDetail, Cycle, CycleState, Entry, InternalFramework, Sheet,
                      UnitGroup)
from ..policies import manages

SELF_ASSESSED = {Method.APPRAISAL, ""}


@dataclass
class CriterionInput:
    code: str
    name: str
    max_points: Decimal | None
    method: str = Method.APPRAISAL
    guidance: str = ""
    evidence_required: bool = True
    unit_kinds: list[str] = field(default_factory=list)
    where: str = ""  # "dòng 12" for an import
    rule: str = ""  # computed criteria: the rule over raw inputs (chiso.core.rules)
    inputs: str = ""  # and its inputs in Vietnamese: "name: meaning; name: meaning. How it scores."


def _require_manager(actor, province_id: int) -> None:
    require_permission(manages(actor, province_id) if actor is not None else True)


def _stale(obj, version: int, what: str) -> None:
    if obj.edit_version != version:
        raise ConflictError(f"{what} vừa được người khác sửa sau khi anh/chị mở trang. Nội dung anh/chị nhập CHƯA "
                            "được lưu: hãy mở lại trang rồi nhập lại.")


def in_use(framework: InternalFramework) -> bool:
    return Cycle.objects.filter(framework=framework).exists()


def _require_unlocked(framework: InternalFramework) -> None:
    if framework.is_national:
        raise ServiceError("Bộ chỉ số này do Bộ Nội vụ ban hành (Chỉ số CCHC của tỉnh): không sửa ở đây.")
    if in_use(framework):
        raise ServiceError(f"Bộ chỉ số “{framework}” đã được dùng cho một đợt đánh giá nên không sửa được; "
                           "hãy tạo phiên bản mới (nút “Tạo phiên bản sửa đổi”).")


def framework_create(*, actor, province: Unit, group: str, year: int, label: str = "") -> InternalFramework:
    _require_manager(actor, province.pk)
    if group not in INTERNAL_GROUPS:
        raise ServiceError("Chọn nhóm đơn vị được đánh giá." if group != UnitGroup.PROVINCE else
                           "Tỉnh tự đánh giá theo bộ chỉ số của Bộ Nội vụ: dùng “Tự đánh giá Chỉ số CCHC của tỉnh”.")
    if not 2000 <= year <= 2100:
        raise ServiceError(f"Năm đánh giá {year} không hợp lệ.")
    with transaction.atomic():
        revision = (InternalFramework.objects.filter(province=province, group=group, year=year)
                    .aggregate(m=Max("revision"))["m"] or 0) + 1
        framework, _ = Framework.objects.get_or_create(
            code=f"noi-bo-{province.public_id.lower()}-{group}",
            defaults={"index": IndexKind.INTERNAL, "owner": province, "scope": UnitGroup(group).label,
                      "name": f"Bộ chỉ số CCHC {UnitGroup(group).label} — {province.name}"})
        version = FrameworkVersion.objects.create(
            framework=framework, label=f"{year}" + (f" sửa đổi {revision - 1}" if revision > 1 else ""),
            decision=label, first_year=year, last_year=year, total_points=0)
        internal = InternalFramework(version=version, province=province, group=group, year=year, revision=revision,
                                     thresholds=[[str(b), t] for b, t in DEFAULT_THRESHOLDS])
        by_actor(internal, actor).save()
    return internal


def _validate_criterion(framework: InternalFramework, data: CriterionInput, existing: Criterion | None) -> list[str]:
    where = f"{data.where}: " if data.where else ""
    errors = []
    code = data.code.strip().rstrip(".")
    if not code or not all(part.isdigit() for part in code.split(".")):
        errors.append(f"{where}mã “{data.code}” không hợp lệ: ghi dạng 1, 1.2 hoặc 1.2.3.")
    if not data.name.strip():
        errors.append(f"{where}cần ghi tên tiêu chí.")
    if data.max_points is None or data.max_points <= 0 or data.max_points > 1000:
        errors.append(f"{where}điểm tối đa phải là số lớn hơn 0.")
    elif data.max_points != data.max_points.quantize(Decimal("0.01")):
        errors.append(f"{where}điểm tối đa {fmt(data.max_points)} có quá 2 chữ số thập phân.")
    if data.method not in SELF_ASSESSED | {Method.SURVEY, Method.STATISTICS, Method.COMPUTED}:
        errors.append(f"{where}phương pháp chấm “{data.method}” không hợp lệ.")
    if data.method == Method.COMPUTED:
        if not data.rule.strip():
            errors.append(f"{where}tiêu chí tính theo công thức cần có công thức (ví dụ ratio(dung_han, tong_so) "
                          "* max_points) và diễn giải từng số liệu.")
        else:
            errors += [where + p for p in rules.label_problems(data.rule.strip(), data.inputs)]
    elif data.rule.strip():
        errors.append(f"{where}chỉ tiêu chí “Tính theo công thức” mới có công thức.")
    bad_kinds = set(data.unit_kinds) - set(UnitKind.values)
    if bad_kinds:
        errors.append(f"{where}loại đơn vị không hợp lệ: {', '.join(sorted(bad_kinds))}.")
    clash = Criterion.objects.filter(version=framework.version, code=code)
    if existing is not None:
        clash = clash.exclude(pk=existing.pk)
    if code and clash.exists():
        errors.append(f"{where}mã {code} đã có trong bộ chỉ số.")
    pcode = parent_code(code) if code else None
    if pcode and not Criterion.objects.filter(version=framework.version, code=pcode).exists():
        errors.append(f"{where}chưa có tiêu chí cha {pcode}: hãy thêm nó trước.")
    return errors


def _recompute(version: FrameworkVersion) -> None:
    """Parents' max is the sum of their children's; the total is the sum of the fields'."""
    criteria = list(version.criteria.order_by("-level", "position"))
    children: dict[int, Decimal] = {}
    for c in criteria:
        if c.pk in children and c.max_points != children[c.pk]:
            c.max_points = children[c.pk]
            c.save(update_fields=["max_points"])
        if c.parent_id:
            children[c.parent_id] = children.get(c.parent_id, Decimal(0)) + c.max_points
    version.total_points = sum((c.max_points for c in criteria if c.parent_id is None), Decimal(0))
    version.save(update_fields=["total_points"])


def _write_criterion(framework: InternalFramework, data: CriterionInput, criterion: Criterion | None,
                     actor=None) -> Criterion:
    code = data.code.strip().rstrip(".")
    pcode = parent_code(code)
    parent = Criterion.objects.get(version=framework.version, code=pcode) if pcode else None
    if criterion is None:
        position = (framework.version.criteria.aggregate(m=Max("position"))["m"] or 0) + 1
        criterion = Criterion(version=framework.version, position=position)
    criterion.code, criterion.name, criterion.parent = code, " ".join(data.name.split()), parent
    criterion.level = code.count(".") + 1
    criterion.max_points, criterion.method = data.max_points, data.method
    criterion.rule = data.rule.strip() if data.method == Method.COMPUTED else ""
    by_actor(criterion, actor).save()
    detail = CriterionDetail.objects.filter(criterion=criterion).first() or CriterionDetail(criterion=criterion)
    detail.guidance, detail.evidence_required = data.guidance.strip(), data.evidence_required
    detail.unit_kinds = sorted(set(data.unit_kinds))
    detail.inputs = " ".join(data.inputs.split()) if criterion.rule else ""
    by_actor(detail, actor).save()
    return criterion


def _reorder(version: FrameworkVersion) -> None:
    """Positions follow the codes (1, 1.1, 1.2, 1.10, 2 …), whatever order they were added in."""
    criteria = list(version.criteria.all())
    criteria.sort(key=lambda c: [int(p) for p in c.code.split(".")])
    for i, c in enumerate(criteria):
        if c.position != i:
            Criterion.objects.filter(pk=c.pk).update(position=i)


def criterion_save(*, actor, framework: InternalFramework, data: CriterionInput, version: int,
                   criterion: Criterion | None = None) -> Criterion:
    """Adds (criterion None) or changes a criterion; refused once a cycle uses the framework."""
    _require_manager(actor, framework.province_id)
    with transaction.atomic():
        framework = InternalFramework.objects.select_for_update().select_related("version").get(pk=framework.pk)
        _stale(framework, version, "Bộ chỉ số")
        _require_unlocked(framework)
        if criterion is not None and criterion.version_id != framework.version_id:
            raise ServiceError("Tiêu chí không thuộc bộ chỉ số này.")
        errors = _validate_criterion(framework, data, criterion)
        if criterion is not None and criterion.children.exists() and criterion.code != data.code.strip().rstrip("."):
            errors.append("Không đổi được mã của tiêu chí đã có tiêu chí con.")
        if errors:
            raise ServiceError("Tiêu chí chưa được lưu.", details=[e[:1].upper() + e[1:] for e in errors])
        criterion = _write_criterion(framework, data, criterion, actor)
        _reorder(framework.version)
        _recompute(framework.version)
        framework.edit_version += 1
        by_actor(framework, actor).save()
    return criterion


def criterion_remove(*, actor, framework: InternalFramework, criterion: Criterion, version: int) -> None:
    _require_manager(actor, framework.province_id)
    with transaction.atomic():
        framework = InternalFramework.objects.select_for_update().select_related("version").get(pk=framework.pk)
        _stale(framework, version, "Bộ chỉ số")
        _require_unlocked(framework)
        if criterion.version_id != framework.version_id:
            raise ServiceError("Tiêu chí không thuộc bộ chỉ số này.")
        by_actor(criterion, actor).delete()  # its children go with it (CASCADE), as the builder warns
        _reorder(framework.version)
        _recompute(framework.version)
        framework.edit_version += 1
        by_actor(framework, actor).save()


def criteria_import(*, actor, framework: InternalFramework, rows: list[CriterionInput], version: int) -> int:
    """Adds the rows of a template in order (parents first); one bad row refuses the whole file."""
    _require_manager(actor, framework.province_id)
    with transaction.atomic():
        framework = InternalFramework.objects.select_for_update().select_related("version").get(pk=framework.pk)
        _stale(framework, version, "Bộ chỉ số")
        _require_unlocked(framework)
        errors: list[str] = []
        for row in rows:
            found = _validate_criterion(framework, row, None)
            errors += found
            if not found:
                _write_criterion(framework, row, None, actor)
        if errors:
            transaction.set_rollback(True)
            raise ServiceError(f"Chưa nhập được bộ chỉ số: {len(errors)} lỗi.", details=errors)
        _reorder(framework.version)
        _recompute(framework.version)
        framework.edit_version += 1
        by_actor(framework, actor).save()
    return len(rows)


def criterion_inputs(version: FrameworkVersion) -> list[CriterionInput]:
    details = {d.criterion_id: d for d in CriterionDetail.objects.filter(criterion__version=version)}
    out = []
    for c in version.criteria.order_by("position"):
        d = details.get(c.pk)
        out.append(CriterionInput(c.code, c.name, c.max_points, c.method, d.guidance if d else "",
                                  d.evidence_required if d else True, list(d.unit_kinds) if d else [],
                                  rule=c.rule, inputs=d.inputs if d else ""))
    return out


def framework_copy(*, actor, source: InternalFramework, year: int | None = None) -> InternalFramework:
    """Last year's set as this year's draft (year given), or a revision of a locked one (same year)."""
    _require_manager(actor, source.province_id)
    if source.is_national:
        raise ServiceError("Bộ chỉ số của Bộ Nội vụ không sao chép, sửa đổi ở đây.")
    with transaction.atomic():
        new = framework_create(actor=actor, province=source.province, group=source.group,
                               year=year or source.year, label=source.version.decision)
        new.based_on, new.thresholds = source, source.thresholds
        rows = criterion_inputs(source.version)
        for row in rows:
            _write_criterion(new, row, None, actor)
        _reorder(new.version)
        _recompute(new.version)
        by_actor(new, actor).save()
    return new


def thresholds_save(*, actor, framework: InternalFramework, thresholds: list[tuple[Decimal, str]],
                    version: int) -> InternalFramework:
    _require_manager(actor, framework.province_id)
    problems = check_thresholds(thresholds)
    if problems:
        raise ServiceError("Thang xếp loại chưa được lưu.", details=problems)
    with transaction.atomic():
        framework = InternalFramework.objects.select_for_update().get(pk=framework.pk)
        _stale(framework, version, "Thang xếp loại")
        if framework.cycles.filter(state=CycleState.PUBLISHED).exists():
            raise ServiceError("Kết quả đã công bố theo thang xếp loại này: không sửa được.")
        framework.thresholds = [[str(b), label.strip()] for b, label in thresholds]
        framework.edit_version += 1
        by_actor(framework, actor).save()
    return framework


# -- the cycle ---------------------------------------------------------------------

@dataclass
class CycleDates:
    self_due: dt.date | None
    appraisal_due: dt.date | None
    explanation_due: dt.date | None
    publish_on: dt.date | None


def _check_dates(d: CycleDates) -> list[str]:
    names = [("self_due", "Hạn tự đánh giá (D1)"), ("appraisal_due", "Hạn thẩm định (D2)"),
             ("explanation_due", "Hạn giải trình"), ("publish_on", "Ngày công bố")]
    errors = [f"Cần ghi {label.lower()}." for key, label in names if getattr(d, key) is None]
    if errors:
        return errors
    for (a, la), (b, lb) in zip(names, names[1:]):
        if getattr(d, a) > getattr(d, b):
            errors.append(f"{la} ({getattr(d, a):%d/%m/%Y}) phải trước hoặc bằng {lb.lower()} "
                          f"({getattr(d, b):%d/%m/%Y}).")
    return errors


def applies_to(unit_kinds: list[str], unit: Unit) -> bool:
    return not unit_kinds or unit.kind in unit_kinds


def cycle_open(*, actor, framework: InternalFramework, name: str, dates: CycleDates,
               units: list[Unit] | None = None) -> Cycle:
    """Opens the year's assessment of the group: a sheet for each current unit of the group's kinds (or
    the units given, of the province), with an entry per leaf criterion (not applicable where the
    criterion excludes the unit's kind)."""
    _require_manager(actor, framework.province_id)
    errors = _check_dates(dates)
    leaves = list(framework.version.criteria.filter(children__isnull=True).order_by("position"))
    if not leaves:
        errors.append("Bộ chỉ số chưa có tiêu chí nào.")
    if not (name or "").strip():
        errors.append("Cần ghi tên đợt đánh giá, ví dụ “Chỉ số CCHC năm 2025 của các sở, ban, ngành”.")
    if units is None:
        units = list(Unit.objects.filter(root_id=framework.province_id, kind__in=GROUP_KINDS[framework.group],
                                         valid_to__isnull=True).order_by("name"))
    elif any((u.root_id or u.pk) != framework.province_id for u in units):
        errors.append("Có đơn vị không thuộc tỉnh của bộ chỉ số.")
    if not units:
        errors.append(f"Tỉnh chưa có đơn vị nào thuộc nhóm {framework.get_group_display()}.")
    if Cycle.objects.filter(framework=framework).exists():
        errors.append("Bộ chỉ số này đã có đợt đánh giá.")
    if errors:
        raise ServiceError("Chưa mở được đợt đánh giá.", details=errors)
    with transaction.atomic():
        cycle = by_actor(Cycle(framework=framework, name=name.strip(), opened_by=actor if actor else None,
                               self_due=dates.self_due, appraisal_due=dates.appraisal_due,
                               explanation_due=dates.explanation_due, publish_on=dates.publish_on), actor)
        cycle.save()
        sheets = Sheet.objects.bulk_create([Sheet(cycle=cycle, unit=u) for u in units])
        kinds = dict(CriterionDetail.objects.filter(criterion__in=leaves).values_list("criterion_id", "unit_kinds"))
        Entry.objects.bulk_create([Entry(sheet=s, criterion=c, applicable=applies_to(kinds.get(c.pk) or [], s.unit))
                                   for s in sheets for c in leaves])
    return cycle


def cycle_dates_save(*, actor, cycle: Cycle, dates: CycleDates, version: int) -> Cycle:
    _require_manager(actor, cycle.framework.province_id)
    errors = _check_dates(dates)
    if errors:
        raise ServiceError("Chưa lưu được các mốc thời gian.", details=errors)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.version != version:
            raise ConflictError("Đợt đánh giá vừa được người khác sửa; hãy mở lại trang.")
        if cycle.state == CycleState.PUBLISHED:
            raise ServiceError("Đợt đánh giá đã công bố: không đổi được mốc thời gian.")
        for key in ("self_due", "appraisal_due", "explanation_due", "publish_on"):
            setattr(cycle, key, getattr(dates, key))
        cycle.version += 1
        by_actor(cycle, actor).save()
    return cycle


def council_member_set(*, actor, cycle: Cycle, user, is_lead: bool = False, fields: list[str] = (),
                       units: list[Unit] = ()) -> CouncilMember:
    _require_manager(actor, cycle.framework.province_id)
    errors = []
    if cycle.framework.is_national:
        errors.append("Chỉ số CCHC của tỉnh do Bộ Nội vụ thẩm định: không có Hội đồng của tỉnh.")
    if user.unit_id is None or (user.unit.root_id or user.unit_id) != cycle.framework.province_id:
        errors.append(f"{user.display_name} không thuộc tỉnh của đợt đánh giá.")
    known = set(cycle.framework.version.criteria.filter(parent__isnull=True).values_list("code", flat=True))
    unknown = set(fields) - known
    if unknown:
        errors.append(f"Lĩnh vực không có trong bộ chỉ số: {', '.join(sorted(unknown))}.")
    if any(u.pk == user.unit_id for u in units):
        errors.append("Thành viên không thẩm định đơn vị của chính mình.")
    if errors:
        raise ServiceError("Chưa phân công được thành viên hội đồng.", details=errors)
    with transaction.atomic():
        if is_lead:
            for other in CouncilMember.objects.filter(cycle=cycle, is_lead=True).exclude(user=user):
                other.is_lead = False
                by_actor(other, actor).save()
        member = CouncilMember.objects.filter(cycle=cycle, user=user).first() or CouncilMember(cycle=cycle, user=user)
        member.is_lead, member.fields = is_lead, sorted(set(fields))
        by_actor(member, actor).save()
        member.units.set(units)
    return member


def council_member_remove(*, actor, member: CouncilMember) -> None:
    _require_manager(actor, member.cycle.framework.province_id)
    with transaction.atomic():
        by_actor(member, actor).delete()
