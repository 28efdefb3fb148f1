"""Background tasks of the catalog (placeholder; filled by the exchange work)."""

from __future__ import annotations

from zwfw.catalog.models import Implementation, ImplementationVersion


def enqueue_national_push(
    *, implementation: Implementation, version: ImplementationVersion | None, kind: str
) -> None:
    """Enqueue, in the caller's transaction, the push of this publication to the national platform."""
