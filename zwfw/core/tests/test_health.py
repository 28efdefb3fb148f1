"""Health endpoints: /healthz (the process answers) and /readyz (database and task queue answer)."""

from __future__ import annotations

import datetime

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zwfw.cases.tasks import cases_daily_task

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_when_database_and_task_queue_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "tasks": "ok",
        "tasks_ready": 0,
        "tasks_oldest_ready_seconds": None,
    }


def test_readyz_reports_the_backlog_of_ready_tasks_and_the_oldest_wait(client):
    first = cases_daily_task.enqueue()
    cases_daily_task.enqueue()
    DBTaskResult.objects.filter(pk=first.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=10)
    )

    body = client.get("/readyz").json()

    assert body["tasks_ready"] == 2
    assert 600 <= body["tasks_oldest_ready_seconds"] < 660


def test_readyz_counts_a_delayed_task_only_once_it_is_due_and_from_when_it_became_due(client):
    later = cases_daily_task.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue()
    assert client.get("/readyz").json()["tasks_ready"] == 0

    # enqueued an hour ago to run five minutes ago: it has waited five minutes, not an hour
    now = timezone.now()
    DBTaskResult.objects.filter(pk=later.id).update(
        enqueued_at=now - datetime.timedelta(hours=1), run_after=now - datetime.timedelta(minutes=5)
    )
    body = client.get("/readyz").json()
    assert body["tasks_ready"] == 1
    assert 300 <= body["tasks_oldest_ready_seconds"] < 360


def test_readyz_ignores_finished_and_running_tasks(client):
    done = cases_daily_task.enqueue()
    DBTaskResult.objects.filter(pk=done.id).update(status="SUCCESSFUL")
    running = cases_daily_task.enqueue()
    DBTaskResult.objects.filter(pk=running.id).update(status="RUNNING")
    assert client.get("/readyz").json()["tasks_ready"] == 0


def test_readyz_is_503_naming_the_task_queue_when_its_table_does_not_answer(client):
    table = DBTaskResult._meta.db_table
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_gone")

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["tasks"]
    assert body["database"] == "ok"
    assert body["tasks"] == "down"


def test_readyz_is_503_naming_the_database_when_it_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "down",
        "tasks": "unknown",
        "failing": ["database"],
    }
