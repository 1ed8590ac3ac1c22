"""Who may do what in the province's own index.

- The coordinator (Sở Nội vụ, or an administrator) of the province builds frameworks, opens cycles,
  names the council, enters survey points and publishes. The province's leader reads everything.
- A unit's officer fills its sheet (scores, evidence, explanations, answers); the unit's leader
  does the same and also approves and submits, or withdraws before D1.
- A council member appraises the sheets and fields assigned to them, never their own unit's;
  the council's lead appraises every sheet but their own unit's, and finalises.
- Before publication a unit sees only its own sheet; after it, the province reads the results.
- The province's own PAR INDEX self-assessment (group PROVINCE, the national framework): the Sở Nội vụ
  (the coordinator) fills the province's sheet, the province's leader or the coordinator submits it to
  the ministry; a department that leads a criterion in this year's plan (its lead agency) reads the
  sheet and adds evidence to the criteria it leads, and nothing else.

Hidden answers 404, visible but not allowed 403 (chiso.common.errors.require_permission).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from chiso.accounts.models import Role
from chiso.accounts.policies import can_manage_plans, scope_roots, sees_everything
from chiso.common.errors import require_permission  # noqa: F401 (the views' and services' 403)

from .models import CouncilMember, Cycle, CycleState, InternalFramework, Sheet


def in_scope(user, province_id: int) -> bool:
    if not user.is_authenticated:
        return False
    roots = scope_roots(user)
    return roots is None or province_id in roots


def manages(user, province_id: int) -> bool:
    return in_scope(user, province_id) and can_manage_plans(user)


def oversees(user, province_id: int) -> bool:
    """Coordinators, administrators and the province's own leaders (not a unit's leader)."""
    if manages(user, province_id):
        return True
    return in_scope(user, province_id) and user.role == Role.LEADER and user.unit_id == province_id


def seat(user, cycle: Cycle) -> CouncilMember | None:
    if not user.is_authenticated:
        return None
    return CouncilMember.objects.filter(cycle=cycle, user=user).prefetch_related("units").first()


def frameworks_visible_to(user) -> QuerySet[InternalFramework]:
    if not user.is_authenticated:
        return InternalFramework.objects.none()
    roots = scope_roots(user)
    qs = InternalFramework.objects.select_related("version", "province")
    return qs if roots is None else qs.filter(province_id__in=roots)


def cycles_visible_to(user) -> QuerySet[Cycle]:
    """Cycles a user may open: managed, overseen, sat on, published, or holding the user's unit's sheet."""
    if not user.is_authenticated:
        return Cycle.objects.none()
    qs = Cycle.objects.select_related("framework", "framework__province", "framework__version")
    if sees_everything(user):
        return qs
    roots = scope_roots(user)
    qs = qs.filter(framework__province_id__in=roots)
    if user.role == Role.COORDINATOR or (user.role == Role.LEADER and user.unit_id in roots):
        return qs
    return qs.filter(Q(state=CycleState.PUBLISHED) | Q(members__user=user) | Q(sheets__unit_id=user.unit_id)).distinct()


@dataclass(frozen=True)
class SheetAccess:
    read: bool = False
    fill: bool = False        # the unit's officer or leader
    submit: bool = False      # the unit's leader
    appraise: bool = False    # an assigned council member (or the lead)
    finalise: bool = False    # the council's lead
    manage: bool = False      # the coordinator
    contribute: frozenset = frozenset()  # criterion codes whose evidence the user's unit gathers (national)

    def gathers(self, code: str) -> bool:
        """May add evidence to this criterion: the sheet's fillers, or the criterion's lead department."""
        return self.fill or code in self.contribute

    def fields_of(self, member: CouncilMember | None) -> set[str] | None:
        """Field codes the member appraises; None: all."""
        if self.finalise or self.manage or member is None or not member.fields:
            return None
        return set(member.fields)


def member_covers(member: CouncilMember | None, sheet: Sheet) -> bool:
    if member is None or sheet.unit_id == member.user.unit_id:
        return False
    if member.is_lead:
        return True
    unit_ids = [u.pk for u in member.units.all()]
    return not unit_ids or sheet.unit_id in unit_ids


def led_codes(user, sheet: Sheet) -> frozenset:
    """The leaf criteria of a national sheet whose plan tasks the user's unit leads this year."""
    from .selectors import criterion_leads  # selectors read the plans; policies stay light for every page

    if not user.unit_id or user.role not in {Role.OFFICER, Role.LEADER}:
        return frozenset()
    return frozenset(code for code, units in criterion_leads(sheet.cycle).items()
                     if any(u.pk == user.unit_id for u in units))


def sheet_access(user, sheet: Sheet, member: CouncilMember | None = None) -> SheetAccess:
    province_id = sheet.cycle.framework.province_id
    if not in_scope(user, province_id):
        return SheetAccess()
    if sheet.cycle.framework.is_national:
        return _national_access(user, sheet, province_id)
    own = user.unit_id == sheet.unit_id
    fill = own and user.role in {Role.OFFICER, Role.LEADER}
    submit = own and user.role == Role.LEADER
    manage = manages(user, province_id)
    appraise = member_covers(member, sheet)
    finalise = appraise and member is not None and member.is_lead
    read = (own or manage or appraise or oversees(user, province_id)
            or sheet.cycle.state == CycleState.PUBLISHED)
    return SheetAccess(read, fill, submit, appraise, finalise, manage)


def _national_access(user, sheet: Sheet, province_id: int) -> SheetAccess:
    """The province's own sheet toward the ministry: no council (the ministry appraises)."""
    own = user.unit_id == sheet.unit_id
    manage = manages(user, province_id)
    fill = manage or (own and user.role in {Role.OFFICER, Role.LEADER})
    submit = manage or (own and user.role == Role.LEADER)
    contribute = frozenset() if fill else led_codes(user, sheet)
    read = fill or bool(contribute) or oversees(user, province_id) or sheet.cycle.state == CycleState.PUBLISHED
    return SheetAccess(read, fill, submit, False, False, manage, contribute)


def visible_cycle_or_404(user, public_id: str) -> Cycle:
    cycle = cycles_visible_to(user).filter(public_id=public_id).first()
    if cycle is None:
        raise Http404
    return cycle


def visible_sheet_or_404(user, public_id: str) -> tuple[Sheet, SheetAccess, CouncilMember | None]:
    sheet = (Sheet.objects.select_related("cycle", "cycle__framework", "cycle__framework__version", "unit")
             .filter(public_id=public_id).first())
    if sheet is None:
        raise Http404
    member = seat(user, sheet.cycle)
    access = sheet_access(user, sheet, member)
    if not access.read:
        raise Http404
    return sheet, access, member


def sees_results(user, cycle: Cycle) -> bool:
    """The ranking: after publication the province; before it the coordinator, leaders and council."""
    province_id = cycle.framework.province_id
    if not in_scope(user, province_id):
        return False
    return cycle.state == CycleState.PUBLISHED or oversees(user, province_id) or seat(user, cycle) is not None
