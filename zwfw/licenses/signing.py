"""Signatures of e-licenses, pure and offline: no database, no settings, no network.

Two algorithms, chosen per seal: Ed25519 (``cryptography``) and SM2 with SM3 (gmssl-pyx, the
C GmSSL binding; GB/T 38540-style seals). Two signed forms of one license:

- the **document**: a W3C Verifiable Credential 2.0 JSON with a ``DataIntegrityProof`` built like
  the ``eddsa-jcs-2022`` cryptosuite (hash of the JCS-canonical proof options, then of the
  JCS-canonical credential, signed); SM2 seals use the same construction with SM3 hashes under
  the platform-specific cryptosuite name ``zwfw-sm2sm3-jcs-2026``;
- the **token** for the QR code: ``ZL1.<key id>.<base64url(JCS claims)>.<base64url(signature)>``,
  the signature over the ASCII text before the last dot (as in JWS). Encodings are checked to be
  canonical, so that no bit of the token can change without the check failing.

A verifier holding the published keys (``KeyRing.from_published``) and, optionally, the
published Bitstring Status Lists (``StatusView``) checks a token with no call back.
Every check answers a result; malformed input is "not genuine", never an exception.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import gmssl_pyx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

ED25519 = "Ed25519"
SM2 = "SM2"
ALGORITHMS = (ED25519, SM2)
CRYPTOSUITES = {ED25519: "eddsa-jcs-2022", SM2: "zwfw-sm2sm3-jcs-2026"}
QR_PREFIX = "ZL1"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
STATUS_LIST_BITS = 131_072  # the spec's minimum (16 KiB) so that one entry hides among many
STATUS_PURPOSES = ("revocation", "suspension")


# --- encodings ---------------------------------------------------------------------------------


def b64u_encode(data: bytes) -> str:
    """base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# base64url → standard alphabet; "+", "/" and "=" become "!" so that strict decoding refuses them.
_FROM_URLSAFE = bytes.maketrans(b"-_+/=", b"+/!!!")
_B64U = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_B64U_INDEX = {c: i for i, c in enumerate(_B64U)}


def _b64u_bytes(text: str) -> bytes:
    """base64url to bytes (padding added); characters outside the alphabet raise ValueError."""
    try:
        raw = text.encode("ascii").translate(_FROM_URLSAFE)
        return binascii.a2b_base64(raw + b"=" * (-len(raw) % 4), strict_mode=True)
    except (binascii.Error, UnicodeError) as exc:
        raise ValueError("not base64url") from exc


def b64u_decode(text: str) -> bytes:
    """Strict base64url without padding: any non-canonical spelling raises ValueError (a last
    character whose unused low bits are not zero would otherwise decode like another one)."""
    data = _b64u_bytes(text)
    rest = len(text) % 4
    if rest == 1 or (rest and _B64U_INDEX[text[-1]] & (0x0F if rest == 2 else 0x03)):
        raise ValueError("non-canonical base64url")
    return data


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}


def b58_encode(data: bytes) -> str:
    """base58btc (the multibase ``z`` alphabet)."""
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = _B58[rem] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


def b58_decode(text: str) -> bytes:
    """Strict base58btc decoding (raises ValueError on any character outside the alphabet)."""
    number = 0
    for char in text:
        if char not in _B58_INDEX:
            raise ValueError("not base58btc")
        number = number * 58 + _B58_INDEX[char]
    pad = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    data = b"\0" * pad + body
    if b58_encode(data) != text:
        raise ValueError("non-canonical base58btc")
    return data


def jcs(value: Any) -> bytes:
    """RFC 8785 JSON canonicalisation for the values licenses hold (strings, integers, bools,
    null, lists, objects): keys sorted by UTF-16 code units, no whitespace, UTF-8."""
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda kv: kv[0].encode("utf-16-be"))
        return b"{" + b",".join(jcs(k) + b":" + jcs(v) for k, v in items) + b"}"
    if isinstance(value, list | tuple):
        return b"[" + b",".join(jcs(v) for v in value) + b"]"
    if isinstance(value, float):
        raise ValueError("floats are not used in licenses")
    return json.dumps(value, ensure_ascii=False).encode()


