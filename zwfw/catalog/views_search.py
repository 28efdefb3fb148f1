"""The public search page (/guides/): a query box, filters, results linking to the guides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from zwfw.catalog import search
from zwfw.catalog.models import ItemType
from zwfw.core.errors import ValidationFailed
from zwfw.core.models import Region
from zwfw.core.views import region_current

PAGE_SIZE = 20

ONLINE_DEPTHS = [
    (1, _("Level I: guide published online")),
    (2, _("Level II: forms and booking online")),
    (3, _("Level III: online pre-check and acceptance")),
    (4, _("Level IV: fully online")),
]
CROSS_REGION_SCOPES = [
    ("prefecture", _("Anywhere in the prefecture")),
    ("province", _("Anywhere in the province")),
    ("national", _("Across provinces")),
]


@dataclass
class Hit:
    """One result row as the page shows it."""

    hit: search.SearchHit
    item_type_label: str
    online_depth_label: str


def _int(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def search_page(request: HttpRequest) -> HttpResponse:
    """Search published service items; without ``region`` the visitor's chosen region applies."""
    get = request.GET
    q = get.get("q", "").strip()[: search.MAX_QUERY_LENGTH]
    region_code = get["region"] if "region" in get else getattr(region_current(request), "code", "")
    raw_agency = get.get("agency", "")
    params: dict[str, Any] = {
        "item_type": get.get("item_type") or None,
        "theme": get.get("theme") or None,
        "online_depth": _int(get.get("online_depth")),
        "cross_region_scope": get.get("cross_region_scope") or None,
    }
    page = max(_int(get.get("page")) or 1, 1)
    page = min(page, search.COUNT_CAP // PAGE_SIZE)
    error = ""
    found = search.SearchResult(count=0)
    region: Region | None = None
    try:
        agency_id = _int(raw_agency)
        if raw_agency and agency_id is None:
            raise ValidationFailed("catalog.search.invalid_filter", _("No such agency."))
        filters = search.filters_parse(region_code=region_code, agency_id=agency_id)
        region = filters.region
        found = search.implementation_search(
            q=q,
            region=region,
            agency_id=agency_id,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
            **params,
        )
    except ValidationFailed as exc:
        error = str(exc.message)
    depth_labels = dict(ONLINE_DEPTHS)
    type_labels = dict(ItemType.choices)
    hits = [
        Hit(
            hit=hit,
            item_type_label=str(type_labels.get(hit.item_type, hit.item_type)),
            online_depth_label=str(depth_labels.get(hit.online_depth, hit.online_depth)),
        )
        for hit in found.results
    ]
    num_pages = max(1, min(-(-found.count // PAGE_SIZE), search.COUNT_CAP // PAGE_SIZE))
    filtered = any(params.values()) or bool(raw_agency)
    context = {
        "q": q,
        "region_code": region_code,
        "region": region,
        "agency_id": raw_agency,
        "selected": params,
        "agencies": search.agency_choices(region),
        "item_types": ItemType.choices,
        "themes": search.theme_choices(),
        "online_depths": ONLINE_DEPTHS,
        "cross_region_scopes": CROSS_REGION_SCOPES,
        "error": error,
        "hits": hits,
        "count": found.count,
        "count_capped": found.count_capped,
        "page": page,
        "first_number": (page - 1) * PAGE_SIZE + 1,
        "num_pages": num_pages,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < num_pages else None,
        "searched": bool(q) or filtered or bool(region_code),
        "filters_open": filtered,
    }
    return render(request, "catalog/search.html", context)
