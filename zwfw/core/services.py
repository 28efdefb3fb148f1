"""Writes of the shared kernel: regions, agencies, venues, windows. Each writes the ledger."""

from __future__ import annotations

import re

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from zwfw.core.errors import ValidationFailed
from zwfw.core.identifiers import parse_uscc
from zwfw.core.ledger import audit_record
from zwfw.core.models import (
    LEVEL_ORDER,
    LEVEL_PREFIX_LENGTH,
    VENUE_NAME_SUFFIX,
    Agency,
    AgencyKind,
    Region,
    RegionLevel,
    Venue,
    VenueKind,
    Window,
    WindowKind,
)

# The venue kind each region level has (task 7: county and above have a 政务服务中心).
VENUE_KIND_BY_LEVEL = {
    RegionLevel.PROVINCE: VenueKind.CENTER,
    RegionLevel.PREFECTURE: VenueKind.CENTER,
    RegionLevel.COUNTY: VenueKind.CENTER,
    RegionLevel.TOWNSHIP: VenueKind.TOWNSHIP_CENTER,
    RegionLevel.VILLAGE: VenueKind.VILLAGE_STATION,
}


def region_prefix(code: str, level: str) -> str:
    """The leading digits that this region shares with everything below it."""
    return code.ljust(12, "0")[: LEVEL_PREFIX_LENGTH[RegionLevel(level)]]


def region_check_code(*, code: str, level: str, parent: Region | None) -> None:
    """Check that a GB/T 2260 code has the shape its level requires and lies under its parent."""
    level = RegionLevel(level)
    length = 12 if level in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE) else 6
    if not re.fullmatch(rf"\d{{{length}}}", code):
        raise ValidationFailed(
            "region.code_invalid",
            _("A %(level)s code has %(n)d digits.") % {"level": level.label, "n": length},
            details=[{"field": "code"}],
        )
    digits = code.ljust(12, "0")
    own = LEVEL_PREFIX_LENGTH[level]
    start = LEVEL_PREFIX_LENGTH[LEVEL_ORDER[index - 1]] if (index := LEVEL_ORDER.index(level)) else 0
    if digits[own:].strip("0") or not digits[start:own].strip("0"):
        raise ValidationFailed(
            "region.code_level_mismatch",
            _("Code %(code)s does not denote a %(level)s.") % {"code": code, "level": level.label},
            details=[{"field": "code"}],
        )
    if parent is None and index != 0:
        raise ValidationFailed(
            "region.parent_required",
            _("Only a province has no parent region."),
            details=[{"field": "parent"}],
        )
    if parent is not None:
        if LEVEL_ORDER.index(RegionLevel(parent.level)) >= index:
            raise ValidationFailed(
                "region.parent_level",
                _("The parent region must be of a higher level."),
                details=[{"field": "parent"}],
            )
        if not digits.startswith(parent.prefix):
            raise ValidationFailed(
                "region.code_outside_parent",
                _("Code %(code)s does not lie within %(parent)s.") % {"code": code, "parent": parent.name},
                details=[{"field": "code"}],
            )


@transaction.atomic
def region_create(
    *, code: str, name: str, level: str, parent: Region | None, actor: AbstractBaseUser | None = None
) -> Region:
    """Add a region with a checked GB/T 2260 code."""
    region_check_code(code=code, level=level, parent=parent)
    if Region.objects.filter(code=code).exists():
        raise ValidationFailed(
            "region.code_taken",
            _("Region code %(code)s already exists.") % {"code": code},
            details=[{"field": "code"}],
        )
    region = Region.objects.create(
        code=code, name=name, level=level, parent=parent, prefix=region_prefix(code, level)
    )
    audit_record(
        actor=actor,
        object_type="region",
        object_id=region.code,
        action="created",
        payload={"name": name, "level": level},
    )
    return region


@transaction.atomic
def agency_create(
    *,
    name: str,
    region: Region,
    kind: str = AgencyKind.DEPARTMENT,
    uscc: str | None = None,
    phone: str = "",
    actor: AbstractBaseUser | None = None,
) -> Agency:
    """Add an agency to a region; its credit code, if given, must pass the GB 32100 check."""
    code = parse_uscc(uscc) if uscc else None
    if Agency.objects.filter(region=region, name=name).exists():
        raise ValidationFailed(
            "agency.name_taken",
            _("%(region)s already has an agency named %(name)s.") % {"region": region.name, "name": name},
            details=[{"field": "name"}],
        )
    if code and Agency.objects.filter(uscc=code).exists():
        raise ValidationFailed(
            "agency.uscc_taken",
            _("Another agency already has this credit code."),
            details=[{"field": "uscc"}],
        )
    agency = Agency.objects.create(name=name, region=region, kind=kind, uscc=code, phone=phone)
    audit_record(
        actor=actor,
        object_type="agency",
        object_id=agency.pk,
        action="created",
        payload={"name": name, "region": region.code, "kind": kind},
    )
    return agency


def venue_check_name(*, name: str, region: Region) -> VenueKind:
    """Return the venue kind for the region's level; refuse a name without the required ending."""
    kind = VENUE_KIND_BY_LEVEL[RegionLevel(region.level)]
    suffix = VENUE_NAME_SUFFIX[kind]
    if not name.endswith(suffix):
        raise ValidationFailed(
            "venue.name_suffix",
            _("A venue at %(level)s level must be named “…%(suffix)s” (for example “%(example)s”).")
            % {"level": RegionLevel(region.level).label, "suffix": suffix, "example": region.name + suffix},
            details=[{"field": "name", "expected_suffix": suffix}],
        )
    return kind


@transaction.atomic
def venue_create(
    *,
    name: str,
    region: Region,
    address: str = "",
    opening_hours: str = "",
    phone: str = "",
    agencies: list[Agency] | None = None,
    actor: AbstractBaseUser | None = None,
) -> Venue:
    """Open a venue; its name must end as its level requires (task 7)."""
    kind = venue_check_name(name=name, region=region)
    if Venue.objects.filter(name=name).exists():
        raise ValidationFailed(
            "venue.name_taken",
            _("A venue named %(name)s already exists.") % {"name": name},
            details=[{"field": "name"}],
        )
    venue = Venue.objects.create(
        name=name, region=region, kind=kind, address=address, opening_hours=opening_hours, phone=phone
    )
    if agencies:
        venue.agencies.set(agencies)
    audit_record(
        actor=actor,
        object_type="venue",
        object_id=venue.pk,
        action="created",
        payload={
            "name": name,
            "region": region.code,
            "kind": kind,
            "agencies": [a.pk for a in agencies or []],
        },
    )
    return venue


@transaction.atomic
def window_create(
    *,
    venue: Venue,
    number: str,
    name: str,
    kind: str,
    agencies: list[Agency] | None = None,
    actor: AbstractBaseUser | None = None,
) -> Window:
    """Open a counter in a venue; a general window serves every agency stationed at the venue."""
    kind = WindowKind(kind)
    if Window.objects.filter(venue=venue, number=number).exists():
        raise ValidationFailed(
            "window.number_taken",
            _("This venue already has window %(n)s.") % {"n": number},
            details=[{"field": "number"}],
        )
    window = Window.objects.create(venue=venue, number=number, name=name, kind=kind)
    served = list(venue.agencies.all()) if kind == WindowKind.GENERAL and not agencies else (agencies or [])
    window.agencies.set(served)
    audit_record(
        actor=actor,
        object_type="window",
        object_id=window.pk,
        action="created",
        payload={"venue": venue.pk, "number": number, "kind": kind, "agencies": [a.pk for a in served]},
    )
    return window
