"""Who may do what with surveys.

Reading campaigns and their progress: every user of the owning province (another province's
campaign answers 404). Results: the province's overseers (coordinator, leader) and
administrators. Raw responses, questionnaires, campaigns, tokens: coordinators and
administrators. Keying in paper forms and printing QR sheets: coordinators, and the
officers of the surveyed unit itself. Answering needs no account: the token is the credential.
"""
from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from chiso.accounts.models import Role
from chiso.accounts.policies import can_manage_plans, oversees_province, scope_roots
from chiso.common.errors import require_permission as _require_permission

from .models import Campaign, CampaignUnit, Questionnaire

DENIED = "Chỉ cán bộ đầu mối (Sở Nội vụ) được thực hiện thao tác này với khảo sát."


def require_permission(condition: bool, message: str = DENIED) -> None:
    """chiso's one 403, with the surveys' message."""
    _require_permission(condition, message)


def can_manage_surveys(user) -> bool:
    return bool(user and user.is_authenticated and can_manage_plans(user))


def can_read_results(user) -> bool:
    return bool(user and user.is_authenticated and oversees_province(user))


def can_enter_responses(user, campaign_unit: CampaignUnit) -> bool:
    if not (user and user.is_authenticated):
        return False
    return can_manage_surveys(user) or (user.role == Role.OFFICER and user.unit_id == campaign_unit.unit_id)


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    if not (user and user.is_authenticated):
        return Campaign.objects.none()
    roots = scope_roots(user)
    qs = Campaign.objects.all()
    return qs if roots is None else qs.filter(owner__root_id__in=roots)


def questionnaires_visible_to(user) -> QuerySet[Questionnaire]:
    """The bundled templates and the questionnaires of the user's province."""
    if not (user and user.is_authenticated):
        return Questionnaire.objects.none()
    roots = scope_roots(user)
    qs = Questionnaire.objects.all()
    return qs if roots is None else qs.filter(Q(owner__isnull=True) | Q(owner__root_id__in=roots))


def campaign_or_404(user, public_id: str) -> Campaign:
    return get_object_or_404(campaigns_visible_to(user).select_related("owner", "questionnaire"), public_id=public_id)


def campaign_unit_or_404(user, public_id: str) -> CampaignUnit:
    return get_object_or_404(CampaignUnit.objects.filter(campaign__in=campaigns_visible_to(user))
                             .select_related("campaign__questionnaire", "campaign__owner", "unit"), public_id=public_id)


def questionnaire_or_404(user, public_id: str) -> Questionnaire:
    return get_object_or_404(questionnaires_visible_to(user), public_id=public_id)


def owns_province(user, unit) -> bool:
    """The unit is (in) a province the user may manage."""
    roots = scope_roots(user)
    return roots is None or (unit.root_id or unit.pk) in roots
