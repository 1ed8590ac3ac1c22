"""The survey URLs' rows of tests/test_scope.py (every URL × role) and the objects they need."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone


def survey_objects(world) -> SimpleNamespace:
    """An open SIPAS campaign of province A over the lead unit, a province copy of the questionnaire,
    a printed batch, and the province's public page switched on."""
    from chiso.surveys import services
    from chiso.surveys.models import Publication

    template = next(q for q in services.bundled_questionnaires_load(actor=None) if q.code == "sipas-qd1001")
    copy = services.questionnaire_copy(actor=world.coordinator, source=template, owner=world.province)
    today = timezone.localdate()
    campaign = services.campaign_create(actor=world.coordinator, owner=world.province, questionnaire=copy,
                                        data=services.CampaignInput("Khảo sát thử", 2025, today - dt.timedelta(days=1),
                                                                    today + dt.timedelta(days=9)))
    services.campaign_units_save(actor=world.coordinator, campaign=campaign,
                                 rows=[services.UnitRow(world.lead_unit, 500)])
    services.campaign_set_state(actor=world.coordinator, campaign=campaign, state="open")
    cu = campaign.units.get()
    batch = services.tokens_issue(actor=world.coordinator, campaign_unit=cu, count=2)
    Publication.objects.create(owner=world.province, enabled=True)
    draft = services.questionnaire_copy(actor=world.coordinator, source=template, owner=world.province)  # not in use
    from chiso.surveys.models import PapiImport

    papi_job = PapiImport.objects.create(uploaded_by=world.coordinator, year=2024, file_name="papi.docx",
                                         file="papi/papi.docx")  # stored, never queued: its page only
    return SimpleNamespace(questionnaire=copy, campaign=campaign, cu=cu, batch=batch, draft=draft,
                           publication=Publication.objects.get(owner=world.province), papi_job=papi_job)


def _revision(c) -> str:
    c.survey.draft.refresh_from_db()
    return str(c.survey.draft.revision)


def _last_code(c) -> str:
    c.survey.draft.refresh_from_db()
    return c.survey.draft.definition["questions"][-1]["code"]


def _spare_element(c, role) -> dict:
    """An element without questions, added for this role to remove."""
    from chiso.core import questionnaire_edit as qedit
    from chiso.surveys import services

    services.questionnaire_change(actor=_coordinator(c), questionnaire=c.survey.draft,
                                  revision=int(_revision(c)),
                                  change=lambda d: qedit.element_put(d, None, {"code": f"X{role}", "name": "Thử"}))
    return {"revision": _revision(c), "old_code": f"X{role}"}


def _coordinator(c):
    return c.users["coordinator"]


def settings_data(c, role) -> dict:
    return {"revision": _revision(c), "title": f"Phiếu của {role}", "audience": "citizen", "framework": "sipas",
            "intro": "", "scale": "Kém\nTrung bình\nTốt", "method": "top_share", "favourable": "3"}


def question_data(c, role) -> dict:
    return {"revision": _revision(c), "code": f"N{role}", "kind": "text", "text": f"Góp ý của {role}"}


def entry_data(c, role):
    data = {f"C{i}": "5" for i in range(1, 17)}
    data.update({"F1": "dat-dai", "serial": f"PHIEU-{role}"})
    return data


