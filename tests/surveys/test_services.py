"""Survey writes: questionnaires, campaigns and targets, tokens, exactly-once answers, serial numbers."""
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from chiso.common.errors import ServiceError
from chiso.surveys import services
from chiso.surveys.models import Channel, Questionnaire, RespondentToken, Response
from tests.surveys.conftest import Posted, answers


def test_targets_follow_the_dossiers(survey):
    assert survey.lead.target == 286 and survey.counter.target == 80  # n = N/(1+N·0,05²)


def test_only_the_coordinator_creates_and_changes(survey):
    w = survey.world
    with pytest.raises(PermissionDenied):
        services.campaign_set_state(actor=w.own, campaign=survey.campaign, state="closed")
    with pytest.raises(PermissionDenied):
        services.campaign_units_save(actor=w.other, campaign=survey.campaign, rows=[])
    with pytest.raises(PermissionDenied):  # another province's coordinator-less officer
        services.tokens_issue(actor=w.other, campaign_unit=survey.lead, count=5)


def test_units_outside_the_province_are_refused(survey):
    w = survey.world
    with pytest.raises(ServiceError) as exc:
        services.campaign_units_save(actor=w.coordinator, campaign=survey.campaign,
                                     rows=[services.UnitRow(w.other_unit, 50, "dòng 2"), services.UnitRow(None, 5, "dòng 3",
                                                                                                         "Xã Không Có")])
    assert "dòng 2: Sở Tư pháp không thuộc Tỉnh A" in exc.value.details
    assert "dòng 3: không tìm thấy đơn vị “Xã Không Có” trong tỉnh" in exc.value.details


def test_campaign_input_checked(survey):
    w = survey.world
    with pytest.raises(ServiceError) as exc:
        services.campaign_create(actor=w.coordinator, owner=w.province, questionnaire=survey.templates["sipas-qd1001"],
                                 data=services.CampaignInput(" ", 1990, survey.today, survey.today.replace(year=2000),
                                                             None, 0))
    assert len(exc.value.details) == 5


def test_a_printed_token_answers_exactly_once(survey):
    batch = services.tokens_issue(actor=survey.world.own, campaign_unit=survey.lead, count=3)  # the unit's own officer
    token = RespondentToken.objects.filter(campaign_unit=survey.lead, batch=batch).first()
    entry = services.entry_for_key(token.key.upper())
    response = services.response_submit(entry=entry, data=Posted(answers()), today=survey.today)
    assert response.channel == Channel.PRINTED and response.answers["C12"] == 5 and "C18" not in response.answers
    with pytest.raises(services.Refused, match="đã được dùng"):
        services.response_submit(entry=services.entry_for_key(token.key), data=Posted(answers()), today=survey.today)
    # a stale entry (looked up before the first use) is refused by the database too
    with pytest.raises(services.Refused):
        services.response_submit(entry=entry, data=Posted(answers()), today=survey.today)
    assert Response.objects.filter(campaign=survey.campaign).count() == 1
    assert not hasattr(response, "token")  # a response never points to its token


def test_wrong_answers_store_nothing_and_keep_the_token(survey):
    services.tokens_issue(actor=survey.world.coordinator, campaign_unit=survey.lead, count=1)
    token = RespondentToken.objects.get(campaign_unit=survey.lead)
    with pytest.raises(services.AnswerErrors) as exc:
        services.response_submit(entry=services.entry_for_key(token.key), data=Posted(answers(C12=["9"], C1=[])),
                                 today=survey.today)
    assert set(exc.value.errors) == {"C12", "C1"}
    token.refresh_from_db()
    assert not token.used and not Response.objects.exists()


def test_open_link_receipt_and_device_limit(survey):
    entry = services.entry_for_key(survey.counter.open_key)
    assert entry.token is None
    services.response_submit(entry=entry, data=Posted(answers()), today=survey.today, receipt="r1")
    with pytest.raises(services.Refused, match="đã được ghi nhận"):  # the same form sent twice
        services.response_submit(entry=entry, data=Posted(answers()), today=survey.today, receipt="r1")
    with pytest.raises(services.Refused, match="đủ số phiếu"):
        services.response_submit(entry=entry, data=Posted(answers()), today=survey.today, receipt="r2", device_count=1)
    assert Response.objects.count() == 1


def test_closed_or_draft_campaigns_refuse(survey):
    services.campaign_set_state(actor=survey.world.coordinator, campaign=survey.campaign, state="closed")
    entry = services.entry_for_key(survey.counter.open_key)
    with pytest.raises(services.Refused, match="đã kết thúc"):
        services.response_submit(entry=entry, data=Posted(answers()), today=survey.today)