def _strict_json(data: bytes) -> Any:
    """Parse JSON, refusing duplicate keys (two readings of one text must not exist)."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            raise ValueError("duplicate key")
        return result

    return json.loads(data.decode("utf-8"), object_pairs_hook=pairs)


# --- keys and raw signatures -------------------------------------------------------------------


@dataclass(frozen=True)
class KeyPair:
    """A freshly generated key pair (the private part leaves this object only encrypted)."""

    algorithm: str
    public: bytes
    private: bytes = field(repr=False)


def keypair_generate(algorithm: str) -> KeyPair:
    """Generate a signing key pair for ``Ed25519`` or ``SM2``."""
    if algorithm == ED25519:
        key = Ed25519PrivateKey.generate()
        private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return KeyPair(algorithm, public, private)
    if algorithm == SM2:
        public, private = gmssl_pyx.sm2_key_generate()
        return KeyPair(algorithm, public, private)
    raise ValueError(f"unknown algorithm {algorithm!r}")


def raw_sign(*, algorithm: str, private: bytes, public: bytes, message: bytes) -> bytes:
    """Sign ``message`` (SM2: with SM3 and the default signer id, as GB/T 38540 seals do)."""
    if algorithm == ED25519:
        return Ed25519PrivateKey.from_private_bytes(private).sign(message)
    if algorithm == SM2:
        return bytes(gmssl_pyx.sm2_sign(private, public, message))
    raise ValueError(f"unknown algorithm {algorithm!r}")


def _hash(algorithm: str, data: bytes) -> bytes:
    return gmssl_pyx.sm3_hash(data) if algorithm == SM2 else hashlib.sha256(data).digest()


@dataclass(frozen=True)
class PublishedKey:
    """One public key as verifiers know it: who it belongs to and how to check with it."""

    kid: str
    algorithm: str
    public: bytes
    issuer_id: str
    issuer_name: str = ""
    seal_name: str = ""
    status: str = "active"
    _ed: Ed25519PublicKey | None = field(default=None, repr=False, compare=False)

    @classmethod
    def make(cls, **kwargs: Any) -> PublishedKey:
        """Build a key, preparing the Ed25519 verifier object once."""
        key = cls(**kwargs)
        if key.algorithm == ED25519:
            object.__setattr__(key, "_ed", Ed25519PublicKey.from_public_bytes(key.public))
        elif key.algorithm == SM2:
            if len(key.public) != 64:
                raise ValueError("an SM2 public key has 64 bytes")
        else:
            raise ValueError(f"unknown algorithm {key.algorithm!r}")
        return key

    def verify(self, message: bytes, signature: bytes) -> bool:
        """True when ``signature`` over ``message`` is this key's; never raises."""
        try:
            if self._ed is not None:
                self._ed.verify(signature, message)
                return True
            if len(signature) > 80:
                return False
            return bool(gmssl_pyx.sm2_verify(self.public, message, signature))
        except (InvalidSignature, gmssl_pyx.GmsslInnerError, ValueError, TypeError):
            return False

    def jwk(self) -> dict[str, str]:
        """The public key as a JWK (OKP/Ed25519, or EC with curve ``SM2``)."""
        if self.algorithm == ED25519:
            return {"kty": "OKP", "crv": "Ed25519", "x": b64u_encode(self.public), "kid": self.kid}
        return {
            "kty": "EC",
            "crv": "SM2",
            "x": b64u_encode(self.public[:32]),
            "y": b64u_encode(self.public[32:]),
            "kid": self.kid,
        }

    def published(self) -> dict[str, Any]:
        """The entry of this key in the published key set."""
        return {
            "kid": self.kid,
            "alg": self.algorithm,
            "status": self.status,
            "issuer": {"id": self.issuer_id, "name": self.issuer_name},
            "seal": self.seal_name,
            "jwk": self.jwk(),
        }


class KeyRing:
    """The public keys a verifier trusts, by key id."""

    def __init__(self, keys: Iterable[PublishedKey] = ()) -> None:
        self.keys: dict[str, PublishedKey] = {k.kid: k for k in keys}

    def get(self, kid: str) -> PublishedKey | None:
        """The key with this id, or None."""
        return self.keys.get(kid)

    @classmethod
    def from_published(cls, data: Mapping[str, Any]) -> KeyRing:
        """Read the key set served at ``/api/v1/licenses/keys`` (entries that do not parse are
        skipped: an unreadable key verifies nothing)."""
        keys: list[PublishedKey] = []
        for entry in data.get("keys", []):
            try:
                jwk = entry["jwk"]
                if entry["alg"] == ED25519:
                    public = b64u_decode(jwk["x"])
                else:
                    public = b64u_decode(jwk["x"]) + b64u_decode(jwk["y"])
                keys.append(
                    PublishedKey.make(
                        kid=str(entry["kid"]),
                        algorithm=str(entry["alg"]),
                        public=public,
                        issuer_id=str(entry["issuer"]["id"]),
                        issuer_name=str(entry["issuer"].get("name", "")),
                        seal_name=str(entry.get("seal", "")),
                        status=str(entry.get("status", "active")),
                    )
                )
            except (KeyError, TypeError, ValueError):
                continue
        return cls(keys)


