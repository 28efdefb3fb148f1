"""Case numbers a person can read aloud: region code, date, sequence (532801-20251127-00042).

The sequence is one row per region and day, locked while a number is drawn, so numbers are
unique under concurrent intake; a number drawn in a transaction that rolls back was never
given to anyone, and a given number is never given again.
"""

from __future__ import annotations

import datetime
import secrets

from django.db import IntegrityError, transaction

from zwfw.cases.models import CaseNumberSequence


def case_number_next(*, region_code: str, day: datetime.date) -> str:
    """Draw the next case number for a region and day (call inside the submitting transaction)."""
    with transaction.atomic():
        row = CaseNumberSequence.objects.select_for_update().filter(region_code=region_code, day=day).first()
        if row is None:
            try:
                with transaction.atomic():
                    CaseNumberSequence.objects.create(region_code=region_code, day=day, last=0)
            except IntegrityError:
                pass  # another intake created the row first
            row = CaseNumberSequence.objects.select_for_update().get(region_code=region_code, day=day)
        row.last += 1
        row.save(update_fields=["last"])
    return f"{region_code}-{day:%Y%m%d}-{row.last:05d}"


def lookup_code_new() -> str:
    """A six-digit code printed on the acceptance notice: the second factor of the status lookup."""
    return f"{secrets.randbelow(10**6):06d}"
