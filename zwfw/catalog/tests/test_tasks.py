"""The national-platform push: enqueued in the publishing transaction, delivered once per version
with a stable idempotency key, retried after network errors and 5xx, skipped without an endpoint.

A tiny HTTP server on 127.0.0.1 plays the national platform; the real ``db_worker`` command runs
the queue in batch mode (transactional tests: the worker manages its own transactions).
"""

from __future__ import annotations

import datetime
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zwfw.catalog import services, tasks
from zwfw.catalog.tests.factories import make_implementation, publishable_content
from zwfw.core.ledger import ledger_verify
from zwfw.core.models import AgencyKind, AuditEvent
from zwfw.core.tests.workers import run_worker
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Platform:
    """What the fake national platform received, and how many requests it should still refuse."""

    url: str = ""
    fail_next: int = 0
    fail_status: int = 503
    received: list[dict] = field(default_factory=list)


@pytest.fixture
def platform() -> Iterator[Platform]:
    state = Platform()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.received.append(
                {"path": self.path, "headers": dict(self.headers), "body": json.loads(body)}
            )
            if state.fail_next > 0:
                state.fail_next -= 1
                self.send_response(state.fail_status)
                self.end_headers()
                return
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"accepted": true}')

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/national/items"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def reviewer(world):
    """A catalog admin of 景洪市's 政务服务管理局 (the region's 政务服务部门)."""
    from zwfw.core import services as core_services

    bureau = core_services.agency_create(
        name="景洪市政务服务管理局", region=world.jinghong, kind=AgencyKind.SERVICE_ADMINISTRATION
    )
    user = identity_services.user_create(username="catalog_reviewer", password="pw")
    identity_services.staff_membership_grant(user=user, agency=bureau, role=Role.CATALOG_ADMIN, system=True)
    return user


def publish(world, reviewer, implementation, kind="add"):
    adjustment = services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=implementation, kind=kind, reason="测试"
    )
    services.adjustment_approve(actor=reviewer, adjustment=adjustment)
    return services.adjustment_publish(actor=reviewer, adjustment=adjustment)


def push_events(implementation) -> list[tuple[str, dict]]:
    return [
        (e.action, e.payload)
        for e in AuditEvent.objects.filter(chain=f"national_push:{implementation.pk}").order_by("seq")
    ]


def key_of(implementation, number: int, kind: str) -> str:
    return tasks.idempotency_key(implementation_code=implementation.code, version_number=number, kind=kind)


@pytest.mark.smoke
def test_each_publication_is_delivered_once_with_its_idempotency_key(world, reviewer, platform):
    with override_settings(
        ZWFW_NATIONAL_PLATFORM_URL=platform.url,
        ZWFW_NATIONAL_PLATFORM_TOKEN="s3cret",
        ZWFW_PUBLIC_BASE_URL="https://zwfw.example.cn",
    ):
        implementation = publish(world, reviewer, make_implementation(world))
        run_worker()
        run_worker()  # nothing left: a second run delivers nothing again
        assert len(platform.received) == 1, push_events(implementation)
        request = platform.received[0]
        assert request["path"] == "/national/items"
        assert request["headers"]["Idempotency-Key"] == key_of(implementation, 1, "add")
        assert request["headers"]["Content-Type"].startswith("application/json")
        assert request["headers"]["Authorization"] == "Bearer s3cret"
        body = request["body"]
        assert body["kind"] == "add" and body["idempotency_key"] == key_of(implementation, 1, "add")
        assert body["summary"]["implementation_code"] == implementation.code
        assert body["summary"]["version"] == 1 and body["summary"]["status"] == "published"
        assert body["summary"]["guide_url"] == f"https://zwfw.example.cn/guides/{implementation.pk}/"
        assert body["jsonld"]["@graph"][0]["@type"] == "PublicService"
        assert body["jsonld"]["@graph"][0]["dct:identifier"] == implementation.code

        services.implementation_update_draft(
            actor=world.catalog_admin_jh,
            implementation=implementation,
            draft=publishable_content(promised_limit=5),
        )
        publish(world, reviewer, implementation, kind="change")
        run_worker()
    assert len(platform.received) == 2
    second = platform.received[1]
    assert second["headers"]["Idempotency-Key"] == key_of(implementation, 2, "change")
    assert second["body"]["summary"]["version"] == 2 and second["body"]["summary"]["promised_limit"] == 5
    actions = [action for action, _payload in push_events(implementation)]
    assert actions == ["enqueued", "attempt", "delivered", "enqueued", "attempt", "delivered"]
    assert list(ledger_verify()) == []


def test_a_503_is_retried_with_the_same_key_until_delivered(world, reviewer, platform):
    platform.fail_next = 2
    with override_settings(ZWFW_NATIONAL_PLATFORM_URL=platform.url, ZWFW_NATIONAL_PUSH_BACKOFF_SECONDS=0):
        implementation = publish(world, reviewer, make_implementation(world))
        run_worker()
    assert len(platform.received) == 3
    keys = {r["headers"]["Idempotency-Key"] for r in platform.received}
    assert keys == {key_of(implementation, 1, "add")}
    assert [r["headers"]["X-Zwfw-Attempt"] for r in platform.received] == ["1", "2", "3"]
    events = push_events(implementation)
    attempts = [p for a, p in events if a == "attempt"]
    assert [(p["attempt"], p["status"], p["outcome"]) for p in attempts] == [
        (1, 503, "retry"),
        (2, 503, "retry"),
        (3, 201, "delivered"),
    ]
    assert [a for a, _p in events].count("delivered") == 1


