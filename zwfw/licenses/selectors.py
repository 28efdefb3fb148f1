"""Reads of e-licenses: the published keys, verification (online and from the signed forms),
the holder's licenses, licenses usable for a material (免证办), grants and the access log.

Lists are scoped: a holder sees their own licenses; staff see licenses through the services
that log their access.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zwfw.core.errors import NotFound
from zwfw.core.models import Agency
from zwfw.identity.selectors import Actor, actor_scope
from zwfw.licenses import signing
from zwfw.licenses.models import License, LicenseAccess, LicenseGrant, LicenseState, LicenseType, SealKey

PLATFORM_ISSUER = "urn:zwfw:platform"


def issuer_id(agency: Agency | None) -> str:
    """The credential issuer id of an agency (or of the platform)."""
    return f"urn:zwfw:agency:{agency.pk}" if agency is not None else PLATFORM_ISSUER


def published_key(key: SealKey) -> signing.PublishedKey:
    """A seal key as verifiers see it (public part only)."""
    seal = key.seal
    return signing.PublishedKey.make(
        kid=key.kid,
        algorithm=key.algorithm,
        public=bytes(key.public_key),
        issuer_id=issuer_id(seal.agency),
        issuer_name=seal.agency.name if seal.agency else str(_("Government service platform")),
        seal_name=seal.name,
        status=key.state,
    )


def _seal_keys() -> QuerySet[SealKey]:
    return SealKey.objects.select_related("seal__agency").defer("private_key_encrypted").order_by("id")


def keys_published() -> dict[str, Any]:
    """The key set served at ``/api/v1/licenses/keys``: every active and retired public key."""
    return {"keys": [published_key(k).published() for k in _seal_keys()]}


_keyring: signing.KeyRing | None = None


def keyring(*, reload: bool = False) -> signing.KeyRing:
    """The platform's key ring, cached in the process (reloaded when an unknown key id appears:
    keys are only ever added, so a cached ring never trusts a key it should not)."""
    global _keyring
    if _keyring is None or reload:
        _keyring = signing.KeyRing(published_key(k) for k in _seal_keys())
    return _keyring


def keyring_invalidate() -> None:
    """Forget the cached key ring (after a key is created)."""
    global _keyring
    _keyring = None


def license_type_for_name(name: str) -> LicenseType | None:
    """The license type a material requirement names (by name or code)."""
    name = (name or "").strip()
    if not name:
        return None
    return LicenseType.objects.filter(Q(name=name) | Q(code=name)).first()


def license_in_force(lic: License, *, today: datetime.date | None = None) -> bool:
    """Active and within its validity period."""
    day = today or timezone.localdate()
    return (
        lic.state == LicenseState.ACTIVE
        and lic.valid_from <= day
        and (lic.valid_until is None or lic.valid_until >= day)
    )


@dataclass(frozen=True)
class Verification:
    """What a verifier learns: genuine or not, and for a genuine license who issued it, to whom,
    its fields, its validity and its standing (``state``: valid, expired, not_yet_valid,
    suspended, revoked; empty when not genuine)."""

    genuine: bool
    state: str = ""
    reason: str = ""
    number: str = ""
    type_name: str = ""
    issuer_name: str = ""
    holder_name: str = ""
    holder_id_masked: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    valid_from: str = ""
    valid_until: str = ""
    algorithm: str = ""
    kid: str = ""
    license: License | None = None


NOT_GENUINE = Verification(genuine=False, reason="malformed")


def field_labels(lic: License) -> list[tuple[str, str]]:
    """A license's fields as (label, value), in the type's order."""
    labels = {f["key"]: f["label"] for f in lic.license_type.fields}
    return [(labels.get(k, k), str(v)) for k, v in lic.fields.items()]


def _online(check: signing.Check, *, number: str, today: datetime.date) -> Verification:
    """Complete a genuine check with the license's live standing."""
    lic = License.objects.select_related("license_type", "agency").filter(number=number).first()
    if lic is None:  # signed by a platform key but unknown here: treat as not genuine
        return Verification(genuine=False, reason="unknown_license")
    status = {"active": "active", "suspended": "suspended", "revoked": "revoked"}[lic.state]
    state = signing.combined_state(
        valid_from=lic.valid_from.isoformat(),
        valid_until=lic.valid_until.isoformat() if lic.valid_until else None,
        status=status,
        today=today.isoformat(),
    )
    assert check.key is not None
    return Verification(
        genuine=True,
        state=state,
        number=lic.number,
        type_name=lic.license_type.name,
        issuer_name=lic.agency.name,
        holder_name=lic.holder_name,
        holder_id_masked=lic.holder_id_masked,
        fields=field_labels(lic),
        valid_from=lic.valid_from.isoformat(),
        valid_until=lic.valid_until.isoformat() if lic.valid_until else "",
        algorithm=check.key.algorithm,
        kid=check.key.kid,
        license=lic,
    )


