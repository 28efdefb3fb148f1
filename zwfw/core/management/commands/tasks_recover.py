"""manage.py tasks_recover: put tasks left RUNNING by a dead worker back in the queue."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zwfw.core.tasks_recovery import DEFAULT_MAX_CLAIMS, tasks_recover


class Command(BaseCommand):
    help = (
        "Requeue tasks left RUNNING by a worker that died: those last claimed by the named worker "
        "ids (run it before starting a worker with the same --worker-id) and/or claimed longer "
        "than --lease seconds ago. A task whose worker died --max-claims times is marked failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--worker",
            action="append",
            default=[],
            metavar="ID",
            help="a worker id known to be dead (repeatable)",
        )
        parser.add_argument(
            "--lease",
            type=float,
            default=None,
            metavar="SECONDS",
            help="requeue tasks running longer than this",
        )
        parser.add_argument("--max-claims", type=int, default=DEFAULT_MAX_CLAIMS, metavar="N")

    def handle(self, *args: Any, **options: Any) -> None:
        lease = options["lease"]
        if not options["worker"] and lease is None:
            raise CommandError("give --worker ID (repeatable) and/or --lease SECONDS")
        if lease is not None and lease < 0:
            raise CommandError("--lease must be zero or more seconds")
        if options["max_claims"] < 1:
            raise CommandError("--max-claims must be at least 1")
        done = tasks_recover(
            worker_ids=options["worker"],
            lease=datetime.timedelta(seconds=lease) if lease is not None else None,
            max_claims=options["max_claims"],
        )
        self.stdout.write(f"tasks_recover.requeued = {len(done.requeued)}")
        self.stdout.write(f"tasks_recover.failed = {len(done.failed)}")
