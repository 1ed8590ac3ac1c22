"""/api/surveys/: questionnaires, campaigns with progress, results with intervals; raw responses for coordinators."""
from django.urls import reverse

from chiso.surveys import services
from tests.surveys.conftest import Posted, answers


def test_api_results_and_raw_responses(client, survey):
    for i in range(10):
        services.response_enter(actor=survey.world.coordinator, campaign_unit=survey.lead, serial=str(i),
                                data=Posted(answers(4)), today=survey.today)
    client.force_login(survey.world.coordinator)
    campaign = client.get(reverse("api:get_campaign", args=[survey.campaign.public_id])).json()
    lead = next(u for u in campaign["units"] if u["unit_name"] == "Sở Tư pháp")
    assert lead == {"unit_id": survey.world.lead_unit.public_id, "unit_name": "Sở Tư pháp", "dossiers": 1000,
                    "target": 286, "received": 10}
    results = client.get(reverse("api:get_results", args=[survey.campaign.public_id])).json()
    assert results["respondents"] == 10 and results["overall"]["value"] == "100.00"
    unit = next(u for u in results["units"] if u["unit_name"] == "Sở Tư pháp")
    assert unit["rank"] == 1 and unit["overall"]["n"] == 10
    empty = next(u for u in results["units"] if u["respondents"] == 0)
    assert empty["overall"] is None and empty["elements"] == [None] * 8
    raw = client.get(reverse("api:list_responses", args=[survey.campaign.public_id])).json()
    assert len(raw) == 10 and set(raw[0]) == {"unit_id", "channel", "submitted_on", "answers"}  # no serial, no token
    client.force_login(survey.world.own)
    assert client.get(reverse("api:list_responses", args=[survey.campaign.public_id])).status_code == 403
    assert client.get(reverse("api:get_results", args=[survey.campaign.public_id])).status_code == 403
    client.force_login(survey.world.other)
    assert client.get(reverse("api:get_campaign", args=[survey.campaign.public_id])).status_code == 404


def test_openapi_documents_the_survey_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/surveys/campaigns/{campaign_id}/results" in paths and "/api/surveys/questionnaires" in paths


def test_demo_step_is_idempotent(demo_reference):
    from chiso.demo.surveys import load_surveys_demo
    from chiso.surveys.models import Campaign, Response
    from chiso.demo.steps import create_demo_users

    create_demo_users(lambda line: None)
    lines = []
    load_surveys_demo(lines.append)
    load_surveys_demo(lines.append)
    assert Campaign.objects.count() == 2 and Response.objects.count() == 2 * 6 * 36
    assert "đã có dữ liệu mẫu" in lines[-1]