def cases(Case, expect, ALL, PUBLIC, PROVINCE, OVERSEERS, MANAGERS, POST_ONLY):
    def api(expected):
        return {k: (401 if v == 302 else v) for k, v in expected.items()}

    manage_post = expect(403, admin=302, coordinator=302, other=404)
    unit_staff = expect(403, admin=200, coordinator=200, own=200, other=404)
    camp = lambda c: {"public_id": c.survey.campaign.public_id}  # noqa: E731
    cu = lambda c: {"public_id": c.survey.cu.public_id}  # noqa: E731
    q = lambda c: {"public_id": c.survey.questionnaire.public_id}  # noqa: E731
    draft = lambda c: {"public_id": c.survey.draft.public_id}  # noqa: E731
    manage_htmx = expect(403, admin=200, coordinator=200, other=404)
    return [
        Case("surveys:home", "get", expected=ALL),
        Case("surveys:questionnaire", "get", q, PROVINCE),
        Case("surveys:questionnaire_copy", "get", q, expect(405, other=405)),
        Case("surveys:questionnaire_copy", "post", q, expect(403, coordinator=302, other=404)),
        Case("surveys:questionnaire_edit", "get", q, expect(403, admin=200, coordinator=200, other=404)),
        Case("surveys:questionnaire_edit", "get", draft, expect(403, admin=200, coordinator=200, other=404)),
        Case("surveys:questionnaire_json", "get", q, expect(403, admin=200, coordinator=200, other=404)),
        Case("surveys:questionnaire_settings", "post", draft, manage_htmx, data=settings_data),
        Case("surveys:element_save", "post", draft, manage_htmx,
             data=lambda c, role: {"revision": _revision(c), "old_code": "", "code": f"E{role}", "name": "Mới"}),
        Case("surveys:element_remove", "post", draft, manage_htmx, data=_spare_element),
        Case("surveys:question_add", "get", draft, expect(403, admin=200, coordinator=200, other=404)),
        Case("surveys:question_add", "post", draft, manage_htmx, data=question_data),
        Case("surveys:question_form", "get", lambda c: {**draft(c), "code": "C1"},
             expect(403, admin=200, coordinator=200, other=404)),
        Case("surveys:question_save", "post", lambda c: {**draft(c), "code": "Y1"}, manage_htmx,
             data=lambda c, role: {**question_data(c, role), "code": "Y1"}),
        Case("surveys:question_move", "post", lambda c: {**draft(c), "code": "C1"}, manage_htmx,
             data=lambda c, role: {"revision": _revision(c), "huong": "xuong"}),
        Case("surveys:question_remove", "post", lambda c: {**draft(c), "code": _last_code(c)}, manage_htmx,
             data=lambda c, role: {"revision": _revision(c)}),
        Case("surveys:questionnaire_xlsx", "get", q, PROVINCE),
        Case("surveys:questionnaire_upload", "get", q, expect(403, admin=200, coordinator=200, other=404)),
        Case("surveys:questionnaire_upload", "post", q, expect(403, admin=422, coordinator=422, other=404)),
        Case("surveys:questionnaire_upload_save", "post", q, manage_post, data=lambda c, role: {"payload": "x"}),
        Case("surveys:campaign_new", "get", expected=MANAGERS),
        Case("surveys:campaign", "get", camp, PROVINCE),
        Case("surveys:campaign_units", "post", camp, manage_post),
        Case("surveys:campaign_state", "post", camp, manage_post, data=lambda c, role: {"state": "open"}),
        Case("surveys:campaign_public", "post", camp, manage_post, data=lambda c, role: {"public": "1"}),
        Case("surveys:results", "get", camp, OVERSEERS),
        Case("surveys:report_docx", "get", camp, OVERSEERS),
        Case("surveys:data_xlsx", "get", camp, expect(403, admin=200, coordinator=200, other=404)),
        Case("surveys:feed_scores", "post", camp, manage_post),
        Case("surveys:tokens_new", "post", cu, expect(403, admin=302, coordinator=302, own=302, other=404),
             data=lambda c, role: {"count": "2"}),
        Case("surveys:tokens_pdf", "get", lambda c: {"public_id": c.survey.cu.public_id, "batch": c.survey.batch},
             unit_staff),
        Case("surveys:invitations", "post", cu, manage_post, data=lambda c, role: {"emails": f"{role}@hdnd.vn"}),
        Case("surveys:enter", "get", cu, unit_staff),
        Case("surveys:enter", "post", cu, expect(403, admin=302, coordinator=302, own=302, other=404), data=entry_data),
        Case("surveys:papi_import", "get", expected=MANAGERS),
        # a PAPI document's reading: its uploader only (the administrator did not upload it)
        Case("surveys:papi_job", "get", lambda c: {"public_id": c.survey.papi_job.public_id},
             expected=expect(403, admin=404, coordinator=200)),
        Case("surveys:publication", "get", expected=expect(403, coordinator=200)),
        # API: the session authenticates as a token does
        Case("api:list_questionnaires", "get", expected=expect(200, anonymous=401)),
        Case("api:get_questionnaire", "get", lambda c: {"questionnaire_id": c.survey.questionnaire.public_id},
             api(PROVINCE)),
        Case("api:list_campaigns", "get", expected=expect(200, anonymous=401)),
        Case("api:get_campaign", "get", lambda c: {"campaign_id": c.survey.campaign.public_id}, api(PROVINCE)),
        Case("api:get_results", "get", lambda c: {"campaign_id": c.survey.campaign.public_id}, api(OVERSEERS)),
        Case("api:list_responses", "get", lambda c: {"campaign_id": c.survey.campaign.public_id},
             expect(403, anonymous=401, admin=200, coordinator=200, other=404)),
        # without an account: the open link of the unit, its thank-you page, the public results page
        Case("public:answer", "get", lambda c: {"key": c.survey.cu.open_key}, PUBLIC),
        Case("public:thanks", "get", lambda c: {"key": c.survey.cu.open_key}, PUBLIC),
        Case("public:results", "get", lambda c: {"slug": c.survey.publication.slug}, PUBLIC),
    ]
