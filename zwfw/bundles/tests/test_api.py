"""Bundle API wiring: status codes, error codes, scoping."""

from __future__ import annotations

import datetime
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zwfw.bundles.tests.factories import catalog_reviewer, form_values, newborn_content
from zwfw.cases.models import Case
from zwfw.cases.tests.factories import PDF, publish
from zwfw.core import services as core_services

URL = "/api/v1/bundles"


def _files() -> dict[str, SimpleUploadedFile]:
    return {
        f"material.{key}": SimpleUploadedFile(f"{key}.pdf", PDF, content_type="application/pdf")
        for key in ("mother-id", "birth-record", "household")
    }


def test_published_bundles_and_their_merged_form(client, newborn):
    listing = client.get(f"{URL}/").json()
    assert [b["code"] for b in listing] == ["NEWBORN"]
    form = client.get(f"{URL}/NEWBORN", {"answer": "need-card:no"}).json()
    assert [i["key"] for i in form["items"]] == ["birth", "household", "insurance", "vaccine"]
    assert client.get(f"{URL}/NEWBORN", {"answer": "need-card:maybe"}).json()["code"] == "request.invalid"
    assert client.get(f"{URL}/NOPE").status_code == 404


def test_apply_and_follow_one_status(client, newborn, parent):
    data = {"answers": json.dumps({"need-card": True}), "values": json.dumps(form_values())}
    assert client.post(f"{URL}/NEWBORN/apply", {**data, **_files()}).status_code == 401
    client.force_login(parent)
    response = client.post(f"{URL}/NEWBORN/apply", {**data, **_files()})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "submitted" and len(body["children"]) == 5
    assert client.get(f"{URL}/cases/{body['id']}").json()["number"] == body["number"]
    assert [c["id"] for c in client.get(f"{URL}/cases").json()] == [body["id"]]
    bad = client.post(f"{URL}/NEWBORN/apply", {"answers": "[]", "values": "{}"})
    assert bad.status_code == 422 and bad.json()["code"] == "request.invalid"
    missing = client.post(
        f"{URL}/NEWBORN/apply", {"answers": json.dumps({"need-card": False}), "values": "{}"}
    )
    assert missing.status_code == 422 and missing.json()["code"] == "bundles.form_invalid"
    corr = client.post(
        f"{URL}/cases/{body['id']}/corrections", {"key": "household", "file": _files()["material.household"]}
    )
    assert corr.status_code == 422 and corr.json()["code"] == "bundles.material_not_requested"


def test_other_people_do_not_see_a_bundle_case(client, newborn, parent, desk):
    client.force_login(parent)
    data = {"answers": json.dumps({"need-card": False}), "values": json.dumps(form_values()), **_files()}
    created = client.post(f"{URL}/NEWBORN/apply", data).json()
    client.force_login(desk.citizen)
    assert client.get(f"{URL}/cases/{created['id']}").status_code == 404


def test_editor_cycle_over_the_api(client, world, newborn):
    client.force_login(world.catalog_admin_jh)
    content = newborn_content(newborn.impls)
    content["items"][1]["fields"][0]["type"] = "date"
    created = client.post(
        f"{URL}/definitions",
        {"code": "B2", "region_code": "532801", "draft": content},
        content_type="application/json",
    )
    assert created.status_code == 201 and "bundles.field_conflict" in created.json()["draft_failures"]
    adjustment = client.post(
        f"{URL}/definitions/{created.json()['id']}/adjustments",
        {"reason": "新增"},
        content_type="application/json",
    ).json()
    client.force_login(catalog_reviewer(world))
    refused = client.post(
        f"{URL}/adjustments/{adjustment['id']}/approve", {}, content_type="application/json"
    )
    assert refused.status_code == 422 and refused.json()["code"] == "bundles.checks_failed"
    client.force_login(world.clerk_jh)
    forbidden = client.post(
        f"{URL}/definitions",
        {"code": "B3", "region_code": "532801", "draft": {"name": "x"}},
        content_type="application/json",
    )
    assert forbidden.status_code == 403


def test_remote_intake_over_the_api(client, world, desk):
    impl = publish(
        world, base_code="REMOTE-API", cross_region_scope="prefecture", cross_region_modes=["proxy_intake"]
    )
    window = core_services.window_create(
        venue=world.mh_center, number="09", name="跨域通办窗口", kind="cross_region"
    )
    client.force_login(world.clerk_mh)
    data = {
        "window_id": window.pk,
        "implementation_id": impl.pk,
        "person_id": desk.person.pk,
        "paper": "licence",
        "material.application": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
    }
    response = client.post(f"{URL}/remote/intakes", data)
    assert response.status_code == 201, response.content
    intake = response.json()
    assert intake["side"] == "receiving" and intake["case_number"] is None
    forward = f"{URL}/remote/intakes/{intake['id']}/forward"
    assert client.post(forward, {}, content_type="application/json").status_code == 422
    assert (
        client.post(
            forward, {"courier": "EMS", "tracking_number": "E1"}, content_type="application/json"
        ).json()["state"]
        == "forwarded"
    )
    client.force_login(world.clerk_jh)
    accept = f"{URL}/remote/intakes/{intake['id']}/accept"
    refused = client.post(accept, {}, content_type="application/json").json()
    assert refused["code"] == "case.deficiency_date_required"  # the floor plan (容缺) is missing
    assert not Case.objects.exists()  # nothing half-accepted
    promised = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    accepted = client.post(accept, {"deficiency_due_date": promised}, content_type="application/json").json()
    assert accepted.get("state") == "accepted", accepted
    assert accepted["case_number"] and accepted["side"] == "deciding"
    client.force_login(desk.other_citizen)
    assert client.get(f"{URL}/remote/intakes/{intake['id']}").status_code == 404
