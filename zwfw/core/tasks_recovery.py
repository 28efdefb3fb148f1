"""Tasks left RUNNING by a worker that died (SIGKILL, OOM, power loss) are put back in the queue.

The database task backend (django_tasks_db) claims a task by setting it RUNNING in one committed
transaction and runs it afterwards; it records success or failure only when the task returns.
A worker killed in between leaves the row RUNNING for ever: nothing runs it again, and whatever
it was to deliver (a national push, a notification) is lost. ``tasks_recover`` finds such rows
and makes them READY again (the next worker runs them), or FAILED once a task has been claimed
``max_claims`` times (a task that kills its worker every time must not do so for ever).

A RUNNING row is orphaned when:

- the worker id that claimed it last is one the caller knows to be dead (``worker_ids``): a
  worker restarting under the same ``--worker-id`` recovers what its previous run left, before it
  starts (``manage.py tasks_recover --worker ID`` as the service's start-up step): exact, no wait;
- or it was claimed more than ``lease`` ago: the safety net for a host that never comes back.
  The lease must be longer than the longest task, or a slow task would run twice at once.

Running a task again is safe for the platform's data: national pushes and webhook notifications
carry idempotency keys, the daily jobs check the ledger, the staged-file flush keeps what it wrote.
A notification sent by email or SMS when the worker died may reach its recipient twice (those
senders carry no key). See docs/operations.md.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("zwfw.tasks")

DEFAULT_MAX_CLAIMS = 5
LOST_EXCEPTION = "zwfw.core.tasks_recovery.WorkerLost"


class WorkerLost(Exception):
    """Recorded on a task whose workers died too often while running it."""


@dataclass
class Recovery:
    """What one recovery pass did: task ids put back in the queue, and ids given up on."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def tasks_recover(
    *,
    worker_ids: Iterable[str] = (),
    lease: datetime.timedelta | None = None,
    max_claims: int = DEFAULT_MAX_CLAIMS,
    now: datetime.datetime | None = None,
) -> Recovery:
    """Requeue (or fail, past ``max_claims``) the RUNNING tasks last claimed by one of
    ``worker_ids`` or claimed longer than ``lease`` ago."""
    dead = set(worker_ids)
    if not dead and lease is None:
        raise ValueError("name the dead workers or give a lease")
    now = now or timezone.now()
    cutoff = now - lease if lease is not None else None
    done = Recovery()
    with transaction.atomic():
        # skip_locked: a worker claiming or finishing a row right now keeps it.
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True).order_by("started_at")
        for row in running:
            claimed_by = row.worker_ids[-1] if row.worker_ids else ""
            expired = cutoff is not None and (row.started_at is None or row.started_at <= cutoff)
            if claimed_by not in dead and not expired:
                continue
            if len(row.worker_ids) >= max_claims:
                row.status = TaskResultStatus.FAILED
                row.finished_at = now
                row.return_value = None
                row.exception_class_path = LOST_EXCEPTION
                row.traceback = (
                    f"{LOST_EXCEPTION}: the worker running this task was lost {len(row.worker_ids)} "
                    f"times (workers {', '.join(row.worker_ids)}); not run again\n"
                )
                row.save(
                    update_fields=[
                        "status",
                        "finished_at",
                        "return_value",
                        "exception_class_path",
                        "traceback",
                    ]
                )
                done.failed.append(str(row.id))
                logger.error(
                    "task %s (%s) failed: its worker was lost %d times",
                    row.id,
                    row.task_path,
                    len(row.worker_ids),
                )
            else:
                row.status = TaskResultStatus.READY
                row.save(update_fields=["status"])
                done.requeued.append(str(row.id))
                logger.warning(
                    "task %s (%s) requeued: worker %s was lost while running it",
                    row.id,
                    row.task_path,
                    claimed_by,
                )
    return done
