"""``manage.py catalog_import FILE --user NAME``: import implementations from an .xlsx."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zwfw.catalog.excel import catalog_import
from zwfw.catalog.excel.console import ConsoleProgress
from zwfw.core.errors import DomainError
from zwfw.identity.models import User


class Command(BaseCommand):
    """Check a workbook in the 实施清单 layout and import it whole, or list every problem."""

    help = "Import implementations (drafts) from an .xlsx in the 实施清单 layout (docs/catalog-excel.md)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="path of the .xlsx workbook")
        parser.add_argument("--user", required=True, help="username of the catalog administrator importing")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument(
            "--path", choices=["services", "bulk"], help="force the write path (default: by size)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user named {options['user']!r}")
        progress = ConsoleProgress(getattr(self.stderr, "_out", None), enabled=not options["no_progress"])
        try:
            report = catalog_import(
                actor=user,
                file=options["file"],
                filename=options["file"],
                progress=progress,
                dry_run=options["dry_run"],
                path=options["path"],
            )
        except DomainError as exc:
            progress.close()
            details = exc.details if isinstance(exc.details, list) else []
            for d in details:
                where = " ".join(
                    str(p) for p in (d.get("sheet"), d.get("row"), d.get("column"), d.get("header")) if p
                )
                self.stderr.write(f"{where}: {d.get('message')} [{d.get('code')}]")
            raise CommandError(f"{exc.code}: {exc.message} ({len(details)} problems)") from exc
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        progress.close()
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{report.rows} rows: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged ({verb} written); {report.items_created} catalog items created; "
            f"{report.drafts_failing_checks} drafts still fail publication checks. "
            f"import {report.import_id} ({report.path})"
        )
