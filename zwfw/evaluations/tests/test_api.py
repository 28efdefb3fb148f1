"""Evaluation API: 404 for anyone outside the case, 403 for staff who are not the applicant, 409
for a second rating, the loop over JSON, the public figures, and the national push with retries
and idempotency keys."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from zwfw.core.http import HttpAnswer
from zwfw.core.models import AuditEvent
from zwfw.evaluations import tasks
from zwfw.evaluations.models import Evaluation
from zwfw.evaluations.tests.factories import concluded_case

pytestmark = pytest.mark.django_db
J = "application/json"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_rating_over_the_api_refuses_others_and_a_second_rating(desk):
    case = concluded_case(desk)
    url = f"/api/v1/evaluations/cases/{case.pk}/ratings"
    assert Client().post(url, {"grade": 5}, content_type=J).status_code == 401
    other = _client(desk.other_citizen).post(url, {"grade": 1}, content_type=J)
    assert other.status_code == 404 and other.json()["code"] == "case.not_found"  # never 403: no hint
    staff = _client(desk.reviewer).post(url, {"grade": 1}, content_type=J)  # sees the case, not its rater
    assert staff.status_code == 403 and staff.json()["code"] == "evaluation.not_applicant"
    citizen = _client(desk.citizen)
    assert citizen.post(url, {"grade": "x"}, content_type=J).status_code == 422
    long = citizen.post(url, {"grade": 1, "comment": "慢" * 2001}, content_type=J)  # not cut to 2000
    assert long.status_code == 422 and long.json()["details"][0]["field"].endswith("comment")
    assert not Evaluation.objects.exists()
    first = citizen.post(url, {"grade": 1, "comment": "慢", "indicators": {"overall": 1}}, content_type=J)
    assert first.status_code == 201 and first.json()["rectification"]["status"] == "open"
    second = citizen.post(url, {"grade": 5}, content_type=J)
    assert second.status_code == 409 and second.json()["code"] == "evaluation.already_rated"
    assert Evaluation.objects.count() == 1
    assert (
        citizen.post("/api/v1/evaluations/cases/999999/ratings", {"grade": 5}, content_type=J).status_code
        == 404
    )


def test_the_loop_over_json(desk):
    case = concluded_case(desk)
    rated = _client(desk.citizen).post(
        f"/api/v1/evaluations/cases/{case.pk}/ratings", {"grade": 2}, content_type=J
    )
    rid = rated.json()["rectification"]["id"]
    staff = _client(desk.reviewer)
    base = f"/api/v1/evaluations/rectifications/{rid}"
    assert staff.get("/api/v1/evaluations/rectifications?queue=open").json()[0]["id"] == rid
    early = staff.post(f"{base}/answer", {"fix_text": "x", "answer_text": "y"}, content_type=J)
    assert early.status_code == 409
    assert (
        staff.post(f"{base}/callback", {"reached": True, "note": "已回访"}, content_type=J).status_code == 200
    )
    assert (
        staff.post(
            f"{base}/classify", {"classification": "explain", "finding": "无依据"}, content_type=J
        ).status_code
        == 200
    )
    done = staff.post(f"{base}/answer", {"fix_text": "已解释", "answer_text": "依法说明"}, content_type=J)
    assert done.json()["status"] == "answered"
    assert _client(desk.other_citizen).get(base).status_code == 404
    rated = _client(desk.citizen).post(f"{base}/rating", {"grade": 4}, content_type=J)
    assert rated.json()["rater_grade"] == 4
    public = Client().get("/api/v1/evaluations/public/532800").json()
    assert public["ratings"] == 1 and public["bad"] == 1 and public["answers"][0]["answer"] == "依法说明"
    figures = _client(desk.world.supervisor_pref).get("/api/v1/evaluations/dashboard/532800").json()
    assert {f["key"] for f in figures} >= {"good_rating_rate", "on_time_rate"}
    assert _client(desk.citizen).get("/api/v1/evaluations/dashboard/530000").status_code == 403


def test_national_push_retries_with_one_idempotency_key(desk, monkeypatch):
    case = concluded_case(desk)
    evaluation = Evaluation.objects.get(
        pk=_client(desk.citizen)
        .post(f"/api/v1/evaluations/cases/{case.pk}/ratings", {"grade": 5}, content_type=J)
        .json()["id"]
    )
    assert (
        tasks.push_rating.call(evaluation_id=evaluation.pk, idempotency_key=evaluation.idempotency_key)
        == "skipped"
    )
    answers = iter([HttpAnswer(503, "busy"), HttpAnswer(200, "")])
    keys = []

    def fake_post(url, body, *, key, attempt):
        keys.append(key)
        return next(answers)

    monkeypatch.setattr(tasks, "_post", fake_post)
    with override_settings(
        ZWFW_NATIONAL_EVALUATION_URL="http://127.0.0.1:9/national", ZWFW_NATIONAL_EVALUATION_BACKOFF_SECONDS=0
    ):
        assert (
            tasks.push_rating.call(evaluation_id=evaluation.pk, idempotency_key=evaluation.idempotency_key)
            == "retrying"
        )
        assert (
            tasks.push_rating.call(
                evaluation_id=evaluation.pk, idempotency_key=evaluation.idempotency_key, attempt=2
            )
            == "delivered"
        )
        assert (
            tasks.push_rating.call(
                evaluation_id=evaluation.pk, idempotency_key=evaluation.idempotency_key, attempt=3
            )
            == "duplicate"
        )
    assert keys == [evaluation.idempotency_key] * 2
    actions = list(
        AuditEvent.objects.filter(chain=f"national_rating:{evaluation.pk}")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["enqueued", "skipped", "attempt", "delivered", "duplicate"]


@override_settings(ZWFW_BENCH_ENDPOINTS=True)
def test_local_national_endpoint_deduplicates_by_key():
    client = Client()
    first = client.post(
        "/api/v1/evaluations/national-test", {}, content_type=J, HTTP_IDEMPOTENCY_KEY="k1"
    ).json()
    again = client.post(
        "/api/v1/evaluations/national-test", {}, content_type=J, HTTP_IDEMPOTENCY_KEY="k1"
    ).json()
    assert first == {"accepted": True, "duplicate": False} and again["duplicate"] is True
    assert client.post("/api/v1/evaluations/national-test", {}, content_type=J).json()["accepted"] is False


def test_local_national_endpoint_is_absent_unless_bench_endpoints_are_on():
    before = AuditEvent.objects.count()
    answer = Client().post("/api/v1/evaluations/national-test", {}, content_type=J, HTTP_IDEMPOTENCY_KEY="k1")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert AuditEvent.objects.count() == before
