"""Catalog workbench API: the whole adjustment cycle over HTTP, 403 without the role, 404 outside
the region, every failing check returned at once."""

from __future__ import annotations

import pytest

from zwfw.catalog.tests.factories import make_implementation, make_item, publishable_content
from zwfw.core import services as core_services
from zwfw.core.models import AgencyKind
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role

pytestmark = pytest.mark.django_db

J = "application/json"


@pytest.fixture
def reviewer(world):
    bureau = core_services.agency_create(
        name="景洪市政务服务管理局", region=world.jinghong, kind=AgencyKind.SERVICE_ADMINISTRATION
    )
    user = identity_services.user_create(username="catalog_reviewer", password="pw")
    identity_services.staff_membership_grant(user=user, agency=bureau, role=Role.CATALOG_ADMIN, system=True)
    return user


@pytest.fixture
def menghai_admin(world):
    user = identity_services.user_create(username="catalog_mh", password="pw")
    identity_services.staff_membership_grant(
        user=user, agency=world.mh_market, role=Role.CATALOG_ADMIN, system=True
    )
    return user


def test_cycle_over_http_with_failures_then_fix_then_publish_and_diff(client, world, reviewer):
    item = make_item(world)
    client.force_login(world.catalog_admin_jh)
    created = client.post(
        "/api/v1/catalog/implementations",
        {
            "item_id": item.pk,
            "agency_id": world.jh_market.pk,
            "draft": publishable_content(complaint_phone="", faq=[]),
        },
        content_type=J,
    )
    assert created.status_code == 201, created.content
    impl_id = created.json()["id"]
    assert {"catalog.check.complaint_missing", "catalog.check.faq_missing"} <= set(
        created.json()["draft_failures"]
    )

    adj = client.post(
        f"/api/v1/catalog/implementations/{impl_id}/adjustments",
        {"kind": "add", "reason": "新增事项"},
        content_type=J,
    ).json()
    client.force_login(reviewer)
    refused = client.post(f"/api/v1/catalog/adjustments/{adj['id']}/approve", {"comment": ""}, content_type=J)
    assert refused.status_code == 422
    assert {d["field"] for d in refused.json()["details"]} >= {"complaint_phone", "faq"}
    returned = client.post(
        f"/api/v1/catalog/adjustments/{adj['id']}/reject",
        {"comment": "补充投诉电话和常见问题"},
        content_type=J,
    )
    assert returned.json()["status"] == "rejected"

    client.force_login(world.catalog_admin_jh)
    saved = client.put(
        f"/api/v1/catalog/implementations/{impl_id}/draft", {"draft": publishable_content()}, content_type=J
    )
    assert saved.status_code == 200 and saved.json()["failures"] == []
    adj = client.post(
        f"/api/v1/catalog/implementations/{impl_id}/adjustments",
        {"kind": "add", "reason": "补正后重新提交"},
        content_type=J,
    ).json()
    client.force_login(reviewer)
    assert (
        client.post(f"/api/v1/catalog/adjustments/{adj['id']}/approve", {}, content_type=J).status_code == 200
    )
    published = client.post(f"/api/v1/catalog/adjustments/{adj['id']}/publish").json()
    assert published["status"] == "published" and published["current_version"] == 1

    client.force_login(world.catalog_admin_jh)
    client.put(
        f"/api/v1/catalog/implementations/{impl_id}/draft",
        {"draft": publishable_content(promised_limit=5)},
        content_type=J,
    )
    adj = client.post(
        f"/api/v1/catalog/implementations/{impl_id}/adjustments",
        {"kind": "change", "reason": "压缩承诺时限"},
        content_type=J,
    ).json()
    client.force_login(reviewer)
    client.post(f"/api/v1/catalog/adjustments/{adj['id']}/approve", {}, content_type=J)
    client.post(f"/api/v1/catalog/adjustments/{adj['id']}/publish")

    client.logout()
    versions = client.get(f"/api/v1/catalog/implementations/{impl_id}/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    diff = client.get(f"/api/v1/catalog/implementations/{impl_id}/diff?from_version=1&to_version=2").json()
    assert diff["changes"] == [{"field": "promised_limit", "old": 10, "new": 5}]


def test_roles_and_regions(client, world, menghai_admin):
    impl = make_implementation(world)
    client.force_login(world.clerk_jh)
    assert client.get(f"/api/v1/catalog/implementations/{impl.pk}").status_code == 403
    assert client.get("/api/v1/catalog/implementations").status_code == 403
    client.force_login(menghai_admin)
    response = client.get(f"/api/v1/catalog/implementations/{impl.pk}")
    assert response.status_code == 404 and response.json()["code"] == "catalog.implementation_not_found"
    assert (
        client.put(
            f"/api/v1/catalog/implementations/{impl.pk}/draft", {"draft": {}}, content_type=J
        ).status_code
        == 404
    )
    assert impl.pk not in [i["id"] for i in client.get("/api/v1/catalog/implementations").json()]
    client.logout()
    assert client.get("/api/v1/catalog/implementations").status_code == 401


def test_bad_draft_is_422_with_every_field_and_changes_nothing(client, world):
    impl = make_implementation(world)
    client.force_login(world.catalog_admin_jh)
    response = client.put(
        f"/api/v1/catalog/implementations/{impl.pk}/draft",
        {"draft": publishable_content(online_depth=9, visits_required=-1)},
        content_type=J,
    )
    assert response.status_code == 422 and response.json()["code"] == "catalog.invalid"
    assert {d["field"] for d in response.json()["details"]} == {"online_depth", "visits_required"}
    impl.refresh_from_db()
    assert impl.draft["online_depth"] == 3


def test_item_creation_validates_every_field(client, world):
    client.force_login(world.catalog_admin_jh)
    bad = client.post(
        "/api/v1/catalog/items",
        {
            "base_code": "",
            "name": "",
            "item_type": "magic",
            "competent_department": "x",
            "exercised_levels": [],
            "region": "532801",
        },
        content_type=J,
    )
    assert bad.status_code == 422
    assert {d["field"] for d in bad.json()["details"]} >= {
        "base_code",
        "name",
        "item_type",
        "exercised_levels",
    }
    ok = client.post(
        "/api/v1/catalog/items",
        {
            "base_code": "DEMO-1",
            "name": "测试事项",
            "item_type": "public_service",
            "competent_department": "x",
            "exercised_levels": ["county"],
            "region": "532801",
        },
        content_type=J,
    )
    assert ok.status_code == 201
    again = client.post(
        "/api/v1/catalog/items",
        {
            "base_code": "DEMO-1",
            "name": "测试事项",
            "item_type": "public_service",
            "competent_department": "x",
            "exercised_levels": ["county"],
            "region": "532801",
        },
        content_type=J,
    )
    assert again.status_code == 409
