"""Each dashboard figure equals the same figure computed by a plain SQL query, on the demo
catalog with a year of demo-like cases, ratings and rectifications (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from zwfw.core.models import Agency, Region
from zwfw.evaluations import metrics
from zwfw.evaluations.tests.demo_activity import demo_activity

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)
START = datetime.date(2026, 3, 1)


def _one(sql: str, params: list[object]) -> tuple:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def _json(col: str, key: str) -> str:
    if connection.vendor == "postgresql":
        return f"({col} ->> '{key}')"
    return f"json_extract({col}, '$.{key}')"


def _days(a: str, b: str) -> str:
    if connection.vendor == "postgresql":
        return f"({a} - {b})"
    return f"CAST(julianday({a}) - julianday({b}) AS INTEGER)"


def _pct(num, den):
    return None if not den else round(100.0 * num / den, 2)


def _ratio(num, den):
    return None if not den else round(num / den, 2)


def expected(region: Region, agency_id: int | None) -> dict[str, float | None]:
    """Every figure by hand-written SQL."""
    regions = "SELECT id FROM core_region WHERE prefix LIKE %s"
    rp = [region.prefix + "%"]
    ag = " AND agency_id = %s" if agency_id else ""
    ap = [agency_id] if agency_id else []
    out: dict[str, float | None] = {}
    total, published, online, fully = _one(
        "SELECT COUNT(*), SUM(CASE WHEN status='published' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN status='published' AND online_depth>=3 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN status='published' AND online_depth=4 THEN 1 ELSE 0 END)"
        f" FROM catalog_implementation WHERE status <> 'cancelled' AND region_id IN ({regions}){ag}",
        rp + ap,
    )
    local = " AND ".join(f"COALESCE({_json('v.content', k)}, '') <> ''" for k in metrics.LOCAL_KEYS)
    complete, instant, visits = _one(
        f"SELECT SUM(CASE WHEN {local} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {_json('v.content', 'handling_kind')} = 'instant' THEN 1 ELSE 0 END),"
        f" SUM(CAST({_json('v.content', 'visits_required')} AS INTEGER))"
        " FROM catalog_implementation i JOIN catalog_implementationversion v ON v.id = i.current_version_id"
        f" WHERE i.status = 'published' AND i.region_id IN ({regions}){ag.replace('agency_id', 'i.agency_id')}",
        rp + ap,
    )
    out["guide_publication_rate"] = _pct(published, total)
    out["guide_completeness"] = _pct(complete or 0, published)
    out["online_rate"] = _pct(online, published)
    out["fully_online_rate"] = _pct(fully, published)
    out["avg_visits"] = _ratio(visits or 0, published)
    out["instant_item_share"] = _pct(instant or 0, published)
    decided, spot, with_due, on_time, timed, decide_days, promised_days = _one(
        "SELECT COUNT(*), SUM(CASE WHEN concluded_on = accepted_on THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN due_date IS NOT NULL THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN due_date IS NOT NULL AND concluded_on <= due_date THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN accepted_on IS NOT NULL AND due_date IS NOT NULL THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN accepted_on IS NOT NULL AND due_date IS NOT NULL THEN {_days('concluded_on', 'accepted_on')} END),"
        f" SUM(CASE WHEN accepted_on IS NOT NULL AND due_date IS NOT NULL THEN {_days('due_date', 'accepted_on')} END)"
        " FROM cases_case WHERE decided_at IS NOT NULL AND concluded_on BETWEEN %s AND %s"
        f" AND region_id IN ({regions}){ag}",
        [START, TODAY] + rp + ap,
    )
    (overdue,) = _one(
        "SELECT COUNT(*) FROM cases_case WHERE state IN ('accepted', 'under_review') AND due_date < %s"
        f" AND region_id IN ({regions}){ag}",
        [TODAY] + rp + ap,
    )
    out["on_the_spot_share"] = _pct(spot or 0, decided)
    out["on_time_rate"] = _pct(on_time or 0, with_due)
    out["overdue_cases"] = float(overdue)
    out["avg_decide_days"] = _ratio(decide_days or 0, timed)
    out["avg_promised_days"] = _ratio(promised_days or 0, timed)
    n, good = _one(
        "SELECT COUNT(*), SUM(CASE WHEN grade >= 3 THEN 1 ELSE 0 END) FROM evaluations_evaluation"
        f" WHERE excluded = %s AND created_on BETWEEN %s AND %s AND region_id IN ({regions}){ag}",
        [False, START, TODAY] + rp + ap,
    )
    out["ratings"] = float(n)
    out["good_rating_rate"] = _pct(good or 0, n)
    rn, rot, real, called = _one(
        "SELECT COUNT(*), SUM(CASE WHEN r.on_time = %s THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.real_name = %s THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.real_name = %s AND r.callback_at IS NOT NULL THEN 1 ELSE 0 END)"
        " FROM evaluations_rectification r JOIN evaluations_evaluation e ON e.id = r.evaluation_id"
        f" WHERE r.opened_on BETWEEN %s AND %s AND r.region_id IN ({regions}){ag.replace('agency_id', 'r.agency_id')}",
        [True, True, True, START, TODAY] + rp + ap,
    )
    out["rectified_on_time_rate"] = _pct(rot or 0, rn)
    out["callback_rate"] = _pct(called or 0, real)
    return out


@pytest.fixture
def demo(db):
    from zwfw.demo.catalog_loader import catalog_demo_load
    from zwfw.demo.loader import demo_load

    demo_load()
    catalog_demo_load()
    demo_activity(cases=800, today=TODAY)


@pytest.mark.parametrize("rolled_up", [False, True])
def test_every_figure_equals_plain_sql(demo, rolled_up):
    province = Region.objects.get(parent__isnull=True)
    county = Region.objects.filter(level="county").order_by("code").first()
    busiest = Agency.objects.filter(cases__isnull=False).order_by("pk").first()
    assert busiest is not None and county is not None
    if rolled_up:
        assert metrics.stats_refresh(today=TODAY) >= 8
        assert metrics.rolled_months(metrics.Scope(region=province, start=START, end=TODAY, today=TODAY)) == (
            START,
            datetime.date(2026, 11, 1),
        )
    for region, agency_id in ((province, None), (county, None), (busiest.region, busiest.pk)):
        scope = metrics.Scope(region=region, start=START, end=TODAY, agency_id=agency_id, today=TODAY)
        got = {k: f.value for k, f in metrics.figures(scope).items()}
        want = expected(region, agency_id)
        for key, value in want.items():
            assert got[key] == value, (key, region.code, agency_id)
        board = {k: f.value for k, f in metrics.dashboard(scope).figures.items()}
        assert board == got, region.code
    board = metrics.dashboard(metrics.Scope(region=province, start=START, end=TODAY, today=TODAY))
    assert sum(r.with_due for r in board.agencies) == board.figures["on_time_rate"].denominator
    assert sum(r.ratings for r in board.agencies) == board.figures["ratings"].numerator
    assert sum(p.ratings for p in board.trend) == board.figures["ratings"].numerator
    assert board.figures["ratings"].numerator and board.figures["ratings"].numerator > 50
