"""manage.py catalog_lists_import --kind KIND --region CODE FILE: import an official list."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zwfw.catalog.lists import linked_list_import
from zwfw.catalog.models import LinkedListKind
from zwfw.core.errors import DomainError
from zwfw.core.models import Region
from zwfw.identity.models import User


class Command(BaseCommand):
    """Check every row of a list file, then import it whole (or nothing) and link its entries."""

    help = (
        "Import an official list (权责清单, 行政许可事项清单 …) of one region from a CSV (UTF-8 or "
        "GB18030) or .xlsx file. Header: code,name,department[,implementation_code] (the Chinese "
        "headers 编码/事项名称/实施主体/实施编码 are accepted too). Every row is checked first; if any "
        "is bad, every bad row is reported with its line and nothing is imported. Entries are matched "
        "by code, so importing the same file twice changes nothing; entries missing from a new file "
        "are removed. Each entry is linked to the implementation its implementation_code names, or "
        "else to the implementations of the region whose item (or parent item) has the entry's exact "
        "name. See docs/linked-lists.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """FILE, --kind, --region, --name and --user."""
        parser.add_argument("file", help="the CSV or .xlsx file")
        parser.add_argument("--kind", required=True, choices=LinkedListKind.values, help="the kind of list")
        parser.add_argument("--region", required=True, help="the region's code, e.g. 532801 for 景洪市")
        parser.add_argument("--name", default="", help="the list's name (default: region name + kind)")
        parser.add_argument(
            "--user",
            default="",
            help="import as this catalog administrator (checked like a web import); default: system",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Read, check, import, report."""
        path = Path(options["file"])
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"No region with code {options['region']}.")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']}.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        try:
            result = linked_list_import(
                actor=actor,
                kind=options["kind"],
                region=region,
                rows=data,
                name=options["name"],
                system=actor is None,
            )
        except DomainError as exc:
            details = exc.details if isinstance(exc.details, list) else []
            for problem in details:
                if isinstance(problem, dict) and "line" in problem:
                    column = f" [{problem['field']}]" if problem.get("field") else ""
                    self.stderr.write(f"{path}:{problem['line']}{column}: {problem.get('message')}")
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
        if result.ambiguous:
            self.stdout.write(
                _("Entries matching implementations of several agencies (link them by hand): %(codes)s")
                % {"codes": ", ".join(result.ambiguous)}
            )
