"""The working-day calendar: the one place in zwfw that counts days.

Which days are working days (precedence, highest first):

1. a ``Holiday`` row for the date (``holiday`` = day off, ``workday`` = 调休 make-up working day);
2. a year ``chinesecalendar`` knows: its answer (State Council notices, 调休 included);
3. a year with any ``Holiday`` row (a loaded notice): weekends off, other days work;
4. otherwise the year is *provisional*: the statutory holidays of the ``holidays`` package
   (``holidays.China(observed=False)``) and weekends are off, with no make-up days.

Counting rule (《行政许可法》 art. 82): the start day is not counted. ``add_working_days(D, N)``
is the N-th working day after D; ``working_days_between(S, E)`` counts the working days in (S, E].

Speed: an in-memory index over date ordinals (cumulative working-day counts and the sorted list
of working-day ordinals) answers every question with a few list lookups. It is built lazily for
the years ``ZWFW_CALENDAR_FIRST_YEAR``..``ZWFW_CALENDAR_LAST_YEAR``, widened on demand, and
rebuilt when the ``Holiday`` table changes (signals in this process, a cheap fingerprint query at
most every ``ZWFW_CALENDAR_RECHECK_SECONDS`` for changes made by other processes). See
docs/calendar.md.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import holidays as holidays_pkg
from chinese_calendar.constants import holidays as _cc_holidays
from chinese_calendar.constants import workdays as _cc_workdays
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zwfw.core.errors import ValidationFailed
from zwfw.core.ledger import audit_record
from zwfw.core.models import Holiday, HolidayKind

# Years the engine can count in at all (PRC statutory holidays start in 1950); the index widens
# on demand inside these bounds. Inputs from users are held to the narrower SUPPORTED_* years.
ENGINE_FIRST_YEAR = 1950
ENGINE_LAST_YEAR = 2200
SUPPORTED_FIRST_YEAR = 1990
SUPPORTED_LAST_YEAR = 2100
# The longest time limit a caller may ask for (ten years of working days).
MAX_DAYS = 3650

_CC_OFF = frozenset(d.toordinal() for d in _cc_holidays)
_CC_ON = frozenset(d.toordinal() for d in _cc_workdays)
CHINESECALENDAR_FIRST_YEAR = min(d.year for d in _cc_holidays)
CHINESECALENDAR_LAST_YEAR = max(d.year for d in _cc_holidays)


class LimitUnit(models.TextChoices):
    """The unit a time limit is counted in."""

    WORKING_DAYS = "working_days", gettext_lazy("working days")
    NATURAL_DAYS = "natural_days", gettext_lazy("natural days")


class DueDate(NamedTuple):
    """A computed due date; ``provisional`` when it rests on a year no notice covers yet."""

    due: datetime.date
    provisional: bool


class DayCount(NamedTuple):
    """A number of days in a span; ``provisional`` when the span touches a provisional year."""

    days: int
    provisional: bool


# ---------------------------------------------------------------------------------------------
# The index


@dataclass(frozen=True, slots=True, eq=False)
class _Index:
    """Immutable lookup tables for the years first_year..last_year (offsets from ``base``)."""

    first_year: int
    last_year: int
    base: int  # ordinal of 1 January of first_year
    size: int  # number of days covered
    cum: list[int]  # cum[i] = working days among the first i days
    work: list[int]  # ordinals of the working days, ascending
    prov: list[int]  # prov[i] = provisional days among the first i days
    provisional_years: frozenset[int]
    rows: dict[int, bool]  # Holiday rows: ordinal -> is a working day
    fingerprint: tuple[object, ...]


def _year_bounds(year: int) -> tuple[int, int]:
    return datetime.date(year, 1, 1).toordinal(), datetime.date(year, 12, 31).toordinal() + 1


def _build(first_year: int, last_year: int, rows: dict[int, bool], fingerprint: tuple[object, ...]) -> _Index:
    """Compute the tables for first_year..last_year from the precedence rules."""
    row_years = {datetime.date.fromordinal(o).year for o in rows}
    statutory_years = [
        y
        for y in range(first_year, last_year + 1)
        if not CHINESECALENDAR_FIRST_YEAR <= y <= CHINESECALENDAR_LAST_YEAR and y not in row_years
    ]
    statutory_off: frozenset[int] = frozenset()
    if statutory_years:
        statutory_off = frozenset(
            d.toordinal() for d in holidays_pkg.China(years=statutory_years, observed=False)
        )
    provisional_years = frozenset(statutory_years)
    base = datetime.date(first_year, 1, 1).toordinal()
    cum = [0]
    prov = [0]
    work: list[int] = []
    worked = provisional_days = 0
    for year in range(first_year, last_year + 1):
        start, end = _year_bounds(year)
        known = CHINESECALENDAR_FIRST_YEAR <= year <= CHINESECALENDAR_LAST_YEAR
        provisional = year in provisional_years
        for o in range(start, end):
            flag = rows.get(o)
            if flag is None:
                weekday = (o - 1) % 7 < 5  # ordinal 1 (0001-01-01) was a Monday
                if known:
                    flag = o in _CC_ON or (weekday and o not in _CC_OFF)
                elif provisional:
                    flag = weekday and o not in statutory_off
                else:
                    flag = weekday
            if flag:
                worked += 1
                work.append(o)
            if provisional:
                provisional_days += 1
            cum.append(worked)
            prov.append(provisional_days)
    return _Index(
        first_year=first_year,
        last_year=last_year,
        base=base,
        size=len(cum) - 1,
        cum=cum,
        work=work,
        prov=prov,
        provisional_years=provisional_years,
        rows=rows,
        fingerprint=fingerprint,
    )


def _date_key() -> models.Expression:
    return ExtractYear("date") * 10000 + ExtractMonth("date") * 100 + ExtractDay("date")


def _fingerprint() -> tuple[object, ...]:
    """One cheap aggregate query that changes whenever the Holiday rows that matter change."""
    agg = Holiday.objects.aggregate(
        n=Count("pk"),
        top=Max("pk"),
        latest=Max("created_at"),
        off=Sum(_date_key(), filter=Q(kind=HolidayKind.HOLIDAY)),
        on=Sum(_date_key(), filter=Q(kind=HolidayKind.WORKDAY)),
    )
    return (agg["n"], agg["top"], agg["latest"], agg["off"], agg["on"])


def _load_rows() -> tuple[dict[int, bool], tuple[object, ...]]:
    """The Holiday rows and their fingerprint (read first, so a race only causes a re-read)."""
    fingerprint = _fingerprint()
    rows = {
        d.toordinal(): kind == HolidayKind.WORKDAY for d, kind in Holiday.objects.values_list("date", "kind")
    }
    return rows, fingerprint


class _State:
    """The process-wide index and what is known about its freshness."""

    def __init__(self) -> None:
        self.index: _Index | None = None
        self.next_check = 0.0
        # Holiday changes seen in a transaction that has not ended yet: (connection, marker),
        # where marker is the on_commit callback registered for the change.
        self.pending: list[tuple[BaseDatabaseWrapper, Callable[[], None]]] = []
        self.first_year, self.last_year = _configured_years()


def _configured_years() -> tuple[int, int]:
    first = max(ENGINE_FIRST_YEAR, int(settings.ZWFW_CALENDAR_FIRST_YEAR))
    last = min(ENGINE_LAST_YEAR, int(settings.ZWFW_CALENDAR_LAST_YEAR))
    return first, max(first, last)


def _recheck_seconds() -> float:
    return float(getattr(settings, "ZWFW_CALENDAR_RECHECK_SECONDS", 30))


logger = logging.getLogger(__name__)
_LOCK = threading.RLock()
_STATE = _State()


def _still_pending(conn: BaseDatabaseWrapper, marker: Callable[[], None]) -> bool:
    """True while the transaction that registered ``marker`` is open (neither committed nor rolled back)."""
    return any(entry[1] is marker for entry in getattr(conn, "run_on_commit", ()))


def _refresh() -> _Index:
    """The current index, rebuilt if a change was seen or the fingerprint moved."""
    with _LOCK:
        st = _STATE
        if st.pending:
            alive = [p for p in st.pending if _still_pending(*p)]
            if len(alive) != len(st.pending):
                st.index = None  # a transaction that changed holidays was rolled back
            st.pending = alive
        now = time.monotonic()
        if st.index is not None and now >= st.next_check:
            st.next_check = now + _recheck_seconds()
            try:
                if _fingerprint() != st.index.fingerprint:
                    st.index = None
            except DatabaseError:  # keep answering from the index we have; retry next interval
                logger.warning("calendar: the Holiday fingerprint check failed", exc_info=True)
        if st.index is None:
            rows, fingerprint = _load_rows()
            st.index = _build(st.first_year, st.last_year, rows, fingerprint)
            st.next_check = time.monotonic() + _recheck_seconds()
        return st.index


def _index() -> _Index:
    """The index for the hot path: one attribute read and a clock check when nothing changed."""
    st = _STATE
    idx = st.index
    if idx is None or st.pending or time.monotonic() >= st.next_check:
        return _refresh()
    return idx


def _covering(first_year: int, last_year: int) -> _Index:
    """The index widened (without a database query) to cover first_year..last_year."""
    idx = _index()
    if idx.first_year <= first_year and last_year <= idx.last_year:
        return idx
    if first_year < ENGINE_FIRST_YEAR or last_year > ENGINE_LAST_YEAR:
        raise ValueError(f"the calendar counts only in the years {ENGINE_FIRST_YEAR}-{ENGINE_LAST_YEAR}")
    with _LOCK:
        st = _STATE
        st.first_year = min(st.first_year, first_year)
        st.last_year = max(st.last_year, last_year)
        current = st.index if st.index is not None else _refresh()
        if current.first_year <= first_year and last_year <= current.last_year:
            return current
        st.index = _build(
            min(current.first_year, first_year),
            max(current.last_year, last_year),
            current.rows,
            current.fingerprint,
        )
        return st.index


def calendar_reset() -> None:
    """Forget the index and every pending change: the next call rebuilds from the database."""
    with _LOCK:
        _STATE.index = None
        _STATE.pending = []
        _STATE.next_check = 0.0
        _STATE.first_year, _STATE.last_year = _configured_years()


def calendar_invalidate(using: str = "default") -> None:
    """Mark the index stale after a Holiday change made through the connection ``using``.

    Outside a transaction the next call rebuilds. Inside one, the change is also remembered
    with an on_commit marker: the index is rebuilt again when the transaction commits (the
    marker runs) or is rolled back (the marker disappears from the connection's queue).
    """
    conn = connections[using]
    with _LOCK:
        _STATE.index = None
        if not conn.in_atomic_block:
            return

        def marker() -> None:
            with _LOCK:
                _STATE.index = None
                _STATE.pending = [p for p in _STATE.pending if p[1] is not marker]

        _STATE.pending.append((conn, marker))
    transaction.on_commit(marker, using=using)


@receiver([post_save, post_delete], sender=Holiday, dispatch_uid="zwfw.core.calendar.holiday_changed")
def _holiday_changed(sender: type[Holiday], using: str = "default", **kwargs: object) -> None:
    """Signal receiver: a Holiday row was saved or deleted in this process."""
    calendar_invalidate(using)


# ---------------------------------------------------------------------------------------------
# Queries


def _offset(d: datetime.date) -> tuple[_Index, int]:
    """The index covering ``d`` and the offset of ``d`` in it."""
    idx = _index()
    o = d.toordinal() - idx.base
    if 0 <= o < idx.size:
        return idx, o
    idx = _covering(d.year, d.year)
    return idx, d.toordinal() - idx.base


def is_workday(d: datetime.date) -> bool:
    """True when ``d`` is a working day."""
    idx, o = _offset(d)
    return idx.cum[o + 1] != idx.cum[o]


def is_provisional(d: datetime.date) -> bool:
    """True when ``d`` lies in a year neither chinesecalendar nor a loaded notice covers."""
    idx, o = _offset(d)
    return idx.prov[o + 1] != idx.prov[o]


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted; 0 gives ``start``).

    A negative ``n`` counts backwards: ``-1`` is the last working day before ``start``.
    """
    idx = _index()
    o = start.toordinal() - idx.base
    if 0 <= o < idx.size:
        if n > 0:
            j = idx.cum[o + 1] + n - 1
            if j < len(idx.work):
                return datetime.date.fromordinal(idx.work[j])
        elif n == 0:
            return start
        else:
            j = idx.cum[o] + n
            if j >= 0:
                return datetime.date.fromordinal(idx.work[j])
    return _add_working_days_widening(start, n)


def _add_working_days_widening(start: datetime.date, n: int) -> datetime.date:
    """add_working_days when the start or the answer lies outside the index: widen and retry."""
    idx = _covering(start.year, start.year)
    while True:
        o = start.toordinal() - idx.base
        if n == 0:
            return start
        if n > 0:
            j = idx.cum[o + 1] + n - 1
            if j < len(idx.work):
                return datetime.date.fromordinal(idx.work[j])
            if idx.last_year >= ENGINE_LAST_YEAR:
                raise ValueError(f"the due date falls after {ENGINE_LAST_YEAR}")
            more = (j - len(idx.work)) // 200 + 1  # a year has well over 200 working days
            idx = _covering(idx.first_year, min(ENGINE_LAST_YEAR, idx.last_year + more))
        else:
            j = idx.cum[o] + n
            if j >= 0:
                return datetime.date.fromordinal(idx.work[j])
            if idx.first_year <= ENGINE_FIRST_YEAR:
                raise ValueError(f"the date falls before {ENGINE_FIRST_YEAR}")
            more = -j // 200 + 1
            idx = _covering(max(ENGINE_FIRST_YEAR, idx.first_year - more), idx.last_year)


def add_working_days_many(starts: Iterable[datetime.date], n: int) -> list[datetime.date]:
    """``add_working_days(s, n)`` for every start ``s``, in one tight loop over one index snapshot."""
    idx = _index()
    cum, work, base, size, nwork = idx.cum, idx.work, idx.base, idx.size, len(idx.work)
    fromordinal = datetime.date.fromordinal
    out: list[datetime.date] = []
    append = out.append
    shift = n - 1
    for s in starts:
        o = s.toordinal() - base
        if n > 0 and 0 <= o < size:
            j = cum[o + 1] + shift
            if j < nwork:
                append(fromordinal(work[j]))
                continue
        append(add_working_days(s, n))
    return out


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The number of working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    if end <= start:
        return 0
    idx = _index()
    a = start.toordinal() - idx.base
    b = end.toordinal() - idx.base
    if a < 0 or b >= idx.size:
        idx = _covering(start.year, end.year)
        a = start.toordinal() - idx.base
        b = end.toordinal() - idx.base
    return idx.cum[b + 1] - idx.cum[a + 1]


def _span_provisional(start: datetime.date, end: datetime.date) -> bool:
    """True when a day in (start, end] lies in a provisional year."""
    if end <= start:
        return False
    idx = _covering(start.year, end.year)
    return idx.prov[end.toordinal() - idx.base + 1] != idx.prov[start.toordinal() - idx.base + 1]


def add_natural_days(start: datetime.date, n: int) -> datetime.date:
    """The ``n``-th calendar day after ``start``."""
    return start + datetime.timedelta(days=n)


def natural_days_between(start: datetime.date, end: datetime.date) -> int:
    """The number of calendar days after ``start`` up to and including ``end`` (0 if end <= start)."""
    return max(0, (end - start).days)


def due_date(start: datetime.date, n: int, unit: str = LimitUnit.WORKING_DAYS) -> DueDate:
    """The due date of a limit of ``n`` days of ``unit`` starting on ``start``.

    Natural-day limits never depend on the holiday data, so they are never provisional.
    """
    if unit is LimitUnit.WORKING_DAYS or unit == LimitUnit.WORKING_DAYS:
        if n > 0:  # the hot path: one index lookup gives the date and the flag
            idx = _index()
            o = start.toordinal() - idx.base
            if 0 <= o < idx.size:
                j = idx.cum[o + 1] + n - 1
                if j < len(idx.work):
                    w = idx.work[j]
                    return DueDate(
                        datetime.date.fromordinal(w), idx.prov[w - idx.base + 1] != idx.prov[o + 1]
                    )
        due = add_working_days(start, n)
        provisional = _span_provisional(start, due) if n >= 0 else _span_provisional(due, start)
        return DueDate(due, provisional)
    if unit == LimitUnit.NATURAL_DAYS:
        return DueDate(add_natural_days(start, n), False)
    raise ValueError(f"unknown unit {unit!r}")


class PausedDueDate(NamedTuple):
    """A due date moved by the clock's pauses (special procedures, waiting for corrections)."""

    due: datetime.date
    provisional: bool
    paused_days: int


def due_date_with_pauses(
    start: datetime.date,
    n: int,
    unit: str = LimitUnit.WORKING_DAYS,
    pauses: Sequence[tuple[datetime.date, datetime.date]] = (),
) -> PausedDueDate:
    """The due date of a limit whose clock was paused.

    A pause from S to R (suspended on S, resumed on R) costs the days of ``unit`` in (S, R]: S
    counts as used, counting restarts the day after R. The due date moves by exactly those days;
    several pauses add up (DOMAIN.md, "Time limits"). Pauses must start on or after ``start``,
    end on or after they start, and not overlap; ``ValueError`` otherwise.
    """
    base = due_date(start, n, unit)
    paused = 0
    provisional = base.provisional
    previous_end: datetime.date | None = None
    for pause_start, pause_end in sorted(pauses):
        if pause_start < start:
            raise ValueError("a pause cannot start before the clock starts")
        if pause_end < pause_start:
            raise ValueError("a pause cannot end before it starts")
        if previous_end is not None and pause_start < previous_end:
            raise ValueError("pauses overlap")
        previous_end = pause_end
        span = between(pause_start, pause_end, unit)
        paused += span.days
        provisional = provisional or span.provisional
    if paused == 0:
        return PausedDueDate(base.due, provisional, 0)
    moved = due_date(base.due, paused, unit)
    return PausedDueDate(moved.due, provisional or moved.provisional, paused)


def between(start: datetime.date, end: datetime.date, unit: str = LimitUnit.WORKING_DAYS) -> DayCount:
    """The days of ``unit`` in (start, end], with the provisional flag of that span."""
    if unit == LimitUnit.NATURAL_DAYS:
        return DayCount(natural_days_between(start, end), False)
    if unit != LimitUnit.WORKING_DAYS:
        raise ValueError(f"unknown unit {unit!r}")
    return DayCount(working_days_between(start, end), _span_provisional(start, end))


def is_provisional_year(year: int) -> bool:
    """True when neither chinesecalendar nor a loaded notice (any Holiday row) covers ``year``."""
    return year in _covering(year, year).provisional_years


# ---------------------------------------------------------------------------------------------
# Loading the State Council's notice from CSV (used by ``calendar_load`` and the admin upload)

CSV_REQUIRED_COLUMNS = ("date", "kind", "name")
CSV_OPTIONAL_COLUMNS = ("source",)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NAME_MAX = Holiday._meta.get_field("name").max_length or 60
_SOURCE_MAX = Holiday._meta.get_field("source").max_length or 200


@dataclass(frozen=True)
class HolidayRow:
    """One checked row of a notice file."""

    line: int
    date: datetime.date
    kind: str
    name: str
    source: str


@dataclass(frozen=True)
class HolidayLoadResult:
    """What a load changed."""

    created: int
    updated: int
    unchanged: int
    deleted: int
    years: tuple[int, ...]

    def summary(self) -> str:
        """One translated sentence for the command line and the admin."""
        return _(
            "Holidays of %(years)s: %(created)d days added, %(updated)d changed, %(unchanged)d unchanged, "
            "%(deleted)d deleted."
        ) % {
            "years": ", ".join(str(y) for y in self.years),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
        }


def _invalid_file(problems: list[dict[str, object]]) -> ValidationFailed:
    return ValidationFailed(
        "calendar.invalid_file",
        _("Errors in the file: %(count)d. Nothing was loaded.") % {"count": len(problems)},
        problems,
    )


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves GB18030/GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _invalid_file([{"line": 1, "message": _("The file is not UTF-8 or GB18030 text.")}])


def parse_iso_date(raw: str) -> datetime.date | None:
    """The date written strictly as YYYY-MM-DD, or None."""
    value = raw.strip()
    if not _ISO_DATE.fullmatch(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _check_row(
    fields: list[str],
    position: dict[str, int],
    seen: dict[datetime.date, int],
    line: int,
    default_source: str,
) -> tuple[HolidayRow | None, list[str]]:
    """One data line of a notice file: the row, or the messages saying what is wrong with it."""
    errors: list[str] = []
    raw_date = fields[position["date"]].strip()
    day = parse_iso_date(raw_date)
    if day is None:
        errors.append(_("“%(value)s” is not a valid date in the form YYYY-MM-DD.") % {"value": raw_date})
    elif not SUPPORTED_FIRST_YEAR <= day.year <= SUPPORTED_LAST_YEAR:
        errors.append(
            _("The date %(date)s is outside the years %(first)d–%(last)d.")
            % {"date": raw_date, "first": SUPPORTED_FIRST_YEAR, "last": SUPPORTED_LAST_YEAR}
        )
    elif day in seen:
        errors.append(
            _("The date %(date)s is already listed on line %(line)d.") % {"date": raw_date, "line": seen[day]}
        )
    else:
        seen[day] = line
    kind = fields[position["kind"]].strip().lower()
    if kind not in HolidayKind.values:
        errors.append(
            _("Unknown kind “%(value)s”: use holiday (a day off) or workday (a make-up working day).")
            % {"value": fields[position["kind"]].strip()}
        )
    name = fields[position["name"]].strip()
    if len(name) > _NAME_MAX:
        errors.append(_("The name is longer than %(max)d characters.") % {"max": _NAME_MAX})
    source = (fields[position["source"]].strip() if "source" in position else "") or default_source[
        :_SOURCE_MAX
    ]
    if len(source) > _SOURCE_MAX:
        errors.append(_("The source is longer than %(max)d characters.") % {"max": _SOURCE_MAX})
    if errors or day is None:
        return None, errors
    return HolidayRow(line=line, date=day, kind=kind, name=name, source=source), []


def holiday_csv_parse(data: bytes | str, *, default_source: str = "") -> list[HolidayRow]:
    """Check every row of a notice file; raise ValidationFailed listing every bad line.

    Format: a header ``date,kind,name`` (optionally ``source``), then one day per line:
    ``2025-01-26,workday,春节调休上班``. ``kind`` is ``holiday`` (a day off) or ``workday``
    (a make-up working day). Blank lines are skipped.
    """
    reader = csv.reader(io.StringIO(_decode(data)))
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header):
        raise _invalid_file([{"line": 1, "message": _("The file is empty.")}])
    columns = [h.strip().lower() for h in header]
    allowed = CSV_REQUIRED_COLUMNS + CSV_OPTIONAL_COLUMNS
    if (
        any(c not in columns for c in CSV_REQUIRED_COLUMNS)
        or any(c not in allowed for c in columns)
        or len(set(columns)) != len(columns)
    ):
        message = _(
            "The first line must be the header date,kind,name (optionally ,source); found: %(header)s."
        )
        raise _invalid_file([{"line": 1, "message": message % {"header": ",".join(header)}}])
    position = {c: i for i, c in enumerate(columns)}
    problems: list[dict[str, object]] = []
    rows: list[HolidayRow] = []
    seen: dict[datetime.date, int] = {}
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(columns):
            message = _("The line has %(found)d fields; the header has %(expected)d.")
            problems.append(
                {"line": line, "message": message % {"found": len(fields), "expected": len(columns)}}
            )
            continue
        row, errors = _check_row(fields, position, seen, line, default_source)
        problems.extend({"line": line, "message": e} for e in errors)
        if row is not None:
            rows.append(row)
    if not problems and not rows:
        problems.append({"line": 2, "message": _("The file lists no days.")})
    if problems:
        raise _invalid_file(problems)
    return rows


def holiday_load(
    *,
    rows: Sequence[HolidayRow],
    replace_years: bool = False,
    actor: AbstractBaseUser | AnonymousUser | None = None,
) -> HolidayLoadResult:
    """Upsert checked rows by date in one transaction; with ``replace_years`` also delete the
    other rows of the years the file covers. Writes one audit event when anything changed."""
    years = tuple(sorted({r.date.year for r in rows}))
    created = updated = unchanged = deleted = 0
    with transaction.atomic():
        existing = {
            h.date: h for h in Holiday.objects.select_for_update().filter(date__in=[r.date for r in rows])
        }
        for row in rows:
            holiday = existing.get(row.date)
            if holiday is None:
                Holiday.objects.create(date=row.date, kind=row.kind, name=row.name, source=row.source)
                created += 1
            elif (holiday.kind, holiday.name, holiday.source) != (row.kind, row.name, row.source):
                holiday.kind, holiday.name, holiday.source = row.kind, row.name, row.source
                holiday.save(update_fields=["kind", "name", "source"])
                updated += 1
            else:
                unchanged += 1
        if replace_years and years:
            stale = Holiday.objects.filter(date__year__in=years).exclude(date__in=[r.date for r in rows])
            deleted = stale.count()
            if deleted:
                stale.delete()
        result = HolidayLoadResult(
            created=created, updated=updated, unchanged=unchanged, deleted=deleted, years=years
        )
        if created or updated or deleted:
            audit_record(
                actor=actor,
                object_type="calendar",
                object_id="holidays",
                action="holidays_loaded",
                payload={
                    "years": list(years),
                    "created": created,
                    "updated": updated,
                    "deleted": deleted,
                    "sources": sorted({r.source for r in rows}),
                },
            )
            calendar_invalidate()
    return result


def holiday_csv_load(
    *,
    data: bytes | str,
    default_source: str = "",
    replace_years: bool = False,
    actor: AbstractBaseUser | AnonymousUser | None = None,
) -> HolidayLoadResult:
    """Check a whole notice file, then load it (nothing is loaded if any line is bad)."""
    rows = holiday_csv_parse(data, default_source=default_source)
    return holiday_load(rows=rows, replace_years=replace_years, actor=actor)
