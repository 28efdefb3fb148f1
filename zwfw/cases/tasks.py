"""Background tasks of case handling: the daily due-date run and queued notifications.

``cases_daily`` (the ``cases_daily`` task and ``manage.py cases_daily`` call the same function):

- due soon (``ZWFW_DUE_SOON_DAYS`` working days) and overdue cases, from ``selectors.case_queue``
  over all cases: their handling agency's reviewers and approvers and the supervisors over their
  region are notified once per case, per kind, per day;
- 容缺: cases whose promised date for missing materials is at most one working day away (or
  has passed) while materials are still missing: the applicant is reminded once per day.

It adds no table: each notice sent is an event on the case's ledger chain
(``due_soon_notified``, ``overdue_notified``, ``deficiency_reminder_notified``, with
``payload.day``), checked under the case's row lock before sending, so a second run on the same
day (or two runs at once) sends nothing twice. The messages leave after each case's commit.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import TaskContext, task

from zwfw.cases import notify, selectors, services
from zwfw.cases.models import Case, CaseState
from zwfw.core.calendar import add_working_days
from zwfw.core.ledger import audit_record
from zwfw.core.models import AuditEvent

# event -> the ledger action that records it was sent
SENT_ACTIONS = {
    "due_soon": "due_soon_notified",
    "overdue": "overdue_notified",
    "deficiency_reminder": "deficiency_reminder_notified",
}
# States in which promised 容缺 materials can still arrive and the result is still held.
DEFICIENCY_STATES = (CaseState.ACCEPTED, CaseState.UNDER_REVIEW, CaseState.SUSPENDED, CaseState.APPROVED)


def deficiency_candidates(*, today: datetime.date) -> QuerySet[Case]:
    """Cases accepted with deficiency whose promised date is at most one working day away or past
    (whether materials are still missing is checked per case)."""
    return (
        Case.objects.filter(
            state__in=DEFICIENCY_STATES,
            deficiency_due_date__isnull=False,
            deficiency_due_date__lte=add_working_days(today, 1),
        )
        .select_related("implementation__item", "agency", "region", "version")
        .order_by("deficiency_due_date", "pk")
    )


def _already_sent(case_ids: list[int], action: str, day: str) -> set[int]:
    rows = AuditEvent.objects.filter(
        object_type="case", object_id__in=[str(i) for i in case_ids], action=action, payload__day=day
    ).values_list("object_id", flat=True)
    return {int(i) for i in rows}


def _notify_once(
    case: Case, event: str, *, queue: QuerySet[Case], today: datetime.date, cache: notify.HandlerCache
) -> bool:
    """Send one kind of notice for one case and day unless the ledger says it was sent (checked
    under the case's row lock, with the case still in its queue)."""
    action = SENT_ACTIONS[event]
    day = today.isoformat()
    with transaction.atomic():
        list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))
        if _already_sent([case.pk], action, day) or not queue.filter(pk=case.pk).exists():
            return False
        if event == "deficiency_reminder":
            missing = [r.key for r in services.materials_missing(case).deficiency_allowed]
            if not missing:
                return False
        recipients = notify.notify_case_event(case, event, today=today, cache=cache)
        audit_record(
            actor=None,
            object_type="case",
            object_id=case.pk,
            action=action,
            payload={
                "day": day,
                "due_date": case.due_date.isoformat() if case.due_date else None,
                "deficiency_due_date": case.deficiency_due_date.isoformat()
                if case.deficiency_due_date
                else None,
                "users": sorted(r.user_id for r in recipients if r.user_id),
                "phones": sum(1 for r in recipients if not r.user_id),
            },
        )
    return True


def cases_daily(today: datetime.date | None = None) -> dict[str, Any]:
    """Collect due-soon, overdue and 容缺 cases and notify each once for the day.

    Returns a summary: per kind, how many cases were found, notified now, and skipped because
    they had already been notified today (or, for 容缺, had nothing missing any more).
    """
    today = today or timezone.localdate()
    day = today.isoformat()
    cache = notify.HandlerCache()
    summary: dict[str, Any] = {"day": day, "due_soon_days": settings.ZWFW_DUE_SOON_DAYS}
    everything = Case.objects.select_related("implementation__item", "agency", "region", "version")
    batches: list[tuple[str, QuerySet[Case]]] = [
        ("due_soon", selectors.case_queue(everything, "due_soon", today=today)),
        ("overdue", selectors.case_queue(everything, "overdue", today=today)),
        ("deficiency_reminder", deficiency_candidates(today=today)),
    ]
    for event, queryset in batches:
        notified = skipped = 0
        ids = list(queryset.values_list("pk", flat=True))
        sent = _already_sent(ids, SENT_ACTIONS[event], day)
        for start in range(0, len(ids), 500):
            chunk = [i for i in ids[start : start + 500] if i not in sent]
            skipped += min(500, len(ids) - start) - len(chunk)
            for case in queryset.filter(pk__in=chunk):
                if _notify_once(case, event, queue=queryset, today=today, cache=cache):
                    notified += 1
                else:
                    skipped += 1
        summary[event] = {"found": len(ids), "notified": notified, "skipped": skipped}
    return summary


@task()
def cases_daily_task(day: str | None = None) -> dict[str, Any]:
    """The daily run as a task (``day``: ISO date, default today)."""
    return cases_daily(datetime.date.fromisoformat(day) if day else None)


@task()
def send_notification(*, message: dict[str, Any], recipients: list[dict[str, Any]]) -> int:
    """Send one queued notification (``ZWFW_NOTIFY_ASYNC``); returns how many sends succeeded."""
    return notify.dispatch_serialized(message, recipients)


@task(takes_context=True)
def case_event_notify_task(context: TaskContext, *, case_id: int, event: str) -> int:
    """Notify a case event from the worker: the intake hot path enqueues this (one row, in its
    transaction) instead of working out recipients and messages while the applicant waits.
    The task's id names the notification, so a rerun (a worker killed mid-send) repeats it with
    the same idempotency key even if the case has moved on since."""
    case = Case.objects.filter(pk=case_id).select_related("implementation__item", "agency", "version").first()
    if case is None:
        return 0
    return len(notify.notify_case_event(case, event, ref=f"task:{context.task_result.id}"))
