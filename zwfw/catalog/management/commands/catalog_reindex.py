"""``manage.py catalog_reindex``: rebuild the search tokens and the full-text index of the catalog."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zwfw.catalog import search
from zwfw.catalog.models import Implementation


class Command(BaseCommand):
    """Recompute every implementation's search tokens (idempotent; resume with --from-id)."""

    help = (
        "Recompute the search tokens of implementations (jieba words, pinyin, initials) and refresh the "
        "full-text index. Run after upgrading, after changing the tokenizer, or if search misses items."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Options: only published implementations, batch size, resume point."""
        parser.add_argument(
            "--published-only", action="store_true", help="only implementations citizens can find"
        )
        parser.add_argument("--batch-size", type=int, default=1000, help="rows per batch (default 1000)")
        parser.add_argument("--from-id", type=int, default=0, help="resume from this implementation id")
        parser.add_argument(
            "--offline",
            action="store_true",
            help="PostgreSQL: drop the full-text indexes meanwhile and build them once at the end "
            "(much faster for a whole province; searches are slow until it finishes)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Index in batches (ordered by id) with a progress bar on stderr."""
        qs = Implementation.objects.filter(pk__gte=options["from_id"])
        if options["published_only"]:
            qs = qs.filter(status="published")
        total = qs.count()
        if total == 0:
            self.stdout.write("Nothing to index.")
            return
        started = time.perf_counter()

        def progress(done: int, of: int) -> None:
            width = 30
            filled = width * done // of
            rate = done / max(time.perf_counter() - started, 1e-9)
            self.stderr.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{of} ({rate:,.0f}/s)",
                ending="\n" if done >= of else "",
            )
            self.stderr.flush()

        if options["from_id"] == 0 and not options["published_only"]:
            search.fts_rebuild()  # SQLite: drop rows of implementations that no longer exist
        suspended = search.gin_indexes_suspended() if options["offline"] else contextlib.nullcontext()
        with suspended:
            count = search.index_implementations(
                qs, batch_size=max(1, options["batch_size"]), progress=progress
            )
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} implementations in {time.perf_counter() - started:.1f} s.")
        )
