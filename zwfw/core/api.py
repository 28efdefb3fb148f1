"""API of the shared kernel: regions, agencies, venues (public) and the calendar."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from zwfw.core.calendar_api import router as calendar_router
from zwfw.core.errors import NotFound
from zwfw.core.models import Region
from zwfw.core.selectors import agency_list, region_list, venue_list

router = Router()
router.add_router("/calendar", calendar_router)


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None


class AgencyOut(Schema):
    id: int
    name: str
    kind: str
    region_code: str


class VenueOut(Schema):
    id: int
    name: str
    kind: str
    region_code: str
    address: str
    opening_hours: str
    phone: str


def _region(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound("region.not_found", _("No region has code %(code)s.") % {"code": code})
    return region


@router.get("/regions", response=list[RegionOut], tags=["regions"])
def regions(request: HttpRequest, parent: str | None = None, level: str | None = None) -> list[RegionOut]:
    """List regions (public), optionally the children of one region or one level."""
    qs = region_list(parent=_region(parent), level=level).select_related("parent")
    return [
        RegionOut(code=r.code, name=r.name, level=r.level, parent_code=r.parent.code if r.parent else None)
        for r in qs[:2000]
    ]


@router.get("/agencies", response=list[AgencyOut], tags=["regions"])
def agencies(request: HttpRequest, region: str | None = None, below: bool = False) -> list[AgencyOut]:
    """List agencies (public), optionally of one region and the regions below it."""
    return [
        AgencyOut(id=a.pk, name=a.name, kind=a.kind, region_code=a.region.code)
        for a in agency_list(region=_region(region), include_below=below)[:2000]
    ]


@router.get("/venues", response=list[VenueOut], tags=["regions"])
def venues(request: HttpRequest, region: str | None = None) -> list[VenueOut]:
    """List venues (public) in a region and below: the nearest hall down to the village."""
    return [
        VenueOut(
            id=v.pk,
            name=v.name,
            kind=v.kind,
            region_code=v.region.code,
            address=v.address,
            opening_hours=v.opening_hours,
            phone=v.phone,
        )
        for v in venue_list(region=_region(region))[:2000]
    ]
