"""manage.py demo_accounts: print the demo accounts and their roles."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the demo accounts, their passwords and roles."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("demo accounts: none yet")
