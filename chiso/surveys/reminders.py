"""Reminders to invited officials and delegates who have not answered yet, sent when
`chiso send-reminders` runs (it sends `chiso.common.signals.reminders_due`; the surveys may not
import chiso.progress, a sibling).

An invitation not used is reminded REMIND_EVERY days after it was sent, then again after the
same interval, at most MAX_REMINDERS times, while its campaign is open and not past its end.
The token is locked and checked unused in the transaction that logs the reminder
(InvitationReminder, unique per token and number) and sends it: an answer given meanwhile
stops it, and a second run never sends the same reminder. A reminder carries the invitation's
link and nothing about any answer; the coordinator sees, per invitation, when it was sent and
reminded — never which response is whose (a response does not point to its token).
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from chiso.common.signals import Reminded, reminders_due
from chiso.common.site import site_url

from .models import CampaignState, InvitationReminder, RespondentToken, TokenKind

KIND = "survey_invitation"
KIND_LABEL = "Nhắc trả lời khảo sát"
REMIND_EVERY = dt.timedelta(days=3)
MAX_REMINDERS = 2


def due_invitations(today: dt.date) -> list[RespondentToken]:
    """Unanswered invitations whose next reminder is due today (`reminded`: how many were sent)."""
    tokens = (RespondentToken.objects.filter(kind=TokenKind.INVITE, used=False, sent_at__isnull=False,
                                             campaign_unit__campaign__state=CampaignState.OPEN,
                                             campaign_unit__campaign__ends_on__gte=today)
              .exclude(email="").select_related("campaign_unit__campaign__owner")
              .annotate(reminded=Count("reminders"), last_reminded=Max("reminders__sent_on")).order_by("pk"))
    due = []
    for token in tokens:
        since = token.last_reminded or timezone.localtime(token.sent_at).date()
        if token.reminded < MAX_REMINDERS and since + REMIND_EVERY <= today:
            due.append(token)
    return due


@receiver(reminders_due, dispatch_uid="surveys.invitation_reminders")
def invitation_reminders_send(sender=None, *, today: dt.date, dry_run: bool = False, **kwargs) -> Reminded:
    result = Reminded(labels={KIND: KIND_LABEL})
    for token in due_invitations(today):
        if not dry_run:
            try:
                with transaction.atomic():
                    if not RespondentToken.objects.select_for_update().filter(pk=token.pk, used=False).exists():
                        continue  # answered since the list was read
                    InvitationReminder.objects.create(token=token, seq=token.reminded + 1, sent_on=today)
                    _send(token, token.reminded + 1)
            except IntegrityError:
                continue  # another run sent this one at the same moment
        result.emails += 1
        result.reminders += 1
        result.by_kind[KIND] = result.by_kind.get(KIND, 0) + 1
    return result


def _send(token: RespondentToken, seq: int) -> None:
    campaign = token.campaign_unit.campaign
    link = f"{site_url()}{reverse('public:answer', args=[token.key])}"
    body = (f"Kính gửi ông/bà,\n\n{campaign.owner.name} đã mời ông/bà tham gia {campaign.name}. "
            f"Đợt khảo sát nhận phiếu đến hết ngày {campaign.ends_on:%d/%m/%Y}.\n"
            f"Xin ông/bà dành ít phút trả lời phiếu tại:\n\n{link}\n\n"
            "Phiếu không ghi tên: câu trả lời không gắn với địa chỉ thư này. Đường dẫn chỉ dùng được một lần.\n")
    send_mail(f"Nhắc lần {seq}: mời tham gia khảo sát {campaign.name}", body, settings.DEFAULT_FROM_EMAIL,
              [token.email])
