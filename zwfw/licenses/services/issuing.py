"""Issuing licenses (directly or from an approved case) and changing their standing:
suspend, reinstate, revoke, with the Bitstring Status List bits in the same transaction."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zwfw.cases.models import Case, CaseState
from zwfw.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zwfw.core.ledger import audit_record
from zwfw.core.models import Agency
from zwfw.identity.models import Enterprise, Person, Role
from zwfw.identity.selectors import Actor, actor_scope
from zwfw.licenses import signing
from zwfw.licenses.models import (
    License,
    LicenseState,
    LicenseType,
    StatusList,
    SubjectKind,
)
from zwfw.licenses.selectors import (
    issuer_id,
)
from zwfw.licenses.services._common import ISSUER_ROLES, _base_url, _has_agency_role, _iso_now, _user
from zwfw.licenses.services.seals import _agency_seal, _platform_seal, _signing_key

# --- issuing -----------------------------------------------------------------------------------


def _status_slot() -> tuple[StatusList, int]:
    """A random free index in the newest list with room (random, so indices reveal no order)."""
    status_list = StatusList.objects.select_for_update().order_by("-id").first()
    if status_list is None or status_list.licenses.count() >= status_list.size // 2:
        empty = bytes(signing.STATUS_LIST_BITS // 8)
        status_list = StatusList.objects.create(
            size=signing.STATUS_LIST_BITS, revocation=empty, suspension=empty
        )
    used = set(status_list.licenses.values_list("status_index", flat=True))
    while True:
        index = secrets.randbelow(status_list.size)
        if index not in used:
            return status_list, index


def _add_years(day: datetime.date, years: int) -> datetime.date:
    """The day before the same date ``years`` later (有效期 2026-11-27 至 2031-11-26)."""
    try:
        later = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        later = day.replace(year=day.year + years, day=28)
    return later - datetime.timedelta(days=1)


def _number(agency: Agency, day: datetime.date) -> str:
    while True:
        number = f"{agency.region.code[:6]}{day:%Y%m%d}{secrets.randbelow(10**6):06d}"
        if not License.objects.filter(number=number).exists():
            return number


def license_document(lic: License, *, base_url: str) -> dict[str, Any]:
    """The unsigned W3C VC 2.0 credential of a license."""
    status_url = f"{base_url}/api/v1/licenses/status/{lic.status_list_id}"
    credential: dict[str, Any] = {
        "@context": [signing.VC_CONTEXT],
        "id": f"urn:zwfw:license:{lic.number}",
        "type": ["VerifiableCredential", "ZwfwLicense"],
        "name": lic.license_type.name,
        "issuer": {"id": issuer_id(lic.agency), "name": lic.agency.name},
        "validFrom": f"{lic.valid_from.isoformat()}T00:00:00+08:00",
        "credentialSubject": {
            "type": "LicenseHolder",
            "name": lic.holder_name,
            "identifier": lic.holder_id_masked,
            "license": {
                "type": lic.license_type.code,
                "typeName": lic.license_type.name,
                "number": lic.number,
                "trustLevel": lic.license_type.trust_level,
                "fields": lic.fields,
            },
        },
        "credentialStatus": [
            {
                "id": f"{status_url}/{purpose}#{lic.status_index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": str(lic.status_index),
                "statusListCredential": f"{status_url}/{purpose}",
            }
            for purpose in signing.STATUS_PURPOSES
        ],
    }
    if lic.valid_until:
        credential["validUntil"] = f"{lic.valid_until.isoformat()}T23:59:59+08:00"
    return credential


def license_claims(lic: License) -> dict[str, Any]:
    """The compact claims of the QR token: who issued what to whom, validity and status slot.
    The fields stay out (the online check shows them) so that the QR code stays small enough
    to scan from a worn phone screen."""
    claims: dict[str, Any] = {
        "v": 1,
        "id": lic.number,
        "ty": lic.license_type.code,
        "tn": lic.license_type.name,
        "is": issuer_id(lic.agency),
        "in": lic.agency.name,
        "h": lic.holder_name,
        "hid": lic.holder_id_masked,
        "vf": lic.valid_from.isoformat(),
        "s": [str(lic.status_list_id), lic.status_index],
    }
    if lic.valid_until:
        claims["vu"] = lic.valid_until.isoformat()
    return claims


@transaction.atomic
def license_issue(
    *,
    actor: Actor | None,
    license_type: LicenseType,
    agency: Agency,
    holder_person: Person | None = None,
    holder_enterprise: Enterprise | None = None,
    fields: dict[str, str] | None = None,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    case: Case | None = None,
    system: bool = False,
) -> License:
    """Issue a license: fill its fields, take a status slot, sign the credential and the QR
    token with the agency's seal (an Ed25519 seal is created on first use)."""
    if not system and not _has_agency_role(actor, agency, ISSUER_ROLES):
        raise PermissionDenied(
            "license.forbidden", _("Only the issuing agency's approvers issue its licenses.")
        )
    if license_type.subject_kind == SubjectKind.PERSON and holder_person is None:
        raise ValidationFailed(
            "license.holder_required", _("This license is held by a person."), [{"field": "holder"}]
        )
    if license_type.subject_kind == SubjectKind.ENTERPRISE and holder_enterprise is None:
        raise ValidationFailed(
            "license.holder_required", _("This license is held by an enterprise."), [{"field": "holder"}]
        )
    given = {str(k): str(v).strip() for k, v in (fields or {}).items()}
    values: dict[str, str] = {}
    missing = []
    for entry in license_type.fields:
        value = given.get(entry["key"], "")[:500]
        if entry.get("required") and not value and case is None:
            missing.append({"field": entry["key"]})
        values[entry["key"]] = value
    if missing:
        raise ValidationFailed(
            "license.fields_missing", _("Some fields of the license are missing."), missing
        )
    start = valid_from or timezone.localdate()
    end = valid_until or (
        _add_years(start, license_type.validity_years) if license_type.validity_years else None
    )
    if end is not None and end < start:
        raise ValidationFailed("license.validity_invalid", _("The license would end before it starts."))
    _platform_seal()  # its key signs the status lists: publish it with the first license
    seal = _agency_seal(agency)
    key, private = _signing_key(seal)
    status_list, index = _status_slot()
    if holder_enterprise is not None and license_type.subject_kind == SubjectKind.ENTERPRISE:
        holder_name, holder_id = holder_enterprise.name, holder_enterprise.uscc
    else:
        assert holder_person is not None
        holder_name, holder_id = holder_person.name, holder_person.id_number_masked
    lic = License(
        number=_number(agency, start),
        license_type=license_type,
        agency=agency,
        seal_key=seal.keys.get(kid=key.kid),
        holder_person=holder_person,
        holder_enterprise=holder_enterprise,
        holder_name=holder_name,
        holder_id_masked=holder_id,
        fields=values,
        valid_from=start,
        valid_until=end,
        status_list=status_list,
        status_index=index,
        case=case,
        issued_at=timezone.now(),
        issued_by=_user(actor),
    )
    lic.document = signing.document_sign(
        license_document(lic, base_url=_base_url()),
        key=key,
        private=private,
        created=_iso_now(),
        base_url=_base_url(),
    )
    lic.token = signing.token_sign(license_claims(lic), key=key, private=private)
    del private
    try:
        with transaction.atomic():
            lic.save(force_insert=True)
    except IntegrityError as exc:
        raise Conflict("license.already_issued", _("A license was already issued for this case.")) from exc
    audit_record(
        actor=actor,
        object_type="license",
        object_id=lic.pk,
        action="issue",
        payload={
            "number": lic.number,
            "type": license_type.code,
            "agency": agency.pk,
            "kid": key.kid,
            "case": case.number if case else None,
        },
        new_object=True,
    )
    return lic


