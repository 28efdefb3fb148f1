"""Chinese search over implementations (placeholder; filled by the search work)."""

from __future__ import annotations

from zwfw.catalog.models import Implementation


def index_implementation(implementation: Implementation) -> None:
    """Refresh the search tokens of one implementation."""
