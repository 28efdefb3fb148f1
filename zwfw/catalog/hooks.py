"""What follows a publication, in the same transaction: the search index and the national push.

Kept apart so that search (``search.py``) and exchange (``tasks.py``) plug in without the
services importing their internals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zwfw.catalog.models import Implementation, ImplementationVersion


def implementation_published(
    *, implementation: Implementation, version: ImplementationVersion | None, kind: str
) -> None:
    """Refresh the search tokens and enqueue the national-platform push (same transaction)."""
    from zwfw.catalog import search, tasks

    search.index_implementation(implementation)
    tasks.enqueue_national_push(implementation=implementation, version=version, kind=kind)
