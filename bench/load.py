#!/usr/bin/env python
"""Load benchmark: a realistic mix of users against the production shape (scripts/serve).

Starts ``scripts/serve`` (zwfw.settings_production, gunicorn web workers, a task worker,
PostgreSQL: a ``zwfw_bench_load`` database, created and given the demo catalog if missing), or
attaches to a running server with ``--url`` (started with ``ZWFW_BENCH_ENDPOINTS=true``; give
this script its ``DATABASE_URL`` and keys, e.g. ``set -a; . var/serve.env``). Then ``--users``
virtual users (default 50), each a thread with its own cookies, address (``X-Real-IP``) and a
think time between steps (``--think``, mean 3 s, uniform from half to one and a half times),
as behind nginx (``X-Forwarded-Proto: https``):

- citizens (nine in ten): read guides and search the catalog (most of the traffic), log in,
  apply online with three PDF uploads (``POST /api/v1/cases/apply``, as a phone does), open
  "my cases", and look a case up by number and code without an account;
- window clerks (one in ten): open the to-accept queue, open a submitted case, accept it.

Mix and floor alternate in rounds (this machine is noisy): in each round every user first
posts to the floor endpoint (``POST /api/v1/bench/floor``: same server, middleware, session
and CSRF, one row inserted; mounted by ``ZWFW_BENCH_ENDPOINTS``), then runs the mix. Printed:
throughput and p50/p95/p99 per operation, errors, the ratio of each key latency to the floor's.
Targets on this 2-core machine at 50 users: no errors, guide p95 < 300 ms, submission
p95 < 500 ms. ``--quick`` runs a small version. Other work on the machine slows every figure:
the load average during the run is printed with them.

Last lines: ``load.guide_p95_ms``, ``load.search_p95_ms``, ``load.submit_p95_ms``,
``load.login_p95_ms``, ``load.clerk_p95_ms``, ``load.lookup_p95_ms``, ``load.errors``,
``load.requests_per_s``, ``floor.p95_ms``, ``floor.requests_per_s``, ``load.guide_p95_to_floor``,
``load.submit_p95_to_floor``, ``machine.loadavg_1m``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/calendar.py would hide the standard library's calendar module: take bench/ off the path
# before anything imports it (http.client does, through email).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import collections  # noqa: E402
import contextlib  # noqa: E402
import http.client  # noqa: E402
import http.cookies  # noqa: E402
import importlib.util  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/zwfw_bench_load"
KEYS_FILE = ROOT / "var" / "bench_load.env"  # this database's keys (mode 600, never committed)
STATE_DIR = ROOT / "var" / "bench_load"
PASSWORD = "load-bench-pw-2026"  # noqa: S105 - the benchmark's own throwaway accounts
KEY_NAMES = ("ZWFW_SECRET_KEY", "ZWFW_ID_ENCRYPTION_KEY", "ZWFW_ID_HASH_KEY")

# What a citizen does next (weights): guides and search are most of the traffic.
CITIZEN_MIX = {
    "guide": 45,
    "search": 20,
    "lookup": 8,
    "my_cases": 8,
    "submit": 10,
    "relogin": 3,  # the session ended: log in again (form and post; PBKDF2 as in production)
}
SEARCH_WORDS = [
    "营业执照",
    "出生",
    "社保卡",
    "食品经营",
    "户口",
    "不动产",
    "个体工商户",
    "许可",
    "登记",
    "医保",
]


def _load_intake():  # type: ignore[no-untyped-def]
    """bench/intake.py as a module (its helpers: database, PDF, multipart, the bench item)."""
    spec = importlib.util.spec_from_file_location("bench_intake", ROOT / "bench" / "intake.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


intake = _load_intake()


# --- setup ------------------------------------------------------------------------------------


def keys_for_database() -> dict[str, str]:
    """The keys this benchmark database was created with: from the environment, else
    var/bench_load.env (generated once). Data encrypted with one key is unreadable with another."""
    import secrets

    from cryptography.fernet import Fernet

    if all(os.environ.get(name) for name in KEY_NAMES):
        return {name: os.environ[name] for name in KEY_NAMES}
    stored: dict[str, str] = {}
    if KEYS_FILE.exists():
        for line in KEYS_FILE.read_text().splitlines():
            name, _, value = line.partition("=")
            if name in KEY_NAMES and value:
                stored[name] = value
    changed = False
    for name in KEY_NAMES:
        if name not in stored:
            stored[name] = (
                Fernet.generate_key().decode()
                if name == "ZWFW_ID_ENCRYPTION_KEY"
                else secrets.token_urlsafe(50)
            )
            changed = True
    if changed:
        KEYS_FILE.parent.mkdir(parents=True, exist_ok=True)
        KEYS_FILE.touch(mode=0o600)
        KEYS_FILE.chmod(0o600)
        KEYS_FILE.write_text("".join(f"{k}={v}\n" for k, v in stored.items()))
    return {name: os.environ.get(name) or stored[name] for name in KEY_NAMES}


def server_env(url: str, port: int) -> dict[str, str]:
    """The environment of the production shape for this benchmark (bench endpoints on)."""
    return {
        **keys_for_database(),
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "zwfw.settings_production",
        "ZWFW_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ZWFW_SSL_REDIRECT": "0",
        "ZWFW_BENCH_ENDPOINTS": "true",
        "ZWFW_PORT": str(port),
        "ZWFW_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "ZWFW_STATIC_ROOT": str(STATE_DIR / "static"),
        "ZWFW_MEDIA_ROOT": str(STATE_DIR / "media"),
    }


def setup_django(env: dict[str, str]) -> None:
    """Django in this process, on the benchmark database with the server's settings and keys."""
    os.environ.update(env)
    os.environ["ZWFW_LOG_LEVEL"] = "WARNING"  # this process only; the server logs at INFO
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@dataclass
class World:
    """What the virtual users work on."""

    impl_id: int
    guide_ids: list[int]
    searches: list[str]
    citizens: list[str]
    clerks: list[str]


