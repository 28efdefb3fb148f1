"""manage.py calendar_load FILE [--replace-year]: load a State Council holiday notice from CSV."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zwfw.core.calendar import holiday_csv_load
from zwfw.core.errors import ValidationFailed


class Command(BaseCommand):
    """Check every line of a notice file, then upsert its days by date (or load nothing)."""

    help = (
        "Load the State Council's yearly holiday notice from a CSV file (UTF-8 or GB18030). "
        "Header: date,kind,name[,source]. One day per line: date as YYYY-MM-DD; kind 'holiday' "
        "(a day off) or 'workday' (a 调休 make-up working day); name, e.g. 春节; source, the notice "
        "(defaults to the file name). Example line: 2025-01-26,workday,春节调休上班. "
        "Every line is checked first; if any line is bad (bad date, unknown kind, duplicate date, "
        "wrong number of fields) every bad line is reported with its number and nothing is loaded. "
        "Days are matched by date, so loading the same file twice changes nothing. "
        "List every day of the notice: a year with any row is computed from the rows and weekends "
        "only. See docs/calendar.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """FILE and --replace-year."""
        parser.add_argument("file", help="the CSV file, e.g. data/holidays/2026.csv")
        parser.add_argument(
            "--replace-year",
            action="store_true",
            help="also delete the rows of the years in the file that the file does not list "
            "(use when a corrected notice replaces an earlier one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Read, check, load, report."""
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        try:
            result = holiday_csv_load(
                data=data, default_source=path.name, replace_years=options["replace_year"]
            )
        except ValidationFailed as exc:
            details = exc.details if isinstance(exc.details, list) else []
            for problem in details:
                self.stderr.write(f"{path}:{problem.get('line')}: {problem.get('message')}")
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
