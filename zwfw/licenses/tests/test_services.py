"""Issuing, verifying (online and offline), suspending, reinstating and revoking, for both seal
algorithms; key rotation; tampering; permissions."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from zwfw.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zwfw.core.models import AuditEvent
from zwfw.licenses import selectors, services, signing
from zwfw.licenses.models import License, LicenseState, SealKeyState
from zwfw.licenses.tests.conftest import Bureau, seal_for

ALGORITHMS = [signing.ED25519, signing.SM2]


def published_ring() -> signing.KeyRing:
    """The key ring a verifier builds from the public key set, over HTTP."""
    return signing.KeyRing.from_published(Client().get("/api/v1/licenses/keys").json())


def published_statuses(ring: signing.KeyRing, lic: License) -> signing.StatusView:
    """The status lists a verifier downloads (and checks) for a license's list."""
    view = signing.StatusView()
    for purpose in signing.STATUS_PURPOSES:
        credential = Client().get(f"/api/v1/licenses/status/{lic.status_list_id}/{purpose}").json()
        assert view.add_credential(credential, ring)
    return view


def today() -> str:
    return timezone.localdate().isoformat()


@pytest.mark.smoke
def test_signing_round_trip_without_database() -> None:
    pair = signing.keypair_generate(signing.ED25519)
    key = signing.PublishedKey.make(
        kid="k1", algorithm=signing.ED25519, public=pair.public, issuer_id="urn:x"
    )
    token = signing.token_sign(
        {"id": "1", "is": "urn:x", "vf": "2020-01-01", "s": ["1", 3]}, key=key, private=pair.private
    )
    assert signing.token_verify(token, keys=signing.KeyRing([key]), statuses=None, today="2026-01-01").genuine
    assert not signing.token_verify(
        token[:-2], keys=signing.KeyRing([key]), statuses=None, today="2026-01-01"
    ).genuine


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_issue_verify_online_offline_suspend_reinstate_revoke(bureau: Bureau, algorithm: str) -> None:
    seal_for(bureau, algorithm)
    lic = bureau.issue()
    assert lic.seal_key.algorithm == algorithm
    assert lic.document["proof"]["cryptosuite"] == signing.CRYPTOSUITES[algorithm]
    assert lic.document["issuer"]["name"] == "景洪市市场监督管理局"
    assert lic.document["credentialSubject"]["identifier"] == bureau.desk.person.id_number_masked
    assert lic.valid_until == datetime.date(
        lic.valid_from.year + 5, lic.valid_from.month, lic.valid_from.day
    ) - datetime.timedelta(days=1)

    online = selectors.license_verify(token=lic.token)
    assert (online.genuine, online.state, online.number, online.algorithm) == (
        True,
        "valid",
        lic.number,
        algorithm,
    )
    assert ("经营范围", "预包装食品销售") in online.fields
    assert selectors.license_verify(credential=lic.document).state == "valid"
    assert selectors.license_verify(credential=json.dumps(lic.document, ensure_ascii=False)).genuine

    ring = published_ring()
    offline = signing.token_verify(
        lic.token, keys=ring, statuses=published_statuses(ring, lic), today=today()
    )
    assert (offline.genuine, offline.state) == (True, "valid")
    assert signing.token_verify(lic.token, keys=ring, statuses=None, today=today()).state == "unchecked"
    doc_check = signing.document_verify(json.dumps(lic.document), ring)
    assert doc_check.genuine

    for action, expected in (("suspend", "suspended"), ("reinstate", "valid"), ("revoke", "revoked")):
        reason = "" if action == "reinstate" else "现场检查不合格"
        getattr(services, f"license_{action}")(actor=bureau.approver, license=lic, reason=reason)
        lic.refresh_from_db()
        assert selectors.license_verify(token=lic.token).state == expected
        view = published_statuses(ring, lic)
        assert signing.token_verify(lic.token, keys=ring, statuses=view, today=today()).state == expected
        assert signing.document_state(lic.document, statuses=view, today=today()) == expected
    assert lic.state == LicenseState.REVOKED
    with pytest.raises(Conflict) as exc:
        services.license_reinstate(actor=bureau.approver, license=lic)
    assert exc.value.code == "license.illegal_transition"
    actions = list(
        AuditEvent.objects.filter(object_type="license", object_id=str(lic.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["issue", "suspend", "reinstate", "revoke"]


def _flips(data: bytes, step: int = 1):
    for i in range(0, len(data) * 8, step):
        flipped = bytearray(data)
        flipped[i // 8] ^= 1 << (i % 8)
        yield bytes(flipped)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_flipped_bit_of_the_token_fails(bureau: Bureau, algorithm: str) -> None:
    seal_for(bureau, algorithm)
    lic = bureau.issue()
    ring = published_ring()
    raw = lic.token.encode()
    for tampered in _flips(raw):
        check = signing.token_verify(tampered.decode("latin-1"), keys=ring, statuses=None, today=today())
        assert not check.genuine, tampered
    # truncated, extended, empty: not genuine, and never an exception
    for bad in (lic.token[:-1], lic.token[: len(lic.token) // 2], lic.token + "A", "", "ZL1..", "x" * 10_000):
        assert not signing.token_verify(bad, keys=ring, statuses=None, today=today()).genuine
        assert not selectors.license_verify(token=bad).genuine


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_flipped_bit_of_the_document_fails(bureau: Bureau, algorithm: str) -> None:
    seal_for(bureau, algorithm)
    lic = bureau.issue()
    ring = published_ring()
    raw = json.dumps(lic.document, ensure_ascii=False, separators=(",", ":")).encode()
    assert signing.document_verify(raw, ring).genuine
    for tampered in _flips(raw):
        assert not signing.document_verify(tampered, ring).genuine
    assert not signing.document_verify(raw[:-1], ring).genuine
    assert not selectors.license_verify(credential=raw[:-10].decode("utf-8", "ignore")).genuine


def test_wrong_key_and_forged_issuer_are_not_genuine(bureau: Bureau) -> None:
    lic = bureau.issue()
    ring = published_ring()
    stranger = signing.keypair_generate(signing.ED25519)
    real = ring.get(lic.seal_key.kid)
    assert real is not None
    # the same key id with another public key
    swapped = signing.KeyRing(
        [
            signing.PublishedKey.make(
                kid=real.kid, algorithm=real.algorithm, public=stranger.public, issuer_id=real.issuer_id
            )
        ]
    )
    assert (
        signing.token_verify(lic.token, keys=swapped, statuses=None, today=today()).reason == "bad_signature"
    )
    # another agency's genuine key cannot speak for this agency
    other = services.seal_create(actor=None, agency=bureau.desk.world.jh_police, system=True)  # type: ignore[attr-defined]
    other_key = other.keys.get()
    from zwfw.licenses import keystore

    private = keystore.private_key_decrypt(kid=other_key.kid, token=other_key.private_key_encrypted)
    forged = signing.token_sign(
        {**services.license_claims(lic)}, key=selectors.published_key(other_key), private=private
    )
    assert selectors.license_verify(token=forged).reason == "issuer_mismatch"
    assert not selectors.license_verify(token="ZL1.e30.AAAA").genuine


def test_rotation_new_key_signs_old_signatures_still_verify(bureau: Bureau) -> None:
    first = bureau.issue()
    seal = first.seal_key.seal
    new_key = services.seal_rotate(actor=bureau.approver, seal=seal)
    second = bureau.issue()
    assert second.seal_key == new_key and first.seal_key != new_key
    first.seal_key.refresh_from_db()
    assert first.seal_key.state == SealKeyState.RETIRED
    assert selectors.license_verify(token=first.token).state == "valid"
    ring = published_ring()
    assert {k.status for k in ring.keys.values()} >= {"active", "retired"}
    assert signing.token_verify(first.token, keys=ring, statuses=None, today=today()).genuine
    with pytest.raises(PermissionDenied):
        services.seal_rotate(actor=bureau.desk.citizen, seal=seal)


def test_only_the_issuing_agency_changes_status(bureau: Bureau) -> None:
    lic = bureau.issue()
    with pytest.raises(PermissionDenied):
        services.license_revoke(actor=bureau.desk.world.clerk_mh, license=lic, reason="x")  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        services.license_suspend(actor=bureau.desk.citizen, license=lic, reason="x")
    with pytest.raises(ValidationFailed) as exc:
        services.license_suspend(actor=bureau.approver, license=lic, reason=" ")
    assert exc.value.code == "license.reason_required"
    lic.refresh_from_db()
    assert lic.state == LicenseState.ACTIVE


def test_issue_rules(bureau: Bureau) -> None:
    with pytest.raises(PermissionDenied):
        services.license_issue(
            actor=bureau.desk.clerk,
            license_type=bureau.license_type,
            agency=bureau.desk.world.jh_market,  # type: ignore[attr-defined]
            holder_person=bureau.desk.person,
            fields={"business_scope": "x"},
        )
    with pytest.raises(ValidationFailed) as exc:
        bureau.issue(address="only the address")
    assert exc.value.code == "license.fields_missing"
    with pytest.raises(ValidationFailed):
        services.license_issue(
            actor=bureau.approver,
            license_type=bureau.license_type,
            agency=bureau.desk.world.jh_market,  # type: ignore[attr-defined]
            fields={"business_scope": "x"},
        )
    assert License.objects.count() == 0


def test_expired_and_not_yet_valid(bureau: Bureau) -> None:
    lic = bureau.issue()
    later = lic.valid_until + datetime.timedelta(days=1)
    assert selectors.license_verify(token=lic.token, today=later).state == "expired"
    assert (
        selectors.license_verify(token=lic.token, today=lic.valid_from - datetime.timedelta(days=1)).state
        == "not_yet_valid"
    )


def test_status_indices_are_distinct_and_bits_set(bureau: Bureau) -> None:
    licenses = [bureau.issue() for _ in range(5)]
    assert len({lic.status_index for lic in licenses}) == 5
    services.license_revoke(actor=bureau.approver, license=licenses[2], reason="吊销")
    credential = services.status_list_credential(list_id=licenses[0].status_list_id, purpose="revocation")
    bits = signing.bitstring_decode(credential["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == signing.STATUS_LIST_BITS
    assert [signing.bit_get(bits, lic.status_index) for lic in licenses] == [False, False, True, False, False]
    with pytest.raises(NotFound):
        services.status_list_credential(list_id=licenses[0].status_list_id, purpose="other")
