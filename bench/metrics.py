#!/usr/bin/env python
"""Dashboard benchmark: the service-quality dashboard of a whole province against raw SQL.

On PostgreSQL (``DATABASE_URL``, default a ``zwfw_bench_metrics`` database on 127.0.0.1, created
if missing): a province of 16 prefectures and 128 counties with 8 agencies each (1,024 agencies),
4 published implementations per agency, 1,000,000 cases over a year (COPY) in every state, and
300,000 ratings (COPY) with a rectification for each 差评. Loading happens once; re-runs reuse it.

Measured in rounds (this machine is noisy), warm:
- the page: ``GET /dashboard/?region=<province>`` through Django's test client as a supervisor
  (middleware, session, every figure, drill-down, ranking, trend, SVG charts, template);
- the raw SQL: the same aggregates written by hand (the catalog counts, one grouped scan of the
  decided cases, one of the ratings, the overdue count, the rectifications).
Closed months are rolled up first (``stats_refresh``, what the daily job does); the current month
is always read live. Targets: the page under 1 s, at most 3× the raw SQL. ``--quick`` loads 50,000 cases and 15,000
ratings instead.

Last lines: ``dashboard.province_s = …``, ``dashboard.ratio_to_raw_sql = …``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/calendar.py would hide the standard library's calendar module: take bench/ off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import datetime  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._pg import ensure_database  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/zwfw_bench_metrics"
PREFECTURES = 16
COUNTIES = 8
AGENCIES = 8
IMPLS_PER_AGENCY = 4


def setup_django(url: str) -> None:
    """Point Django at the benchmark database and migrate it."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwfw.settings")
    os.environ["ZWFW_DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_world() -> None:
    """Regions, agencies, items and published implementations with their versions (once)."""
    from django.utils import timezone

    from zwfw.catalog.models import Implementation, ImplementationVersion, ServiceItem
    from zwfw.core import services as core_services
    from zwfw.core.models import Agency, Region
    from zwfw.identity import services as identity_services
    from zwfw.identity.models import Role, User

    if Region.objects.filter(code="530000").exists():
        return
    started = time.perf_counter()
    province = core_services.region_create(code="530000", name="云南省", level="province", parent=None)
    rng = random.Random(3)
    agencies: list[Agency] = []
    for p in range(1, PREFECTURES + 1):
        pref = core_services.region_create(
            code=f"53{p:02d}00", name=f"州市{p}", level="prefecture", parent=province
        )
        if p == 1:
            bureau = core_services.agency_create(
                name="省政务服务管理局", region=province, kind="service_administration"
            )
            supervisor = identity_services.user_create(username="bench_supervisor", password="bench-pass-1")
            identity_services.staff_membership_grant(
                user=supervisor, agency=bureau, role=Role.SUPERVISOR, system=True
            )
        for c in range(1, COUNTIES + 1):
            county = core_services.region_create(
                code=f"53{p:02d}{c:02d}", name=f"县{p}-{c}", level="county", parent=pref
            )
            for a in range(AGENCIES):
                agencies.append(Agency(name=f"部门{p}-{c}-{a}", region=county))
    Agency.objects.bulk_create(agencies)
    agencies = list(Agency.objects.filter(name__startswith="部门").select_related("region"))
    items = ServiceItem.objects.bulk_create(
        [
            ServiceItem(
                base_code=f"BENCH-{i}",
                name=f"事项{i}",
                item_type="licensing",
                legal_basis="《行政许可法》",
                competent_department="部门",
                region=province,
            )
            for i in range(40)
        ]
    )
    impls = []
    for agency in agencies:
        for k in range(IMPLS_PER_AGENCY):
            impls.append(
                Implementation(
                    item=items[(agency.pk * 7 + k) % len(items)],
                    agency=agency,
                    region=agency.region,
                    code=f"BI-{agency.pk}-{k}",
                    status="published" if rng.random() < 0.95 else "draft",
                    online_depth=rng.choice([1, 2, 3, 3, 4, 4]),
                )
            )
    Implementation.objects.bulk_create(impls, batch_size=2000)
    now = timezone.now()
    versions = []
    for impl in Implementation.objects.filter(code__startswith="BI-"):
        content = {
            "handling_kind": "instant" if rng.random() < 0.2 else "promised",
            "visits_required": rng.choice([0, 0, 1, 1, 2]),
            "promised_limit": 10,
            "place": "" if rng.random() < 0.05 else "大厅",
            "hours": "工作日",
            "consultation_phone": "0691-1",
            "complaint_phone": "12345",
        }
        versions.append(
            ImplementationVersion(
                implementation=impl, number=1, content=content, content_hash="x", published_at=now
            )
        )
    ImplementationVersion.objects.bulk_create(versions, batch_size=2000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_implementation i SET current_version_id = v.id FROM catalog_implementationversion v"
            " WHERE v.implementation_id = i.id AND i.code LIKE 'BI-%%'"
        )
    User.objects.filter(username="bench_supervisor").update(is_active=True)
    print(
        f"world: {len(agencies)} agencies, {len(impls)} implementations in {time.perf_counter() - started:.1f} s"
    )


def fill(total_cases: int, total_ratings: int, today: datetime.date) -> None:
    """COPY the cases, then the ratings of decided cases, then a rectification per 差评 (once)."""
    from django.db import connection

    from zwfw.cases.models import Case
    from zwfw.catalog.models import Implementation
    from zwfw.evaluations.models import Evaluation, Rectification

    have = Case.objects.filter(number__startswith="BM-").count()
    impls = list(
        Implementation.objects.filter(code__startswith="BI-", status="published").values_list(
            "pk", "current_version_id", "agency_id", "region_id"
        )
    )
    rng = random.Random(11)
    states = (
        ["accepted"] * 6
        + ["under_review"] * 9
        + ["approved"] * 5
        + ["delivered"] * 45
        + ["closed"] * 30
        + ["denied"] * 5
    )
    started = time.perf_counter()
    if have < total_cases:
        columns = [
            "number",
            "implementation_id",
            "version_id",
            "agency_id",
            "region_id",
            "contact_phone",
            "channel",
            "state",
            "form_data",
            "created_at",
            "paused_days",
            "extension_days",
            "provisional",
            "decision_reasons",
            "result_file",
            "result_name",
            "idempotency_key",
            "idempotency_owner",
            "lookup_code",
            "limit_unit",
            "due_date",
            "accepted_on",
            "decided_at",
            "concluded_on",
        ]
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY cases_case ({', '.join(columns)}) FROM STDIN") as copy,  # type: ignore[attr-defined]
        ):
            for i in range(have, total_cases):
                impl, version, agency, region = impls[rng.randrange(len(impls))]
                state = rng.choice(states)
                accepted = today - datetime.timedelta(days=rng.randint(0, 364))
                due = accepted + datetime.timedelta(days=rng.choice([0, 7, 14, 21, 28]))
                decided = state in ("approved", "denied", "delivered", "closed")
                concluded = (
                    min(today, accepted + datetime.timedelta(days=rng.choice([0, 0, 3, 8, 15, 30])))
                    if decided
                    else None
                )
                copy.write_row(
                    [
                        f"BM-{i:08d}",
                        impl,
                        version,
                        agency,
                        region,
                        "",
                        rng.choice(["online", "window"]),
                        state,
                        "{}",
                        f"{accepted}T09:00:00+08:00",
                        0,
                        0,
                        False,
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "working_days",
                        due,
                        accepted,
                        f"{concluded}T16:00:00+08:00" if concluded else None,
                        concluded,
                    ]
                )
        print(f"loaded {total_cases - have} cases in {time.perf_counter() - started:.1f} s")
    have_ratings = Evaluation.objects.filter(idempotency_key__startswith="bm-").count()
    if have_ratings < total_ratings:
        started = time.perf_counter()
        rows = list(
            Case.objects.filter(
                number__startswith="BM-", concluded_on__isnull=False, evaluations__isnull=True
            )
            .order_by("pk")
            .values_list("pk", "agency_id", "region_id", "concluded_on")[: total_ratings - have_ratings]
        )
        columns = [
            "case_id",
            "stage",
            "channel",
            "grade",
            "indicators",
            "comment",
            "real_name",
            "agency_id",
            "region_id",
            "excluded",
            "created_at",
            "created_on",
            "idempotency_key",
        ]
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY evaluations_evaluation ({', '.join(columns)}) FROM STDIN") as copy,  # type: ignore[attr-defined]
        ):
            for case_id, agency, region, concluded in rows:
                copy.write_row(
                    [
                        case_id,
                        "conclusion",
                        "online",
                        rng.choice([5, 5, 5, 5, 4, 4, 3, 2, 1]),
                        "{}",
                        "",
                        rng.random() < 0.8,
                        agency,
                        region,
                        False,
                        f"{concluded}T18:00:00+08:00",
                        concluded,
                        f"bm-{case_id}",
                    ]
                )
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO evaluations_rectification (evaluation_id, agency_id, region_id, real_name, status, opened_on, due_date,"
                " provisional, callback_reached, callback_note, classification, finding, plan_text, appeal_reason,"
                " appeal_decision, fix_text, answer_text, escalation, rater_comment, callback_at, answered_on, on_time)"
                " SELECT id, agency_id, region_id, real_name, CASE WHEN id % 4 = 0 THEN 'open' ELSE 'answered' END, created_on,"
                " created_on + 21, false, true, '', '', '', '', '', '', '', '', '', '',"
                " CASE WHEN id % 4 = 0 THEN NULL ELSE created_at END,"
                " CASE WHEN id % 4 = 0 THEN NULL ELSE created_on + (id % 30)::int END,"
                " CASE WHEN id % 4 = 0 THEN NULL ELSE (id % 30) <= 21 END"
                " FROM evaluations_evaluation e WHERE grade <= 2 AND idempotency_key LIKE 'bm-%%'"
                " AND NOT EXISTS (SELECT 1 FROM evaluations_rectification r WHERE r.evaluation_id = e.id)"
            )
        print(f"loaded {len(rows)} ratings in {time.perf_counter() - started:.1f} s")
    import psycopg

    # what autovacuum does after a bulk load: the visibility map lets counts use index-only scans
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        for table in (
            "cases_case",
            "evaluations_evaluation",
            "evaluations_rectification",
            "catalog_implementation",
        ):
            conn.execute(f"VACUUM ANALYZE {table}")
        conn.execute("ANALYZE")
    print(
        f"cases={Case.objects.count()} ratings={Evaluation.objects.count()} rectifications={Rectification.objects.count()}"
    )


