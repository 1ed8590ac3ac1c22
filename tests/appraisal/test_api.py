"""/api/appraisals/: documented, scoped, and the same services (409 stale, 422 refused with reasons)."""
from decimal import Decimal as D

import pytest

from tests.appraisal.test_services import fill_all, submit

pytestmark = pytest.mark.django_db


def test_documented_in_openapi(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/appraisals/frameworks", "/api/appraisals/assessments/{assessment_id}/self-scores/{code}",
            "/api/appraisals/cycles/{cycle_id}/results"} <= set(paths)


def test_self_scores_through_the_services(client, ap):
    client.force_login(ap.u.officer)
    url = f"/api/appraisals/assessments/{ap.sheet.public_id}/self-scores/1.1"
    version = ap.entry("1.1").version
    ok = client.put(url, {"version": version, "self_score": "3.5"}, content_type="application/json")
    assert ok.status_code == 200 and D(ok.json()["self_score"]) == D("3.5")
    stale = client.put(url, {"version": version, "self_score": "2"}, content_type="application/json")
    assert stale.status_code == 409
    over = client.put(url, {"version": version + 1, "self_score": "9"}, content_type="application/json")
    assert over.status_code == 422 and "lớn hơn điểm tối đa 4" in over.json()["errors"][0]
    detail = client.get(f"/api/appraisals/assessments/{ap.sheet.public_id}").json()
    assert D(detail["self_points"]) == D("3.5") and detail["scores"][0]["code"] == "1.1"


def test_appraisal_scores_and_results(client, ap):
    fill_all(ap)
    submit(ap)
    client.force_login(ap.u.appraiser)
    e = ap.entry("1.1")
    r = client.put(f"/api/appraisals/assessments/{ap.sheet.public_id}/appraisal-scores/1.1",
                   {"version": e.version, "score": 3, "comment": "Thiếu 1 văn bản"}, content_type="application/json")
    assert r.status_code == 200 and D(r.json()["difference"]) == D(-1)
    assert client.get(f"/api/appraisals/cycles/{ap.cycle.public_id}/results").status_code == 200
    client.force_login(ap.u.officer)  # before publication a unit does not see the ranking
    assert client.get(f"/api/appraisals/cycles/{ap.cycle.public_id}/results").status_code == 404