def test_paper_forms_by_serial(survey):
    w = survey.world
    services.response_enter(actor=w.own, campaign_unit=survey.lead, serial=" pk-001 ", data=Posted(answers(4)),
                            today=survey.today)
    with pytest.raises(services.AnswerErrors) as exc:
        services.response_enter(actor=w.coordinator, campaign_unit=survey.lead, serial="PK-001",
                                data=Posted(answers(3)), today=survey.today)
    assert "đã được nhập trước đó" in exc.value.errors["serial"]
    # the same serial at another unit is another paper form
    services.response_enter(actor=w.coordinator, campaign_unit=survey.counter, serial="PK-001", data=Posted(answers()),
                            today=survey.today)
    with pytest.raises(PermissionDenied):  # an officer of another unit
        services.response_enter(actor=w.own, campaign_unit=survey.counter, serial="X", data=Posted(answers()),
                                today=survey.today)
    assert Response.objects.filter(channel=Channel.ENTRY).count() == 2


def test_invitations_once_per_address(survey, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sent = services.invitations_send(actor=survey.world.coordinator, campaign_unit=survey.lead,
                                     emails=["a@snv.vn", "A@snv.vn ", "", "b@snv.vn"], link_for=lambda k: f"http://x/{k}/")
    assert sent == 2
    with pytest.raises(ServiceError) as exc:
        services.invitations_send(actor=survey.world.coordinator, campaign_unit=survey.lead, emails=["khong-phai-thu"],
                                  link_for=str)
    assert "không phải địa chỉ" in exc.value.details[0]
    assert services.invitations_send(actor=survey.world.coordinator, campaign_unit=survey.lead, emails=["a@snv.vn"],
                                     link_for=str) == 0


@pytest.mark.django_db(transaction=True)
def test_invitation_mail_carries_a_single_use_link(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    import datetime as dt

    from django.utils import timezone

    q = services.bundled_questionnaires_load(actor=None)[0]
    today = timezone.localdate()
    c = services.campaign_create(actor=world.coordinator, owner=world.province, questionnaire=q,
                                 data=services.CampaignInput("Khảo sát đại biểu", 2025, today, today + dt.timedelta(days=3)))
    services.campaign_units_save(actor=world.coordinator, campaign=c, rows=[services.UnitRow(world.home_affairs, None)])
    services.campaign_set_state(actor=world.coordinator, campaign=c, state="open")
    services.invitations_send(actor=world.coordinator, campaign_unit=c.units.get(), emails=["db@hdnd.vn"],
                              link_for=lambda k: f"http://chiso/khao-sat/{k}/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["db@hdnd.vn"]
    key = RespondentToken.objects.get(email="db@hdnd.vn").key
    assert f"http://chiso/khao-sat/{key}/" in mail.outbox[0].body


def test_questionnaire_copy_edit_and_freeze(survey):
    w = survey.world
    template = survey.templates["sipas-qd1001"]
    with pytest.raises(ServiceError, match="mẫu dùng chung"):
        services.questionnaire_save(actor=w.coordinator, questionnaire=template, definition=template.definition,
                                    revision=template.revision)
    copy = services.questionnaire_copy(actor=w.coordinator, source=template, owner=w.province)
    assert copy.owner == w.province and copy.version == 1 and copy.based_on == template
    changed = dict(copy.definition, title="Phiếu SIPAS của tỉnh A")
    saved = services.questionnaire_save(actor=w.coordinator, questionnaire=copy, definition=changed, revision=0)
    assert saved.pk == copy.pk and saved.title == "Phiếu SIPAS của tỉnh A"
    with pytest.raises(ServiceError, match="vừa được người khác lưu"):
        services.questionnaire_save(actor=w.coordinator, questionnaire=copy, definition=changed, revision=0)
    bad = dict(changed, questions=[{"code": "C1", "kind": "rating", "text": ""}])
    with pytest.raises(ServiceError) as exc:
        services.questionnaire_save(actor=w.coordinator, questionnaire=copy, definition=bad, revision=1)
    assert "Câu C1: thiếu nội dung câu hỏi" in exc.value.details
    # answered: a change becomes version 2, the answered version stays as it was
    campaign = services.campaign_create(actor=w.coordinator, owner=w.province, questionnaire=saved,
                                        data=services.CampaignInput("Đợt 2", 2025, survey.today, survey.today))
    services.campaign_units_save(actor=w.coordinator, campaign=campaign, rows=[services.UnitRow(w.lead_unit, 10)])
    services.campaign_set_state(actor=w.coordinator, campaign=campaign, state="open")
    services.response_submit(entry=services.entry_for_key(campaign.units.get().open_key), data=Posted(answers()),
                             today=survey.today)
    v2 = services.questionnaire_save(actor=w.coordinator, questionnaire=saved,
                                     definition=dict(changed, title="Phiếu mới"), revision=1)
    assert v2.version == 2 and v2.pk != saved.pk
    assert Questionnaire.objects.get(pk=saved.pk).title == "Phiếu SIPAS của tỉnh A"
