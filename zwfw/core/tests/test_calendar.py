"""The calendar engine against a naive day-by-day reference, and the cases of the State Council notices."""

from __future__ import annotations

import datetime
import functools

import chinese_calendar
import holidays
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwfw.core import calendar
from zwfw.core.calendar import (
    DueDate,
    LimitUnit,
    add_natural_days,
    add_working_days,
    add_working_days_many,
    between,
    calendar_reset,
    due_date,
    is_provisional,
    is_provisional_year,
    is_workday,
    natural_days_between,
    working_days_between,
)
from zwfw.core.models import Holiday, HolidayKind

D = datetime.date
pytestmark = pytest.mark.django_db
PROPERTY = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar_reset()
    yield
    calendar_reset()


# ---------------------------------------------------------------------------------------------
# The reference: the precedence rules applied day by day, straight from the two packages.


@functools.cache
def _statutory_off(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.China(years=year, observed=False))


def ref_is_workday(d: datetime.date, rows: dict[datetime.date, str]) -> bool:
    if d in rows:
        return rows[d] == HolidayKind.WORKDAY
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:
        pass
    if any(r.year == d.year for r in rows):
        return d.weekday() < 5
    return d.weekday() < 5 and d not in _statutory_off(d.year)


def ref_is_provisional(d: datetime.date, rows: dict[datetime.date, str]) -> bool:
    try:
        chinese_calendar.is_workday(d)
        return False
    except NotImplementedError:
        return not any(r.year == d.year for r in rows)


class Reference:
    """Day-by-day loops over a table computed once by the reference rules."""

    def __init__(self, rows: dict[datetime.date, str], first: int = 2003, last: int = 2032) -> None:
        self.work: dict[datetime.date, bool] = {}
        self.prov: dict[datetime.date, bool] = {}
        d = D(first, 1, 1)
        while d.year <= last:
            self.work[d] = ref_is_workday(d, rows)
            self.prov[d] = ref_is_provisional(d, rows)
            d += datetime.timedelta(days=1)

    def add(self, start: datetime.date, n: int) -> datetime.date:
        d, counted = start, 0
        while counted < n:
            d += datetime.timedelta(days=1)
            counted += self.work[d]
        return d

    def between(self, start: datetime.date, end: datetime.date) -> int:
        count, d = 0, start
        while d < end:
            d += datetime.timedelta(days=1)
            count += self.work[d]
        return count

    def provisional(self, start: datetime.date, end: datetime.date) -> bool:
        d = start
        while d < end:
            d += datetime.timedelta(days=1)
            if self.prov[d]:
                return True
        return False


# A loaded notice for 2027 (a year chinesecalendar does not know), and one row overriding it
# in a year it does know.
ROWS = {
    D(2027, 1, 1): HolidayKind.HOLIDAY,
    D(2027, 2, 5): HolidayKind.HOLIDAY,
    D(2027, 2, 6): HolidayKind.HOLIDAY,
    D(2027, 2, 8): HolidayKind.HOLIDAY,
    D(2027, 2, 9): HolidayKind.HOLIDAY,
    D(2027, 2, 20): HolidayKind.WORKDAY,
    D(2025, 3, 3): HolidayKind.HOLIDAY,
    D(2024, 2, 10): HolidayKind.WORKDAY,
}
REF = Reference(ROWS)
EMPTY_REF = Reference({})


@pytest.fixture
def notice_rows():
    Holiday.objects.bulk_create(Holiday(date=d, kind=k, name="test") for d, k in ROWS.items())
    calendar_reset()


starts = st.dates(min_value=D(2004, 1, 1), max_value=D(2030, 6, 30))
limits = st.integers(min_value=0, max_value=400)


@PROPERTY
@given(start=starts, n=limits)
def test_add_working_days_matches_the_day_by_day_reference(notice_rows, start, n):
    due = add_working_days(start, n)
    assert due == REF.add(start, n)
    assert due_date(start, n) == DueDate(due, REF.provisional(start, due))


@PROPERTY
@given(start=starts, end=starts)
def test_working_days_between_matches_the_reference(notice_rows, start, end):
    assert working_days_between(start, end) == REF.between(start, end)
    expected_provisional = REF.provisional(start, end) if end > start else False
    assert between(start, end) == (REF.between(start, end), expected_provisional)