RAW_SQL = [
    # catalog
    """SELECT COUNT(*), COUNT(*) FILTER (WHERE i.status='published'),
              COUNT(*) FILTER (WHERE i.status='published' AND i.online_depth>=3),
              COUNT(*) FILTER (WHERE i.status='published' AND i.online_depth=4),
              COUNT(*) FILTER (WHERE i.status='published' AND v.content->>'place' <> '' AND v.content->>'hours' <> ''
                               AND v.content->>'consultation_phone' <> '' AND v.content->>'complaint_phone' <> ''),
              COUNT(*) FILTER (WHERE i.status='published' AND v.content->>'handling_kind' = 'instant'),
              SUM((v.content->>'visits_required')::int) FILTER (WHERE i.status='published')
       FROM catalog_implementation i LEFT JOIN catalog_implementationversion v ON v.id = i.current_version_id
       WHERE i.status <> 'cancelled' AND i.region_id IN (SELECT id FROM core_region WHERE prefix LIKE %(p)s)""",
    # decided cases, grouped by agency and month
    """SELECT agency_id, date_trunc('month', concluded_on), COUNT(*),
              COUNT(*) FILTER (WHERE concluded_on = accepted_on),
              COUNT(*) FILTER (WHERE due_date IS NOT NULL),
              COUNT(*) FILTER (WHERE concluded_on <= due_date),
              SUM(concluded_on - accepted_on), SUM(due_date - accepted_on)
       FROM cases_case WHERE decided_at IS NOT NULL AND concluded_on BETWEEN %(start)s AND %(end)s
         AND region_id IN (SELECT id FROM core_region WHERE prefix LIKE %(p)s)
       GROUP BY 1, 2""",
    # ratings, grouped by agency and month
    """SELECT agency_id, date_trunc('month', created_on), COUNT(*), COUNT(*) FILTER (WHERE grade >= 3)
       FROM evaluations_evaluation WHERE excluded = false AND created_on BETWEEN %(start)s AND %(end)s
         AND region_id IN (SELECT id FROM core_region WHERE prefix LIKE %(p)s)
       GROUP BY 1, 2""",
    """SELECT COUNT(*) FROM cases_case WHERE state IN ('accepted', 'under_review') AND due_date < %(end)s
         AND region_id IN (SELECT id FROM core_region WHERE prefix LIKE %(p)s)""",
    """SELECT COUNT(*), COUNT(*) FILTER (WHERE r.on_time), COUNT(*) FILTER (WHERE r.real_name),
              COUNT(*) FILTER (WHERE r.real_name AND r.callback_at IS NOT NULL)
       FROM evaluations_rectification r
       WHERE r.opened_on BETWEEN %(start)s AND %(end)s AND r.region_id IN (SELECT id FROM core_region WHERE prefix LIKE %(p)s)""",
]


