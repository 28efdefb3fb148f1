"""Regions, agencies, venues and windows: codes and names follow the rules, errors are clear."""

from __future__ import annotations

import pytest

from zwfw.core import services
from zwfw.core.errors import ValidationFailed
from zwfw.core.models import AuditEvent, Region, Venue, VenueKind, WindowKind
from zwfw.core.selectors import region_descendants, venue_list

pytestmark = pytest.mark.django_db


def test_region_tree_and_descendants(world):
    below = set(region_descendants(region=world.jinghong).values_list("code", flat=True))
    assert below == {"532801", "532801101000", "532801101001"}
    assert world.village.is_within(world.prefecture) and not world.menghai.is_within(world.jinghong)
    assert world.township.prefix == "532801101"


@pytest.mark.parametrize(
    ("code", "level", "parent_attr", "error"),
    [
        ("53280", "county", "prefecture", "region.code_invalid"),
        ("532801", "township", "jinghong", "region.code_invalid"),
        ("532800", "county", "prefecture", "region.code_level_mismatch"),
        ("532822", "county", "jinghong", "region.parent_level"),
        ("532901", "county", "prefecture", "region.code_outside_parent"),
        ("532801", "county", "prefecture", "region.code_taken"),
        ("532801102000", "township", None, "region.parent_required"),
    ],
)
def test_bad_region_codes_are_refused(world, code, level, parent_attr, error):
    parent = getattr(world, parent_attr) if parent_attr else None
    before = Region.objects.count()
    with pytest.raises(ValidationFailed) as err:
        services.region_create(code=code, name="x", level=level, parent=parent)
    assert err.value.code == error
    assert Region.objects.count() == before


@pytest.mark.parametrize(
    ("region_attr", "good", "bad", "kind"),
    [
        ("prefecture", "西双版纳州政务服务中心", "西双版纳州为民服务中心", VenueKind.CENTER),
        ("township", "嘎洒镇为民服务中心", "嘎洒镇政务服务中心", VenueKind.TOWNSHIP_CENTER),
        ("village", "曼景保为民服务站", "曼景保为民服务中心", VenueKind.VILLAGE_STATION),
    ],
)
def test_venue_name_must_end_as_its_level_requires(world, region_attr, good, bad, kind):
    region = getattr(world, region_attr)
    with pytest.raises(ValidationFailed) as err:
        services.venue_create(name=bad, region=region)
    assert err.value.code == "venue.name_suffix"
    assert err.value.details[0]["expected_suffix"] in good
    assert not Venue.objects.filter(name=bad).exists()
    venue = services.venue_create(name=good, region=region)
    assert venue.kind == kind
    assert AuditEvent.objects.filter(chain=f"venue:{venue.pk}", action="created").exists()


def test_general_window_serves_every_agency_of_the_venue(world):
    window = services.window_create(
        venue=world.jh_center, number="01", name="综合受理", kind=WindowKind.GENERAL
    )
    assert set(window.agencies.all()) == {world.jh_market, world.jh_police}
    with pytest.raises(ValidationFailed):
        services.window_create(venue=world.jh_center, number="01", name="重复", kind=WindowKind.GENERAL)


def test_agency_credit_code_is_checked(world):
    with pytest.raises(ValidationFailed) as err:
        services.agency_create(name="景洪市民政局", region=world.jinghong, uscc="11532801MB1234567X")
    assert err.value.code == "identity.uscc_invalid"


def test_venues_are_listed_down_to_the_village(world):
    services.venue_create(name="曼景保为民服务站", region=world.village)
    names = set(venue_list(region=world.jinghong).values_list("name", flat=True))
    assert names == {"景洪市政务服务中心", "曼景保为民服务站"}
