"""Benchmark of the working-day calendar: the index against a naive day-by-day loop.

Usage: .venv/bin/python bench/calendar.py [--quick]

Runs on SQLite: the demo database under var/ when it has the tables, else a fresh temporary
file (migrated here). Measures, in one process:
1. the naive loop (one day at a time, asking the precedence rules: Holiday rows, chinesecalendar,
   the statutory rules) against ``add_working_days`` for N in 1..60 from random start dates;
2. one million due dates: per call (``add_working_days`` and ``due_date`` with the provisional
   flag) and in one batch (``add_working_days_many``).
The last two lines are ``calendar.speedup_vs_naive = X`` and ``calendar.million_due_dates_s = Y``
(Y: one million plain ``due_date`` calls, one at a time).
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's ``calendar``, which the ``holidays`` package
# imports: take the script's own directory off the import path before anything else.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402
import datetime  # noqa: E402
import functools  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import sqlite3  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwfw.settings")


def _choose_database() -> None:
    """Use the demo SQLite file if it is migrated, else a temporary one (migrated after setup)."""
    if os.environ.get("DATABASE_URL", "").startswith("sqlite"):
        return
    os.environ.pop("DATABASE_URL", None)  # this benchmark runs on SQLite
    demo = ROOT / "var" / "zwfw.sqlite3"
    if demo.exists():
        with sqlite3.connect(demo) as db:
            if db.execute("select 1 from sqlite_master where name = 'core_holiday'").fetchone():
                return
    path = Path(tempfile.gettempdir()) / "zwfw-bench-calendar.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run (seconds)")
    args = parser.parse_args()
    _choose_database()

    import django

    django.setup()
    import chinese_calendar
    import holidays
    from django.core.management import call_command
    from django.db import connection

    from zwfw.core import calendar
    from zwfw.core.models import Holiday

    if "core_holiday" not in connection.introspection.table_names():
        print(f"migrating {connection.settings_dict['NAME']} ...")
        call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")

    rows = {d: kind == "workday" for d, kind in Holiday.objects.values_list("date", "kind")}
    row_years = {d.year for d in rows}

    @functools.cache
    def statutory_off(year: int) -> frozenset[datetime.date]:
        return frozenset(holidays.China(years=year, observed=False))

    def naive_is_workday(d: datetime.date) -> bool:
        if d in rows:
            return rows[d]
        try:
            return bool(chinese_calendar.is_workday(d))
        except NotImplementedError:
            pass
        if d.year in row_years:
            return d.weekday() < 5
        return d.weekday() < 5 and d not in statutory_off(d.year)

    def naive_add(start: datetime.date, n: int, is_work=naive_is_workday) -> datetime.date:
        d, counted = start, 0
        one = datetime.timedelta(days=1)
        while counted < n:
            d += one
            if is_work(d):
                counted += 1
        return d

    rng = random.Random(20250930)
    first, last = datetime.date(2004, 1, 1).toordinal(), datetime.date(2030, 6, 30).toordinal()
    samples = 1_000 if args.quick else 10_000
    million = 100_000 if args.quick else 1_000_000
    cases = [
        (datetime.date.fromordinal(rng.randint(first, last)), rng.randint(1, 60)) for _ in range(samples)
    ]

    calendar.calendar_reset()
    t0 = time.perf_counter()
    calendar.is_workday(datetime.date(2025, 1, 1))
    build_s = time.perf_counter() - t0
    print(
        f"index build (years {calendar._STATE.first_year}-{calendar._STATE.last_year}): {build_s * 1000:.1f} ms"
    )

    t0 = time.perf_counter()
    expected = [naive_add(s, n) for s, n in cases]
    naive_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    expected_fast = [naive_add(s, n, calendar.is_workday) for s, n in cases]
    naive_fast_s = time.perf_counter() - t0
    repeat = 20
    t0 = time.perf_counter()
    for _ in range(repeat):
        got = [calendar.add_working_days(s, n) for s, n in cases]
    index_s = (time.perf_counter() - t0) / repeat
    assert got == expected == expected_fast, "the index and the naive loop disagree"

    per_naive = naive_s / samples * 1e6
    per_naive_fast = naive_fast_s / samples * 1e6
    per_index = index_s / samples * 1e6
    speedup = naive_s / index_s
    print(f"N in 1..60, {samples} random starts 2004-2030 (results identical)")
    print(f"  naive day-by-day loop (rows, chinesecalendar, statutory): {per_naive:8.2f} us/call")
    print(f"  naive loop over the index's O(1) is_workday:            {per_naive_fast:8.2f} us/call")
    print(f"  add_working_days (index):                                {per_index:8.3f} us/call")
    print(
        f"  speedup vs naive: {speedup:.0f}x; vs the loop over the O(1) is_workday: {naive_fast_s / index_s:.0f}x"
    )

    starts = [datetime.date.fromordinal(rng.randint(first, last)) for _ in range(million)]
    limits = [rng.randint(1, 60) for _ in range(million)]
    add = calendar.add_working_days
    due_date = calendar.due_date
    t0 = time.perf_counter()
    for s, n in zip(starts, limits, strict=True):
        add(s, n)
    add_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    provisional = 0
    for s, n in zip(starts, limits, strict=True):
        provisional += due_date(s, n).provisional
    due_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    calendar.add_working_days_many(starts, 20)
    batch_s = time.perf_counter() - t0
    scale = 1_000_000 / million
    print(f"{million} due dates{' (scaled to 1,000,000)' if scale != 1 else ''}:")
    print(f"  add_working_days, one call each:          {add_s * scale:6.3f} s")
    print(f"  due_date (+ provisional flag), one each:  {due_s * scale:6.3f} s ({provisional} provisional)")
    print(f"  add_working_days_many, one batch:         {batch_s * scale:6.3f} s")
    print(f"calendar.speedup_vs_naive = {speedup:.1f}")
    print(f"calendar.million_due_dates_s = {due_s * scale:.3f}")


if __name__ == "__main__":
    main()
