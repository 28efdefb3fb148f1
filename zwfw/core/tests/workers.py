"""Running the task queue inside a test: django-tasks-db's own worker, in batch mode."""

from __future__ import annotations

import signal

from django.core.management import call_command


def run_worker(worker_id: str | None = None) -> None:
    """Run every ready task with django-tasks-db's worker in batch mode (then it returns), as
    ``worker_id`` when given; the worker's signal handlers are put back afterwards."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    options = {"worker_id": worker_id} if worker_id else {}
    try:
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0, **options
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
