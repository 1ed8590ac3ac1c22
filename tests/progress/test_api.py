"""The REST API: token authentication, the pages' scope, submit and review, conflicts, offline docs."""
import pytest

from chiso.accounts.services import api_token_create, api_token_revoke
from chiso.progress.models import ProgressReport, ReportState
from tests.progress.conftest import pdf


@pytest.fixture
def tokens(world):
    return {who: api_token_create(actor=getattr(world, who), name="test")[1] for who in ("own", "other", "coordinator")}


def auth(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_needs_a_token(client, world):
    assert client.get("/api/plans").status_code == 401
    assert client.get("/api/plans", **auth("chiso_wrong")).status_code == 401


def test_scope_is_the_pages_scope(client, world, period, tokens):
    plans = client.get("/api/plans", **auth(tokens["own"])).json()
    assert [p["id"] for p in plans] == [world.plan.public_id]
    assert client.get("/api/plans", **auth(tokens["other"])).json() == []
    assert client.get(f"/api/tasks/{world.task.public_id}", **auth(tokens["other"])).status_code == 404
    task = client.get(f"/api/tasks/{world.task.public_id}", **auth(tokens["own"])).json()
    assert task["assignments"][0] == {"role": "lead", "unit_id": world.lead_unit.public_id, "unit": "Sở Tư pháp"}
    page = client.get(f"/api/plans/{world.plan.public_id}/tasks", **auth(tokens["coordinator"])).json()
    assert page["count"] == 1
    assert client.get(f"/api/periods/{period.public_id}", **auth(tokens["other"])).status_code == 404


def test_submit_upload_review_through_the_api(client, world, period, tokens):
    url = f"/api/periods/{period.public_id}/tasks/{world.task.public_id}/report"
    body = {"status": "in_progress", "percent": 50, "done": "Đã ban hành kế hoạch", "version": 0}
    response = client.put(url, body, content_type="application/json", **auth(tokens["own"]))
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["state"] == "draft" and report["version"] == 1
    response = client.post(f"/api/reports/{report['id']}/evidence", {"file": pdf()}, **auth(tokens["own"]))
    assert response.status_code == 201 and response.json()[0]["sha256"]
    # a stale version is refused with 409, nothing overwritten
    response = client.put(url, {**body, "percent": 90}, content_type="application/json", **auth(tokens["own"]))
    assert response.status_code == 409 and "CHƯA được lưu" in response.json()["detail"]
    response = client.put(url, {**body, "version": 1, "submit": True}, content_type="application/json",
                          **auth(tokens["own"]))
    assert response.json()["state"] == "submitted"
    # the coordinator may not write a report, the officer may not review
    assert client.put(url, body, content_type="application/json", **auth(tokens["coordinator"])).status_code == 403
    review = f"/api/reports/{report['id']}/review"
    assert client.post(review, {"decision": "accept"}, content_type="application/json",
                       **auth(tokens["own"])).status_code == 403
    response = client.post(review, {"decision": "return"}, content_type="application/json",
                           **auth(tokens["coordinator"]))
    assert response.status_code == 422 and "Cần ghi ý kiến" in response.json()["detail"]
    response = client.post(review, {"decision": "accept"}, content_type="application/json",
                           **auth(tokens["coordinator"]))
    assert response.json()["state"] == "accepted"
    assert ProgressReport.objects.get().state == ReportState.ACCEPTED
    rows = client.get(f"/api/periods/{period.public_id}/reports", **auth(tokens["own"])).json()
    assert rows[0]["report"]["evidence"][0]["download_url"].startswith("/tien-do/minh-chung/")


def test_validation_errors_are_in_vietnamese(client, world, period, tokens):
    url = f"/api/periods/{period.public_id}/tasks/{world.task.public_id}/report"
    response = client.put(url, {"status": "delayed", "percent": 20, "version": 0, "submit": True},
                          content_type="application/json", **auth(tokens["own"]))
    assert response.status_code == 422
    assert "Cần ghi lý do khi tình hình là “Chậm tiến độ”." in response.json()["errors"]


def test_open_period_through_the_api(client, world, tokens):
    body = {"name": "Quý I/2026", "start": "2026-01-01", "end": "2026-03-31", "due_date": "2026-03-15"}
    url = f"/api/plans/{world.plan.public_id}/periods"
    assert client.post(url, body, content_type="application/json", **auth(tokens["own"])).status_code == 403
    response = client.post(url, body, content_type="application/json", **auth(tokens["coordinator"]))
    assert response.status_code == 201 and response.json()["name"] == "Quý I/2026"


def test_revoked_token_stops_working(client, world, tokens):
    api_token_revoke(actor=world.own, prefix=tokens["own"][6:14])
    assert client.get("/api/plans", **auth(tokens["own"])).status_code == 401


def test_docs_work_offline(client, world):
    body = client.get("/api/docs").content.decode()
    assert "cdn" not in body.lower() and "/static/ninja/swagger-ui-bundle.js" in body
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert "/api/periods/{period_id}/tasks/{task_id}/report" in schema["paths"]
