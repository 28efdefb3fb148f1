"""The daily due-date run: due-soon and overdue cases notify their handlers and supervisors, promised
容缺 materials remind the applicant; once per case, kind and day (recorded on the ledger)."""

from __future__ import annotations

import datetime
import io
import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zwfw.cases import notify, services, tasks
from zwfw.cases.models import PauseKind
from zwfw.cases.tests.factories import png
from zwfw.cases.tests.test_notices import accepted_with_deficiency, online
from zwfw.core.calendar import add_working_days
from zwfw.core.ledger import ledger_verify
from zwfw.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings):
    settings.ZWFW_NOTIFY_BACKENDS = ["memory"]
    notify.OUTBOX.clear()
    yield notify.OUTBOX
    notify.OUTBOX.clear()


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the daily job as of a day, sending what it sends."""

    def _run(day: datetime.date) -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.cases_daily(day)

    return _run


def _sent(outbox, event: str) -> list[tuple[str, int | None]]:
    return sorted((m.case_number, r.user_id) for m, r in outbox if m.event == event)


def _handlers(desk) -> set[int]:
    return {desk.reviewer.pk, desk.approver.pk, desk.world.supervisor_pref.pk}


def test_due_soon_then_overdue_each_once_a_day(desk, outbox, run):
    case = services.case_accept(actor=desk.clerk, case=online(desk))
    today = timezone.localdate()
    assert run(today)["due_soon"] == {"found": 0, "notified": 0, "skipped": 0}  # 10 working days left

    due = case.due_date
    summary = run(due)
    assert summary["due_soon"] == {"found": 1, "notified": 1, "skipped": 0}
    assert summary["overdue"]["found"] == 0
    assert {u for n, u in _sent(outbox, "due_soon")} == _handlers(desk)
    assert {n for n, u in _sent(outbox, "due_soon")} == {case.number}

    again = run(due)  # the same day: nothing twice
    assert again["due_soon"] == {"found": 1, "notified": 0, "skipped": 1}
    assert len(_sent(outbox, "due_soon")) == 3

    late = add_working_days(due, 1)
    summary = run(late)
    assert summary["overdue"] == {"found": 1, "notified": 1, "skipped": 0}
    assert summary["due_soon"]["found"] == 0
    assert {u for n, u in _sent(outbox, "overdue")} == _handlers(desk)
    assert run(late)["overdue"]["notified"] == 0
    assert run(late + datetime.timedelta(days=1))["overdue"]["notified"] == 1  # a new day: again

    events = AuditEvent.objects.filter(object_type="case", object_id=str(case.pk))
    notified = list(events.filter(action__in=["due_soon_notified", "overdue_notified"]).order_by("id"))
    assert [(e.action, e.payload["day"]) for e in notified] == [
        ("due_soon_notified", due.isoformat()),
        ("overdue_notified", late.isoformat()),
        ("overdue_notified", (late + datetime.timedelta(days=1)).isoformat()),
    ]
    assert set(notified[0].payload["users"]) == _handlers(desk)
    assert list(ledger_verify()) == []


def test_the_applicant_and_other_staff_hear_nothing_of_due_dates(desk, outbox, run):
    case = services.case_accept(actor=desk.clerk, case=online(desk))
    run(case.due_date)
    users = {u for _n, u in _sent(outbox, "due_soon")}
    assert desk.citizen.pk not in users and desk.clerk.pk not in users
    assert desk.world.clerk_mh.pk not in users


def test_suspended_and_decided_cases_are_left_alone(desk, outbox, run):
    paused = services.case_accept(actor=desk.clerk, case=online(desk))
    services.case_start_review(actor=desk.reviewer, case=paused)
    services.case_suspend(
        actor=desk.reviewer,
        case=paused,
        kind=PauseKind.SPECIAL_PROCEDURE,
        procedure="现场勘验",
        reason="核查",
    )
    done = services.case_accept(actor=desk.clerk, case=online(desk))
    services.case_start_review(actor=desk.reviewer, case=done)
    services.case_decide(actor=desk.approver, case=done, approved=True, reasons="符合", result_content=png())
    summary = run(add_working_days(paused.due_date, 1))
    assert summary["overdue"]["found"] == 0 and summary["due_soon"]["found"] == 0
    assert outbox == []


def test_deficiency_reminders_before_and_after_the_promised_date(desk, outbox, run):
    today = timezone.localdate()
    promised = add_working_days(today, 5)
    case = accepted_with_deficiency(desk, promised=promised)
    assert run(today)["deficiency_reminder"]["found"] == 0  # still days away

    summary = run(promised)
    assert summary["deficiency_reminder"] == {"found": 1, "notified": 1, "skipped": 0}
    reminders = [(m, r) for m, r in outbox if m.event == "deficiency_reminder"]
    assert [r.user_id for _m, r in reminders] == [desk.citizen.pk]  # the applicant, not staff
    assert reminders[0][0].params["items"] == "经营场所平面图" and reminders[0][0].params["passed"] == ""
    assert run(promised)["deficiency_reminder"]["notified"] == 0  # once a day

    after = add_working_days(promised, 2)
    run(after)
    last = [m for m, _r in outbox if m.event == "deficiency_reminder"][-1]
    assert last.params["passed"] == "1"

    # once the material arrives, no more reminders
    services.case_material_add(actor=desk.citizen, case=case, requirement_key="floor-plan", content=png())
    summary = run(after + datetime.timedelta(days=1))
    assert summary["deficiency_reminder"] == {"found": 1, "notified": 0, "skipped": 1}
    assert not AuditEvent.objects.filter(
        object_id=str(case.pk),
        action="deficiency_reminder_notified",
        payload__day=(after + datetime.timedelta(days=1)).isoformat(),
    ).exists()


def test_the_day_before_counts_in_working_days(desk, outbox, run):
    today = timezone.localdate()
    promised = add_working_days(today, 6)
    accepted_with_deficiency(desk, promised=promised)
    day_before = add_working_days(today, 5)  # exactly one working day before the promised date
    assert run(day_before)["deficiency_reminder"]["notified"] == 1
    two_before = add_working_days(today, 4)
    assert run(two_before)["deficiency_reminder"]["found"] == 0


# --- the command and the task ------------------------------------------------------------------


def test_the_command_prints_a_summary_and_is_safe_to_rerun(desk, outbox, django_capture_on_commit_callbacks):
    case = services.case_accept(actor=desk.clerk, case=online(desk))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("cases_daily", "--date", case.due_date.isoformat(), stdout=out)
    text = out.getvalue()
    assert f"cases_daily.day = {case.due_date.isoformat()}" in text
    assert "cases_daily.due_soon: found 1, notified 1, skipped 0" in text
    out = io.StringIO()
    call_command("cases_daily", "--date", case.due_date.isoformat(), "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["due_soon"] == {"found": 1, "notified": 0, "skipped": 1}


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("cases_daily", "--date", "2025-02-30")


def test_the_command_can_enqueue_the_task(desk, outbox, django_capture_on_commit_callbacks):
    case = services.case_accept(actor=desk.clerk, case=online(desk))
    out = io.StringIO()
    call_command("cases_daily", "--enqueue", "--date", case.due_date.isoformat(), stdout=out)
    row = DBTaskResult.objects.get(task_path__endswith="cases_daily_task")
    assert str(row.id) in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        summary = tasks.cases_daily_task.call(**row.args_kwargs["kwargs"])
    assert summary["due_soon"]["notified"] == 1 and len(outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_notify_once(desk, outbox):
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises whole-database writes)")
    case = services.case_accept(actor=desk.clerk, case=online(desk))
    barrier = threading.Barrier(2)
    results: list[dict] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(tasks.cases_daily(case.due_date))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r["due_soon"]["notified"] for r in results) == [0, 1]
    assert len(_sent(outbox, "due_soon")) == 3
    assert AuditEvent.objects.filter(object_id=str(case.pk), action="due_soon_notified").count() == 1
