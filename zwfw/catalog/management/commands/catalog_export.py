"""``manage.py catalog_export --user NAME [--region CODE | --agency ID] -o FILE``."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zwfw.catalog.excel import catalog_export
from zwfw.catalog.excel.console import ConsoleProgress
from zwfw.core.errors import DomainError
from zwfw.core.models import Agency, Region
from zwfw.identity.models import User


class Command(BaseCommand):
    """Write the published catalog (or the drafts) of a region or an agency in the import layout."""

    help = "Export the catalog of a region (and below) or one agency as .xlsx in the 实施清单 layout."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--user", required=True, help="username of the catalog administrator")
        parser.add_argument("--region", help="region code (the region and every region below it)")
        parser.add_argument("--agency", type=int, help="agency id")
        parser.add_argument(
            "--drafts", action="store_true", help="export drafts instead of published versions"
        )
        parser.add_argument("-o", "--output", required=True, help="path of the .xlsx to write")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user named {options['user']!r}")
        region = agency = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"no region with code {options['region']!r}")
        if options["agency"]:
            agency = Agency.objects.select_related("region").filter(pk=options["agency"]).first()
            if agency is None:
                raise CommandError(f"no agency with id {options['agency']}")
        progress = ConsoleProgress(getattr(self.stderr, "_out", None), enabled=not options["no_progress"])
        try:
            data = catalog_export(
                actor=user, region=region, agency=agency, include_drafts=options["drafts"], progress=progress
            )
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        finally:
            progress.close()
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"wrote {options['output']} ({len(data):,} bytes)")