CONCLUDED_APPROVED = (CaseState.APPROVED, CaseState.DELIVERED, CaseState.CLOSED)


def license_issue_for_case(*, case: Case, actor: Actor | None = None) -> License | None:
    """Issue the license an approved case results in (None when the item issues no license).

    Idempotent: a case issues at most one license, and calling again returns it. Fields are
    taken from the case's form data by the type's field keys.
    """
    existing = License.objects.filter(case=case).first()
    if existing is not None:
        return existing
    if case.state not in CONCLUDED_APPROVED:
        raise Conflict(
            "license.case_not_approved", _("Only an approved case issues a license."), {"state": case.state}
        )
    license_type = LicenseType.objects.filter(item_id=case.implementation.item_id).first()
    if license_type is None or case.version.content.get("result_type", "certificate") != "certificate":
        return None
    form = case.form_data or {}
    return license_issue(
        actor=actor,
        license_type=license_type,
        agency=case.agency,
        holder_person=case.applicant_person,
        holder_enterprise=case.applicant_enterprise,
        fields={e["key"]: str(form.get(e["key"], "")) for e in license_type.fields},
        case=case,
        system=actor is None or _has_agency_role(actor, case.agency, ISSUER_ROLES),
    )


# --- revoke, suspend, reinstate ----------------------------------------------------------------