@PROPERTY
@given(start=starts, n=st.integers(min_value=1, max_value=400))
def test_add_and_between_are_consistent(notice_rows, start, n):
    due = add_working_days(start, n)
    assert is_workday(due)
    assert working_days_between(start, due) == n
    assert working_days_between(start, due - datetime.timedelta(days=1)) == n - 1
    assert add_working_days(due, -n) <= start < add_working_days(due, -n + 1)


@PROPERTY
@given(start=starts, end=starts)
def test_add_of_between_lands_on_the_last_working_day_up_to_end(notice_rows, start, end):
    n = working_days_between(start, end)
    if n:
        due = add_working_days(start, n)
        assert due <= end
        assert working_days_between(due, end) == 0


@PROPERTY
@given(start=starts, n=limits)
def test_natural_days(start, n):
    due = add_natural_days(start, n)
    assert (due - start).days == n
    assert natural_days_between(start, due) == n
    assert natural_days_between(due, start) == 0
    assert due_date(start, n, LimitUnit.NATURAL_DAYS) == DueDate(due, False)
    assert between(start, due, LimitUnit.NATURAL_DAYS) == (n, False)


@settings(max_examples=40, deadline=None)
@given(starts=st.lists(starts, min_size=1, max_size=50), n=limits)
def test_batch_equals_one_by_one(starts, n):
    assert add_working_days_many(starts, n) == [add_working_days(s, n) for s in starts]


def test_every_day_without_rows_matches_chinesecalendar_and_the_statutory_rules():
    d = D(2024, 1, 1)
    while d.year <= 2029:
        assert is_workday(d) == EMPTY_REF.work[d], d
        assert is_provisional(d) == EMPTY_REF.prov[d], d
        d += datetime.timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# The State Council notices, case by case


@pytest.mark.parametrize(
    "day",
    [
        # 2024: Spring Festival, Tomb-sweeping, Labour Day, Mid-autumn, National Day make-up days
        D(2024, 2, 4),
        D(2024, 2, 18),
        D(2024, 4, 7),
        D(2024, 4, 28),
        D(2024, 5, 11),
        D(2024, 9, 14),
        D(2024, 9, 29),
        D(2024, 10, 12),
        # 2025
        D(2025, 1, 26),
        D(2025, 2, 8),
        D(2025, 4, 27),
        D(2025, 9, 28),
        D(2025, 10, 11),
        # 2026
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ],
)
def test_make_up_weekends_are_working_days(day):
    assert day.weekday() >= 5
    assert is_workday(day)


@pytest.mark.parametrize(
    "first,last",
    [
        (D(2024, 2, 10), D(2024, 2, 17)),  # Spring Festival 2024
        (D(2024, 10, 1), D(2024, 10, 7)),
        (D(2025, 1, 28), D(2025, 2, 4)),  # Spring Festival 2025
        (D(2025, 10, 1), D(2025, 10, 8)),  # National Day + Mid-autumn 2025
        (D(2026, 2, 15), D(2026, 2, 23)),  # Spring Festival 2026
        (D(2026, 10, 1), D(2026, 10, 7)),
    ],
)
def test_holiday_weeks_are_days_off(first, last):
    d = first
    while d <= last:
        assert not is_workday(d), d
        d += datetime.timedelta(days=1)
    assert working_days_between(first - datetime.timedelta(days=1), last) == 0


def test_counting_across_the_national_day_week():
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert add_working_days(D(2025, 9, 30), 0) == D(2025, 9, 30)
    assert add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)  # Sunday make-up day
    assert add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert working_days_between(D(2025, 10, 9), D(2025, 9, 30)) == 0
    # 20 working days from acceptance on 2025-09-26 (a Friday): 28 Sep, 29, 30, 9 Oct, 10, 11 (Sat) ...
    assert add_working_days(D(2025, 9, 26), 6) == D(2025, 10, 11)
    assert add_working_days(D(2025, 9, 26), 20) == D(2025, 10, 30)


def test_counting_across_the_spring_festival():
    # 2025-01-24 Friday; 26 Jan (Sunday) works, 27 Jan works, 28 Jan-4 Feb off.
    assert add_working_days(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)
    assert add_working_days(D(2025, 2, 4), 4) == D(2025, 2, 8)  # Saturday make-up day


