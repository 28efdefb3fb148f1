"""``manage.py staged_flush``: write every staged upload file to storage now.

Online intake queues a flush for each submission; this command is the safety net for a queue
that was down (run it from cron, see docs/operations.md) and says how many files waited.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zwfw.core.staging import staged_flush_all


class Command(BaseCommand):
    help = "Write staged upload files to storage (durably) and delete their database rows."

    def handle(self, *args: Any, **options: Any) -> None:
        total, refused = staged_flush_all()
        self.stdout.write(f"flushed {total} staged files; {len(refused)} left (names taken by other content)")
        for name in refused:
            self.stderr.write(f"not flushed, its name is taken by other content: {name}")
        if refused:
            raise SystemExit(1)
