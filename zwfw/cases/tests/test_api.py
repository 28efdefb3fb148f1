"""Case API: the online journey, idempotent submission under 200 concurrent retries, one of two
concurrent acceptances wins, scope (404) and roles (403), the status lookup."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client

from zwfw.cases.models import Case
from zwfw.cases.tests.factories import PDF, png, staff
from zwfw.identity.models import Role

J = "application/json"


def _apply(client: Client, desk, key: str, **fields: str):
    files = {
        "material.application": ("申请书.pdf", PDF),
        "material.licence": ("执照.pdf", PDF),
        "material.floor-plan": ("平面图.png", png()),
    }
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"implementation_id": str(desk.impl.pk), **fields}
    data.update({k: SimpleUploadedFile(n, c) for k, (n, c) in files.items()})
    return client.post("/api/v1/cases/apply", data, HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_the_answer_to_a_submission_is_the_case_as_the_case_endpoint_shows_it(client, desk):
    """The submission renders its answer without the schema's second validation; it must not
    differ from what the case endpoint (validated) gives, nor from its retry's answer."""
    client.force_login(desk.citizen)
    created = _apply(client, desk, "k-same-answer")
    assert created.status_code == 201 and created["Content-Type"].startswith("application/json")
    shown = client.get(f"/api/v1/cases/{created.json()['id']}")
    retried = _apply(client, desk, "k-same-answer")
    assert retried.status_code == 200
    assert created.json() == shown.json() == retried.json()
    assert created.json()["submitted_at"].endswith("Z") and created.json()["materials"][0]["received_at"]


@pytest.mark.django_db
def test_online_journey_over_the_api(client, desk):
    client.force_login(desk.citizen)
    created = _apply(client, desk, "k-1")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "submitted" and {m["key"] for m in body["materials"]} == {
        "application",
        "licence",
        "floor-plan",
    }
    case = Case.objects.get(pk=body["id"])
    client.force_login(desk.clerk)
    accepted = client.post(f"/api/v1/cases/{case.pk}/accept", {}, content_type=J).json()
    assert accepted["state"] == "accepted" and accepted["clock"]["days_left"] == 10
    client.force_login(desk.reviewer)
    client.post(f"/api/v1/cases/{case.pk}/review")
    suspended = client.post(
        f"/api/v1/cases/{case.pk}/suspend", {"procedure": "现场勘验", "reason": "核查场所"}, content_type=J
    ).json()
    assert suspended["state"] == "suspended" and suspended["clock"]["paused"]
    client.post(f"/api/v1/cases/{case.pk}/resume")
    client.force_login(desk.approver)
    denied = client.post(
        f"/api/v1/cases/{case.pk}/decide", {"approved": False, "reasons": ""}, content_type=J
    )
    assert denied.status_code == 422 and denied.json()["code"] == "case.reason_required"
    decided = client.post(
        f"/api/v1/cases/{case.pk}/decide", {"approved": True, "reasons": "符合条件"}, content_type=J
    ).json()
    assert decided["state"] == "approved"
    post = client.post(f"/api/v1/cases/{case.pk}/deliver", {"method": "post"}, content_type=J)
    assert post.status_code == 422 and post.json()["code"] == "case.post_details_required"
    delivered = client.post(
        f"/api/v1/cases/{case.pk}/deliver",
        {
            "method": "post",
            "courier": "中国邮政EMS",
            "tracking_number": "1234567890",
            "address": "景洪市某路1号",
        },
        content_type=J,
    ).json()
    assert delivered["state"] == "delivered"
    client.logout()
    case.refresh_from_db()
    lookup = client.get(f"/api/v1/cases/lookup?number={case.number}&code={case.lookup_code}")
    assert lookup.status_code == 200 and lookup.json()["state"] == "delivered"
    wrong = client.get(f"/api/v1/cases/lookup?number={case.number}&code=000000x")
    assert wrong.status_code == 404


@pytest.mark.django_db
def test_the_api_lookup_shares_the_pages_throttle(client, desk):
    from zwfw.cases.selectors import LOOKUP_MAX_FAILURES

    client.force_login(desk.citizen)
    case = Case.objects.get(pk=_apply(client, desk, "k-lookup").json()["id"])
    url = f"/api/v1/cases/lookup?number={case.number}&code="
    wrong = "000000" if case.lookup_code != "000000" else "111111"
    anonymous = Client(REMOTE_ADDR="203.0.113.20")
    for _ in range(LOOKUP_MAX_FAILURES):
        assert anonymous.get(url + wrong).status_code == 404
    blocked = anonymous.get(url + case.lookup_code)
    assert blocked.status_code == 429 and blocked.json()["code"] == "case.lookup_throttled"
    assert "请稍后再试" in blocked.json()["message"]
    # the page refuses the same address too: one counter for both doors
    page = anonymous.post("/cases/status/", {"number": case.number, "code": case.lookup_code})
    assert page.status_code == 429
    other = Client(REMOTE_ADDR="203.0.113.21")
    assert other.get(url + case.lookup_code).status_code == 200