def build_world(citizens: int, clerks: int) -> World:
    """The demo catalog (once), the bench item of bench/intake.py, citizens and clerks (idempotent)."""
    from django.contrib.auth.hashers import check_password, make_password

    from zwfw.catalog.models import Implementation
    from zwfw.identity import services as identity
    from zwfw.identity.models import Person, Role, StaffMembership, User

    if not Implementation.objects.exclude(code="BENCH-IMPL").filter(current_version__isnull=False).exists():
        from django.core.management import call_command

        print("loading the demo catalog (once) ...", flush=True)
        call_command("demo_load", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    impl_id, _sessions = intake.build_world(0)  # the bench item, its agency, the floor table
    impl = Implementation.objects.select_related("item").get(pk=impl_id)
    county = impl.region
    names = []
    for i in range(citizens):
        username = f"load_citizen_{i}"
        if not User.objects.filter(username=username).exists():
            person = Person.objects.filter(name=f"负载{i}").first() or identity.person_register(
                name=f"负载{i}", id_number=intake._id_number(10_000 + i), region=county, system=True
            )
            identity.user_create(username=username, password=uuid.uuid4().hex, person=person)
        names.append(username)
    clerk_names = []
    for i in range(clerks):
        username = f"load_clerk_{i}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = identity.user_create(username=username, password=uuid.uuid4().hex)
        if not StaffMembership.objects.filter(user=user, agency=impl.agency, role=Role.WINDOW_CLERK).exists():
            identity.staff_membership_grant(
                user=user, agency=impl.agency, role=Role.WINDOW_CLERK, system=True
            )
        clerk_names.append(username)
    # One shared hash: left alone when it is already there, so that sessions of a run still going
    # against the same database are not logged out (a new password hash invalidates sessions).
    accounts = User.objects.filter(username__in=names + clerk_names)
    hashes = set(accounts.values_list("password", flat=True))
    if len(hashes) != 1 or not check_password(PASSWORD, next(iter(hashes))):
        accounts.update(password=make_password(PASSWORD))
    published = Implementation.objects.filter(current_version__isnull=False).select_related("item")
    guide_ids = list(published.values_list("pk", flat=True))
    item_names = sorted({i.item.name for i in published})
    searches = SEARCH_WORDS + item_names + [n[:2] for n in item_names]
    return World(impl_id=impl_id, guide_ids=guide_ids, searches=searches, citizens=names, clerks=clerk_names)


def lookup_pairs(limit: int = 500) -> list[tuple[str, str]]:
    """Recent (case number, lookup code) pairs, as printed on notices, for status lookups."""
    from zwfw.cases.models import Case

    return list(
        Case.objects.exclude(lookup_code="")
        .exclude(number="")
        .order_by("-id")
        .values_list("number", "lookup_code")[:limit]
    )


def start_server(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen[bytes]:
    """scripts/serve in its own process group, its output in ``log_path``; waits for /readyz."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the server
    server = subprocess.Popen(
        [str(ROOT / "scripts" / "serve")],
        cwd=ROOT,
        env={**os.environ, **env, "ZWFW_LOG_LEVEL": "INFO"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 600  # migrate and collectstatic first
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"scripts/serve exited with {server.returncode}; see {log_path}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"scripts/serve did not become ready; see {log_path}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to scripts/serve (it stops gunicorn and the workers); the group if it lingers."""
    server.terminate()
    try:
        server.wait(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# --- virtual users ----------------------------------------------------------------------------


@dataclass
class Stats:
    """Latencies (seconds) and errors per operation, shared by all threads."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, op: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            if ok:
                self.latencies[op].append(seconds)
            else:
                self.errors[op] += 1
                if len(self.examples) < 8:
                    self.examples.append(f"{op}: {detail}")


# How long each TCP connect took (a SYN dropped and resent costs a second or more).
CONNECT_TIMES: list[float] = []


class Failed(Exception):
    """An answer the user would see as an error."""


class Client:
    """One browser: its own cookies and address; one connection per request (as gunicorn's sync
    workers behind nginx: no keep-alive)."""

    def __init__(self, host: str, port: int, address: str) -> None:
        self.host, self.port, self.address = host, port, address
        self.cookies: dict[str, str] = {"csrftoken": uuid.uuid4().hex}

    @property
    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        all_headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",  # as nginx sends it: the server sees a secure request
            "X-Real-IP": self.address,
            "Referer": f"https://{self.host}:{self.port}/",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "User-Agent": "zwfw-bench-load",
            **(headers or {}),
        }
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            started = time.perf_counter()
            conn.connect()
            CONNECT_TIMES.append(time.perf_counter() - started)
            conn.request(method, path, body=body or None, headers=all_headers)
            response = conn.getresponse()
            data = response.read()
            for raw in response.msg.get_all("Set-Cookie") or []:
                jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie(raw)
                for name, morsel in jar.items():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            conn.close()

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf, **fields}).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


def expect(status: int, wanted: tuple[int, ...], data: bytes, what: str) -> None:
    if status not in wanted:
        snippet = data[:160].decode("utf-8", "replace").replace("\n", " ")
        raise Failed(f"{what}: HTTP {status} {snippet}")


@dataclass
class Shared:
    """What users hand each other: submitted cases waiting for a clerk, lookup pairs."""

    to_accept: collections.deque[int] = field(default_factory=collections.deque)
    lookups: list[tuple[str, str]] = field(default_factory=list)


class VirtualUser:
    """A virtual user; ``step`` does one thing and records it (and the login it needed)."""

    def __init__(self, n: int, username: str, host: str, port: int, world: World, shared: Shared) -> None:
        self.username, self.world, self.shared = username, world, shared
        self.client = Client(host, port, f"10.{n // 60000}.{n // 250 % 240}.{n % 250 + 1}")
        self.rng = random.Random(n)
        self.logged_in = False

    def timed(self, stats: Stats, op: str, action) -> None:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            action()
        except (Failed, OSError, http.client.HTTPException) as error:
            stats.record(op, time.perf_counter() - started, False, str(error)[:240])
        else:
            stats.record(op, time.perf_counter() - started, True)

    def login(self) -> None:
        self.client.cookies.pop("sessionid", None)
        status, _h, data = self.client.request("GET", "/accounts/login/")
        expect(status, (200,), data, "login page")
        status, headers, data = self.client.form(
            "/accounts/login/", {"username": self.username, "password": PASSWORD}
        )
        expect(status, (302,), data, "login")
        if "/accounts/login/" in headers.get("location", ""):
            raise Failed("login: sent back to the login page")
        if "sessionid" not in self.client.cookies:
            raise Failed("login: no session cookie")
        self.logged_in = True

    def ensure_login(self, stats: Stats) -> bool:
        if not self.logged_in:
            self.timed(stats, "login", self.login)
        return self.logged_in

    def floor(self, stats: Stats) -> None:
        if not self.ensure_login(stats):
            return

        def post() -> None:
            status, _h, data = self.client.request(
                "POST", "/api/v1/bench/floor", b"", {"X-CSRFToken": self.client.csrf}
            )
            expect(status, (201,), data, "floor")

        self.timed(stats, "floor", post)


class Citizen(VirtualUser):
    def step(self, stats: Stats) -> None:
        op = self.rng.choices(list(CITIZEN_MIX), weights=list(CITIZEN_MIX.values()))[0]
        if op == "relogin":
            self.logged_in = False
            self.ensure_login(stats)
        elif op == "guide":
            self.timed(stats, "guide", self.guide)
        elif op == "search":
            self.timed(stats, "search", self.search)
        elif op == "lookup":
            if self.shared.lookups:
                self.timed(stats, "lookup", self.lookup)
        elif self.ensure_login(stats):
            self.timed(stats, op, self.submit if op == "submit" else self.my_cases)

    def guide(self) -> None:
        status, _h, data = self.client.request("GET", f"/guides/{self.rng.choice(self.world.guide_ids)}/")
        expect(status, (200,), data, "guide")

    def search(self) -> None:
        query = urllib.parse.urlencode({"q": self.rng.choice(self.world.searches)})
        status, _h, data = self.client.request("GET", f"/guides/?{query}")
        expect(status, (200,), data, "search")

    def lookup(self) -> None:
        number, code = self.rng.choice(self.shared.lookups)
        status, _h, data = self.client.form("/cases/status/", {"number": number, "code": code})
        expect(status, (200,), data, "lookup")
        if number.encode() not in data:
            raise Failed(f"lookup: case {number} not shown")

    def my_cases(self) -> None:
        status, _h, data = self.client.request("GET", "/my/cases/")
        expect(status, (200,), data, "my cases")

    def submit(self) -> None:
        body, ctype = intake.multipart(
            {"implementation_id": str(self.world.impl_id)},
            {
                "material.application": ("申请书.pdf", intake.PDF),
                "material.licence": ("执照.pdf", intake.PDF),
                "material.floor-plan": ("平面图.pdf", intake.PDF),
            },
        )
        status, _h, data = self.client.request(
            "POST",
            "/api/v1/cases/apply",
            body,
            {"Content-Type": ctype, "X-CSRFToken": self.client.csrf, "Idempotency-Key": uuid.uuid4().hex},
        )
        expect(status, (201,), data, "submit")
        found = re.search(rb'"id":\s*(\d+)', data)
        if found:
            self.shared.to_accept.append(int(found.group(1)))


class Clerk(VirtualUser):
    def step(self, stats: Stats) -> None:
        if not self.ensure_login(stats):
            return
        self.timed(stats, "clerk_queue", self.queue)
        try:
            case_id = self.shared.to_accept.popleft()
        except IndexError:
            return
        self.timed(stats, "clerk_case", lambda: self.case(case_id))
        self.timed(stats, "clerk_accept", lambda: self.accept(case_id))

    def queue(self) -> None:
        status, _h, data = self.client.request("GET", "/workbench/cases/?queue=to_accept")
        expect(status, (200,), data, "queue")

    def case(self, case_id: int) -> None:
        status, _h, data = self.client.request("GET", f"/workbench/cases/{case_id}/")
        expect(status, (200,), data, "case page")

    def accept(self, case_id: int) -> None:
        status, headers, data = self.client.form(f"/workbench/cases/{case_id}/act/accept/", {})
        expect(status, (302,), data, "accept")
        if not headers.get("location", "").endswith(f"/workbench/cases/{case_id}/"):
            raise Failed(f"accept: redirected to {headers.get('location', '')}")


def prewarm(users: list[VirtualUser], requests: int) -> None:
    """Every user logs in, and ``requests`` concurrent searches and guide views reach every worker."""
    citizens = [u for u in users if isinstance(u, Citizen)]

    def attempt(action: Callable[[], None]) -> None:
        with contextlib.suppress(Failed, OSError, http.client.HTTPException):
            action()  # failures count in the measured phases, not here

    def browse(user: Citizen) -> None:
        attempt(user.search)
        attempt(user.guide)

    def run(target: Callable[..., None], args: list[tuple[VirtualUser]]) -> None:
        threads = [threading.Thread(target=target, args=a, daemon=True) for a in args]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    run(browse, [(citizens[i % len(citizens)],) for i in range(requests)])
    run(lambda user: attempt(user.login), [(u,) for u in users])


def run_phase(users: list[VirtualUser], seconds: float, think: float, floor: bool) -> tuple[Stats, float]:
    """Every user steps (the mix, or the floor) with think time for ``seconds``."""
    stats = Stats()
    stop = time.monotonic() + seconds

    def loop(user: VirtualUser) -> None:
        def pause(seconds: float) -> None:
            time.sleep(max(0.0, min(seconds, stop - time.monotonic())))

        # users do not arrive in lockstep: each starts somewhere in its first think time
        pause(user.rng.uniform(0, think))
        while time.monotonic() < stop:
            if floor:
                user.floor(stats)
            else:
                user.step(stats)  # type: ignore[attr-defined]
            pause(user.rng.uniform(0.5 * think, 1.5 * think))

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(u,), daemon=True) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return stats, time.monotonic() - started


# --- report -----------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile in milliseconds (NaN when there is nothing)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)] * 1000


def merge(into: Stats, other: Stats) -> None:
    for op, values in other.latencies.items():
        into.latencies[op].extend(values)
    into.errors.update(other.errors)
    into.examples.extend(other.examples[: max(0, 8 - len(into.examples))])


ORDER = [
    "guide",
    "search",
    "login",
    "submit",
    "my_cases",
    "lookup",
    "clerk_queue",
    "clerk_case",
    "clerk_accept",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 users, short rounds")
    parser.add_argument("--users", type=int, help="concurrent virtual users (default 50; --quick 10)")
    parser.add_argument("--seconds", type=float, help="seconds of the mix in all (default 60; --quick 10)")
    parser.add_argument("--rounds", type=int, help="floor/mix rounds (default 3; --quick 1)")
    parser.add_argument(
        "--think", type=float, default=3.0, help="mean think time between a user's steps, seconds (default 3)"
    )
    parser.add_argument("--port", type=int, default=8766, help="port for the server this starts")
    parser.add_argument(
        "--url", help="attach to a running server (started with ZWFW_BENCH_ENDPOINTS=true) instead"
    )
    args = parser.parse_args()
    users_n = args.users or (10 if args.quick else 50)
    seconds = args.seconds or (10.0 if args.quick else 60.0)
    rounds = args.rounds or (1 if args.quick else 3)
    if users_n < 2:
        raise SystemExit("--users must be at least 2 (a citizen and a clerk)")
    url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    if not url.startswith("postgres"):
        raise SystemExit("bench/load.py needs PostgreSQL (DATABASE_URL=postgres://...)")
    host, port = "127.0.0.1", args.port
    if args.url:
        parsed = urllib.parse.urlsplit(args.url)
        host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    clerks_n = max(1, users_n // 10)
    web_workers = int(os.environ.get("ZWFW_WEB_WORKERS") or 2 * (os.cpu_count() or 1) + 1)
    citizens_n = users_n - clerks_n
    intake.ensure_database(url)
    env = server_env(url, port)
    setup_django(env)
    world = build_world(citizens_n, clerks_n)
    shared = Shared(lookups=lookup_pairs())
    server = None
    log_path = STATE_DIR / "serve.log"
    if not args.url:
        print(f"starting scripts/serve on port {port} (log: {log_path.relative_to(ROOT)}) ...", flush=True)
        server = start_server(env, port, log_path)
    try:
        users: list[VirtualUser] = [
            Citizen(i, name, host, port, world, shared) for i, name in enumerate(world.citizens)
        ]
        users += [
            Clerk(citizens_n + i, name, host, port, world, shared) for i, name in enumerate(world.clerks)
        ]
        # warm up: every web worker loads what it loads lazily (the search tokenizer takes
        # seconds), everyone logs in once, every kind of page is rendered
        prewarm(users, 3 * web_workers)
        run_phase(users, max(10.0, 3 * args.think), args.think, floor=False)
        shared.lookups = lookup_pairs()
        loadavg = [os.getloadavg()[0]]
        mix, floor = Stats(), Stats()
        mix_time = floor_time = 0.0
        for _ in range(rounds):
            stats, took = run_phase(users, max(3.0, seconds / rounds / 4), args.think, floor=True)
            merge(floor, stats)
            floor_time += took
            stats, took = run_phase(users, seconds / rounds, args.think, floor=False)
            merge(mix, stats)
            mix_time += took
            shared.lookups = lookup_pairs()
            loadavg.append(os.getloadavg()[0])
    finally:
        if server is not None:
            stop_server(server)

    print()
    print(
        f"{users_n} users ({citizens_n} citizens, {clerks_n} clerks), think {0.5 * args.think:.2f}-"
        f"{1.5 * args.think:.2f} s; {rounds} round(s) of {floor_time / rounds:.0f} s floor + "
        f"{mix_time / rounds:.0f} s mix; "
        + (f"server {args.url}" if args.url else f"gunicorn {web_workers} workers, PostgreSQL")
    )
    print(
        "machine load average (1 min, this benchmark included) during the run: "
        + ", ".join(f"{x:.1f}" for x in loadavg)
    )
    print(f"{'operation':<14}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")

    def row(name: str, values: list[float], errors: int, took: float) -> None:
        print(
            f"{name:<14}{len(values):>9}{len(values) / took:>9.1f}{percentile(values, 0.5):>9.0f}"
            f"{percentile(values, 0.95):>9.0f}{percentile(values, 0.99):>9.0f}{errors:>8}"
        )

    for op in ORDER + sorted(set(mix.latencies) - set(ORDER) - {"floor"}):
        if mix.latencies.get(op) or mix.errors.get(op):
            row(op, mix.latencies.get(op, []), mix.errors.get(op, 0), mix_time)
    everything = [v for op, values in mix.latencies.items() if op != "floor" for v in values]
    mix_errors = sum(n for op, n in mix.errors.items() if op != "floor")
    row("all (mix)", everything, mix_errors, mix_time)
    floor_values = floor.latencies.get("floor", [])
    row("floor", floor_values, floor.errors.get("floor", 0), floor_time)
    errors = mix_errors + sum(floor.errors.values())
    print(
        f"tcp connect: p50 {percentile(CONNECT_TIMES, 0.5):.1f} ms, p99 {percentile(CONNECT_TIMES, 0.99):.1f} ms, "
        f"over 1 s: {sum(1 for t in CONNECT_TIMES if t >= 1)} of {len(CONNECT_TIMES)}"
    )
    for example in (mix.examples + floor.examples)[:8]:
        print(f"  error: {example}")

    guide_p95 = percentile(mix.latencies.get("guide", []), 0.95)
    submit_p95 = percentile(mix.latencies.get("submit", []), 0.95)
    floor_p95 = percentile(floor_values, 0.95)
    clerk = [v for op in ("clerk_queue", "clerk_case", "clerk_accept") for v in mix.latencies.get(op, [])]
    print(
        f"ratio to the floor (p95): guide {guide_p95 / floor_p95:.1f}x, submission {submit_p95 / floor_p95:.1f}x"
    )
    verdict = {
        "no errors": errors == 0,
        "guide p95 < 300 ms": guide_p95 < 300,
        "submission p95 < 500 ms": submit_p95 < 500,
    }
    print("targets: " + ", ".join(f"{k}: {'ok' if v else 'MISSED'}" for k, v in verdict.items()))
    print(f"load.guide_p95_ms = {guide_p95:.0f}")
    print(f"load.search_p95_ms = {percentile(mix.latencies.get('search', []), 0.95):.0f}")
    print(f"load.submit_p95_ms = {submit_p95:.0f}")
    print(f"load.login_p95_ms = {percentile(mix.latencies.get('login', []), 0.95):.0f}")
    print(f"load.clerk_p95_ms = {percentile(clerk, 0.95):.0f}")
    print(f"load.lookup_p95_ms = {percentile(mix.latencies.get('lookup', []), 0.95):.0f}")
    print(f"load.errors = {errors}")
    print(f"load.requests_per_s = {len(everything) / mix_time:.1f}")
    print(f"floor.p95_ms = {floor_p95:.0f}")
    print(f"floor.requests_per_s = {len(floor_values) / floor_time:.1f}")
    print(f"load.guide_p95_to_floor = {guide_p95 / floor_p95:.2f}")
    print(f"load.submit_p95_to_floor = {submit_p95 / floor_p95:.2f}")
    print(f"machine.loadavg_1m = {max(loadavg):.1f}")


if __name__ == "__main__":
    main()
