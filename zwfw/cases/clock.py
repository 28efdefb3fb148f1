"""The statutory clock of a case, computed by the one calendar service.

Due date = the promised limit after acceptance, moved by every pause (special procedures and
waiting for corrections, in (S, R]) and by approved extensions. The statutory due date is kept
alongside; exceeding it is flagged separately. Nothing here adds days to dates by itself.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from zwfw.cases.models import Case, CaseState
from zwfw.core.calendar import LimitUnit, between, due_date, due_date_with_pauses

DEFAULT_DUE_SOON_DAYS = 3


@dataclass(frozen=True)
class ClockView:
    """What every case screen shows about its time limit."""

    due_date: datetime.date | None
    statutory_due_date: datetime.date | None
    days_left: int | None  # working (or natural) days from today to the due date; negative when overdue
    paused_days: int
    running: bool
    paused: bool
    overdue: bool
    over_statutory: bool
    provisional: bool


def clock_compute(case: Case, *, today: datetime.date | None = None) -> None:
    """Recompute the case's due dates from its acceptance, closed pauses and extensions (in place)."""
    if case.accepted_on is None or case.limit_days is None:
        return
    unit = case.limit_unit or LimitUnit.WORKING_DAYS
    pauses = [(p.started_on, p.ended_on) for p in case.pauses.all() if p.ended_on is not None]
    moved = due_date_with_pauses(case.accepted_on, case.limit_days, unit, pauses)
    due, provisional = moved.due, moved.provisional
    if case.extension_days:
        extended = due_date(due, case.extension_days, unit)
        due, provisional = extended.due, provisional or extended.provisional
    case.due_date = due
    case.paused_days = moved.paused_days
    case.provisional = provisional
    statutory = case.version.content.get("statutory_limit")
    if statutory is not None:
        statutory_unit = case.version.content.get("statutory_limit_unit") or LimitUnit.WORKING_DAYS
        case.statutory_due_date = due_date_with_pauses(
            case.accepted_on, statutory, statutory_unit, pauses
        ).due


def clock_view(case: Case, *, today: datetime.date) -> ClockView:
    """The clock as the case screens show it today."""
    paused = case.state == CaseState.SUSPENDED
    running = case.state in (CaseState.ACCEPTED, CaseState.UNDER_REVIEW)
    days_left: int | None = None
    overdue = False
    if case.due_date is not None and (running or paused):
        unit = case.limit_unit or LimitUnit.WORKING_DAYS
        if today <= case.due_date:
            days_left = between(today, case.due_date, unit).days
        else:
            days_left = -between(case.due_date, today, unit).days
            overdue = running
    concluded = case.concluded_on or today
    over_statutory = bool(case.statutory_due_date and concluded > case.statutory_due_date)
    return ClockView(
        due_date=case.due_date,
        statutory_due_date=case.statutory_due_date,
        days_left=days_left,
        paused_days=case.paused_days,
        running=running,
        paused=paused,
        overdue=overdue,
        over_statutory=over_statutory,
        provisional=case.provisional,
    )