def time_raw(params: dict[str, object]) -> float:
    """Seconds to run the hand-written aggregates once."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in RAW_SQL:
            cursor.execute(sql, params)
            cursor.fetchall()
    return time.perf_counter() - started


def main() -> None:
    """Load once, then time the page and the raw SQL in alternating rounds."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="50,000 cases and 15,000 ratings")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    if not url.startswith("postgres"):
        raise SystemExit("bench/metrics.py needs PostgreSQL (DATABASE_URL=postgres://...)")
    if args.quick and url == DEFAULT_DB:
        url += "_quick"
    ensure_database(url)
    setup_django(url)
    today = datetime.date.today()
    build_world()
    cases, ratings = (50_000, 15_000) if args.quick else (1_000_000, 300_000)
    fill(cases, ratings, today)
    from zwfw.evaluations.metrics import stats_refresh

    started = time.perf_counter()
    rolled = stats_refresh(only_missing=True)
    print(f"rolled up {rolled} closed months in {time.perf_counter() - started:.1f} s (the daily job's work)")

    from django.test import Client

    from zwfw.identity.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench_supervisor"))
    start = today - datetime.timedelta(days=365)
    page_url = f"/dashboard/?region=530000&start={start}&end={today}"
    params = {"p": "53%", "start": start, "end": today}
    first = client.get(page_url)
    assert first.status_code == 200, first.status_code
    assert b'data-figure="good_rating_rate"' in first.content
    page_times, raw_times = [], []
    for _ in range(args.rounds):
        started = time.perf_counter()
        response = client.get(page_url)
        page_times.append(time.perf_counter() - started)
        assert response.status_code == 200
        raw_times.append(time_raw(params))
    page_s, raw_s = statistics.median(page_times), statistics.median(raw_times)
    print(f"page runs (s): {', '.join(f'{t:.3f}' for t in page_times)}")
    print(f"raw runs (s): {', '.join(f'{t:.3f}' for t in raw_times)}")
    print(f"dashboard.raw_sql_s = {raw_s:.3f}")
    print(f"dashboard.province_s = {page_s:.3f}")
    print(f"dashboard.ratio_to_raw_sql = {page_s / raw_s:.2f}")


if __name__ == "__main__":
    main()
