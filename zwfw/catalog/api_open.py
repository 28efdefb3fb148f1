"""Open data API (anonymous): published implementations as CPSV-AP 3.2.0 JSON-LD.

``GET /api/v1/catalog/implementations/{id}/jsonld`` answers the current version,
``…/versions/{n}/jsonld`` one exact published version; both ``application/ld+json``.
Unknown, draft or cancelled implementations answer 404 in the API's error format.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from ninja import Router

from zwfw.catalog.cpsv import implementation_jsonld
from zwfw.catalog.guide import published_version
from zwfw.catalog.models import ImplementationVersion

router = Router(tags=["catalog open data"])

JSONLD = "application/ld+json"
_RESPONSES = {200: dict, 404: dict}


def _jsonld(request: HttpRequest, version: ImplementationVersion) -> HttpResponse:
    document = implementation_jsonld(version, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(json.dumps(document, ensure_ascii=False), content_type=f"{JSONLD}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@router.get(
    "/implementations/{implementation_id}/jsonld",
    response=_RESPONSES,
    summary="Current published version as CPSV-AP JSON-LD",
    openapi_extra={"responses": {200: {"content": {JSONLD: {}}}}},
)
def implementation_jsonld_current(request: HttpRequest, implementation_id: int) -> HttpResponse:
    """The current published version of an implementation as a CPSV-AP ``PublicService`` (public)."""
    return _jsonld(request, published_version(implementation_id=implementation_id))


@router.get(
    "/implementations/{implementation_id}/versions/{number}/jsonld",
    response=_RESPONSES,
    summary="One published version as CPSV-AP JSON-LD",
    openapi_extra={"responses": {200: {"content": {JSONLD: {}}}}},
)
def implementation_jsonld_version(request: HttpRequest, implementation_id: int, number: int) -> HttpResponse:
    """One exact published version (superseded versions stay readable) as CPSV-AP JSON-LD."""
    return _jsonld(request, published_version(implementation_id=implementation_id, number=number))
