"""Reads of the shared kernel. Regions, agencies and venues are public information."""

from __future__ import annotations

from django.db.models import Case, Count, F, Min, QuerySet, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from zwfw.core.models import Agency, Region, Venue


def region_list(*, parent: Region | None = None, level: str | None = None) -> QuerySet[Region]:
    """Regions are public: the region switcher and guides list them for everyone."""
    qs = Region.objects.all()
    if parent is not None:
        qs = qs.filter(parent=parent)
    if level:
        qs = qs.filter(level=level)
    return qs


def region_descendants(*, region: Region) -> QuerySet[Region]:
    """The region and every region below it (one indexed prefix match)."""
    return Region.objects.filter(prefix__startswith=region.prefix)


def agency_list(*, region: Region | None = None, include_below: bool = False) -> QuerySet[Agency]:
    """Agencies are public; filter by region (optionally with the regions below)."""
    qs = Agency.objects.select_related("region")
    if region is not None:
        qs = (
            qs.filter(region__prefix__startswith=region.prefix) if include_below else qs.filter(region=region)
        )
    return qs


def venue_list(*, region: Region | None = None, include_below: bool = True) -> QuerySet[Venue]:
    """Venues are public: the nearest hall down to the village (task 7)."""
    qs = Venue.objects.select_related("region")
    if region is not None:
        qs = (
            qs.filter(region__prefix__startswith=region.prefix) if include_below else qs.filter(region=region)
        )
    return qs


def tasks_backlog() -> tuple[int, float | None]:
    """Ready tasks waiting for a worker, and how long the oldest has waited (seconds)."""
    ready = DBTaskResult.objects.ready()
    # A delayed task (a retry with run_after) has waited only since it became due.
    became_ready = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest("enqueued_at", "run_after"),
    )
    found = ready.aggregate(count=Count("id"), oldest=Min(became_ready))
    oldest = found["oldest"]
    age = max(0.0, (timezone.now() - oldest).total_seconds()) if oldest is not None else None
    return found["count"], age