def test_a_holiday_row_overrides_chinesecalendar():
    assert is_workday(D(2025, 3, 3))
    assert add_working_days(D(2025, 2, 28), 1) == D(2025, 3, 3)
    Holiday.objects.create(date=D(2025, 3, 3), kind=HolidayKind.HOLIDAY, name="local")
    assert not is_workday(D(2025, 3, 3))  # the post_save signal invalidated the index
    assert add_working_days(D(2025, 2, 28), 1) == D(2025, 3, 4)
    Holiday.objects.create(date=D(2025, 10, 4), kind=HolidayKind.WORKDAY, name="local")
    assert is_workday(D(2025, 10, 4))
    Holiday.objects.filter(date=D(2025, 3, 3)).delete()
    assert is_workday(D(2025, 3, 3))  # post_delete


def test_a_loaded_year_beyond_chinesecalendar_is_not_provisional():
    assert is_provisional_year(2027)
    Holiday.objects.create(date=D(2027, 2, 6), kind=HolidayKind.HOLIDAY, name="春节")
    Holiday.objects.create(date=D(2027, 2, 20), kind=HolidayKind.WORKDAY, name="春节调休上班")
    assert not is_provisional_year(2027)
    assert due_date(D(2027, 2, 1), 10) == DueDate(D(2027, 2, 15), False)
    # the rows and weekends decide: 2027-02-05 (statutory eve) is a working day now
    assert is_workday(D(2027, 2, 5))
    assert not is_workday(D(2027, 2, 6))
    assert is_workday(D(2027, 2, 20))
    assert between(D(2027, 1, 1), D(2027, 12, 31)).provisional is False
    assert between(D(2027, 12, 1), D(2028, 1, 3)).provisional is True


def test_an_unknown_year_is_provisional_with_the_statutory_spring_festival_off():
    assert is_provisional_year(2028)
    # 2028: eve 25 Jan (Tue), Spring Festival 26-28 Jan; no make-up days
    for day in (D(2028, 1, 25), D(2028, 1, 26), D(2028, 1, 27), D(2028, 1, 28)):
        assert not is_workday(day)
        assert is_provisional(day)
    assert is_workday(D(2028, 1, 24))
    assert not is_workday(D(2028, 1, 1))  # a Saturday anyway
    assert not is_workday(D(2028, 5, 1)) and not is_workday(D(2028, 5, 2))
    assert due_date(D(2028, 1, 24), 1) == DueDate(D(2028, 1, 31), True)
    assert due_date(D(2026, 12, 1), 10) == DueDate(D(2026, 12, 15), False)
    assert due_date(D(2026, 12, 20), 10).provisional is True  # runs into 2027
    assert due_date(D(2028, 1, 24), 5, LimitUnit.NATURAL_DAYS) == DueDate(D(2028, 1, 29), False)


def test_dates_outside_the_configured_years_widen_the_index(settings):
    settings.ZWFW_CALENDAR_FIRST_YEAR = 2024
    settings.ZWFW_CALENDAR_LAST_YEAR = 2024
    calendar_reset()
    assert add_working_days(D(2024, 12, 20), 20) == EMPTY_REF.add(D(2024, 12, 20), 20)
    assert add_working_days(D(2024, 12, 20), 400) == EMPTY_REF.add(D(2024, 12, 20), 400)
    back = add_working_days(D(2024, 1, 10), -30)
    assert back.year == 2023 and is_workday(back)
    assert working_days_between(back, D(2024, 1, 10)) == 30
    assert working_days_between(D(2010, 5, 1), D(2031, 2, 3)) == EMPTY_REF.between(
        D(2010, 5, 1), D(2031, 2, 3)
    )
    assert is_workday(D(1995, 1, 2)) and not is_workday(D(1995, 1, 1))
    assert add_working_days(D(2100, 12, 1), 3650) > D(2114, 1, 1)
    with pytest.raises(ValueError):
        is_workday(D(1900, 1, 1))


def test_the_index_is_rebuilt_after_a_rolled_back_change():
    assert is_workday(D(2025, 3, 4))
    with pytest.raises(RuntimeError), transaction.atomic():
        Holiday.objects.create(date=D(2025, 3, 4), kind=HolidayKind.HOLIDAY)
        assert not is_workday(D(2025, 3, 4))  # this transaction sees its own change
        raise RuntimeError("roll back")
    assert is_workday(D(2025, 3, 4))


