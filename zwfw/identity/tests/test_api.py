"""Identity API: masked ID numbers, scoped lists, 401/403/404/409/422 in the one error format."""

from __future__ import annotations

import pytest

from conftest import make_id_number
from zwfw.identity import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizens(world):
    a = services.person_register(
        name="玉香", id_number=make_id_number(seq="111"), region=world.jinghong, system=True
    )
    b = services.person_register(
        name="岩温", id_number=make_id_number("532822", seq="113"), region=world.menghai, system=True
    )
    user_a = services.user_create(username="citizen_a", password="pw", person=a)
    return a, b, user_a


def test_person_responses_show_the_id_number_masked(client, world, citizens):
    a, _b, user_a = citizens
    client.force_login(user_a)
    body = client.get(f"/api/v1/persons/{a.pk}").json()
    assert body["id_number"] == make_id_number(seq="111")[:4] + "*" * 10 + make_id_number(seq="111")[-4:]
    assert make_id_number(seq="111") not in client.get("/api/v1/persons").content.decode()


def test_a_citizen_sees_only_themself_and_another_is_not_found(client, world, citizens):
    a, b, user_a = citizens
    client.force_login(user_a)
    assert [p["id"] for p in client.get("/api/v1/persons").json()] == [a.pk]
    response = client.get(f"/api/v1/persons/{b.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "identity.person_not_found"


def test_region_admins_see_their_region_and_below(client, world, citizens):
    a, b, _ = citizens
    client.force_login(world.supervisor_pref)
    assert {p["id"] for p in client.get("/api/v1/persons").json()} == {a.pk, b.pk}
    client.force_login(world.catalog_admin_jh)
    assert {p["id"] for p in client.get("/api/v1/persons").json()} == {a.pk}


def test_anonymous_gets_401_in_the_error_format(client):
    response = client.get("/api/v1/persons")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "details"}


def test_window_registration_errors(client, world, citizens):
    client.force_login(world.clerk_jh)
    bad = client.post(
        "/api/v1/persons", {"name": "某人", "id_number": "123"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["code"] == "identity.id_number_invalid"
    dup = client.post(
        "/api/v1/persons",
        {"name": "某人", "id_number": make_id_number(seq="111")},
        content_type="application/json",
    )
    assert dup.status_code == 409 and dup.json()["code"] == "identity.person_exists"
    shape = client.post("/api/v1/persons", {"name": "某人"}, content_type="application/json")
    assert shape.status_code == 422 and shape.json()["code"] == "request.invalid"
    ok = client.post(
        "/api/v1/persons",
        {"name": "岩罕", "id_number": make_id_number(seq="115")},
        content_type="application/json",
    )
    assert ok.status_code == 201 and "*" in ok.json()["id_number"]
    client.force_login(world.catalog_admin_jh)
    denied = client.post(
        "/api/v1/persons",
        {"name": "岩罕", "id_number": make_id_number(seq="117")},
        content_type="application/json",
    )
    assert denied.status_code == 403 and denied.json()["code"] == "identity.forbidden"


@pytest.mark.smoke
def test_public_region_api_and_openapi(client, world):
    assert {r["code"] for r in client.get("/api/v1/regions?parent=532800").json()} == {"532801", "532822"}
    assert client.get("/api/v1/regions?parent=999999").status_code == 404
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_profile_page_shows_the_id_number_masked_only(client, world, citizens):
    a, _b, user_a = citizens
    assert client.get("/accounts/profile/").status_code == 302
    client.force_login(user_a)
    page = client.get("/accounts/profile/").content.decode()
    assert a.id_number_masked in page
    assert make_id_number(seq="111") not in page
