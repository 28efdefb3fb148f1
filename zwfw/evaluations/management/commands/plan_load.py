"""Load (or update) the plan's tasks from data/plan/tasks.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zwfw.evaluations.plan import DEFAULT_PLAN_FILE, plan_load


class Command(BaseCommand):
    """Idempotent: rows are matched by task number; progress reports are kept."""

    help = "Load the seed plan's tasks (data/plan/tasks.json) as PlanTasks."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--file`` another task file."""
        parser.add_argument("--file", default=str(DEFAULT_PLAN_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        """Load and report the counts."""
        created, updated = plan_load(path=Path(options["file"]))
        self.stdout.write(f"created={created} updated={updated}")
