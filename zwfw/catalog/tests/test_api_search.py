"""The public search API: shape, order, anonymous access, filters and the 422 codes."""

from __future__ import annotations

import pytest

from zwfw.catalog.models import ItemType
from zwfw.catalog.tests.test_search import Editors, offer
from zwfw.catalog.tests.test_search import editors as editors  # noqa: F401 - the fixture
from zwfw.catalog.tests.test_search import id_items as id_items  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

URL = "/api/v1/catalog/search"


@pytest.mark.smoke
def test_anonymous_search_answers_the_documented_shape_best_first(client, id_items):
    response = client.get(URL, {"q": "sfz"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4 and body["count_capped"] is False  # initials: names only
    first = body["results"][0]
    assert {"name", "code", "item_type", "agency", "region", "guide_url"} <= set(first)
    renewal = id_items["renewal"]
    assert first["name"] == "居民身份证换领"
    assert first["code"] == renewal.code
    assert first["item_type"] == ItemType.CONFIRMATION
    assert first["agency"] == "景洪市公安局" and first["region"] == "景洪市"
    assert first["guide_url"] == f"/guides/{renewal.pk}/"


@pytest.mark.parametrize("q", ["身份证", "shenfenzheng", "sfz"])
def test_the_three_ways_of_typing_find_the_renewal_first(client, id_items, q):
    assert client.get(URL, {"q": q}).json()["results"][0]["name"] == "居民身份证换领"


def test_staff_get_the_same_public_answer(client, world, id_items):
    client.force_login(world.clerk_mh)
    body = client.get(URL, {"q": "户口"}).json()
    assert body["results"][0]["name"] == "户口登记（出生登记）"


def test_empty_query_without_filters_lists_the_most_used(client, id_items):
    body = client.get(URL).json()
    assert body["count"] == 6
    assert [r["name"] for r in body["results"][:2]] == ["食品经营许可", "居民身份证换领"]


def test_filters_and_paging(client, world, id_items):
    body = client.get(URL, {"q": "", "item_type": "licensing", "region": "532801"}).json()
    assert [r["name"] for r in body["results"]] == ["食品经营许可"]
    assert client.get(URL, {"region": "532822"}).json()["count"] == 0  # 勐海县 sees nothing of 景洪市
    assert client.get(URL, {"agency": world.jh_market.pk}).json()["count"] == 1
    assert client.get(URL, {"theme": "户籍办理"}).json()["results"][0]["name"] == "户口登记（出生登记）"
    assert client.get(URL, {"online_depth": 3}).json()["count"] == 6
    assert client.get(URL, {"cross_region_scope": "national"}).json()["count"] == 0
    page = client.get(URL, {"q": "身份证", "limit": 2, "offset": 1}).json()
    assert page["count"] == 6
    assert [r["name"] for r in page["results"]] == ["居民身份证首次申领", "临时居民身份证申领"]


def test_drafts_are_not_in_the_api(client, world, editors: Editors):
    offer(world, editors, "居民身份证换领", published=False)
    assert client.get(URL, {"q": "身份证"}).json() == {"count": 0, "count_capped": False, "results": []}


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"item_type": "permit"}, "catalog.search.invalid_filter", "item_type"),
        ({"online_depth": 5}, "catalog.search.invalid_filter", "online_depth"),
        ({"cross_region_scope": "galaxy"}, "catalog.search.invalid_filter", "cross_region_scope"),
        ({"region": "999999"}, "catalog.search.invalid_filter", "region"),
        ({"agency": 999999}, "catalog.search.invalid_filter", "agency"),
        ({"limit": 101}, "catalog.search.invalid_paging", "limit"),
        ({"offset": -5}, "catalog.search.invalid_paging", "limit"),
        ({"q": "x" * 101}, "catalog.search.query_too_long", "q"),
        ({"online_depth": "deep"}, "request.invalid", None),
    ],
)
def test_bad_parameters_answer_422_with_a_stable_code(client, world, params, code, field):
    response = client.get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code and body["message"]
    if field is not None:
        assert field in {d["field"] for d in body["details"]}


def test_search_is_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    params = {p["name"] for p in paths[URL]["get"]["parameters"]}
    assert {"q", "region", "agency", "item_type", "theme", "online_depth", "cross_region_scope"} <= params
