"""The webhook notification backend: one JSON POST per recipient with an idempotency key that is
the same for every attempt at one notification (a rerun task, a repeat), different for another
occurrence (the next day's reminder); a receiver that is down is logged, never breaks anything."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bench.receiver import Receiver
from zwfw.cases import notify, services, tasks
from zwfw.cases.tests.test_notices import online, walk_in
from zwfw.core.tasks_recovery import tasks_recover
from zwfw.core.tests.workers import run_worker

TOKEN = "webhook-token-for-tests"  # noqa: S105 - a test value


@pytest.fixture
def receiver(settings):
    server = Receiver()
    url = server.start()
    settings.ZWFW_NOTIFY_BACKENDS = ["webhook"]
    settings.ZWFW_NOTIFY_WEBHOOK_URL = f"{url}/notify"
    settings.ZWFW_NOTIFY_WEBHOOK_TOKEN = TOKEN
    yield server
    server.stop()


@pytest.mark.django_db
def test_one_post_per_recipient_with_its_key(desk, receiver, django_capture_on_commit_callbacks):
    case = walk_in(desk)  # the applicant's account and the contact phone
    with django_capture_on_commit_callbacks(execute=True):
        recipients = notify.notify_case_event(case, "submitted")
    assert {(r.user_id, r.phone) for r in recipients} == {(desk.citizen.pk, ""), (None, "13800138000")}
    assert len(receiver.deliveries) == 2 and receiver.duplicate_attempts == 0
    for delivery in receiver.deliveries.values():
        body = delivery.body
        assert delivery.path == "/notify"
        assert delivery.headers["Idempotency-Key"] == body["idempotency_key"] == delivery.key
        assert delivery.headers["Authorization"] == f"Bearer {TOKEN}"
        assert body["event"] == "submitted" and body["case_id"] == case.pk
        assert body["case_number"] == case.number and case.number in body["text"]
        assert body["subject"] == "申请已收到"
        assert body["recipient"]["user_id"] in (desk.citizen.pk, None)
        message = notify.Message(
            **{k: v for k, v in body.items() if k not in ("idempotency_key", "recipient")}
        )
        assert delivery.key == notify.notification_key(message, notify.Recipient(**body["recipient"]))

    # The same notification again (nothing happened to the case since): the same keys, counted once.
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify_case_event(case, "submitted")
    assert len(receiver.deliveries) == 2 and receiver.duplicate_attempts == 2


@pytest.mark.django_db
def test_the_daily_reminder_is_a_new_notification_each_day(
    desk, receiver, django_capture_on_commit_callbacks
):
    case = services.case_accept(actor=desk.clerk, case=online(desk))
    day = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify_case_event(case, "overdue", today=day)
    first = receiver.keys()
    assert len(first) == 3  # the agency's reviewer and approver, the prefecture's supervisor
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify_case_event(case, "overdue", today=day)
        notify.notify_case_event(case, "overdue", today=day + datetime.timedelta(days=1))
    assert receiver.duplicate_attempts == 3
    assert len(receiver.keys()) == 6 and first < receiver.keys()


@pytest.mark.django_db(transaction=True)
def test_a_task_rerun_after_its_worker_died_repeats_the_same_notification(desk, receiver):
    case = online(desk)  # (its own notification leaves on commit)
    before = receiver.keys()
    result = tasks.case_event_notify_task.enqueue(case_id=case.pk, event="submitted")

    run_worker("worker-a")
    (key,) = receiver.keys() - before
    assert receiver.deliveries[key].body["ref"] == f"task:{result.id}"
    # The worker was killed after the delivery but before recording it: the row stays RUNNING.
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", finished_at=None)
    # Meanwhile the case moves on; then the worker's service restarts and recovers its task.
    services.case_accept(actor=desk.clerk, case=case)
    assert tasks_recover(worker_ids=["worker-a"]).requeued == [str(result.id)]
    accepted = receiver.keys() - before - {key}  # the acceptance's own notification
    assert [receiver.deliveries[k].body["event"] for k in accepted] == ["accepted"]
    run_worker("worker-a")
    assert receiver.keys() - before - accepted == {key}
    assert receiver.deliveries[key].attempts == 2 and receiver.duplicate_attempts == 1
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"


@pytest.mark.django_db
def test_a_receiver_that_is_down_is_logged_and_breaks_nothing(
    desk, settings, caplog, django_capture_on_commit_callbacks
):
    receiver = Receiver()
    url = receiver.start()
    receiver.stop()  # nothing listens there any more
    settings.ZWFW_NOTIFY_BACKENDS = ["webhook", "memory"]
    notify.OUTBOX.clear()
    case = online(desk)
    for address in (f"{url}/notify", "ftp://example.org/notify", ""):
        settings.ZWFW_NOTIFY_WEBHOOK_URL = address
        caplog.clear()
        with (
            caplog.at_level(logging.ERROR, logger="zwfw.notify"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            sent = notify.notify_case_event(case, "submitted")
        assert sent  # the recipients were resolved and the memory backend still sent
        assert "notify backend webhook failed" in caplog.text
    assert [m.event for m, _r in notify.OUTBOX] == ["submitted"] * 3
    notify.OUTBOX.clear()


@pytest.mark.django_db
def test_the_occurrence_is_looked_up_only_when_a_sender_keys_on_it(
    desk, settings, django_capture_on_commit_callbacks
):
    case = walk_in(desk)
    settings.ZWFW_NOTIFY_BACKENDS = ["memory"]
    notify.OUTBOX.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify_case_event(case, "submitted")
    assert notify.OUTBOX and {m.ref for m, _r in notify.OUTBOX} == {""}
    settings.ZWFW_NOTIFY_BACKENDS = ["memory", "dotted.path.Missing"]  # no sender keys on it
    assert notify._refs_needed() is False
    settings.ZWFW_NOTIFY_BACKENDS = ["memory", "webhook"]
    assert notify._refs_needed() is True
    assert notify.occurrence_ref(case, "submitted").startswith("seq:")


@pytest.mark.django_db
def test_a_webhook_that_is_down_or_refuses_is_logged_and_counts_as_not_sent(desk, settings, caplog):
    from zwfw.core.http import post_json

    case = walk_in(desk)
    settings.ZWFW_NOTIFY_BACKENDS = ["webhook"]
    settings.ZWFW_NOTIFY_WEBHOOK_URL = "http://127.0.0.1:9/notify"  # nothing listens on the discard port
    message = notify.message_build(case=case, event="submitted")
    recipients = notify.recipients_resolve(notify.case_event_recipients(case, "submitted"))
    with caplog.at_level(logging.ERROR):
        assert notify.dispatch(message, recipients) == 0
    assert caplog.records  # each failed send is logged, nothing raised
    assert post_json("http://127.0.0.1:9/x", b"{}", key="k", timeout=2).ok is False
    with pytest.raises(ValueError):
        post_json("file:///etc/passwd", b"{}", key="k")
