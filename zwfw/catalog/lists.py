"""Linked official lists (权责清单 …): import and the missing-link report (placeholder)."""

from __future__ import annotations

from django.db.models import QuerySet

from zwfw.catalog.models import Implementation


def implementations_missing_links(queryset: QuerySet[Implementation]) -> QuerySet[Implementation]:
    """Implementations of power items (public services exempt) with no 权责清单 entry linked."""
    return queryset.none()
