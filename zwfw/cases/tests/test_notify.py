"""Notifications: the right people per event, sent only after commit, pluggable backends (console,
email, SMS gateway, memory, custom), and a failing sender never breaks the case action."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Mapping

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from zwfw.cases import notify, services, tasks
from zwfw.cases.models import PauseKind
from zwfw.cases.tests.factories import png
from zwfw.cases.tests.test_notices import decided, online, walk_in
from zwfw.core.errors import ValidationFailed
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


class BrokenBackend(notify.NotifyBackend):
    """A sender whose provider is down."""

    name = "broken"

    def send(self, message: notify.Message, recipient: notify.Recipient) -> bool:
        raise ConnectionError("provider down")


class RecordingGateway(notify.SmsGateway):
    """A province's gateway, as a test double."""

    sent: list[tuple[str, str, str]] = []

    def send(
        self, phone: str, text: str, *, event: str = "", params: Mapping[str, str] | None = None
    ) -> None:
        RecordingGateway.sent.append((phone, text, event))


class BrokenGateway(notify.SmsGateway):
    """A gateway that refuses everything."""

    def send(
        self, phone: str, text: str, *, event: str = "", params: Mapping[str, str] | None = None
    ) -> None:
        raise TimeoutError("sms gateway timeout")


# These tests call the real function themselves; the services' own calls (once wired) are muted.
notify_case_event = notify.notify_case_event


@pytest.fixture(autouse=True)
def _services_quiet(monkeypatch):
    """Mute ``notify_case_event`` however services.py reaches it (its own name or the module's)."""
    monkeypatch.setattr(services, "notify_case_event", lambda *args, **kwargs: [], raising=False)
    monkeypatch.setattr(notify, "notify_case_event", lambda *args, **kwargs: [])


@pytest.fixture
def outbox(settings):
    settings.ZWFW_NOTIFY_BACKENDS = ["memory"]
    notify.OUTBOX.clear()
    yield notify.OUTBOX
    notify.OUTBOX.clear()


def _events(outbox) -> list[str]:
    return [m.event for m, _r in outbox]


# --- who hears of what -------------------------------------------------------------------------


def test_a_walk_in_applicant_hears_of_every_step(desk, outbox, settings, django_capture_on_commit_callbacks):
    settings.ZWFW_PUBLIC_BASE_URL = ""  # links stay relative without a public address
    with django_capture_on_commit_callbacks(execute=True):
        case = walk_in(desk, keys=("application", "floor-plan"), phone=PHONE)
        notify_case_event(case, "submitted")
        services.case_request_correction(actor=desk.clerk, case=case)
        notify_case_event(case, "correction_requested")
    assert _events(outbox) == ["submitted", "submitted", "correction_requested", "correction_requested"]
    # the person's account and the contact phone, nobody else
    assert {(r.user_id, r.phone) for _m, r in outbox} == {(desk.citizen.pk, ""), (None, PHONE)}
    message = outbox[-1][0]
    assert message.case_number == case.number and case.number in message.text
    assert message.params["items"] == "营业执照"
    assert message.link == f"/cases/status/?number={case.number}"


def test_review_events_carry_their_details(desk, outbox, django_capture_on_commit_callbacks, settings):
    settings.ZWFW_PUBLIC_BASE_URL = "https://zwfw.example.cn/"
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_accept(actor=desk.clerk, case=online(desk))
        notify_case_event(case, "accepted")
        services.case_start_review(actor=desk.reviewer, case=case)
        services.case_suspend(
            actor=desk.reviewer,
            case=case,
            kind=PauseKind.SPECIAL_PROCEDURE,
            procedure="现场勘验",
            reason="核查",
        )
        notify_case_event(case, "suspended")
        case = services.case_resume(actor=desk.reviewer, case=case)
        notify_case_event(case, "resumed")
    by_event = {m.event: m for m, _r in outbox}
    assert set(by_event) == {"accepted", "suspended", "resumed"}
    assert by_event["suspended"].params["procedure"] == "现场勘验"
    assert by_event["resumed"].params["due_date"]  # the new due date, formatted
    assert by_event["accepted"].link == f"https://zwfw.example.cn/cases/status/?number={case.number}"
    assert {r.user_id for _m, r in outbox} == {desk.citizen.pk}  # online: the account only


