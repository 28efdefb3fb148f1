"""Case numbers a person can read aloud: region code, date, sequence (532801-20251127-00042).

The sequence is one row per region and day, locked while a number is drawn, so numbers are
unique under concurrent intake; a number drawn in a transaction that rolls back was never
given to anyone, and a given number is never given again.
"""

from __future__ import annotations

import datetime
import secrets

from zwfw.cases.models import CaseNumberSequence
from zwfw.core.prepared import prepared_cursor


def case_number_next(*, region_code: str, day: datetime.date) -> str:
    """Draw the next case number for a region and day (call inside the submitting transaction).

    One statement: insert the day's row or bump it, returning the new value. The row stays
    locked until the caller's transaction ends, so concurrent intakes queue on it and every
    number is drawn once.
    """
    table = CaseNumberSequence._meta.db_table
    with prepared_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (region_code, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - constant table  # nosec B608
            f"ON CONFLICT (region_code, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [region_code, day],
        )
        (last,) = cursor.fetchone()
    return f"{region_code}-{day:%Y%m%d}-{last:05d}"


def lookup_code_new() -> str:
    """A six-digit code printed on the acceptance notice: the second factor of the status lookup."""
    return f"{secrets.randbelow(10**6):06d}"
