#!/usr/bin/env python
"""Intake benchmark: case submission over HTTP against the floor, and the due-date queues.

On PostgreSQL (``DATABASE_URL``, default a ``zwfw_bench_intake`` database on 127.0.0.1, created
if missing), with gunicorn (2 workers) and 32 concurrent clients:

- the floor: ``POST /api/v1/bench/floor`` through the same server, middleware and session
  authentication, inserting one row;
- a submission: ``POST /api/v1/cases/apply`` with three PDF materials and an idempotency key
  (case, materials, number, ledger events), the way a citizen's phone submits. No task worker
  runs: the "submitted" notification and the flush of the staged files to storage are queued
  by the submission, and run later by a worker, off the request path (docs/decisions/0005).

Floor and submission alternate in short rounds, each round a floor slice and a submission
slice back to back (in alternating order), because this machine's speed drifts by tens of per
cent within a minute: the key figure, the ratio of their throughputs (target: at least 0.5), is
the median of the rounds' own ratios, each taken from two slices that ran at the same speed. Then the due-soon/overdue query over
1,000,000 cases (target: under 50 ms). ``--quick`` runs a small version.

Last lines: ``intake.ratio_to_floor``, ``intake.submissions_per_s``, ``floor.inserts_per_s``,
``due_query.ms``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/calendar.py would hide the standard library's calendar module: take bench/ off the path
# before anything imports it (http.client does, through email).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import http.client  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._pg import ensure_database  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/zwfw_bench_intake"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n97\n%%EOF\n"
)
CSRF = "b" * 32


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwfw.settings")
    os.environ["ZWFW_DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _id_number(seq: int) -> str:
    from stdnum.cn import ric

    body = f"532801199501{(seq // 1000) % 28 + 1:02d}{seq % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def build_world(clients: int) -> tuple[int, list[str]]:
    """A published item and one logged-in citizen session per client (idempotent)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from zwfw.catalog import services as catalog
    from zwfw.catalog.models import Implementation, ServiceItem
    from zwfw.core import services as core
    from zwfw.core.models import Agency, Region
    from zwfw.identity import services as identity
    from zwfw.identity.models import Person, User

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS zwfw_bench_floor (id bigserial PRIMARY KEY, user_id bigint)"
        )
    province = Region.objects.filter(code="530000").first() or core.region_create(
        code="530000", name="云南省", level="province", parent=None
    )
    prefecture = Region.objects.filter(code="532800").first() or core.region_create(
        code="532800", name="西双版纳傣族自治州", level="prefecture", parent=province
    )
    county = Region.objects.filter(code="532801").first() or core.region_create(
        code="532801", name="景洪市", level="county", parent=prefecture
    )
    agency = Agency.objects.filter(name="景洪市市场监督管理局").first() or core.agency_create(
        name="景洪市市场监督管理局", region=county
    )
    admin = User.objects.filter(username="bench_admin").first()
    if admin is None:
        admin = identity.user_create(username="bench_admin", password=uuid.uuid4().hex)
        admin.is_superuser = admin.is_staff = True
        admin.save()
    impl = Implementation.objects.filter(code="BENCH-IMPL").first()
    if impl is None:
        item = ServiceItem.objects.create(
            region=prefecture,
            base_code="BENCH-1",
            name="食品经营许可",
            item_type="licensing",
            legal_basis="《中华人民共和国食品安全法》",
            competent_department="市场监督管理部门",
            exercised_levels=["county"],
        )
        from zwfw.catalog.tests.factories import publishable_content

        draft = publishable_content(
            materials=[
                {"key": "application", "name": "申请书", "necessity": "required"},
                {"key": "licence", "name": "营业执照", "necessity": "required"},
                {"key": "floor-plan", "name": "经营场所平面图", "necessity": "required"},
            ],
            online_depth=4,
            visits_required=0,
            handling_forms=["online"],
        )
        impl = catalog.implementation_create(
            actor=admin, item=item, agency=agency, code="BENCH-IMPL", draft=draft
        )
        adjustment = catalog.adjustment_submit(actor=admin, implementation=impl, kind="add", reason="bench")
        adjustment.submitted_by = User.objects.get_or_create(username="bench_author")[0]
        adjustment.save()
        catalog.adjustment_approve(actor=admin, adjustment=adjustment)
        impl = catalog.adjustment_publish(actor=admin, adjustment=adjustment)
    sessions = []
    for i in range(clients):
        user = User.objects.filter(username=f"bench_citizen_{i}").first()
        if user is None:
            person = Person.objects.filter(name=f"演示{i}").first() or identity.person_register(
                name=f"演示{i}", id_number=_id_number(i + 1), region=county, system=True
            )
            user = identity.user_create(
                username=f"bench_citizen_{i}", password=uuid.uuid4().hex, person=person
            )
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    return impl.pk, sessions


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        DATABASE_URL=url,
        ZWFW_BENCH_ENDPOINTS="true",
        ZWFW_DEBUG="false",
        ZWFW_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="zwfw.settings",
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "zwfw.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "256",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, data) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n".encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def load(
    port: int, sessions: list[str], kind: str, impl_id: int, seconds: float
) -> tuple[float, int, list[float]]:
    """Run ``len(sessions)`` clients for ``seconds``; return (successes per second, errors,
    latencies in s). The rate counts the requests still in flight at the end over the time they
    took to finish, so a short slice does not count more answers than its time allows."""
    started_at = time.perf_counter()
    stop = time.time() + seconds
    ok = errors = 0
    latencies: list[float] = []
    lock = threading.Lock()

    def client(session: str) -> None:
        nonlocal ok, errors
        headers = {
            "Cookie": f"sessionid={session}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "Referer": f"http://127.0.0.1:{port}/",
        }
        if kind == "floor":
            body, ctype, path = b"", "application/json", "/api/v1/bench/floor"
        else:  # the same files every time: the client's own work stays small (it shares the CPUs)
            body, ctype = multipart(
                {"implementation_id": str(impl_id)},
                {
                    "material.application": ("申请书.pdf", PDF),
                    "material.licence": ("执照.pdf", PDF),
                    "material.floor-plan": ("平面图.pdf", PDF),
                },
            )
            path = "/api/v1/cases/apply"
        while time.time() < stop:
            request_headers = dict(headers, **{"Content-Type": ctype, "Idempotency-Key": uuid.uuid4().hex})
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("POST", path, body=body, headers=request_headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                good = response.status in (200, 201)
            except OSError:
                good = False
            with lock:
                if good:
                    ok += 1
                    latencies.append(time.perf_counter() - started)
                else:
                    errors += 1

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return ok / (time.perf_counter() - started_at), errors, latencies


def fill_cases(impl_id: int, total: int) -> None:
    """Bulk-load ``total`` cases with realistic states and due dates (COPY), once."""
    import datetime
    import random

    from django.db import connection

    from zwfw.cases.models import Case
    from zwfw.catalog.models import Implementation

    have = Case.objects.count()
    if have >= total:
        return
    impl = Implementation.objects.select_related("current_version").get(pk=impl_id)
    rng = random.Random(7)
    states = (
        ["accepted"] * 10 + ["under_review"] * 15 + ["delivered"] * 40 + ["closed"] * 30 + ["suspended"] * 5
    )
    today = datetime.date.today()
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
    ]
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY cases_case ({', '.join(columns)}) FROM STDIN") as copy,
    ):  # type: ignore[attr-defined]
        for i in range(have, total):
            accepted = today - datetime.timedelta(days=rng.randint(0, 400))
            due = accepted + datetime.timedelta(days=rng.randint(1, 40))
            copy.write_row(
                [
                    f"BENCH-{i:08d}",
                    impl.pk,
                    impl.current_version_id,
                    impl.agency_id,
                    impl.region_id,
                    "",
                    "online",
                    rng.choice(states),
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
                ]
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    print(f"loaded {total - have} cases in {time.perf_counter() - started:.1f} s")


def time_due_queries(rounds: int) -> tuple[float, float]:
    """p50 and p95 (ms) of the first page of the due-soon and overdue queues over all cases."""
    from zwfw.cases.models import Case
    from zwfw.cases.selectors import case_queue

    samples = []
    for _ in range(rounds):
        for queue in ("overdue", "due_soon"):
            started = time.perf_counter()
            list(case_queue(Case.objects.all(), queue).values_list("id", "due_date")[:50])
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small and short")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    if not url.startswith("postgres"):
        raise SystemExit("bench/intake.py needs PostgreSQL (DATABASE_URL=postgres://...)")
    ensure_database(url)
    setup_django(url)
    clients = 32
    impl_id, sessions = build_world(clients)
    seconds, rounds = (2.0, 4) if args.quick else (3.0, 12)
    server = start_server(url, args.port)
    try:
        load(args.port, sessions, "floor", impl_id, 1.0)  # warm up both paths
        load(args.port, sessions, "submit", impl_id, 1.0)
        floor_rates, submit_rates, ratios, errors = [], [], [], 0
        floor_lat: list[float] = []
        submit_lat: list[float] = []
        for round_ in range(rounds):
            rates = {}
            for kind in ("floor", "submit") if round_ % 2 == 0 else ("submit", "floor"):
                rate, bad, lat = load(args.port, sessions, kind, impl_id, seconds)
                rates[kind] = rate
                (floor_lat if kind == "floor" else submit_lat).extend(lat)
                errors += bad
            floor_rates.append(rates["floor"])
            submit_rates.append(rates["submit"])
            ratios.append(rates["submit"] / rates["floor"] if rates["floor"] else float("nan"))
    finally:
        server.terminate()
        server.wait(timeout=30)
    floor_rate, submit_rate = statistics.median(floor_rates), statistics.median(submit_rates)

    def p95(values: list[float]) -> float:
        return sorted(values)[int(len(values) * 0.95) - 1] * 1000 if values else float("nan")

    print(
        f"floor:      {floor_rate:8.1f} inserts/s   (rounds {', '.join(f'{r:.0f}' for r in floor_rates)}), "
        f"p95 {p95(floor_lat):.0f} ms"
    )
    print(
        f"submission: {submit_rate:8.1f} cases/s     (rounds {', '.join(f'{r:.0f}' for r in submit_rates)}), "
        f"p95 {p95(submit_lat):.0f} ms"
    )
    print(f"errors: {errors}")
    total = 50_000 if args.quick else 1_000_000
    fill_cases(impl_id, total)
    p50, p95_ms = time_due_queries(20 if args.quick else 50)
    print(f"due-soon/overdue first page over {total:,} cases: p50 {p50:.2f} ms, p95 {p95_ms:.2f} ms")
    print(f"ratio per round: {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"intake.ratio_to_floor = {statistics.median(ratios):.3f}")
    print(f"intake.submissions_per_s = {submit_rate:.1f}")
    print(f"floor.inserts_per_s = {floor_rate:.1f}")
    print(f"due_query.ms = {p95_ms:.2f}")


if __name__ == "__main__":
    main()
