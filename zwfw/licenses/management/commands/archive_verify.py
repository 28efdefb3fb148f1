"""``manage.py archive_verify``: check archive packages (files, or the stored ones by case)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zwfw.licenses import selectors, signing
from zwfw.licenses.archive import archive_verify_bytes
from zwfw.licenses.models import ArchivePackage


class Command(BaseCommand):
    """Verify electronic archive packages: manifest signature, every file's hash, nothing extra."""

    help = "Verify archive packages (ZIP files, --case NUMBER, or --all stored packages)."

    def add_arguments(self, parser: CommandParser) -> None:
        """Package files, or --case / --all, and --keys for an offline check."""
        parser.add_argument("paths", nargs="*", help="package files (.zip)")
        parser.add_argument("--case", action="append", default=[], help="a case number (repeatable)")
        parser.add_argument("--all", action="store_true", help="every stored package")
        parser.add_argument("--keys", help="published key set (JSON of /api/v1/licenses/keys): no database")

    def handle(self, *args: Any, **options: Any) -> None:
        """Check each package; exit with an error when one is not intact."""
        if options["keys"]:
            keys = signing.KeyRing.from_published(json.loads(Path(options["keys"]).read_text()))
        else:
            keys = selectors.keyring(reload=True)
        packages: list[tuple[str, bytes]] = [(p, Path(p).read_bytes()) for p in options["paths"]]
        stored = ArchivePackage.objects.select_related("case")
        if options["case"] or options["all"]:
            if options["case"]:
                stored = stored.filter(case__number__in=options["case"])
            for archive in stored:
                with archive.file.open("rb") as handle:
                    packages.append((archive.case.number, handle.read()))
        if not packages:
            raise CommandError("Give package files, --case NUMBER or --all.")
        broken = 0
        for label, data in packages:
            check = archive_verify_bytes(data, keys=keys)
            if check.intact:
                self.stdout.write(f"OK {label} (case {check.case})")
            else:
                broken += 1
                self.stdout.write(f"BROKEN {label}")
                for problem in check.problems:
                    self.stdout.write(f"  - {problem}")
        if broken:
            raise CommandError(f"{broken} of {len(packages)} package(s) failed verification.")
