"""Upload abuse through the real endpoints: the API's one-step apply, the API's material upload
and the applicant's page. Every hostile file is refused with a clear error (the API's error
format, the page's Chinese message) and nothing is stored: no case, no material row, no file
under MEDIA_ROOT. Names are never paths: a traversal name is stored under a safe name only."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.test import Client

from tests.hostile.conftest import chinese
from zwfw.cases import services as case_services
from zwfw.cases.models import Case, CaseMaterial
from zwfw.cases.tests.factories import PDF, png

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/me')</script></body></html>"


def _zip(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


OFD_ROOT = b"<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>"
ZIP_BOMB_OFD = _zip({"OFD.xml": OFD_ROOT, "Doc_0/Res/fill.bin": b"\x00" * (8 * 1024 * 1024)})
TRAVERSAL_OFD = _zip({"OFD.xml": OFD_ROOT, "../../../../tmp/zwfw-owned.sh": b"#!/bin/sh\n"})
PDF_ZIP = PDF + _zip({"index.html": HTML}, compression=zipfile.ZIP_STORED)
PDF_HTML = PDF.replace(b"1 0 obj", b"%" + HTML + b"\n1 0 obj", 1)
PDF_JS = PDF.replace(b"xref\n", b"3 0 obj<</S/JavaScript/JS(app.launchURL('x'))>>endobj\nxref\n", 1)

# (label, bytes, file name, code, the Chinese message's msgid)
HOSTILE = [
    (
        "exe renamed .pdf",
        EXE,
        "申请书.pdf",
        "upload.type_refused",
        "Programs and web pages cannot be uploaded. Please upload a PDF, JPG, PNG or OFD file.",
    ),
    (
        "web page renamed .pdf",
        HTML,
        "申请书.pdf",
        "upload.type_refused",
        "Programs and web pages cannot be uploaded. Please upload a PDF, JPG, PNG or OFD file.",
    ),
    (
        "zip bomb inside an OFD",
        ZIP_BOMB_OFD,
        "证照.ofd",
        "upload.zip_bomb",
        "The OFD file expands to an unreasonable size and was refused.",
    ),
    (
        "path traversal inside an OFD",
        TRAVERSAL_OFD,
        "证照.ofd",
        "upload.path_traversal",
        "The OFD file contains unsafe paths.",
    ),
    (
        "PDF that is also a ZIP",
        PDF_ZIP,
        "申请书.pdf",
        "upload.polyglot",
        "The file mixes several formats and was refused.",
    ),
    (
        "PDF that is also a web page",
        PDF_HTML,
        "申请书.pdf",
        "upload.polyglot",
        "The file mixes several formats and was refused.",
    ),
    (
        "PDF with JavaScript",
        PDF_JS,
        "申请书.pdf",
        "upload.active_content",
        "The PDF contains scripts or actions and was refused. Please save or scan it as a plain PDF.",
    ),
    (
        "PNG that is also a ZIP",
        png() + _zip({"a.js": b"alert(1)"}),
        "photo.png",
        "upload.polyglot",
        "The file mixes several formats and was refused.",
    ),
    ("empty file", b"", "申请书.pdf", "upload.empty", "The file is empty."),
]
IDS = [h[0] for h in HOSTILE]


def upload(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.fixture
def citizen(desk, media) -> Client:
    client = Client()
    client.force_login(desk.citizen)
    return client


@pytest.fixture
def draft(desk):
    return case_services.case_create(actor=desk.citizen, implementation=desk.impl, channel="online")


def assert_refused_in_api_format_any(response) -> dict:
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] and body["message"]
    return body


def assert_refused_in_api_format(response, code: str, msgid: str) -> None:
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert body["message"] == chinese(msgid)


@pytest.mark.parametrize(("label", "data", "name", "code", "msgid"), HOSTILE, ids=IDS)
def test_api_apply_refuses_the_file_and_creates_nothing(citizen, desk, media, label, data, name, code, msgid):
    response = citizen.post(
        "/api/v1/cases/apply",
        {"implementation_id": str(desk.impl.pk), "material.application": upload(data, name)},
        headers={"Idempotency-Key": f"hostile-{label}"},
    )
    assert_refused_in_api_format(response, code, msgid)
    assert not Case.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(("label", "data", "name", "code", "msgid"), HOSTILE, ids=IDS)
def test_api_material_upload_refuses_the_file_and_stores_nothing(
    citizen, draft, media, label, data, name, code, msgid
):
    response = citizen.post(
        f"/api/v1/cases/{draft.pk}/materials",
        {"requirement_key": "application", "file": upload(data, name)},
    )
    assert_refused_in_api_format(response, code, msgid)
    assert not CaseMaterial.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(("label", "data", "name", "code", "msgid"), HOSTILE, ids=IDS)
def test_the_applicant_page_shows_the_reason_in_chinese_and_stores_nothing(
    citizen, draft, media, label, data, name, code, msgid
):
    response = citizen.post(f"/my/cases/{draft.pk}/materials/", {"file-application": upload(data, name)})
    assert response.status_code == 422
    html = response.content.decode()
    assert chinese(msgid) in html
    assert "data-error-summary" in html
    assert not CaseMaterial.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(("label", "data", "name", "code", "msgid"), HOSTILE, ids=IDS)
def test_the_applicant_page_script_gets_the_reason_as_json(
    citizen, draft, media, label, data, name, code, msgid
):
    response = citizen.post(
        f"/my/cases/{draft.pk}/materials/",
        {"file-application": upload(data, name)},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    field = response.json()["fields"]["application"]
    assert field["ok"] is False and field["code"] == code and field["message"] == chinese(msgid)
    assert not CaseMaterial.objects.exists()


def test_an_oversized_file_is_refused_everywhere(settings, citizen, desk, draft, media):
    settings.ZWFW_UPLOAD_MAX_BYTES = 4096
    big = PDF.replace(b"xref\n", b"%" + b"0" * 8000 + b"\nxref\n", 1)
    message = chinese("The file is larger than %(mb).0f MB.")
    api = citizen.post(
        f"/api/v1/cases/{draft.pk}/materials",
        {"requirement_key": "application", "file": upload(big, "a.pdf")},
    )
    assert api.status_code == 422 and api.json()["code"] == "upload.too_large"
    apply = citizen.post(
        "/api/v1/cases/apply",
        {"implementation_id": str(desk.impl.pk), "material.application": upload(big, "a.pdf")},
        headers={"Idempotency-Key": "big"},
    )
    assert apply.status_code == 422 and apply.json()["code"] == "upload.too_large"
    page = citizen.post(f"/my/cases/{draft.pk}/materials/", {"file-application": upload(big, "a.pdf")})
    assert page.status_code == 422
    assert message.split("%")[0] in page.content.decode()
    assert not CaseMaterial.objects.exists() and Case.objects.count() == 1
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("/etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Windows\\System32\\申请书.pdf", "申请书.pdf"),
        ("..\\..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        ("申请书\u202efdp.exe", "申请书fdp.pdf"),  # a right-to-left override would show "exe.pdf"
        ("申" * 200 + ".pdf", "申" * 100 + ".pdf"),
    ],
)
def test_file_names_are_never_paths(citizen, draft, media, tmp_path, sent, shown):
    response = citizen.post(
        f"/api/v1/cases/{draft.pk}/materials", {"requirement_key": "application", "file": upload(PDF, sent)}
    )
    assert response.status_code == 201, response.content
    assert response.json()["original_name"] == shown
    material = CaseMaterial.objects.get()
    files = stored_files(media)
    assert len(files) == 1 and files[0].name == f"{draft.pk}-application.pdf"  # the server names it
    assert Path(material.file.path).resolve() == files[0].resolve()
    assert [p for p in tmp_path.rglob("*") if p.is_file() and media not in p.parents] == []


def test_a_name_too_long_for_a_multipart_header_is_a_bad_request(citizen, draft, media):
    response = citizen.post(
        f"/api/v1/cases/{draft.pk}/materials",
        {"requirement_key": "application", "file": upload(PDF, "a" * 5000 + ".pdf")},
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "request.malformed",
        "message": chinese("The request could not be read."),
        "details": None,
    }
    assert not CaseMaterial.objects.exists() and stored_files(media) == []


def test_a_nul_byte_in_the_name_never_reaches_the_disk(citizen, draft, media):
    body = (
        b'--B\r\nContent-Disposition: form-data; name="requirement_key"\r\n\r\napplication\r\n'
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="evil.sh\x00.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + PDF + b"\r\n--B--\r\n"
    )
    response = citizen.generic(
        "POST", f"/api/v1/cases/{draft.pk}/materials", body, content_type="multipart/form-data; boundary=B"
    )
    assert response.status_code == 201, response.content
    assert "\x00" not in response.json()["original_name"]
    assert [p.name for p in stored_files(media)] == [f"{draft.pk}-application.pdf"]


def test_a_sound_file_still_passes_after_the_refusals(citizen, draft, media):
    for _label, data, name, _code, _msgid in HOSTILE:
        citizen.post(
            f"/api/v1/cases/{draft.pk}/materials",
            {"requirement_key": "application", "file": upload(data, name)},
        )
    response = citizen.post(
        f"/api/v1/cases/{draft.pk}/materials",
        {"requirement_key": "application", "file": upload(PDF, "申请书.pdf")},
    )
    assert response.status_code == 201
    assert CaseMaterial.objects.count() == 1 and len(stored_files(media)) == 1


@pytest.mark.parametrize(("label", "data", "name", "code", "msgid"), HOSTILE, ids=IDS)
def test_bundle_apply_refuses_the_file_and_creates_nothing(
    client, newborn, parent, media, label, data, name, code, msgid
):
    from zwfw.bundles.models import BundleCase
    from zwfw.bundles.tests.factories import form_values

    client.force_login(parent)
    files = {
        f"material.{key}": upload(PDF, f"{key}.pdf") for key in ("mother-id", "birth-record", "household")
    }
    files["material.household"] = upload(data, name)
    response = client.post(
        "/api/v1/bundles/NEWBORN/apply",
        {"answers": json.dumps({"need-card": False}), "values": json.dumps(form_values()), **files},
    )
    body = assert_refused_in_api_format_any(response)
    problem = next(d for d in body["details"] if d["field"] == "materials.household")
    assert problem["code"] == code and problem["message"] == chinese(msgid)
    assert not BundleCase.objects.exists() and not Case.objects.exists()
    assert stored_files(media) == []