# --- bitstring status lists --------------------------------------------------------------------


def bitstring_encode(bits: bytes) -> str:
    """``encodedList``: multibase base64url (``u``) of the GZIP-compressed bitstring."""
    return "u" + b64u_encode(gzip.compress(bits, compresslevel=9, mtime=0))


def bitstring_decode(encoded: str) -> bytes:
    """The bitstring of an ``encodedList`` (raises ValueError when it is not one)."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url")
    try:
        return gzip.decompress(b64u_decode(encoded[1:]))
    except (OSError, EOFError) as exc:
        raise ValueError("encodedList is not GZIP") from exc


def bit_get(bits: bytes, index: int) -> bool:
    """Bit ``index`` counted from the left-most bit of the first byte (as the spec orders them)."""
    return bool(bits[index >> 3] & (0x80 >> (index & 7)))


def bit_set(bits: bytearray, index: int, value: bool) -> None:
    """Set or clear bit ``index`` (left-most first)."""
    if value:
        bits[index >> 3] |= 0x80 >> (index & 7)
    else:
        bits[index >> 3] &= ~(0x80 >> (index & 7)) & 0xFF


class StatusView:
    """The published status lists a verifier has fetched: (list id, purpose) → bitstring."""

    def __init__(self) -> None:
        self.lists: dict[tuple[str, str], bytes] = {}

    def add(self, list_id: str, purpose: str, bits: bytes) -> None:
        """Remember one list's bits."""
        self.lists[(list_id, purpose)] = bits

    def add_credential(self, credential: Mapping[str, Any], keys: KeyRing) -> bool:
        """Add a published ``BitstringStatusListCredential`` after checking its proof;
        False (and nothing added) when the proof or the shape is wrong."""
        if not document_verify(credential, keys).genuine:
            return False
        try:
            subject = credential["credentialSubject"]
            list_id, _sep, _purpose = str(credential["id"]).rpartition("/")
            self.add(
                list_id.rpartition("/")[2],
                str(subject["statusPurpose"]),
                bitstring_decode(subject["encodedList"]),
            )
        except (KeyError, TypeError, ValueError):
            return False
        return True

    def state(self, list_id: str, index: int) -> str | None:
        """``revoked``, ``suspended``, ``active``, or None when a list is not known here."""
        revoked = self.lists.get((list_id, "revocation"))
        suspended = self.lists.get((list_id, "suspension"))
        if revoked is None or suspended is None or not 0 <= index < len(revoked) * 8:
            return None
        if bit_get(revoked, index):
            return "revoked"
        if bit_get(suspended, index):
            return "suspended"
        return "active"


# --- the QR token ------------------------------------------------------------------------------


def token_sign(claims: Mapping[str, Any], *, key: PublishedKey, private: bytes) -> str:
    """Sign compact claims into a token ``ZL1.<kid>.<claims>.<signature>``."""
    if "." in key.kid:
        raise ValueError("a key id has no dots")
    head = f"{QR_PREFIX}.{key.kid}.{b64u_encode(jcs(dict(claims)))}"
    signature = raw_sign(algorithm=key.algorithm, private=private, public=key.public, message=head.encode())
    return f"{head}.{b64u_encode(signature)}"


@dataclass(frozen=True)
class Check:
    """The outcome of one verification.

    ``genuine``: the signature is the issuer's and nothing was changed. ``state``: valid,
    expired, not_yet_valid, suspended, revoked, or unchecked (offline, no status list).
    ``reason`` says why a check failed (malformed, unknown_key, issuer_mismatch, bad_signature).
    """

    genuine: bool
    state: str = ""
    reason: str = ""
    claims: Mapping[str, Any] | None = None
    key: PublishedKey | None = None

    @property
    def valid(self) -> bool:
        """Genuine, in force and neither suspended nor revoked."""
        return self.genuine and self.state == "valid"


NOT_GENUINE_MALFORMED = Check(False, reason="malformed")


def combined_state(*, valid_from: str, valid_until: str | None, status: str | None, today: str) -> str:
    """The combined state: revocation first, then suspension, then the validity period."""
    if status in ("revoked", "suspended"):
        return status
    if valid_from[:10] > today:
        return "not_yet_valid"
    if valid_until and valid_until[:10] < today:
        return "expired"
    return "valid" if status == "active" else "unchecked"


