"""Public catalog search API: ``GET /api/v1/catalog/search`` (anonymous users too)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from zwfw.catalog import search

router = Router(tags=["catalog"])


class SearchIn(Schema):
    """Query parameters; bad filter values answer 422 ``catalog.search.invalid_filter``."""

    q: str = Field(
        "", description="Chinese words, full pinyin or pinyin initials (身份证, shenfenzheng, sfz)"
    )
    region: str | None = Field(None, description="Region code: its items, those above it and below it")
    agency: int | None = Field(None, description="Agency id")
    item_type: str | None = Field(None, description="licensing, confirmation, … public_service")
    theme: str | None = Field(None, description="A theme (life or business event), e.g. 户籍办理")
    online_depth: int | None = Field(None, description="Online depth 1–4")
    cross_region_scope: str | None = Field(None, description="none, prefecture, province, national")
    limit: int = Field(20, description="1–100")
    offset: int = Field(0, description="0 and up, within the first 500 results")


class SearchHitOut(Schema):
    """One result."""

    id: int
    name: str
    code: str
    item_type: str
    agency: str
    region: str
    region_code: str
    online_depth: int
    guide_url: str

    @staticmethod
    def of(hit: search.SearchHit) -> SearchHitOut:
        """The result row of one hit."""
        return SearchHitOut(
            id=hit.id,
            name=hit.name,
            code=hit.code,
            item_type=hit.item_type,
            agency=hit.agency,
            region=hit.region,
            region_code=hit.region_code,
            online_depth=hit.online_depth,
            guide_url=hit.guide_url,
        )


class SearchOut(Schema):
    """Matches, best first; ``count`` stops at 500 (then ``count_capped`` is true)."""

    count: int
    count_capped: bool
    results: list[SearchHitOut]


@router.get("/search", response=SearchOut, auth=None)
def catalog_search(request: HttpRequest, params: Query[SearchIn]) -> SearchOut:
    """Find published service items by Chinese words, full pinyin or initials, with filters."""
    filters = search.filters_parse(region_code=params.region, agency_id=params.agency)
    found = search.implementation_search(
        q=params.q,
        region=filters.region,
        agency_id=filters.agency.pk if filters.agency else None,
        item_type=params.item_type or None,
        theme=params.theme or None,
        online_depth=params.online_depth,
        cross_region_scope=params.cross_region_scope or None,
        limit=params.limit,
        offset=params.offset,
    )
    return SearchOut(
        count=found.count,
        count_capped=found.count_capped,
        results=[SearchHitOut.of(i) for i in found.results],
    )
