"""License types and seals: defining types, creating seals, rotating keys, signing with
the platform seal (status lists, archive manifests)."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zwfw.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zwfw.core.ledger import audit_record
from zwfw.core.models import Agency
from zwfw.identity.models import Role
from zwfw.identity.selectors import Actor, actor_scope
from zwfw.licenses import keystore, signing
from zwfw.licenses.models import (
    LicenseType,
    Seal,
    SealKey,
    SealKeyState,
    StatusList,
    SubjectKind,
    TrustLevel,
)
from zwfw.licenses.selectors import (
    issuer_id,
    keyring_invalidate,
    published_key,
)
from zwfw.licenses.services._common import _base_url, _has_agency_role, _iso_now

# --- license types -----------------------------------------------------------------------------


@transaction.atomic
def license_type_create(
    *,
    actor: Actor | None,
    code: str,
    name: str,
    item: Any = None,
    subject_kind: str = SubjectKind.PERSON,
    fields: list[dict[str, Any]] | None = None,
    validity_years: int | None = None,
    trust_level: str = TrustLevel.A,
    system: bool = False,
) -> LicenseType:
    """Define a kind of certificate (catalog administrators, or the system for demo data)."""
    if not system and not (actor_scope(actor).is_superuser or Role.CATALOG_ADMIN in actor_scope(actor).roles):
        raise PermissionDenied("license.forbidden", _("You may not define license types."))
    problems = []
    if subject_kind not in SubjectKind.values:
        problems.append({"field": "subject_kind"})
    if trust_level not in TrustLevel.values:
        problems.append({"field": "trust_level"})
    clean_fields = []
    for entry in fields or []:
        key = str(entry.get("key", "")).strip()
        if not key or not str(entry.get("label", "")).strip():
            problems.append({"field": "fields"})
            continue
        clean_fields.append(
            {"key": key, "label": str(entry["label"]).strip(), "required": bool(entry.get("required"))}
        )
    if not code.strip() or not name.strip():
        problems.append({"field": "code" if not code.strip() else "name"})
    if problems:
        raise ValidationFailed(
            "license.type_invalid", _("Some fields of the license type are invalid."), problems
        )
    if (
        LicenseType.objects.filter(code=code.strip()).exists()
        or LicenseType.objects.filter(name=name.strip()).exists()
    ):
        raise Conflict("license.type_exists", _("A license type with this code or name exists."))
    license_type = LicenseType.objects.create(
        code=code.strip(),
        name=name.strip(),
        item=item,
        subject_kind=subject_kind,
        fields=clean_fields,
        validity_years=validity_years,
        trust_level=trust_level,
    )
    audit_record(
        actor=actor,
        object_type="license_type",
        object_id=license_type.pk,
        action="create",
        payload={"code": license_type.code, "name": license_type.name},
        new_object=True,
    )
    return license_type


# --- seals -------------------------------------------------------------------------------------


def _key_new(seal: Seal) -> SealKey:
    pair = signing.keypair_generate(seal.algorithm)
    kid = f"{'ed' if seal.algorithm == signing.ED25519 else 'sm'}-{secrets.token_hex(6)}"
    return SealKey.objects.create(
        seal=seal,
        kid=kid,
        algorithm=seal.algorithm,
        public_key=pair.public,
        private_key_encrypted=keystore.private_key_encrypt(kid=kid, private=pair.private),
    )


def _may_manage_seal(actor: Actor | None, agency: Agency | None) -> bool:
    scope = actor_scope(actor)
    if scope.is_superuser:
        return True
    if agency is None:
        return False
    return _has_agency_role(actor, agency, (Role.APPROVER,)) or scope.has_role(
        Role.CENTER_ADMIN, region=agency.region
    )


@transaction.atomic
def seal_create(
    *,
    actor: Actor | None,
    agency: Agency | None,
    algorithm: str = signing.ED25519,
    name: str = "",
    make_default: bool = True,
    system: bool = False,
) -> Seal:
    """Create a seal with its first key (``agency=None``: the platform's own seal, which signs
    status lists and archives). The new seal signs from now on when ``make_default``."""
    if not system and not _may_manage_seal(actor, agency):
        raise PermissionDenied("seal.forbidden", _("You may not manage this agency's seals."))
    if algorithm not in signing.ALGORITHMS:
        raise ValidationFailed(
            "seal.algorithm_invalid", _("Unknown signature algorithm."), [{"field": "algorithm"}]
        )
    if make_default:
        Seal.objects.filter(agency=agency, is_default=True).update(is_default=False)
    seal = Seal.objects.create(
        agency=agency,
        name=name or (f"{agency.name}电子印章" if agency else "政务服务平台电子印章"),
        algorithm=algorithm,
        is_default=make_default,
    )
    key = _key_new(seal)
    audit_record(
        actor=actor,
        object_type="seal",
        object_id=seal.pk,
        action="create",
        payload={"algorithm": algorithm, "kid": key.kid, "agency": agency.pk if agency else None},
        new_object=True,
    )
    keyring_invalidate()
    return seal


@transaction.atomic
def seal_rotate(*, actor: Actor | None, seal: Seal, system: bool = False) -> SealKey:
    """Key rotation: a new key signs from now on; the retired key keeps verifying what it signed."""
    if not system and not _may_manage_seal(actor, seal.agency):
        raise PermissionDenied("seal.forbidden", _("You may not manage this agency's seals."))
    seal = Seal.objects.select_for_update().get(pk=seal.pk)
    old = list(seal.keys.filter(state=SealKeyState.ACTIVE))
    seal.keys.filter(state=SealKeyState.ACTIVE).update(state=SealKeyState.RETIRED, retired_at=timezone.now())
    key = _key_new(seal)
    audit_record(
        actor=actor,
        object_type="seal",
        object_id=seal.pk,
        action="rotate",
        payload={"retired": [k.kid for k in old], "kid": key.kid},
    )
    keyring_invalidate()
    return key


def _platform_seal() -> Seal:
    seal = Seal.objects.filter(agency__isnull=True, is_default=True).first()
    return seal or seal_create(actor=None, agency=None, system=True)


def _signing_key(seal: Seal) -> tuple[signing.PublishedKey, bytes]:
    """The seal's active key, ready to sign (the plain private key only lives in this call)."""
    key = seal.keys.filter(state=SealKeyState.ACTIVE).first()
    if key is None:
        raise Conflict("seal.no_active_key", _("This seal has no active key."))
    private = keystore.private_key_decrypt(kid=key.kid, token=key.private_key_encrypted)
    return published_key(key), private