@pytest.mark.django_db
def test_scope_and_roles(client, desk):
    client.force_login(desk.citizen)
    case_id = _apply(client, desk, "k-2").json()["id"]
    client.force_login(desk.other_citizen)
    assert client.get(f"/api/v1/cases/{case_id}").status_code == 404
    assert case_id not in [c["id"] for c in client.get("/api/v1/cases").json()]
    client.force_login(desk.world.clerk_mh)
    assert client.post(f"/api/v1/cases/{case_id}/accept", {}, content_type=J).status_code == 404
    client.force_login(desk.reviewer)
    response = client.post(f"/api/v1/cases/{case_id}/accept", {}, content_type=J)
    assert response.status_code == 403 and response.json()["code"] == "case.forbidden"
    client.force_login(desk.clerk)
    illegal = client.post(
        f"/api/v1/cases/{case_id}/decide", {"approved": True, "reasons": "x"}, content_type=J
    )
    assert illegal.status_code in (403, 409)
    queue = client.get("/api/v1/cases?queue=to_accept").json()
    assert [c["id"] for c in queue] == [case_id]
    assert client.get("/api/v1/cases?queue=everything").status_code == 422


@pytest.mark.django_db
def test_bad_uploads_are_refused_and_nothing_is_created(client, desk):
    client.force_login(desk.citizen)
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "implementation_id": str(desk.impl.pk),
        "material.application": SimpleUploadedFile("申请书.pdf", b"MZ\x90\x00" + b"\x00" * 64),
        "material.licence": SimpleUploadedFile("执照.pdf", PDF),
    }
    response = client.post("/api/v1/cases/apply", data, HTTP_IDEMPOTENCY_KEY="bad-1")
    assert response.status_code == 422 and response.json()["code"] == "upload.type_refused"
    assert Case.objects.count() == 0
    missing_key = client.post("/api/v1/cases/apply", {"implementation_id": str(desk.impl.pk)})
    assert missing_key.status_code == 422 and missing_key.json()["code"] == "case.idempotency_key_required"


@pytest.mark.django_db
def test_a_contact_phone_is_kept_as_given_and_one_too_long_is_refused_not_cut(client, desk):
    client.force_login(desk.citizen)
    too_long = _apply(client, desk, "phone-1", contact_phone="0691-2123456 转 8" + "9" * 10)
    assert too_long.status_code == 422
    assert too_long.json()["code"] == "case.contact_phone_too_long"
    assert too_long.json()["details"] == [{"field": "contact_phone"}]
    assert "20" in too_long.json()["message"]
    assert Case.objects.count() == 0
    given = _apply(client, desk, "phone-2", contact_phone=" 0691-2123456 ")
    assert given.status_code == 201
    assert Case.objects.get(pk=given.json()["id"]).contact_phone == "0691-2123456"


@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_retries_create_exactly_one_case(desk):
    def attempt(_: int) -> int:
        client = Client()
        client.force_login(desk.citizen)
        try:
            return _apply(client, desk, "same-key").status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(attempt, range(200)))
    assert Case.objects.count() == 1
    assert statuses.count(201) == 1 and statuses.count(200) == 199


@pytest.mark.django_db(transaction=True)
def test_two_clerks_accepting_at_once_one_wins_one_conflicts(desk):
    other_clerk = staff(desk.world, "clerk_jh_2", Role.WINDOW_CLERK, desk.world.jh_center)
    applicant = Client()
    applicant.force_login(desk.citizen)
    case_id = _apply(applicant, desk, "race").json()["id"]
    barrier = threading.Barrier(2)
    results: list[int] = []

    def accept(user) -> None:
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            results.append(client.post(f"/api/v1/cases/{case_id}/accept", {}, content_type=J).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(u,)) for u in (desk.clerk, other_clerk)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409]
    assert Case.objects.get(pk=case_id).state == "accepted"


@pytest.mark.django_db(transaction=True)
def test_online_submission_is_confirmed_by_the_worker(client, desk, settings):
    """The intake hot path only enqueues the confirmation; the task worker sends it."""
    from django.core.management import call_command

    from zwfw.cases import notify

    settings.ZWFW_NOTIFY_BACKENDS = ["memory"]
    notify.OUTBOX.clear()
    client.force_login(desk.citizen)
    number = _apply(client, desk, "notify-1").json()["number"]
    assert not [m for m in notify.OUTBOX if number in str(m)]
    call_command("db_worker", batch=True, verbosity=0)
    assert [m for m in notify.OUTBOX if number in str(m)]


@pytest.mark.django_db
def test_the_throttle_holds_on_the_shared_database_cache_production_uses(client, desk, settings):
    """Production counts lookups in the database cache, which every worker and host shares."""
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection

    from zwfw.cases.selectors import LOOKUP_MAX_FAILURES

    client.force_login(desk.citizen)
    case = Case.objects.get(pk=_apply(client, desk, "k-shared").json()["id"])
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "zwfw_cache"}
    }
    call_command("createcachetable", verbosity=0)
    caches["default"].clear()
    url = f"/api/v1/cases/lookup?number={case.number}&code="
    wrong = "000000" if case.lookup_code != "000000" else "111111"
    anonymous = Client(REMOTE_ADDR="203.0.113.21")
    for _ in range(LOOKUP_MAX_FAILURES):
        assert anonymous.get(url + wrong).status_code == 404
    assert anonymous.get(url + case.lookup_code).status_code == 429
    with connection.cursor() as cursor:  # the block is a row any process reads, not process memory
        cursor.execute("SELECT count(*) FROM zwfw_cache")
        assert cursor.fetchone()[0] >= 1
