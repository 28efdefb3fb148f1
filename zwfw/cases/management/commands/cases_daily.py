"""manage.py cases_daily [--date YYYY-MM-DD] [--enqueue] [--json]: the daily due-date run."""

from __future__ import annotations

import datetime
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zwfw.cases.tasks import cases_daily, cases_daily_task


class Command(BaseCommand):
    """Notify handlers and supervisors of due-soon and overdue cases, and remind applicants of
    promised 容缺 materials; once per case, kind and day (safe to run again)."""

    help = (
        "Notify the handling agency's reviewers and approvers and the region's supervisors of cases "
        "due soon (ZWFW_DUE_SOON_DAYS working days) or overdue, and remind applicants whose promised "
        "missing materials (容缺) are due within one working day or late. Each case is notified once "
        "per kind and day (recorded on the ledger), so running it again the same day sends nothing "
        "new. Run it daily from cron or a systemd timer; see docs/notices.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """--date, --enqueue and --json."""
        parser.add_argument("--date", default="", help="run as of this day (YYYY-MM-DD); default today")
        parser.add_argument(
            "--enqueue", action="store_true", help="enqueue the run for the task worker instead of running it"
        )
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run (or enqueue) the daily job and print its summary."""
        day: datetime.date | None = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}") from exc
        if options["enqueue"]:
            result = cases_daily_task.enqueue(day=day.isoformat() if day else None)
            self.stdout.write(f"cases_daily.enqueued = {result.id}")
            return
        summary = cases_daily(day)
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, sort_keys=True))
            return
        self.stdout.write(f"cases_daily.day = {summary['day']}")
        for kind in ("due_soon", "overdue", "deficiency_reminder"):
            row = summary[kind]
            self.stdout.write(
                f"cases_daily.{kind}: found {row['found']}, notified {row['notified']}, "
                f"skipped {row['skipped']}"
            )
