"""Tasks left RUNNING by a dead worker: ``tasks_recover`` puts them back in the queue (the worker id
that claimed them is named as dead, or the lease ran out), and gives up on a task that has lost
its worker too often. Runs django-tasks-db's own worker (transactional tests)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from zwfw.core.tasks_recovery import LOST_EXCEPTION, tasks_recover
from zwfw.core.tests.workers import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

RUNS: list[str] = []


@task()
def remember(label: str) -> str:
    """A task that leaves a trace of each run."""
    RUNS.append(label)
    return label


@pytest.fixture(autouse=True)
def _runs():
    RUNS.clear()
    yield
    RUNS.clear()


def claimed(label: str, *workers: str, started: datetime.datetime | None = None) -> DBTaskResult:
    """A task enqueued and claimed by each of ``workers`` in turn (left RUNNING, as a worker
    killed mid-task leaves it)."""
    row = DBTaskResult.objects.get(pk=remember.enqueue(label).id)
    for worker in workers:
        row.claim(worker)
    if started is not None:
        DBTaskResult.objects.filter(pk=row.pk).update(started_at=started)
    return row


def test_a_task_left_running_by_a_dead_worker_runs_again():
    row = claimed("push", "worker-a")
    run_worker("worker-b")
    assert RUNS == []  # nothing else would ever run it
    row.refresh_from_db()
    assert row.status == "RUNNING"

    done = tasks_recover(worker_ids=["worker-a"])
    assert done.requeued == [str(row.id)] and done.failed == []
    run_worker("worker-b")
    assert RUNS == ["push"]
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and row.worker_ids == ["worker-a", "worker-b"]


def test_only_tasks_of_dead_workers_or_past_the_lease_are_requeued():
    now = timezone.now()
    alive = claimed("alive", "worker-alive", started=now - datetime.timedelta(minutes=5))
    dead = claimed("dead", "worker-dead", started=now - datetime.timedelta(minutes=5))
    stale = claimed("stale", "worker-gone", started=now - datetime.timedelta(hours=2))

    done = tasks_recover(worker_ids=["worker-dead"], now=now)
    assert done.requeued == [str(dead.id)]
    done = tasks_recover(lease=datetime.timedelta(hours=1), now=now)
    assert done.requeued == [str(stale.id)]
    statuses = dict(DBTaskResult.objects.values_list("id", "status"))
    assert statuses == {alive.id: "RUNNING", dead.id: "READY", stale.id: "READY"}
    # A worker that died after claiming by id, then another claimed it: only the last counts.
    again = claimed("again", "worker-dead", "worker-alive")
    assert tasks_recover(worker_ids=["worker-dead"]).requeued == []
    assert DBTaskResult.objects.get(pk=again.pk).status == "RUNNING"


def test_a_task_that_keeps_losing_its_worker_is_failed_not_run_again():
    row = claimed("poison", "w1", "w2", "w3")
    done = tasks_recover(worker_ids=["w3"], max_claims=3)
    assert done.requeued == [] and done.failed == [str(row.id)]
    row.refresh_from_db()
    assert row.status == "FAILED" and row.finished_at is not None
    assert row.exception_class_path == LOST_EXCEPTION
    assert "lost 3 times" in row.traceback
    run_worker("w4")
    assert RUNS == []


def test_recover_needs_dead_workers_or_a_lease():
    with pytest.raises(ValueError, match="dead workers or give a lease"):
        tasks_recover()


def test_the_command():
    dead = claimed("one", "worker-1")
    out = io.StringIO()
    call_command("tasks_recover", "--worker", "worker-1", "--worker", "worker-2", stdout=out)
    assert out.getvalue().splitlines() == ["tasks_recover.requeued = 1", "tasks_recover.failed = 0"]
    assert DBTaskResult.objects.get(pk=dead.pk).status == "READY"

    claimed("two", "worker-3", started=timezone.now() - datetime.timedelta(seconds=120))
    out = io.StringIO()
    call_command("tasks_recover", "--lease", "60", stdout=out)
    assert "tasks_recover.requeued = 1" in out.getvalue()

    with pytest.raises(CommandError, match="--worker ID"):
        call_command("tasks_recover")
    with pytest.raises(CommandError, match="--lease"):
        call_command("tasks_recover", "--lease", "-1")
    with pytest.raises(CommandError, match="--max-claims"):
        call_command("tasks_recover", "--worker", "x", "--max-claims", "0")
