"""Citizen ID numbers (GB 11643) and unified social credit codes (GB 32100).

Checks come from python-stdnum. ID numbers are encrypted at rest (Fernet, keys from settings,
several comma-separated keys allowed for rotation: the first encrypts) and looked up by a
keyed HMAC, never by plaintext; screens show ``mask_id_number``.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from zwfw.core.errors import ValidationFailed


@dataclass(frozen=True)
class IdNumber:
    """A checked citizen ID number and what it tells."""

    value: str
    birth_date: datetime.date
    sex: str  # "male" or "female": the 17th digit is odd for men

    @property
    def masked(self) -> str:
        return mask_id_number(self.value)


def parse_id_number(raw: str, *, field: str = "id_number") -> IdNumber:
    """Check a GB 11643 ID number; raise ValidationFailed with a clear message if it is wrong.

    Length, format, check character and date come from python-stdnum. The region prefix must be
    one that GB/T 2260 has ever assigned, but not necessarily in the birth year: stdnum ties the
    two, which wrongly refuses people whose number was issued after their county was renamed
    (景洪县 532821 became 景洪市 532801 in 1993; a person born in 1990 may hold 532801...).
    """
    value = ric.compact(raw or "").upper()
    message = None
    if len(value) != 18:
        message = _("An ID number has 18 characters.")
    elif not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        message = _("The ID number may only contain digits and a final X.")
    elif value[-1] != ric.calc_check_digit(value):
        message = _("The ID number's check character is wrong; please check every digit.")
    else:
        try:
            birth = ric.get_birth_date(value)
        except ValidationError:
            message = _("The ID number contains an impossible date of birth.")
        else:
            if birth > datetime.date.today():
                message = _("The date of birth lies in the future.")
            elif not numdb.get("cn/loc").info(value[:6])[-1][1]:
                message = _("The first six digits are not a known region code.")
            else:
                return IdNumber(value=value, birth_date=birth, sex="male" if int(value[16]) % 2 else "female")
    raise ValidationFailed("identity.id_number_invalid", message, details=[{"field": field}])


def mask_id_number(value: str) -> str:
    """Show the region's first four and the last four characters only: ``5328**********123X``."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def parse_uscc(raw: str, *, field: str = "uscc") -> str:
    """Check a GB 32100 unified social credit code and return it compacted."""
    try:
        return str(uscc.validate(raw or ""))
    except InvalidLength:
        message = _("A unified social credit code has 18 characters.")
    except InvalidChecksum:
        message = _("The unified social credit code's check character is wrong.")
    except ValidationError:
        message = _("The unified social credit code contains characters that are not allowed.")
    raise ValidationFailed("identity.uscc_invalid", message, details=[{"field": field}])


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


def encrypt_id_number(value: str) -> str:
    """Encrypt an ID number for storage."""
    return _fernet(settings.ZWFW_ID_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt_id_number(token: str) -> str:
    """Decrypt a stored ID number (only for services that must show or send it in full)."""
    return _fernet(settings.ZWFW_ID_ENCRYPTION_KEY).decrypt(token.encode()).decode()


def id_number_lookup_hash(value: str) -> str:
    """Keyed hash of an ID number for exact lookup without decrypting every row."""
    return hmac.new(settings.ZWFW_ID_HASH_KEY.encode(), value.upper().encode(), hashlib.sha256).hexdigest()