def test_decision_and_delivery(desk, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = decided(desk, approved=False)
        notify_case_event(case, "decided")
        services.case_deliver(
            actor=desk.clerk, case=case, method="post", courier="EMS", tracking_number="EA1", address="景洪"
        )
        case.refresh_from_db()
        notify_case_event(case, "delivered")
    decided_msg, delivered_msg = (m for m, _r in outbox)
    assert decided_msg.params["approved"] == ""
    assert delivered_msg.params["tracking_number"] == "EA1" and "EA1" in delivered_msg.text


def test_due_soon_goes_to_handlers_and_supervisors_over_the_region(desk):
    w = desk.world
    other_supervisor = identity_services.user_create(username="supervisor_mh", password="pw")
    identity_services.staff_membership_grant(
        user=other_supervisor, agency=w.mh_market, role=Role.SUPERVISOR, system=True
    )
    gone = identity_services.user_create(username="approver_gone", password="pw")
    identity_services.staff_membership_grant(user=gone, agency=w.jh_market, role=Role.APPROVER, system=True)
    gone.is_active = False
    gone.save()
    case = services.case_accept(actor=desk.clerk, case=online(desk))
    for event in ("due_soon", "overdue"):
        users = {u.pk for u in notify.case_event_recipients(case, event)}
        assert users == {desk.reviewer.pk, desk.approver.pk, w.supervisor_pref.pk}, event
    assert {u.pk for u in notify.case_event_recipients(case, "accepted")} == {desk.citizen.pk}


def test_recipients_are_deduplicated():
    user = identity_services.user_create(username="u1", password="pw")
    user.phone = PHONE
    idle = identity_services.user_create(username="u2", password="pw")
    idle.is_active = False
    resolved = notify.recipients_resolve([user, user, PHONE, " ", idle, "13900139000", "13900139000"])
    assert [(r.user_id, r.phone) for r in resolved] == [(user.pk, PHONE), (None, "13900139000")]


def test_unknown_event_is_a_programming_error(desk):
    case = online(desk)
    with pytest.raises(ValueError):
        notify_case_event(case, "exploded")
    with pytest.raises(ValueError):
        notify.message_build(case=case, event="exploded")


def test_the_services_notify_each_step(desk, outbox, monkeypatch, django_capture_on_commit_callbacks):
    """Once services.py calls ``notify_case_event`` (see docs/notices.md), each step notifies."""
    monkeypatch.undo()
    if "notify_case_event(" not in inspect.getsource(services):
        pytest.skip("services.py does not call notify_case_event yet")
    with django_capture_on_commit_callbacks(execute=True):
        case = walk_in(desk, keys=("application", "floor-plan"), phone=PHONE)
        services.case_request_correction(actor=desk.clerk, case=case)
        services.case_material_add(actor=desk.clerk, case=case, requirement_key="licence", kind="paper")
        services.case_resubmit(actor=desk.clerk, case=case)
        case = services.case_accept(actor=desk.clerk, case=case)
        services.case_start_review(actor=desk.reviewer, case=case)
        services.case_suspend(
            actor=desk.reviewer,
            case=case,
            kind=PauseKind.SPECIAL_PROCEDURE,
            procedure="现场勘验",
            reason="核查",
        )
        services.case_resume(actor=desk.reviewer, case=case)
        services.case_decide(
            actor=desk.approver, case=case, approved=True, reasons="符合", result_content=png()
        )
        services.case_deliver(actor=desk.clerk, case=case, method="window")
    applicant_events = [m.event for m, r in outbox if r.user_id == desk.citizen.pk]
    assert applicant_events == [
        "submitted",
        "correction_requested",
        "accepted",
        "suspended",
        "resumed",
        "decided",
        "delivered",
    ]


# --- after commit only -------------------------------------------------------------------------


def test_nothing_leaves_before_commit_or_after_a_rollback(desk, outbox, django_capture_on_commit_callbacks):
    case = online(desk)
    with django_capture_on_commit_callbacks() as callbacks:
        notify_case_event(case, "submitted")
        assert outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert _events(outbox) == ["submitted"]

    outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationFailed),
        transaction.atomic(),
    ):
        notify_case_event(case, "accepted")
        services.case_reject_intake(actor=desk.clerk, case=case, reason="")  # fails: rolls back
    assert callbacks == [] and outbox == []