def license_verify(
    *,
    token: str = "",
    credential: dict[str, Any] | str | bytes | None = None,
    today: datetime.date | None = None,
) -> Verification:
    """Online verification of a QR token or a credential: signature against the published keys,
    then the live standing. Anything wrong is ``genuine=False``, never an exception."""
    day = today or timezone.localdate()
    try:
        if token:
            token = token.strip()
            if "t=" in token and "?" in token:  # a scanned URL: take its token
                token = token.rpartition("t=")[2].split("&")[0]
            check = signing.token_verify(token, keys=keyring(), statuses=None, today=day.isoformat())
            if check.reason == "unknown_key":
                check = signing.token_verify(
                    token, keys=keyring(reload=True), statuses=None, today=day.isoformat()
                )
            if not check.genuine or check.claims is None:
                return Verification(genuine=False, reason=check.reason)
            return _online(check, number=str(check.claims["id"]), today=day)
        if credential is not None:
            check = signing.document_verify(credential, keyring())
            if check.reason == "unknown_key":
                check = signing.document_verify(credential, keyring(reload=True))
            if not check.genuine or check.claims is None:
                return Verification(genuine=False, reason=check.reason)
            number = str(check.claims["credentialSubject"]["license"]["number"])
            return _online(check, number=number, today=day)
    except (KeyError, TypeError, ValueError):
        return NOT_GENUINE
    return NOT_GENUINE


def licenses_of_holder(*, actor: Actor | None) -> QuerySet[License]:
    """The licenses the actor holds (as a person, and as their enterprise's account); a license
    of a bundle's child case whose bundle delivers results together appears once all concluded."""
    from zwfw.bundles.selectors import held_result_case_ids  # bundles build on cases

    scope = actor_scope(actor)
    q = Q(pk__in=[])
    if scope.person_id:
        q |= Q(holder_person_id=scope.person_id)
    if scope.enterprise_id:
        q |= Q(holder_enterprise_id=scope.enterprise_id)
    return (
        License.objects.filter(q)
        .exclude(case_id__in=held_result_case_ids())
        .select_related("license_type", "agency")
        .order_by("-issued_at")
    )


def license_get_for_holder(*, actor: Actor | None, license_id: int) -> License:
    """One of the actor's own licenses, or NotFound."""
    lic = licenses_of_holder(actor=actor).filter(pk=license_id).first()
    if lic is None:
        raise NotFound("license.not_found", _("License not found."))
    return lic


def licenses_for_material(*, user: Actor | None, license_type: str) -> list[License]:
    """免证办: the licenses in force the user holds of the type a material asks for."""
    wanted = license_type_for_name(license_type)
    if wanted is None:
        return []
    return [
        lic for lic in licenses_of_holder(actor=user).filter(license_type=wanted) if license_in_force(lic)
    ]


def grants_of_license(*, license: License) -> QuerySet[LicenseGrant]:
    """Every grant the holder gave for a license, newest first."""
    return license.grants.select_related("agency", "case").order_by("-created_at")


def accesses_of_holder(*, actor: Actor | None) -> QuerySet[LicenseAccess]:
    """Who used the actor's licenses ("who looked at my licenses"), newest first."""
    return (
        LicenseAccess.objects.filter(license__in=licenses_of_holder(actor=actor))
        .select_related("license__license_type", "agency", "case")
        .order_by("-at")
    )


def license_for_material(*, material: Any) -> License | None:
    """The license a case material (kind ``e_license``) refers to."""
    reference = getattr(material, "license_reference", "")
    return (
        License.objects.select_related("license_type", "agency").filter(number=reference).first()
        if reference
        else None
    )
