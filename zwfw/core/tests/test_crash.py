"""Crash safety (bench/crash.py, small): SIGKILL the web server's whole process group twice while
citizens apply and a catalog administrator publishes, then SIGKILL the task worker while the
receiver holds one of its deliveries. Nothing acknowledged is lost or doubled, no case lacks its
materials or ledger event, the ledger verifies, and every push and notification arrives once."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.crash import CrashConfig, crash_run


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_sigkill_of_the_web_server_and_the_worker_loses_and_doubles_nothing(tmp_path):
    report = crash_run(
        CrashConfig(
            database_url=_database_url(),
            workdir=tmp_path,
            clients=3,
            kills=2,
            worker_kills=1,
            publications=2,
            push_implementations=1,
            seed=8,
        ),
        log=print,
    )
    figures = report.figures
    assert report.problems == []
    assert report.ok
    # The kills happened and hit clients (they retried with the same keys).
    assert figures["kills"] == 2 and figures["worker_kills"] == 1
    assert figures["client_retries"] > 0
    # Every acknowledged submission is exactly one complete case, and there is no other case.
    assert figures["acknowledged"] > 0
    assert figures["cases"] == figures["acknowledged"]
    assert figures["materials"] == 3 * figures["cases"]
    assert figures["lost"] == figures["duplicates"] == figures["incomplete_cases"] == 0
    assert figures["unacknowledged_cases"] == figures["ledger_problems"] == 0
    # Both publications (and the first one of the implementation) were pushed.
    assert figures["publications"] == 2 and figures["publications_without_push"] == 0
    assert figures["pushes_enqueued"] == 2 + 2  # the first publications of both items, then the changes
    # One "submitted" notification per case; the worker killed mid-delivery left its task
    # RUNNING, recovery put it back, and its rerun repeated the delivery under the same key.
    assert figures["notifications_expected"] == figures["cases"]
    assert figures["tasks_recovered"] == 1
    assert figures["duplicate_attempts"] >= 1
    assert figures["deliveries_missing"] == figures["delivered_twice"] == figures["tasks_unfinished"] == 0
    assert figures["deliveries"] == figures["notifications_expected"] + figures["pushes_enqueued"]
