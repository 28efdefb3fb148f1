"""Reads of the shared kernel. Regions, agencies and venues are public information."""

from __future__ import annotations

from django.db.models import QuerySet

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