def test_a_change_by_another_process_is_seen_at_the_next_fingerprint_check():
    assert is_workday(D(2025, 3, 5))
    # An update through the queryset sends no signal: as if another worker had made it.
    Holiday.objects.bulk_create([Holiday(date=D(2025, 3, 5), kind=HolidayKind.HOLIDAY)])
    assert is_workday(D(2025, 3, 5))  # not re-checked yet
    calendar._STATE.next_check = 0.0  # the recheck interval has passed
    assert not is_workday(D(2025, 3, 5))
    Holiday.objects.filter(date=D(2025, 3, 5)).update(kind=HolidayKind.WORKDAY)
    calendar._STATE.next_check = 0.0
    assert is_workday(D(2025, 3, 5))


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError):
        due_date(D(2025, 1, 1), 3, "weeks")
    with pytest.raises(ValueError):
        between(D(2025, 1, 1), D(2025, 2, 1), "weeks")


# ---------------------------------------------------------------------------------------------
# Pauses of the clock (special procedures, waiting for corrections).


@st.composite
def clock_with_pauses(draw):
    """A start, a limit, and up to three ordered, non-overlapping pauses after the start."""
    start = draw(st.dates(min_value=D(2004, 1, 1), max_value=D(2029, 6, 30)))
    n = draw(st.integers(min_value=1, max_value=60))
    pauses = []
    cursor = start
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        gap = draw(st.integers(min_value=0, max_value=30))
        length = draw(st.integers(min_value=0, max_value=40))
        pause_start = cursor + datetime.timedelta(days=gap)
        pause_end = pause_start + datetime.timedelta(days=length)
        pauses.append((pause_start, pause_end))
        cursor = pause_end
    return start, n, pauses


@PROPERTY
@given(case=clock_with_pauses())
def test_pauses_move_the_due_date_by_exactly_the_paused_working_days(case):
    start, n, pauses = case
    due = EMPTY_REF.add(start, n)
    paused = 0
    for pause_start, pause_end in pauses:
        days = EMPTY_REF.between(pause_start, pause_end)
        paused += days
        due = EMPTY_REF.add(due, days)
    result = calendar.due_date_with_pauses(start, n, LimitUnit.WORKING_DAYS, pauses)
    assert (result.due, result.paused_days) == (due, paused)


@PROPERTY
@given(case=clock_with_pauses())
def test_pauses_before_the_due_date_equal_skipping_the_paused_days(case):
    """When every pause ends before the clock runs out, the rule equals 'paused days do not count'."""
    start, n, pauses = case
    paused_days = {
        pause_start + datetime.timedelta(days=k)
        for pause_start, pause_end in pauses
        for k in range(1, (pause_end - pause_start).days + 1)
    }
    d, counted = start, 0
    while counted < n:
        d += datetime.timedelta(days=1)
        counted += EMPTY_REF.work[d] and d not in paused_days
    if pauses and pauses[-1][1] >= d:
        return  # a pause reaching past the due date: the first property covers it
    assert calendar.due_date_with_pauses(start, n, LimitUnit.WORKING_DAYS, pauses).due == d


def test_pause_examples_from_the_domain_rule():
    # accepted Mon 2025-03-03, 10 working days -> due Mon 2025-03-17;
    # suspended Wed 03-05 for a site inspection, resumed Fri 03-07: (03-05, 03-07] = 2 working days
    result = calendar.due_date_with_pauses(
        D(2025, 3, 3), 10, LimitUnit.WORKING_DAYS, [(D(2025, 3, 5), D(2025, 3, 7))]
    )
    assert (result.due, result.paused_days) == (D(2025, 3, 19), 2)
    # a pause over the National Day week costs only its working days
    result = calendar.due_date_with_pauses(
        D(2025, 9, 26), 5, LimitUnit.WORKING_DAYS, [(D(2025, 9, 30), D(2025, 10, 9))]
    )
    # base due Fri 10-10 (Sun 09-28 is a make-up working day); (09-30, 10-09] holds one working day,
    # so the due date moves to Sat 10-11, itself a make-up working day
    assert (result.due, result.paused_days) == (D(2025, 10, 11), 1)
    with pytest.raises(ValueError):
        calendar.due_date_with_pauses(
            D(2025, 3, 3), 10, LimitUnit.WORKING_DAYS, [(D(2025, 3, 1), D(2025, 3, 4))]
        )
    with pytest.raises(ValueError):
        calendar.due_date_with_pauses(
            D(2025, 3, 3),
            10,
            LimitUnit.WORKING_DAYS,
            [(D(2025, 3, 5), D(2025, 3, 9)), (D(2025, 3, 8), D(2025, 3, 10))],
        )