def _agency_seal(agency: Agency) -> Seal:
    seal = Seal.objects.filter(agency=agency, is_default=True).first()
    return seal or seal_create(actor=None, agency=agency, system=True)


def platform_sign(document: dict[str, Any]) -> tuple[dict[str, Any], SealKey]:
    """Sign a platform document (status lists, archive manifests) with the platform seal."""
    seal = _platform_seal()
    key, private = _signing_key(seal)
    signed = signing.document_sign(
        document, key=key, private=private, created=_iso_now(), base_url=_base_url()
    )
    return signed, seal.keys.get(kid=key.kid)


# --- published status lists --------------------------------------------------------------------

_status_cache: dict[tuple[int, str], tuple[int, dict[str, Any]]] = {}


def status_list_credential(*, list_id: int, purpose: str) -> dict[str, Any]:
    """The signed ``BitstringStatusListCredential`` of one list and purpose (cached per list
    version; signed by the platform seal, created on first use)."""
    if purpose not in signing.STATUS_PURPOSES:
        raise NotFound("license.status_list_not_found", _("Status list not found."))
    status_list = StatusList.objects.filter(pk=list_id).first()
    if status_list is None:
        raise NotFound("license.status_list_not_found", _("Status list not found."))
    cached = _status_cache.get((status_list.pk, purpose))
    if cached is not None and cached[0] == status_list.version:
        return cached[1]
    bits = bytes(status_list.revocation if purpose == "revocation" else status_list.suspension)
    url = f"{_base_url()}/api/v1/licenses/status/{status_list.pk}/{purpose}"
    document: dict[str, Any] = {
        "@context": [signing.VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer_id(None), "name": str(_("Government service platform"))},
        "validFrom": _iso_now(),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": signing.bitstring_encode(bits),
        },
    }
    with transaction.atomic():
        signed, _key = platform_sign(document)
    _status_cache[(status_list.pk, purpose)] = (status_list.version, signed)
    return signed
