"""Case numbers a person can read aloud: region code, date, sequence (532801-20251127-00042).

The sequence is one row per region and day. A number is unique under concurrent intake and is
never given twice. How it is drawn depends on where (``case_number_next``):

- inside the submitting transaction (a window's submission): the row stays locked until that
  transaction ends, so a number whose submission rolls back is drawn again and the day's
  numbers have no gaps;
- outside any transaction, on PostgreSQL (an online submission, whose case is then written by
  one statement): the draw commits on its own at once, so concurrent submissions do not queue
  on the row until each one's commit reaches the disk. A submission that fails after its draw
  leaves its number unused (a gap, never a repeat). docs/decisions/0006-case-number-draw.md.
"""

from __future__ import annotations

import datetime
import secrets

from django.db import connection

from zwfw.cases.models import CaseNumberSequence
from zwfw.core.prepared import prepared_cursor

_TABLE = CaseNumberSequence._meta.db_table
_UPSERT = (
    f"INSERT INTO {_TABLE} (region_code, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - constant table  # nosec B608
    f"ON CONFLICT (region_code, day) DO UPDATE SET last = {_TABLE}.last + 1 RETURNING last"
)
# The same upsert as a transaction of its own that commits without waiting for the disk
# (set_config(..., true) lasts until the end of the statement's own transaction). That is safe:
# the case that takes the number commits later and waits for the disk, and PostgreSQL writes
# its log in order, so once a case exists its number's draw is on disk too; a crash before that
# can lose only the draw of a number no case has, which is then drawn again.
_UPSERT_OWN = (
    f"INSERT INTO {_TABLE} (region_code, day, last) "  # noqa: S608 - constant table  # nosec B608
    "SELECT %s, %s, 1 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS own "
    f"ON CONFLICT (region_code, day) DO UPDATE SET last = {_TABLE}.last + 1 RETURNING last"
)


def case_number_next(*, region_code: str, day: datetime.date) -> str:
    """Draw the next case number for a region and day.

    One statement: insert the day's row or bump it, returning the new value. Inside a
    transaction the row stays locked until that transaction ends (concurrent intakes queue on
    it; no gaps). Outside any transaction on PostgreSQL the draw is a transaction of its own,
    committed at once (module docstring): the caller's case must then be written by a single
    statement, and a number whose case is not written is skipped.
    """
    own = connection.vendor == "postgresql" and connection.get_autocommit() and not connection.in_atomic_block
    with prepared_cursor() as cursor:
        cursor.execute(_UPSERT_OWN if own else _UPSERT, [region_code, day])
        (last,) = cursor.fetchone()
    return f"{region_code}-{day:%Y%m%d}-{last:05d}"


def lookup_code_new() -> str:
    """A six-digit code printed on the acceptance notice: the second factor of the status lookup."""
    return f"{secrets.randbelow(10**6):06d}"