def test_async_notifications_are_enqueued_in_the_transaction(
    desk, outbox, settings, django_capture_on_commit_callbacks
):
    settings.ZWFW_NOTIFY_ASYNC = True
    case = online(desk)
    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks() as callbacks:
        notify_case_event(case, "submitted")
    assert callbacks == []
    row = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert DBTaskResult.objects.count() == before + 1 and row.task_path.endswith("send_notification")
    assert tasks.send_notification.call(**row.args_kwargs["kwargs"]) == 1
    assert _events(outbox) == ["submitted"]


# --- backends ----------------------------------------------------------------------------------


def test_a_failing_sender_is_logged_and_the_others_still_send(
    desk, outbox, settings, caplog, django_capture_on_commit_callbacks
):
    settings.ZWFW_NOTIFY_BACKENDS = [f"{__name__}.BrokenBackend", "no.such.Backend", "memory"]
    with (
        caplog.at_level(logging.ERROR, logger="zwfw.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case = services.case_accept(actor=desk.clerk, case=online(desk))
        notify_case_event(case, "accepted")
    case.refresh_from_db()
    assert case.state == "accepted"
    assert _events(outbox) == ["accepted"]
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "broken failed" in logged and "no.such.Backend" in logged


def test_a_broken_preparation_never_breaks_the_service(desk, outbox, monkeypatch, caplog):
    case = online(desk)

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(notify, "event_context", explode)
    with caplog.at_level(logging.ERROR, logger="zwfw.notify"):
        assert notify_case_event(case, "submitted") == []
    assert "could not be prepared" in caplog.text


def test_console_logs_one_line_per_recipient_with_the_phone_masked(
    desk, settings, caplog, django_capture_on_commit_callbacks
):
    settings.ZWFW_NOTIFY_BACKENDS = ["console"]
    with (
        caplog.at_level(logging.INFO, logger="zwfw.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case = walk_in(desk, phone=PHONE)
        notify_case_event(case, "submitted")
    lines = [r.getMessage() for r in caplog.records if r.name == "zwfw.notify"]
    assert len(lines) == 2 and all(case.number in line for line in lines)
    assert PHONE not in caplog.text and "138****8000" in caplog.text


def test_email_goes_to_accounts_with_an_address(desk, settings, django_capture_on_commit_callbacks):
    settings.ZWFW_NOTIFY_BACKENDS = ["email"]
    desk.citizen.email = "yuxiang@example.cn"
    desk.citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        case = walk_in(desk, phone=PHONE)
        sent = notify_case_event(case, "submitted")
    assert len(sent) == 2  # the account and the bare phone
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["yuxiang@example.cn"]
    assert case.number in mail.outbox[0].subject


def test_sms_goes_through_the_configured_gateway_once_per_phone(
    desk, settings, django_capture_on_commit_callbacks
):
    settings.ZWFW_NOTIFY_BACKENDS = ["sms"]
    settings.ZWFW_SMS_GATEWAY = f"{__name__}.RecordingGateway"
    notify._gateway.cache_clear()
    RecordingGateway.sent.clear()
    desk.citizen.phone = PHONE
    desk.citizen.save()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            case = walk_in(desk, phone=PHONE)
            notify_case_event(case, "submitted")
        assert [(p, e) for p, _t, e in RecordingGateway.sent] == [(PHONE, "submitted")]
    finally:
        notify._gateway.cache_clear()


def test_a_failing_sms_gateway_is_logged(desk, settings, caplog, django_capture_on_commit_callbacks):
    settings.ZWFW_NOTIFY_BACKENDS = ["sms"]
    settings.ZWFW_SMS_GATEWAY = f"{__name__}.BrokenGateway"
    notify._gateway.cache_clear()
    try:
        with (
            caplog.at_level(logging.ERROR, logger="zwfw.notify"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            case = walk_in(desk, phone=PHONE)
            notify_case_event(case, "submitted")
        assert "sms failed" in caplog.text
    finally:
        notify._gateway.cache_clear()


def test_the_default_sms_gateway_only_logs(caplog):
    with caplog.at_level(logging.INFO, logger="zwfw.notify"):
        notify.LogSmsGateway().send(PHONE, "测试", event="submitted")
    assert "138****8000" in caplog.text and PHONE not in caplog.text
    assert notify.mask_phone("123") == "****"
