"""manage.py ledger_verify: recompute every hash and link of the audit ledger."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zwfw.core.ledger import ledger_verify
from zwfw.core.models import AuditCheckpoint, AuditEvent


class Command(BaseCommand):
    help = "Verify the audit ledger; exit 1 and name the first broken row if it was tampered with."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="list every problem, not only the first")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = []
        for problem in ledger_verify():
            problems.append(problem)
            if not options["all"]:
                break
        if problems:
            for problem in problems:
                self.stderr.write(f"BROKEN: {problem}")
            raise CommandError(f"ledger verification failed at {problems[0]}")
        self.stdout.write(
            self.style.SUCCESS(
                f"ledger intact: {AuditEvent.objects.count()} events, "
                f"{AuditCheckpoint.objects.count()} checkpoints verified"
            )
        )
