"""manage.py ledger_checkpoint: record the chain heads that moved since the last checkpoint."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zwfw.core.ledger import ledger_checkpoint


class Command(BaseCommand):
    help = "Write a ledger checkpoint (run every few minutes from cron or a systemd timer)."

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = ledger_checkpoint()
        if checkpoint is None:
            self.stdout.write("no chain moved since the last checkpoint")
        else:
            self.stdout.write(
                f"checkpoint #{checkpoint.pk}: {len(checkpoint.heads)} heads, hash {checkpoint.hash}"
            )
