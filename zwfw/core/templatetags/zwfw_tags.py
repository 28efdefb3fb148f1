"""Template tags of the shared layout: the current region and the region switcher's choices."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template

from zwfw.core.models import Region, RegionLevel
from zwfw.core.selectors import region_list
from zwfw.core.views import region_current

register = template.Library()


@dataclass
class RegionGroup:
    """One prefecture with its counties (an ``<optgroup>`` of the switcher)."""

    prefecture: Region | None
    counties: list[Region] = field(default_factory=list)


@register.simple_tag(takes_context=True)
def current_region(context: template.Context) -> Region | None:
    """The region chosen in this session: ``{% current_region as region %}``."""
    request = context.get("request")
    return region_current(request) if request is not None else None


@register.simple_tag
def region_switcher_groups() -> list[RegionGroup]:
    """Prefectures, each with its counties, for the switcher: ``{% region_switcher_groups as groups %}``."""
    regions = list(
        region_list().filter(level__in=(RegionLevel.PREFECTURE, RegionLevel.COUNTY)).order_by("code")
    )
    groups: dict[int, RegionGroup] = {}
    loose = RegionGroup(prefecture=None)
    for region in regions:
        if region.level == RegionLevel.PREFECTURE:
            groups[region.pk] = RegionGroup(prefecture=region)
    for region in regions:
        if region.level == RegionLevel.COUNTY:
            group = groups.get(region.parent_id) if region.parent_id is not None else None
            (group or loose).counties.append(region)
    result = list(groups.values())
    if loose.counties:  # counties directly under a province (省直辖县)
        result.append(loose)
    return result
