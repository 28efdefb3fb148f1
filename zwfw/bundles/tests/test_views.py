"""Bundle and remote-intake pages: wiring, status codes, permissions (not translated text)."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from zwfw.bundles.models import BundleCase, RemoteIntake
from zwfw.bundles.tests.factories import catalog_reviewer, form_values
from zwfw.cases.tests.factories import PDF, publish
from zwfw.core import services as core_services


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_guide_narrows_to_the_situation(client, newborn):
    page = client.get("/bundles/")
    assert page.status_code == 200 and b'data-bundle="NEWBORN"' in page.content
    guide = client.get("/bundles/NEWBORN/")
    assert (
        guide.status_code == 200
        and b'data-item="card"' in guide.content
        and b'data-action="apply"' not in guide.content
    )
    narrowed = client.get("/bundles/NEWBORN/", {"answer-need-card": "no"})
    assert b'data-item="card"' not in narrowed.content and b'data-action="apply"' in narrowed.content
    assert b'data-from-result="birth-certificate"' in narrowed.content
    assert client.get("/bundles/NOPE/").status_code == 404


def test_apply_with_one_form(client, newborn, parent):
    url = "/bundles/NEWBORN/apply/"
    assert client.get(url, {"answer-need-card": "no"}).status_code == 302  # to the login
    client.force_login(parent)
    assert client.get(url).status_code == 302  # questions first
    form = client.get(url, {"answer-need-card": "no"})
    assert form.status_code == 200
    assert form.content.count(b'name="field-child.name"') == 1  # asked once
    assert form.content.count(b'name="material-mother-id"') == 1
    bad = client.post(url, {"answer-need-card": "no", "field-child.name": ""})
    assert bad.status_code == 422 and b"data-error-summary" in bad.content
    data = {"answer-need-card": "no", **{f"field-{k}": v for k, v in form_values().items()}}
    data.update({f"material-{k}": _pdf(f"{k}.pdf") for k in ("mother-id", "birth-record", "household")})
    response = client.post(url, data)
    bundle_case = BundleCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bundles/cases/{bundle_case.pk}/"
    page = client.get(response["Location"])
    assert b'data-status="submitted"' in page.content and page.content.count(b"data-child=") == 4


def test_case_page_is_the_applicants_own(client, newborn, parent, desk):
    client.force_login(parent)
    data = {"answer-need-card": "no", **{f"field-{k}": v for k, v in form_values().items()}}
    data.update({f"material-{k}": _pdf(f"{k}.pdf") for k in ("mother-id", "birth-record", "household")})
    client.post("/bundles/NEWBORN/apply/", data)
    bundle_case = BundleCase.objects.get()
    response = client.post(
        f"/bundles/cases/{bundle_case.pk}/corrections/", {"key": "household", "file": _pdf("h.pdf")}
    )
    assert response.status_code == 302  # refused with a message: nothing asked for it
    client.force_login(desk.citizen)
    assert client.get(f"/bundles/cases/{bundle_case.pk}/").status_code == 404


def test_remote_pages_for_both_regions(client, world, desk):
    impl = publish(
        world, base_code="REMOTE-V", cross_region_scope="prefecture", cross_region_modes=["proxy_intake"]
    )
    window = core_services.window_create(
        venue=world.mh_center, number="09", name="跨域通办窗口", kind="cross_region"
    )
    client.force_login(desk.citizen)
    assert client.get("/bundles/remote/").status_code == 404
    client.force_login(world.clerk_mh)
    assert client.get("/bundles/remote/new/", {"implementation": "NOPE"}).status_code == 422
    form = client.get("/bundles/remote/new/", {"implementation": impl.code})
    assert b'data-requirement="licence"' in form.content
    from conftest import make_id_number

    received = client.post(
        "/bundles/remote/new/",
        {
            "implementation": impl.code,
            "window": window.pk,
            "id_number": make_id_number(seq="201"),
            "material-application": _pdf("a.pdf"),
            "paper-licence": "1",
        },
    )
    intake = RemoteIntake.objects.get()
    assert received.status_code == 302 and received["Location"] == f"/bundles/remote/{intake.pk}/"
    assert client.post(f"/bundles/remote/{intake.pk}/forward/", {}).status_code == 302
    intake.refresh_from_db()
    assert intake.state == "received"  # refused: the paper original needs the tracking number
    client.post(f"/bundles/remote/{intake.pk}/forward/", {"courier": "EMS", "tracking_number": "E1"})
    intake.refresh_from_db()
    assert intake.state == "forwarded"
    client.force_login(world.clerk_jh)
    page = client.get(f"/bundles/remote/{intake.pk}/")
    assert b'data-side="deciding"' in page.content and b'data-action="accept"' in page.content
    client.post(f"/bundles/remote/{intake.pk}/return/", {"reasons": "材料不全"})
    intake.refresh_from_db()
    assert intake.state == "returned"
    assert b'data-intake="%d"' % intake.pk in client.get("/bundles/remote/").content


def test_editor_pages(client, world, newborn, parent):
    client.force_login(parent)
    assert client.get("/bundles/editor/").status_code == 404
    client.force_login(world.catalog_admin_jh)
    assert client.get("/bundles/editor/").status_code == 200
    created = client.post("/bundles/editor/", {"code": "NEW-1", "name": "企业变更一件事", "region": "532801"})
    assert created.status_code == 302
    detail = created["Location"]
    page = client.get(detail)
    assert b'data-check-code="bundles.too_few_items"' in page.content
    json_url = f"{detail}json/"
    assert client.post(json_url, {"draft": "{not json"}).status_code == 422
    bundle_url = f"/bundles/editor/{newborn.bundle.pk}/"
    draft = dict(newborn.bundle.draft, promised_limit=4)
    saved = client.post(f"{bundle_url}json/", {"draft": json.dumps(draft)})
    assert saved.status_code == 302
    assert client.post(bundle_url, {"action": "submit", "reason": "缩短"}).status_code == 302
    client.force_login(catalog_reviewer(world))
    assert client.post(bundle_url, {"action": "approve"}).status_code == 302
    newborn.bundle.refresh_from_db()
    assert newborn.bundle.current_version.number == 2
