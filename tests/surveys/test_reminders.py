"""Invited officials and delegates who have not answered are reminded by `chiso send-reminders`."""
import datetime as dt
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from chiso.surveys import services
from chiso.surveys.models import InvitationReminder, RespondentToken

from .conftest import Posted, answers

ADDRESSES = ["a@hdnd.vn", "b@hdnd.vn", "c@hdnd.vn"]


@pytest.fixture
def invited(survey, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(actor=survey.world.coordinator, campaign_unit=survey.lead, emails=ADDRESSES,
                                  link_for=lambda key: f"http://chiso/khao-sat/{key}/")
    mail.outbox.clear()
    return {t.email: t for t in RespondentToken.objects.filter(kind="invite")}


def _answer(survey, token):
    services.response_submit(entry=services.entry_for_key(token.key), data=Posted(answers()), today=survey.today)


def _run(day, capsys):
    call_command("send_reminders", today=day.isoformat())
    return capsys.readouterr().out


def test_only_the_unanswered_are_reminded_once_per_turn(survey, invited, capsys):
    _answer(survey, invited["b@hdnd.vn"])
    assert "nhắc trả lời khảo sát" not in _run(survey.today + dt.timedelta(days=2), capsys)
    assert mail.outbox == []
    out = _run(survey.today + dt.timedelta(days=3), capsys)
    assert "nhắc trả lời khảo sát: 2" in out and "survey_invitation" not in out
    assert sorted(m.to[0] for m in mail.outbox) == ["a@hdnd.vn", "c@hdnd.vn"]  # never to one who answered
    reminder = next(m for m in mail.outbox if m.to == ["a@hdnd.vn"])
    assert reminder.subject == "Nhắc lần 1: mời tham gia khảo sát Khảo sát SIPAS 2025"
    assert f"/khao-sat/{invited['a@hdnd.vn'].key}/" in reminder.body
    for other in ("b@hdnd.vn", "c@hdnd.vn", invited["c@hdnd.vn"].key, invited["b@hdnd.vn"].key):
        assert other not in reminder.body
    assert "Rất hài lòng" not in reminder.body and "dat-dai" not in reminder.body  # nothing of any answer
    # run again the same day: nothing more
    mail.outbox.clear()
    assert "nhắc trả lời khảo sát" not in _run(survey.today + dt.timedelta(days=3), capsys) and mail.outbox == []
    # c answers after the first reminder: only a gets the second, and no third ever
    _answer(survey, invited["c@hdnd.vn"])
    _run(survey.today + dt.timedelta(days=6), capsys)
    assert [m.to for m in mail.outbox] == [["a@hdnd.vn"]] and mail.outbox[0].subject.startswith("Nhắc lần 2")
    mail.outbox.clear()
    _run(survey.today + dt.timedelta(days=20), capsys)
    assert mail.outbox == []
    assert InvitationReminder.objects.filter(token=invited["a@hdnd.vn"]).count() == 2


def test_no_reminder_after_the_campaign_ends_or_closes(survey, invited, capsys):
    _run(survey.today + dt.timedelta(days=31), capsys)  # the campaign ends 30 days from today
    assert mail.outbox == []
    services.campaign_set_state(actor=survey.world.coordinator, campaign=survey.campaign, state="closed")
    _run(survey.today + dt.timedelta(days=3), capsys)
    assert mail.outbox == []


def test_the_coordinator_sees_who_was_invited_and_reminded(client, survey, invited, capsys):
    _answer(survey, invited["b@hdnd.vn"])
    _run(survey.today + dt.timedelta(days=3), capsys)
    client.force_login(survey.world.coordinator)
    html = client.get(reverse("surveys:campaign", args=[survey.campaign.public_id])).content.decode()
    block = re.search(r'data-testid="invited".*?</details>', html, re.DOTALL).group(0)
    assert "Đã mời 3 địa chỉ · 1 đã trả lời" in block
    assert block.count("1 lần, gần nhất") == 2 and block.count(">chưa<") == 1
    client.force_login(survey.world.own)
    assert 'data-testid="invited"' not in client.get(reverse("surveys:campaign",
                                                             args=[survey.campaign.public_id])).content.decode()
