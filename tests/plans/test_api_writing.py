"""/api/plans/: a plan started, edited and issued through the API with a token, the same services
and checks as the pages; a POST creates a task, a stale PUT is refused (409)."""
import pytest

from chiso.accounts.services import api_token_create
from chiso.plans.models import PlanState, Task


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, name='test')[1]}"}


@pytest.fixture
def started(client, daknong):
    headers = auth(daknong.coordinator)
    response = client.post("/api/plans", {"start": "results", "results_id": daknong.results.public_id},
                           content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    return response.json(), headers


def test_start_post_a_task_then_a_stale_put_is_refused(client, daknong, started):
    plan, headers = started
    assert plan["state"] == "draft" and plan["first_year"] == 2024
    row = next(i for i in plan["items"] if i["code"] == "6.3.4")
    assert row["targets"] == {"2024": row["baseline"]}
    response = client.post(f"/api/plans/{plan['id']}/items/{row['id']}/tasks",
                           {"text": "Ban hành kế hoạch kiểm tra", "deadline_text": "trước ngày 30/6",
                            "lead": "Sở Tư pháp"}, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    task = response.json()
    assert task["due_date"] == "2024-06-30" and task["agencies"][0]["name"] == "Sở Tư pháp"
    url = f"/api/plans/{plan['id']}/tasks/{task['id']}"
    ok = client.put(url, {"version": task["version"], "text": "Ban hành và tổ chức kiểm tra",
                          "deadline_text": "Quý III"}, content_type="application/json", **headers)
    assert ok.status_code == 200 and ok.json()["version"] == task["version"] + 1
    stale = client.put(url, {"version": task["version"], "text": "Ghi đè"}, content_type="application/json", **headers)
    assert stale.status_code == 409 and "vừa được" in stale.json()["detail"]
    assert Task.objects.get(public_id=task["id"]).text == "Ban hành và tổ chức kiểm tra"


def test_targets_bounded_and_checks(client, daknong, started):
    plan, headers = started
    row = next(i for i in plan["items"] if i["code"] == "6.3.4")
    url = f"/api/plans/{plan['id']}/items/{row['id']}"
    refused = client.put(url, {"version": row["version"], "targets": {"2024": "9"}}, content_type="application/json",
                         **headers)
    assert refused.status_code == 422 and "lớn hơn điểm tối đa" in refused.json()["errors"][0]
    checks = client.get(f"/api/plans/{plan['id']}/checks", **headers).json()
    assert checks["lost_without_task"] and checks["assessment_cutoff"] == "2024-12-31"


def test_another_agency_is_refused_and_another_province_sees_nothing(client, daknong, started):
    plan, _ = started
    row = plan["items"][1]
    for user, status in ((daknong.officer, 403), (daknong.stranger, 404)):
        response = client.post(f"/api/plans/{plan['id']}/items/{row['id']}/tasks", {"text": "Chen vào"},
                               content_type="application/json", **auth(user))
        assert response.status_code == status
    assert not Task.objects.filter(text="Chen vào").exists()


def test_submit_and_the_openapi_documents_the_writes(client, daknong, started):
    plan, headers = started
    response = client.post(f"/api/plans/{plan['id']}/submit", {"version": plan["version"]},
                           content_type="application/json", **headers)
    assert response.status_code == 200 and response.json()["state"] == PlanState.SUBMITTED
    schema = client.get("/api/openapi.json").json()
    assert {"post", "get"} <= set(schema["paths"]["/api/plans"])
    assert "put" in schema["paths"]["/api/plans/{plan_id}/tasks/{task_id}"]
    assert "409" in schema["paths"]["/api/plans/{plan_id}/tasks/{task_id}"]["put"]["description"]
