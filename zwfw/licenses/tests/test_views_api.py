"""Pages and API of e-licenses: public verification (never an error page), the holder's space,
免证办 attach, the reviewer's view, suspend/revoke over the API, permissions."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from zwfw.cases.models import MaterialKind
from zwfw.licenses import services
from zwfw.licenses.models import License, LicenseState
from zwfw.licenses.tests.conftest import Bureau
from zwfw.licenses.tests.factories import food_case, publish_food_item, walk_to_review


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_public_verify_page_valid_tampered_empty(bureau: Bureau) -> None:
    lic = bureau.issue()
    anonymous = Client()
    page = anonymous.get("/licenses/verify/", {"t": lic.token})
    assert page.status_code == 200
    assert b'data-outcome="valid"' in page.content and lic.number.encode() in page.content
    tampered = lic.token[:-3] + ("A" if lic.token[-3] != "A" else "B") + lic.token[-2:]
    for bad in (tampered, lic.token[:40], "garbage", "ZL1.x.y.z", "\u0000"):
        page = anonymous.post("/licenses/verify/", {"token": bad})
        assert page.status_code == 200
        assert b'data-outcome="not_genuine"' in page.content
        assert lic.number.encode() not in page.content
    assert b"data-outcome" not in anonymous.get("/licenses/verify/").content
    # a whole scanned URL pasted into the form also works
    page = anonymous.post("/licenses/verify/", {"token": f"http://x/licenses/verify/?t={lic.token}"})
    assert b'data-outcome="valid"' in page.content


def test_verify_api_anonymous(bureau: Bureau) -> None:
    lic = bureau.issue()
    api = Client()
    body = api.post("/api/v1/licenses/verify", {"token": lic.token}, content_type="application/json").json()
    assert (body["genuine"], body["state"], body["number"]) == (True, "valid", lic.number)
    assert {"label": "经营范围", "value": "预包装食品销售"} in body["fields"]
    body = api.post(
        "/api/v1/licenses/verify", {"credential": lic.document}, content_type="application/json"
    ).json()
    assert body["state"] == "valid"
    doc = json.loads(json.dumps(lic.document))
    doc["credentialSubject"]["name"] = "张三"
    body = api.post("/api/v1/licenses/verify", {"credential": doc}, content_type="application/json").json()
    assert (body["genuine"], body["state"], body["number"]) == (False, "not_genuine", "")
    body = api.post(
        "/api/v1/licenses/verify", {"token": lic.token[:-5]}, content_type="application/json"
    ).json()
    assert body["genuine"] is False
    response = api.post("/api/v1/licenses/verify", {}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "license.verify_input_required"
    response = api.post("/api/v1/licenses/verify", "not json", content_type="application/json")
    assert response.status_code in (400, 422)


def test_keys_and_status_lists_published(bureau: Bureau) -> None:
    bureau.issue()
    keys = Client().get("/api/v1/licenses/keys").json()["keys"]
    assert keys and all(set(k["jwk"]) <= {"kty", "crv", "x", "y", "kid"} for k in keys)
    assert {k["issuer"]["id"] for k in keys} >= {"urn:zwfw:platform"}
    lic = License.objects.get()
    credential = Client().get(f"/api/v1/licenses/status/{lic.status_list_id}/revocation").json()
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert Client().get(f"/api/v1/licenses/status/{lic.status_list_id}/nonsense").status_code == 404
    assert Client().get("/api/v1/licenses/status/999/revocation").status_code == 404


def test_status_api_issuing_agency_only(bureau: Bureau) -> None:
    lic = bureau.issue()
    url = f"/api/v1/licenses/{lic.number}"
    assert (
        Client().post(f"{url}/suspend", {"reason": "x"}, content_type="application/json").status_code == 401
    )
    outsider = client_for(bureau.desk.world.clerk_mh)  # type: ignore[attr-defined]
    assert (
        outsider.post(f"{url}/suspend", {"reason": "x"}, content_type="application/json").status_code == 403
    )
    approver = client_for(bureau.approver)
    response = approver.post(f"{url}/suspend", {"reason": ""}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "license.reason_required"
    assert (
        approver.post(f"{url}/suspend", {"reason": "核查"}, content_type="application/json").json()["state"]
        == "suspended"
    )
    assert approver.post(f"{url}/reinstate", {}, content_type="application/json").json()["state"] == "active"
    assert (
        approver.post(f"{url}/revoke", {"reason": "吊销"}, content_type="application/json").json()["state"]
        == "revoked"
    )
    response = approver.post(f"{url}/revoke", {"reason": "again"}, content_type="application/json")
    assert response.status_code == 409
    assert (
        approver.post(
            "/api/v1/licenses/NOPE/revoke", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    lic.refresh_from_db()
    assert lic.state == LicenseState.REVOKED


def test_holder_space_pdf_and_shares(bureau: Bureau) -> None:
    lic = bureau.issue()
    assert Client().get("/my/licenses/").status_code == 302
    holder = client_for(bureau.desk.citizen)
    page = holder.get("/my/licenses/")
    assert (
        page.status_code == 200
        and f'data-license="{lic.number}"'.encode() in page.content
        and b"<svg" in page.content
    )
    assert holder.get(f"/my/licenses/{lic.pk}/").status_code == 200
    response = holder.get(f"/my/licenses/{lic.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    other = client_for(bureau.desk.other_citizen)
    assert other.get(f"/my/licenses/{lic.pk}/").status_code == 404
    assert other.get(f"/my/licenses/{lic.pk}/pdf/").status_code == 404
    police = bureau.desk.world.jh_police  # type: ignore[attr-defined]
    holder.post(f"/my/licenses/{lic.pk}/share/", {"agency": police.pk, "purpose": "核验", "days": "7"})
    grant = lic.grants.get()
    assert grant.agency == police
    holder.post(f"/my/licenses/{lic.pk}/share/", {"agency": police.pk, "purpose": "", "days": "7"})
    assert lic.grants.count() == 1
    other.post(f"/my/licenses/grants/{grant.pk}/withdraw/")
    grant.refresh_from_db()
    assert grant.withdrawn_at is None
    holder.post(f"/my/licenses/grants/{grant.pk}/withdraw/")
    grant.refresh_from_db()
    assert grant.withdrawn_at is not None
    api = holder.get("/api/v1/licenses/mine").json()
    assert [row["number"] for row in api] == [lic.number]
    assert (
        holder.get(f"/api/v1/licenses/mine/{lic.pk}/credential").json()["id"]
        == f"urn:zwfw:license:{lic.number}"
    )
    assert other.get(f"/api/v1/licenses/mine/{lic.pk}/credential").status_code == 404


def test_attach_page_and_reviewer_view(bureau: Bureau) -> None:
    desk = bureau.desk
    impl = publish_food_item(desk.world)
    held = services.license_issue(
        actor=None,
        license_type=bureau.license_type,
        agency=desk.world.mh_market,  # type: ignore[attr-defined]
        holder_person=desk.person,
        fields={"business_scope": "小吃"},
        system=True,
    )
    case = food_case(impl, desk.citizen)
    other = client_for(desk.other_citizen)
    assert (
        other.post(
            f"/my/cases/{case.pk}/licenses/attach/", {"attach": f"business-license:{held.pk}"}
        ).status_code
        == 404
    )
    holder = client_for(desk.citizen)
    response = holder.post(f"/my/cases/{case.pk}/licenses/attach/", {"attach": f"business-license:{held.pk}"})
    assert response.status_code == 302
    material = case.materials.get(kind=MaterialKind.E_LICENSE)
    assert material.license_reference == held.number
    holder.post(
        f"/my/cases/{case.pk}/licenses/attach/", {"attach": "application:999999"}
    )  # refused, no crash
    case = walk_to_review(case, citizen=desk.citizen, clerk=desk.clerk, reviewer=desk.reviewer)
    reviewer = client_for(desk.reviewer)
    page = reviewer.get(f"/staff/cases/{case.pk}/licenses/{material.pk}/")
    assert page.status_code == 200 and b'data-outcome="valid"' in page.content
    copy = reviewer.get(f"/staff/cases/{case.pk}/licenses/{material.pk}/copy.pdf")
    assert copy["Content-Type"] == "application/pdf"
    assert other.get(f"/staff/cases/{case.pk}/licenses/{material.pk}/").status_code == 404


@pytest.mark.parametrize("path", ["/licenses/verify/?t=%00%ff", "/licenses/verify/?t=" + "A" * 9000])
def test_verify_page_never_errors(db, path: str) -> None:  # type: ignore[no-untyped-def]
    assert Client().get(path).status_code == 200


def test_license_choices_tag_offers_held_licenses(bureau: Bureau, rf) -> None:  # type: ignore[no-untyped-def]
    from django.template import Context, Template

    desk = bureau.desk
    impl = publish_food_item(desk.world)
    case = food_case(impl, desk.citizen)
    requirement = case.version.materials.get(key="business-license")
    template = Template("{% load licenses_tags %}{% license_choices requirement case %}")
    request = rf.get("/")
    request.user = desk.citizen
    empty = template.render(Context({"request": request, "requirement": requirement, "case": case}))
    assert "data-no-held-license" in empty
    lic = bureau.issue()
    html = template.render(Context({"request": request, "requirement": requirement, "case": case}))
    assert f'data-attach-license="{lic.pk}"' in html and f"/my/cases/{case.pk}/licenses/attach/" in html
    other = template.render(
        Context(
            {"request": request, "requirement": case.version.materials.get(key="application"), "case": case}
        )
    )
    assert "data-license-reuse" not in other