def token_verify(token: str, *, keys: KeyRing, statuses: StatusView | None, today: str) -> Check:
    """Check a token offline: key, signature over the exact text, then claims, issuer, status
    and validity. ``today`` is an ISO date (``YYYY-MM-DD``). The signature is checked before the
    claims are parsed: only text the issuer signed is ever read. Returns a not-genuine Check
    for anything wrong, never raises.
    """
    try:
        head, dot, sig_text = token.rpartition(".")
        parts = head.split(".")
        if not dot or len(parts) != 3 or parts[0] != QR_PREFIX or len(token) > 8000:
            return NOT_GENUINE_MALFORMED
        key = keys.keys.get(parts[1])
        if key is None:
            return Check(False, reason="unknown_key")
        if not key.verify(head.encode("ascii"), b64u_decode(sig_text)):
            return Check(False, reason="bad_signature", key=key)
        claims = json.loads(_b64u_bytes(parts[2]).decode("utf-8"))
        if claims["is"] != key.issuer_id:
            return Check(False, reason="issuer_mismatch", claims=claims, key=key)
        list_id, index = claims["s"]
        status = statuses.state(list_id, index) if statuses is not None else None
        state = combined_state(
            valid_from=claims["vf"], valid_until=claims.get("vu"), status=status, today=today
        )
        return Check(True, state=state, claims=claims, key=key)
    except (ValueError, KeyError, TypeError, UnicodeError, IndexError):
        return NOT_GENUINE_MALFORMED


# --- the verifiable credential -----------------------------------------------------------------


def _proof_hash(document: Mapping[str, Any], proof_options: Mapping[str, Any], algorithm: str) -> bytes:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof_options.items() if k != "proofValue"}
    options["@context"] = unsecured.get("@context")
    return _hash(algorithm, jcs(options)) + _hash(algorithm, jcs(unsecured))


def verification_method(base_url: str, kid: str) -> str:
    """The URL of a key in the published key set."""
    return f"{base_url.rstrip('/')}/api/v1/licenses/keys#{kid}"


def document_sign(
    document: Mapping[str, Any], *, key: PublishedKey, private: bytes, created: str, base_url: str
) -> dict[str, Any]:
    """Add a ``DataIntegrityProof`` made with ``key`` to a credential (a copy is returned)."""
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITES[key.algorithm],
        "created": created,
        "verificationMethod": verification_method(base_url, key.kid),
        "proofPurpose": "assertionMethod",
    }
    signature = raw_sign(
        algorithm=key.algorithm,
        private=private,
        public=key.public,
        message=_proof_hash(document, proof, key.algorithm),
    )
    proof["proofValue"] = "z" + b58_encode(signature)
    signed = {k: v for k, v in document.items() if k != "proof"}
    signed["proof"] = proof
    return signed


def document_verify(document: Mapping[str, Any] | bytes | str, keys: KeyRing) -> Check:
    """Check a credential's proof (a dict, or its JSON text: a text that is not JSON, or that
    repeats a key, is not genuine). Status and validity are left to the caller."""
    try:
        if isinstance(document, str):
            document = document.encode("utf-8")
        doc = _strict_json(document) if isinstance(document, bytes) else document
        if not isinstance(doc, dict):
            return NOT_GENUINE_MALFORMED
        proof = doc["proof"]
        kid = str(proof["verificationMethod"]).rpartition("#")[2]
        key = keys.get(kid)
        if key is None:
            return Check(False, reason="unknown_key")
        issuer = doc["issuer"]
        issuer_id = issuer["id"] if isinstance(issuer, dict) else issuer
        if issuer_id != key.issuer_id:
            return Check(False, reason="issuer_mismatch", key=key)
        if proof["type"] != "DataIntegrityProof" or proof["cryptosuite"] != CRYPTOSUITES[key.algorithm]:
            return Check(False, reason="bad_signature", key=key)
        value = str(proof["proofValue"])
        if not value.startswith("z"):
            return Check(False, reason="bad_signature", key=key)
        signature = b58_decode(value[1:])
        if not key.verify(_proof_hash(doc, proof, key.algorithm), signature):
            return Check(False, reason="bad_signature", key=key)
        return Check(True, state="unchecked", claims=doc, key=key)
    except (ValueError, KeyError, TypeError, UnicodeError, AttributeError):
        return NOT_GENUINE_MALFORMED


def document_state(document: Mapping[str, Any], *, statuses: StatusView | None, today: str) -> str:
    """The state of a genuine credential from its validity period and its status entries."""
    status: str | None = None
    if statuses is not None:
        entries = document.get("credentialStatus") or []
        for entry in entries if isinstance(entries, list) else [entries]:
            list_id = str(entry["statusListCredential"]).rstrip("/").rpartition("/")[0].rpartition("/")[2]
            status = statuses.state(list_id, int(entry["statusListIndex"]))
            break
    return combined_state(
        valid_from=str(document.get("validFrom", "")),
        valid_until=document.get("validUntil"),
        status=status,
        today=today,
    )
