"""Private seal keys at rest: encrypted with Fernet under ``ZWFW_SEAL_ENCRYPTION_KEY``.

The setting holds one or more comma-separated Fernet keys (the first encrypts, all decrypt, so
keys can be rotated). When unset (the demo), a key is derived from ``ZWFW_ID_ENCRYPTION_KEY``;
production sets its own. The ciphertext binds the key id, so a ciphertext copied to another
seal key's row does not decrypt there. Plain private keys live only in memory while signing.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _setting() -> str:
    explicit = str(getattr(settings, "ZWFW_SEAL_ENCRYPTION_KEY", "") or "")
    if explicit:
        return explicit
    base = str(settings.ZWFW_ID_ENCRYPTION_KEY).split(",")[0].strip()
    derived = hashlib.sha256(b"zwfw-seal-encryption:" + base.encode()).digest()
    return base64.urlsafe_b64encode(derived).decode()


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


def private_key_encrypt(*, kid: str, private: bytes) -> str:
    """Encrypt a private key for its row (bound to ``kid``)."""
    return _fernet(_setting()).encrypt(kid.encode() + b"\0" + private).decode()


class SealKeyUnreadable(Exception):
    """The stored private key cannot be decrypted with the configured keys (or was moved)."""


def private_key_decrypt(*, kid: str, token: str) -> bytes:
    """Decrypt a stored private key, checking that it belongs to ``kid``."""
    try:
        plain = _fernet(_setting()).decrypt(token.encode())
    except InvalidToken as exc:
        raise SealKeyUnreadable(kid) from exc
    owner, _sep, private = plain.partition(b"\0")
    if owner != kid.encode():
        raise SealKeyUnreadable(kid)
    return private