_TARGETS = {
    "suspend": ({LicenseState.ACTIVE}, LicenseState.SUSPENDED),
    "reinstate": ({LicenseState.SUSPENDED}, LicenseState.ACTIVE),
    "revoke": ({LicenseState.ACTIVE, LicenseState.SUSPENDED}, LicenseState.REVOKED),
}


def _status_change(*, actor: Actor | None, lic: License, action: str, reason: str) -> License:
    if not _has_agency_role(actor, lic.agency, (Role.APPROVER,)):
        if actor_scope(actor).is_staff_member:
            raise PermissionDenied("license.forbidden", _("Only the issuing agency may change this license."))
        raise NotFound("license.not_found", _("License not found."))
    if action != "reinstate" and not reason.strip():
        raise ValidationFailed("license.reason_required", _("Give the reason."), [{"field": "reason"}])
    lic = License.objects.select_for_update().select_related("agency").get(pk=lic.pk)
    sources, target = _TARGETS[action]
    if lic.state not in sources:
        raise Conflict(
            "license.illegal_transition",
            _("This license is %(state)s; the action is not possible.") % {"state": lic.get_state_display()},
            {"state": lic.state, "action": action},
        )
    status_list = StatusList.objects.select_for_update().get(pk=lic.status_list_id)
    revocation, suspension = bytearray(status_list.revocation), bytearray(status_list.suspension)
    signing.bit_set(revocation, lic.status_index, target == LicenseState.REVOKED)
    signing.bit_set(suspension, lic.status_index, target == LicenseState.SUSPENDED)
    status_list.revocation, status_list.suspension = bytes(revocation), bytes(suspension)
    status_list.version += 1
    status_list.save()
    previous = lic.state
    lic.state = target
    lic.state_reason = reason.strip()[:2000]
    lic.save(update_fields=["state", "state_reason"])
    audit_record(
        actor=actor,
        object_type="license",
        object_id=lic.pk,
        action=action,
        payload={"from": previous, "to": target, "reason": lic.state_reason},
    )
    return lic


@transaction.atomic
def license_suspend(*, actor: Actor | None, license: License, reason: str) -> License:
    """Suspend a license (reversible); verifiers see it suspended at once."""
    return _status_change(actor=actor, lic=license, action="suspend", reason=reason)


@transaction.atomic
def license_reinstate(*, actor: Actor | None, license: License, reason: str = "") -> License:
    """Lift a suspension."""
    return _status_change(actor=actor, lic=license, action="reinstate", reason=reason)


@transaction.atomic
def license_revoke(*, actor: Actor | None, license: License, reason: str) -> License:
    """Revoke a license for good."""
    return _status_change(actor=actor, lic=license, action="revoke", reason=reason)