def test_retries_wait_for_the_backoff(world, reviewer, platform):
    platform.fail_next = 1
    with override_settings(ZWFW_NATIONAL_PLATFORM_URL=platform.url, ZWFW_NATIONAL_PUSH_BACKOFF_SECONDS=30):
        implementation = publish(world, reviewer, make_implementation(world))
        before = timezone.now()
        run_worker()
        assert len(platform.received) == 1  # the retry is not due yet
        waiting = DBTaskResult.objects.filter(status="READY").get()
        assert waiting.args_kwargs["kwargs"]["attempt"] == 2
        assert waiting.run_after >= before + datetime.timedelta(seconds=29)
        DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())  # time passes
        run_worker()
    assert len(platform.received) == 2
    assert [a for a, _p in push_events(implementation)][-1] == "delivered"


def test_gives_up_after_the_last_attempt_and_records_the_failure(world, reviewer, platform):
    platform.fail_next = 99
    with override_settings(
        ZWFW_NATIONAL_PLATFORM_URL=platform.url,
        ZWFW_NATIONAL_PUSH_BACKOFF_SECONDS=0,
        ZWFW_NATIONAL_PUSH_MAX_ATTEMPTS=3,
    ):
        implementation = publish(world, reviewer, make_implementation(world))
        run_worker()
    assert len(platform.received) == 3
    events = push_events(implementation)
    assert events[-1][0] == "failed" and events[-1][1]["status"] == 503
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_client_error_is_not_retried(world, reviewer, platform):
    platform.fail_next, platform.fail_status = 1, 400
    with override_settings(ZWFW_NATIONAL_PLATFORM_URL=platform.url, ZWFW_NATIONAL_PUSH_BACKOFF_SECONDS=0):
        implementation = publish(world, reviewer, make_implementation(world))
        run_worker()
    assert len(platform.received) == 1
    assert [a for a, _p in push_events(implementation)] == ["enqueued", "attempt", "failed"]


def test_network_errors_are_retried(world, reviewer):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with override_settings(
        ZWFW_NATIONAL_PLATFORM_URL=f"http://127.0.0.1:{port}/x",
        ZWFW_NATIONAL_PUSH_BACKOFF_SECONDS=0,
        ZWFW_NATIONAL_PUSH_MAX_ATTEMPTS=2,
        ZWFW_NATIONAL_PLATFORM_TIMEOUT=2,
    ):
        implementation = publish(world, reviewer, make_implementation(world))
        run_worker()
    attempts = [p for a, p in push_events(implementation) if a == "attempt"]
    assert [(p["status"], p["outcome"]) for p in attempts] == [(None, "retry"), (None, "failed")]
    assert attempts[0]["error"]


def test_without_an_endpoint_the_push_is_skipped(world, reviewer, platform):
    with override_settings(ZWFW_NATIONAL_PLATFORM_URL=""):
        implementation = publish(world, reviewer, make_implementation(world))
        run_worker()
    assert platform.received == []
    events = push_events(implementation)
    assert [a for a, _p in events] == ["enqueued", "skipped"]
    assert events[-1][1]["reason"] == "no_endpoint"


def test_the_same_push_enqueued_twice_is_delivered_once(world, reviewer, platform):
    with override_settings(ZWFW_NATIONAL_PLATFORM_URL=platform.url):
        implementation = publish(world, reviewer, make_implementation(world))
        tasks.enqueue_national_push(
            implementation=implementation, version=implementation.current_version, kind="add"
        )
        run_worker()
    assert len(platform.received) == 1, push_events(implementation)
    assert [a for a, _p in push_events(implementation)].count("duplicate") == 1


def test_a_rolled_back_publication_leaves_no_push_behind(world, reviewer, platform):
    implementation = make_implementation(world)
    adjustment = services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=implementation, kind="add", reason="测试"
    )
    services.adjustment_approve(actor=reviewer, adjustment=adjustment)
    queued = DBTaskResult.objects.count()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        services.adjustment_publish(actor=reviewer, adjustment=adjustment)
        assert DBTaskResult.objects.count() == queued + 1  # enqueued inside the transaction
        raise Boom
    assert DBTaskResult.objects.count() == queued
    assert push_events(implementation) == []
    implementation.refresh_from_db()
    assert implementation.current_version is None

    with pytest.raises(Boom), transaction.atomic():
        tasks.enqueue_national_push(implementation=implementation, version=None, kind="add")
        raise Boom
    assert DBTaskResult.objects.count() == queued


def test_idempotency_key_is_stable_and_distinct_per_version_and_kind():
    key = tasks.idempotency_key(implementation_code="C-1", version_number=1, kind="add")
    assert key == tasks.idempotency_key(implementation_code="C-1", version_number=1, kind="add")
    assert len(key) == 64
    others = {
        tasks.idempotency_key(implementation_code="C-1", version_number=2, kind="add"),
        tasks.idempotency_key(implementation_code="C-1", version_number=1, kind="change"),
        tasks.idempotency_key(implementation_code="C-2", version_number=1, kind="add"),
    }
    assert key not in others and len(others) == 3
