"""Public calendar API under /api/v1/calendar/: due dates and working days between two dates.

Anonymous access is allowed. Parameters are taken as strings so that every bad input gets its
own stable code (422): ``calendar.missing_parameter``, ``calendar.invalid_date``,
``calendar.date_out_of_range``, ``calendar.invalid_days``, ``calendar.days_out_of_range``,
``calendar.invalid_unit``. ``details`` lists every failing parameter.
"""

from __future__ import annotations

import datetime
import re

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from zwfw.core.calendar import (
    MAX_DAYS,
    SUPPORTED_FIRST_YEAR,
    SUPPORTED_LAST_YEAR,
    LimitUnit,
    between,
    due_date_with_pauses,
    parse_iso_date,
)
from zwfw.core.errors import ValidationFailed
from zwfw.core.schemas import ErrorOut

router = Router(tags=["calendar"])

_INTEGER = re.compile(r"[+-]?[0-9]+")


class CalendarAddOut(Schema):
    """A due date: ``days`` days of ``unit`` after ``start`` (the start day is not counted),
    moved by the days of any ``pauses`` of the clock."""

    start: datetime.date
    days: int
    unit: LimitUnit
    due: datetime.date
    provisional: bool
    paused_days: int = 0


class CalendarBetweenOut(Schema):
    """The working days after ``start`` up to and including ``end``."""

    working_days: int
    provisional: bool


class _Problems:
    """Collects every bad parameter, then raises one ValidationFailed."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field: str, code: str, message: str) -> None:
        self.items.append({"field": field, "code": code, "message": message})

    def raise_any(self) -> None:
        if self.items:
            first = self.items[0]
            raise ValidationFailed(first["code"], first["message"], self.items)

    def date(self, field: str, raw: str | None) -> datetime.date | None:
        """Parse a strict YYYY-MM-DD date within the supported years."""
        if raw is None or not raw.strip():
            self.add(
                field,
                "calendar.missing_parameter",
                _("The parameter %(name)s is required.") % {"name": field},
            )
            return None
        day = parse_iso_date(raw)
        if day is None:
            self.add(
                field,
                "calendar.invalid_date",
                _("%(name)s must be a valid date in the form YYYY-MM-DD, for example 2025-09-30.")
                % {"name": field},
            )
            return None
        if not SUPPORTED_FIRST_YEAR <= day.year <= SUPPORTED_LAST_YEAR:
            self.add(
                field,
                "calendar.date_out_of_range",
                _("%(name)s must lie in the years %(first)d to %(last)d.")
                % {"name": field, "first": SUPPORTED_FIRST_YEAR, "last": SUPPORTED_LAST_YEAR},
            )
            return None
        return day


@router.get(
    "/add",
    response={200: CalendarAddOut, 422: ErrorOut},
    summary="Due date of a time limit",
    auth=None,
)
def calendar_add(
    request: HttpRequest,
    start: str | None = Query(None, description="The start day (not counted), YYYY-MM-DD."),  # noqa: B008
    days: str | None = Query(None, description=f"The time limit, 0 to {MAX_DAYS}."),  # noqa: B008
    unit: str | None = Query(  # noqa: B008
        None, description="working_days (default) or natural_days."
    ),
    pauses: str | None = Query(  # noqa: B008
        None,
        description="Pauses of the clock, comma-separated START/END pairs (suspended on START, resumed on END), "
        "e.g. 2025-03-03/2025-03-07,2025-03-20/2025-03-21. Each moves the due date by the days in (START, END].",
    ),
) -> CalendarAddOut:
    """The ``days``-th working (or natural) day after ``start``; ``provisional`` when the span
    touches a year whose holiday notice is not loaded yet (statutory rules were used)."""
    problems = _Problems()
    day = problems.date("start", start)
    count: int | None = None
    if days is None or not days.strip():
        problems.add(
            "days", "calendar.missing_parameter", _("The parameter %(name)s is required.") % {"name": "days"}
        )
    elif not _INTEGER.fullmatch(days.strip()):
        problems.add("days", "calendar.invalid_days", _("days must be a whole number."))
    else:
        digits = days.strip()
        count = int(digits) if len(digits) <= 18 else None  # longer is out of range anyway
        if count is None or not 0 <= count <= MAX_DAYS:
            problems.add(
                "days",
                "calendar.days_out_of_range",
                _("days must be between 0 and %(max)d.") % {"max": MAX_DAYS},
            )
    limit_unit = LimitUnit.WORKING_DAYS
    if unit is not None and unit.strip():
        if unit.strip() not in LimitUnit.values:
            problems.add("unit", "calendar.invalid_unit", _("unit must be working_days or natural_days."))
        else:
            limit_unit = LimitUnit(unit.strip())
    spans: list[tuple[datetime.date, datetime.date]] = []
    for index, raw in enumerate(p for p in (pauses or "").split(",") if p.strip()):
        parts = raw.strip().split("/")
        if len(parts) != 2:
            problems.add(
                f"pauses.{index}",
                "calendar.invalid_pause",
                _("Each pause is written START/END, for example 2025-03-03/2025-03-07."),
            )
            continue
        pause_start = problems.date(f"pauses.{index}.start", parts[0])
        pause_end = problems.date(f"pauses.{index}.end", parts[1])
        if pause_start is not None and pause_end is not None:
            spans.append((pause_start, pause_end))
    problems.raise_any()
    assert day is not None and count is not None
    try:
        result = due_date_with_pauses(day, count, limit_unit, spans)
    except ValueError:
        raise ValidationFailed(
            "calendar.invalid_pause",
            _("Pauses must start on or after the start day, end on or after they start, and not overlap."),
            [{"field": "pauses", "code": "calendar.invalid_pause"}],
        ) from None
    return CalendarAddOut(
        start=day,
        days=count,
        unit=limit_unit,
        due=result.due,
        provisional=result.provisional,
        paused_days=result.paused_days,
    )


@router.get(
    "/between",
    response={200: CalendarBetweenOut, 422: ErrorOut},
    summary="Working days between two dates",
    auth=None,
)
def calendar_between(
    request: HttpRequest,
    start: str | None = Query(None, description="The first day (not counted), YYYY-MM-DD."),  # noqa: B008
    end: str | None = Query(None, description="The last day (counted), YYYY-MM-DD."),  # noqa: B008
) -> CalendarBetweenOut:
    """The working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    problems = _Problems()
    first = problems.date("start", start)
    last = problems.date("end", end)
    problems.raise_any()
    assert first is not None and last is not None
    result = between(first, last)
    return CalendarBetweenOut(working_days=result.days, provisional=result.provisional)
