"""``manage.py staged_flush``: write every staged upload file to storage now.

Online intake queues a flush for each submission; this command is the safety net for a queue
that was down (run it from cron, see docs/operations.md) and says how many files waited.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zwfw.core.staging import staged_backlog, staged_flush


class Command(BaseCommand):
    help = "Write staged upload files to storage (durably) and delete their database rows."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while flushed := staged_flush(limit=200):
            total += flushed
        left = staged_backlog()
        self.stdout.write(f"flushed {total} staged files; {left} left (names taken by other content)")
        if left:
            raise SystemExit(1)
