"""电子文件单套归档 (task 22): a concluded case archived as one ZIP package.

The package holds the application (``case.json``), every material (files as received, other
kinds as JSON), the notices, the decision, the result file and the license (credential and
PDF), plus ``manifest.json``: the SHA-256 and size of every file, signed by the platform seal as
a W3C credential. ``archive_verify_bytes`` checks a package offline with the published keys.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zwfw.cases.models import Case, CaseState
from zwfw.core.errors import Conflict, PermissionDenied
from zwfw.core.ledger import audit_record
from zwfw.identity.selectors import Actor, actor_scope
from zwfw.licenses import pdf, selectors, signing
from zwfw.licenses.models import ArchivePackage, License
from zwfw.licenses.services import platform_sign

CONCLUDED = (
    CaseState.DELIVERED,
    CaseState.CLOSED,
    CaseState.DENIED,
    CaseState.INTAKE_REJECTED,
    CaseState.WITHDRAWN,
)
MANIFEST = "manifest.json"


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str).encode()


def _iso(value: datetime.datetime | datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _package_files(case: Case) -> dict[str, bytes]:
    """Every file of the package but the manifest, by path."""
    files: dict[str, bytes] = {}
    person = case.applicant_person
    files["case.json"] = _json(
        {
            "number": case.number,
            "item": case.implementation.item.name,
            "implementation": case.implementation.code,
            "version": case.version.number,
            "agency": case.agency.name,
            "region": case.region.code,
            "applicant": {
                "person": {"name": person.name, "id_number_masked": person.id_number_masked}
                if person
                else None,
                "enterprise": (
                    {"name": case.applicant_enterprise.name, "uscc": case.applicant_enterprise.uscc}
                    if case.applicant_enterprise
                    else None
                ),
            },
            "channel": case.channel,
            "state": case.state,
            "form_data": case.form_data,
            "submitted_at": _iso(case.submitted_at),
            "accepted_on": _iso(case.accepted_on),
            "due_date": _iso(case.due_date),
            "concluded_on": _iso(case.concluded_on),
        }
    )
    for n, material in enumerate(case.materials.order_by("received_at", "pk"), start=1):
        stem = f"materials/{n:03d}-{material.requirement_key}"
        record = {
            "requirement_key": material.requirement_key,
            "name": material.name,
            "kind": material.kind,
            "received_at": _iso(material.received_at),
            "superseded": material.superseded,
            "sha256": material.sha256,
            "license_reference": material.license_reference,
            "commitment_text": material.commitment_text,
        }
        if material.file:
            with material.file.open("rb") as handle:
                content = handle.read()
            suffix = material.file.name.rsplit(".", 1)[-1] if "." in material.file.name else "bin"
            files[f"{stem}.{suffix}"] = content
            record["file"] = f"{stem}.{suffix}"
        files[f"{stem}.json"] = _json(record)
    for notice in case.notices.order_by("issued_at", "pk"):
        files[f"notices/{notice.kind}-{notice.sequence}-{notice.pk}.json"] = _json(
            {
                "kind": notice.kind,
                "sequence": notice.sequence,
                "issued_at": _iso(notice.issued_at),
                "items": notice.items,
                "reason": notice.reason,
            }
        )
    if case.decided_at:
        files["decision.json"] = _json(
            {
                "approved": case.state not in (CaseState.DENIED,),
                "decided_at": _iso(case.decided_at),
                "decided_by": case.decided_by.get_username() if case.decided_by else None,
                "reasons": case.decision_reasons,
            }
        )
    if case.result_file:
        with case.result_file.open("rb") as handle:
            files[f"result/{case.result_file.name.rsplit('/', 1)[-1]}"] = handle.read()
    for lic in License.objects.filter(case=case).select_related("license_type", "agency", "seal_key"):
        files[f"license/{lic.number}.json"] = _json(lic.document)
        files[f"license/{lic.number}.pdf"] = pdf.license_pdf(lic, labels=selectors.field_labels(lic))
    return files


@transaction.atomic
def archive_create(*, actor: Actor | None, case: Case, system: bool = False) -> ArchivePackage:
    """Archive a concluded case as one package with a signed manifest (once per case)."""
    scope = actor_scope(actor)
    if not system and not (scope.is_superuser or case.agency_id in scope.agency_ids):
        raise PermissionDenied("archive.forbidden", _("Only the handling agency archives its cases."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.state not in CONCLUDED:
        raise Conflict(
            "archive.case_not_concluded", _("Only a concluded case is archived."), {"state": case.state}
        )
    if ArchivePackage.objects.filter(case=case).exists():
        raise Conflict("archive.exists", _("This case is already archived."))
    files = _package_files(case)
    manifest = {
        "@context": [signing.VC_CONTEXT],
        "type": ["VerifiableCredential", "ZwfwArchiveManifest"],
        "issuer": {"id": selectors.issuer_id(None), "name": str(_("Government service platform"))},
        "validFrom": timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "case": case.number,
            "agency": case.agency.name,
            "files": [
                {"path": path, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
                for path, content in sorted(files.items())
            ],
        },
    }
    signed, key = platform_sign(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for path, content in sorted(files.items()):
            package.writestr(path, content)
        package.writestr(MANIFEST, _json(signed))
    data = buffer.getvalue()
    archive = ArchivePackage(
        case=case, sha256=hashlib.sha256(data).hexdigest(), manifest=signed, seal_key=key
    )
    archive.file.save(f"{case.number}.zip", ContentFile(data), save=False)
    archive.save()
    audit_record(
        actor=actor,
        object_type="case",
        object_id=case.pk,
        action="archive",
        payload={"sha256": archive.sha256, "files": len(files), "kid": key.kid},
    )
    return archive


@dataclass(frozen=True)
class ArchiveCheck:
    """The outcome of checking one package: intact, or the list of what is wrong."""

    case: str
    problems: list[str]

    @property
    def intact(self) -> bool:
        """No problem found."""
        return not self.problems


def archive_verify_bytes(data: bytes, *, keys: signing.KeyRing) -> ArchiveCheck:
    """Check a package: a readable ZIP, a manifest signed by the platform, every listed file
    present with its hash and size, and nothing unlisted."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
        manifest_bytes = package.read(MANIFEST)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return ArchiveCheck("", [f"not a readable package: {exc}"])
    check = signing.document_verify(manifest_bytes, keys)
    if not check.genuine or check.claims is None:
        return ArchiveCheck("", [f"manifest signature does not verify ({check.reason})"])
    manifest = check.claims
    problems: list[str] = []
    if manifest["issuer"]["id"] != selectors.PLATFORM_ISSUER:
        problems.append("manifest is not signed by the platform")
    listed = manifest["credentialSubject"]["files"]
    for entry in listed:
        path = entry["path"]
        if path not in names:
            problems.append(f"missing file: {path}")
            continue
        try:
            content = package.read(path)
        except (zipfile.BadZipFile, OSError) as exc:
            problems.append(f"unreadable file: {path} ({exc})")
            continue
        if hashlib.sha256(content).hexdigest() != entry["sha256"] or len(content) != entry["size"]:
            problems.append(f"file changed: {path}")
    extra = names - {e["path"] for e in listed} - {MANIFEST}
    problems.extend(f"file not in the manifest: {path}" for path in sorted(extra))
    return ArchiveCheck(str(manifest["credentialSubject"]["case"]), problems)
