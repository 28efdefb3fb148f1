"""No private key appears in plaintext in any API response, page, log line or database column:
every seal key (both algorithms, rotated ones too) is decrypted here and searched for in every
encoding a leak could take."""

from __future__ import annotations

import base64
import logging

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.db import connection
from django.test import Client

from zwfw.licenses import keystore, services, signing
from zwfw.licenses.models import SealKey
from zwfw.licenses.tests.conftest import Bureau, seal_for
from zwfw.licenses.tests.factories import food_case, publish_food_item, walk_to_review


def leak_forms(private: bytes, algorithm: str) -> list[bytes]:
    """Every spelling of a private key worth searching for."""
    forms = [
        private,
        private.hex().encode(),
        private.hex().upper().encode(),
        base64.b64encode(private),
        base64.b64encode(private).rstrip(b"="),
        signing.b64u_encode(private).encode(),
        signing.b58_encode(private).encode(),
    ]
    if algorithm == signing.ED25519:
        key = Ed25519PrivateKey.from_private_bytes(private)
        forms.append(key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()))
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        forms.append(b"".join(pem.splitlines()[1:-1]))
    return forms


def test_no_private_key_in_responses_pages_logs_or_database(
    bureau: Bureau, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # SQL with its parameters goes to the log too
    try:
        desk = bureau.desk
        seal_for(bureau, signing.SM2)
        lic = bureau.issue()
        services.seal_rotate(actor=bureau.approver, seal=lic.seal_key.seal)
        seal_for(bureau, signing.ED25519)
        second = bureau.issue()
        services.license_suspend(actor=bureau.approver, license=second, reason="核查")
        impl = publish_food_item(desk.world)
        held = bureau.issue()
        case = food_case(impl, desk.citizen)
        material = services.license_attach_to_case(
            actor=desk.citizen, case=case, requirement_key="business-license", license=held
        )
        walk_to_review(case, citizen=desk.citizen, clerk=desk.clerk, reviewer=desk.reviewer)

        anonymous, holder, reviewer, approver = Client(), Client(), Client(), Client()
        holder.force_login(desk.citizen)
        reviewer.force_login(desk.reviewer)
        approver.force_login(bureau.approver)
        bodies = [
            anonymous.get("/api/v1/licenses/keys").content,
            anonymous.get(f"/api/v1/licenses/status/{lic.status_list_id}/revocation").content,
            anonymous.get(f"/api/v1/licenses/status/{lic.status_list_id}/suspension").content,
            anonymous.post(
                "/api/v1/licenses/verify", {"token": lic.token}, content_type="application/json"
            ).content,
            anonymous.post(
                "/api/v1/licenses/verify", {"credential": second.document}, content_type="application/json"
            ).content,
            anonymous.get("/licenses/verify/", {"t": lic.token}).content,
            anonymous.get("/api/v1/openapi.json").content,
            holder.get("/my/licenses/").content,
            holder.get(f"/my/licenses/{lic.pk}/").content,
            holder.get(f"/my/licenses/{lic.pk}/pdf/").content,
            holder.get("/api/v1/licenses/mine").content,
            holder.get(f"/api/v1/licenses/mine/{lic.pk}/credential").content,
            holder.get("/api/v1/licenses/mine/accesses").content,
            reviewer.get(f"/staff/cases/{case.pk}/licenses/{material.pk}/").content,
            reviewer.get(f"/staff/cases/{case.pk}/licenses/{material.pk}/copy.pdf").content,
            approver.post(
                f"/api/v1/licenses/{lic.number}/revoke", {"reason": "x"}, content_type="application/json"
            ).content,
        ]
    finally:
        connection.force_debug_cursor = False
    logs = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records).encode()
    assert b"INSERT" in logs  # the SQL log was captured

    database: list[bytes] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        database.append(bytes(value))
                    elif value is not None:
                        database.append(str(value).encode())
    assert any(lic.number.encode() in cell for cell in database)

    keys = list(SealKey.objects.all())
    assert {k.algorithm for k in keys} == {signing.ED25519, signing.SM2} and len(keys) >= 4
    haystacks = {"responses": bodies, "logs": [logs], "database": database}
    for key in keys:
        private = keystore.private_key_decrypt(kid=key.kid, token=key.private_key_encrypted)
        for form in leak_forms(private, key.algorithm):
            for where, items in haystacks.items():
                assert not any(form in item for item in items), f"private key of {key.kid} found in {where}"
