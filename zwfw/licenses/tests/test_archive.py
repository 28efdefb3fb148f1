"""电子文件单套归档: a concluded case becomes one package with a signed manifest of hashes;
``archive_verify`` accepts it (online and with the published keys alone) and finds any change."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from zwfw.cases import services as cases_services
from zwfw.core.errors import Conflict, PermissionDenied
from zwfw.licenses import archive, services
from zwfw.licenses.tests.conftest import Bureau
from zwfw.licenses.tests.factories import food_case, food_license_type, publish_food_item, walk_to_review


def concluded_case(bureau: Bureau):  # type: ignore[no-untyped-def]
    desk = bureau.desk
    impl = publish_food_item(desk.world)
    food_license_type(impl)
    held = bureau.issue()
    case = food_case(impl, desk.citizen)
    services.license_attach_to_case(
        actor=desk.citizen, case=case, requirement_key="business-license", license=held
    )
    case = walk_to_review(case, citizen=desk.citizen, clerk=desk.clerk, reviewer=desk.reviewer)
    with pytest.raises(Conflict):
        archive.archive_create(actor=desk.approver, case=case)
    case = cases_services.case_decide(actor=desk.approver, case=case, approved=True, reasons="符合条件")
    services.license_issue_for_case(case=case, actor=desk.approver)
    cases_services.case_deliver(actor=desk.approver, case=case, method="online")
    case.refresh_from_db()
    return case


def test_archive_and_verify(bureau: Bureau, tmp_path: Path) -> None:
    case = concluded_case(bureau)
    with pytest.raises(PermissionDenied):
        archive.archive_create(actor=bureau.desk.other_citizen, case=case)
    package = archive.archive_create(actor=bureau.desk.approver, case=case)
    with pytest.raises(Conflict):
        archive.archive_create(actor=bureau.desk.approver, case=case)
    paths = {f["path"] for f in package.manifest["credentialSubject"]["files"]}
    assert {"case.json", "decision.json"} <= paths
    assert any(p.startswith("license/") and p.endswith(".json") for p in paths)
    assert any(p.startswith("license/") and p.endswith(".pdf") for p in paths)
    assert any(p.startswith("materials/") and p.endswith(".pdf") for p in paths)
    assert any(p.startswith("notices/decision") for p in paths)

    out = io.StringIO()
    call_command("archive_verify", "--case", case.number, stdout=out)
    assert out.getvalue().startswith("OK")

    with package.file.open("rb") as handle:
        data = handle.read()
    good = tmp_path / "good.zip"
    good.write_bytes(data)
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(Client().get("/api/v1/licenses/keys").json()))
    out = io.StringIO()
    call_command("archive_verify", str(good), "--keys", str(keys), stdout=out)
    assert "OK" in out.getvalue()

    # change one byte of one file, drop a file, add a file: each is found
    source = zipfile.ZipFile(io.BytesIO(data))
    variants = {}
    for name, change in (("changed", "case.json"), ("dropped", "decision.json"), ("added", None)):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for info in source.infolist():
                content = source.read(info.filename)
                if info.filename == change and name == "changed":
                    content = content.replace("玉香".encode(), "岩温".encode())
                if info.filename == change and name == "dropped":
                    continue
                target.writestr(info.filename, content)
            if name == "added":
                target.writestr("materials/999-extra.pdf", b"%PDF-1.4")
        variants[name] = buffer.getvalue()
    problems = {
        name: archive.archive_verify_bytes(blob, keys=archive.selectors.keyring()).problems
        for name, blob in variants.items()
    }
    assert problems["changed"] == ["file changed: case.json"]
    assert problems["dropped"] == ["missing file: decision.json"]
    assert problems["added"] == ["file not in the manifest: materials/999-extra.pdf"]
    assert archive.archive_verify_bytes(b"not a zip", keys=archive.selectors.keyring()).problems
    bad = tmp_path / "bad.zip"
    bad.write_bytes(variants["changed"])
    with pytest.raises(CommandError):
        call_command("archive_verify", str(bad), "--keys", str(keys), stdout=io.StringIO())
