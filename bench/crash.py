#!/usr/bin/env python
"""Crash safety: SIGKILL the web server and the task worker while citizens apply and pushes go out.

On PostgreSQL (``DATABASE_URL``, default a ``zwfw_bench_crash`` database on 127.0.0.1, created if
missing), with an idempotent test receiver (bench/receiver.py) standing in for the national
platform (``ZWFW_NATIONAL_PLATFORM_URL``) and the notification webhook (``ZWFW_NOTIFY_BACKENDS=
webhook``):

1. the web phase: gunicorn (2 workers, its own process group) while client threads submit
   applications (``POST /api/v1/cases/apply``, three PDF materials of random sizes, a unique
   ``Idempotency-Key`` each, retried with the *same* key on any connection error or 5xx until
   answered 201/200), and a catalog administrator publishes changes of a few implementations
   through the API (each publication enqueues a national push). The whole process group is
   killed with SIGKILL ``--kills`` times at random moments, and restarted;
2. the worker phase: ``manage.py db_worker`` drains the queue (the "submitted" notifications and
   the pushes); it is SIGKILLed ``--worker-kills`` times while the receiver holds one of its
   requests (delivered, not yet answered), and restarted after ``manage.py tasks_recover``'s
   work for its worker id (what its service runs before starting it);
3. the checks: every acknowledged key is exactly one case, the one the client was answered with,
   with all its materials (rows; files on disk whose size and SHA-256 match what was sent) and
   its ledger event; no case of the run without materials or ledger event or acknowledgement;
   ``ledger_verify`` clean; every publication has its push enqueued; every enqueued push and
   notification reached the receiver, each under one key only; every task finished.

``--quick`` runs a small version; zwfw/core/tests/test_crash.py runs ``crash_run`` smaller still.
Last lines: ``crash.acknowledged``, ``crash.lost``, ``crash.duplicates``,
``crash.deliveries_missing``, ``crash.kills``. Exit status 1 when a check fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/calendar.py would hide the standard library's calendar module: take bench/ off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import contextlib  # noqa: E402
import hashlib  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections import defaultdict  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.intake import CSRF, PDF, build_world, ensure_database, multipart, setup_django  # noqa: E402
from bench.receiver import Receiver  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/zwfw_bench_crash"
WORKER_ID = "bench-crash-worker"
MATERIALS = {"application": "申请书.pdf", "licence": "执照.pdf", "floor-plan": "平面图.pdf"}
NATIONAL_PATH, NOTIFY_PATH = "/national", "/notify"


@dataclass
class CrashConfig:
    """One run: where, how many clients, how many kills."""

    database_url: str
    workdir: Path  # media root and process logs live here
    port: int = 0  # 0: a free port, chosen when the run starts
    clients: int = 16
    kills: int = 5
    worker_kills: int = 2
    publications: int = 10
    push_implementations: int = 3
    receiver_delay: float = 0.05
    seed: int | None = None


@dataclass
class Ack:
    """What a client was answered for one idempotency key, and what it sent."""

    user_id: int
    case_id: int
    status: int
    materials: dict[str, tuple[int, str]]  # requirement key -> (size, sha256) sent


@dataclass
class CrashReport:
    """The figures of a run (``figures``) and the first problems found (``problems``)."""

    figures: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    FAILING = (
        "lost",
        "duplicates",
        "deliveries_missing",
        "incomplete_cases",
        "unacknowledged_cases",
        "cases_without_notification",
        "ledger_problems",
        "client_errors",
        "publications_without_push",
        "publications_failed",
        "tasks_unfinished",
    )

    @property
    def ok(self) -> bool:
        """Every check passed."""
        return all(self.figures.get(name, 0) == 0 for name in self.FAILING)

    def problem(self, text: str) -> None:
        if len(self.problems) < 50:
            self.problems.append(text)


# --- processes -----------------------------------------------------------------------------------


def _env(config: CrashConfig, receiver_url: str) -> dict[str, str]:
    return dict(
        os.environ,
        DATABASE_URL=config.database_url,
        DJANGO_SETTINGS_MODULE="zwfw.settings",
        ZWFW_DEBUG="false",
        ZWFW_LOG_LEVEL="WARNING",
        ZWFW_MEDIA_ROOT=str(config.workdir / "media"),
        ZWFW_NATIONAL_PLATFORM_URL=receiver_url + NATIONAL_PATH,
        ZWFW_NATIONAL_PUSH_BACKOFF_SECONDS="1",
        ZWFW_NOTIFY_BACKENDS="webhook",
        ZWFW_NOTIFY_WEBHOOK_URL=receiver_url + NOTIFY_PATH,
        ZWFW_NOTIFY_WEBHOOK_TIMEOUT="10",
    )


def _spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        # A process group of its own, so that one SIGKILL reaches the master and every worker.
        return subprocess.Popen(  # noqa: S603 - our own executables
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def start_web(config: CrashConfig, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """gunicorn with 2 workers; returns once ``/healthz`` answers."""
    server = _spawn(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "zwfw.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{config.port}",
            "--preload",
            "--no-control-socket",
            "--backlog",
            "256",
            "--log-level",
            "warning",
        ],
        env,
        config.workdir / "gunicorn.log",
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            conn = http.client.HTTPConnection("127.0.0.1", config.port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200 and server.poll() is None:
                return server
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
    kill_group(server)
    raise RuntimeError(f"gunicorn did not start; see {config.workdir / 'gunicorn.log'}")


def start_worker(config: CrashConfig, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``manage.py db_worker`` under the fixed worker id, polling every 0.1 s."""
    return _spawn(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--worker-id",
            WORKER_ID,
            "--queue-name",
            "*",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
            "--verbosity",
            "0",
        ],
        env,
        config.workdir / "worker.log",
    )


def free_port() -> int:
    """A TCP port nothing listens on at the moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process and everything in its group (no cleanup code runs)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """A graceful stop (SIGTERM), SIGKILL after 30 s."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        kill_group(process)


# --- the world ------------------------------------------------------------------------------------


def _session(user: Any) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def build_push_implementations(count: int) -> list[int]:
    """``count`` published implementations whose changes the run publishes (idempotent)."""
    from zwfw.catalog import services as catalog
    from zwfw.catalog.models import Implementation, ServiceItem
    from zwfw.catalog.tests.factories import publishable_content
    from zwfw.core.models import Agency, Region
    from zwfw.identity.models import User

    admin = User.objects.get(username="bench_admin")
    author = User.objects.get_or_create(username="bench_author")[0]
    agency = Agency.objects.get(name="景洪市市场监督管理局")
    prefecture = Region.objects.get(code="532800")
    ids = []
    for i in range(count):
        impl = Implementation.objects.filter(code=f"CRASH-PUSH-{i}").first()
        if impl is None:
            item = ServiceItem.objects.create(
                region=prefecture,
                base_code=f"CRASH-{i}",
                name=f"崩溃测试事项{i}",
                item_type="licensing",
                legal_basis="《中华人民共和国行政许可法》",
                competent_department="市场监督管理部门",
                exercised_levels=["county"],
            )
            impl = catalog.implementation_create(
                actor=admin, item=item, agency=agency, code=f"CRASH-PUSH-{i}", draft=publishable_content()
            )
            adjustment = catalog.adjustment_submit(
                actor=admin, implementation=impl, kind="add", reason="bench"
            )
            adjustment.submitted_by = author
            adjustment.save(update_fields=["submitted_by"])
            catalog.adjustment_approve(actor=admin, adjustment=adjustment)
            catalog.adjustment_publish(actor=admin, adjustment=adjustment)
        ids.append(impl.pk)
    return ids


def approved_change(implementation_id: int, promised_limit: int) -> int:
    """A change of the implementation, submitted and approved (in-process), ready to publish."""
    from zwfw.catalog import services as catalog
    from zwfw.catalog.models import Implementation
    from zwfw.catalog.tests.factories import publishable_content
    from zwfw.identity.models import User

    admin = User.objects.get(username="bench_admin")
    author = User.objects.get(username="bench_author")
    impl = Implementation.objects.get(pk=implementation_id)
    catalog.implementation_update_draft(
        actor=admin, implementation=impl, draft=publishable_content(promised_limit=promised_limit)
    )
    adjustment = catalog.adjustment_submit(actor=admin, implementation=impl, kind="change", reason="bench")
    adjustment.submitted_by = author
    adjustment.save(update_fields=["submitted_by"])
    catalog.adjustment_approve(actor=admin, adjustment=adjustment)
    return adjustment.pk


def unique_pdf(rng: random.Random) -> bytes:
    """A small valid PDF of random size (a comment line of random length after the header)."""
    pad = "".join(rng.choice("0123456789abcdef") for _ in range(rng.randint(16, 6000)))
    return PDF.replace(b"\n", b"\n%" + pad.encode() + b"\n", 1)


# --- load -----------------------------------------------------------------------------------------


class Load:
    """The client threads and the publisher thread of the web phase."""

    def __init__(
        self,
        config: CrashConfig,
        *,
        run_id: str,
        impl_id: int,
        citizens: list[tuple[int, str]],
        admin_session: str,
        push_impls: list[int],
        rng: random.Random,
    ) -> None:
        self.config = config
        self.run_id = run_id
        self.impl_id = impl_id
        self.citizens = citizens
        self.admin_session = admin_session
        self.push_impls = push_impls
        self.seed = rng.random()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acks: dict[str, Ack] = {}
        self.retries = 0
        self.errors: list[str] = []
        self.unanswered: list[str] = []
        self.adjustments: list[int] = []
        self.publish_errors: list[str] = []
        self.published = threading.Event()
        self.threads: list[threading.Thread] = []

    def _headers(self, session: str, content_type: str) -> dict[str, str]:
        return {
            "Cookie": f"sessionid={session}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "Referer": f"http://127.0.0.1:{self.config.port}/",
            "Content-Type": content_type,
        }

    def _post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes] | None:
        """One attempt; None when the connection failed (refused, reset, cut mid-answer)."""
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.config.port, timeout=60)
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            conn.close()
            return response.status, data
        except (OSError, http.client.HTTPException):
            return None

    def _client(self, index: int, user_id: int, session: str) -> None:
        rng = random.Random(f"{self.seed}-{index}")
        n = 0
        while not self.stop.is_set():
            key = f"{self.run_id}-{index}-{n}"
            n += 1
            files = {k: (name, unique_pdf(rng)) for k, name in MATERIALS.items()}
            sent = {k: (len(data), hashlib.sha256(data).hexdigest()) for k, (_n, data) in files.items()}
            body, content_type = multipart(
                {"implementation_id": str(self.impl_id)}, {f"material.{k}": f for k, f in files.items()}
            )
            headers = dict(self._headers(session, content_type), **{"Idempotency-Key": key})
            deadline = time.monotonic() + 180
            pause = 0.02
            while True:
                answer = self._post("/api/v1/cases/apply", body, headers)
                if answer is not None and answer[0] in (200, 201):
                    case_id = int(json.loads(answer[1])["id"])
                    with self.lock:
                        self.acks[key] = Ack(user_id, case_id, answer[0], sent)
                    break
                if answer is not None and answer[0] < 500:
                    with self.lock:
                        self.errors.append(f"{key}: HTTP {answer[0]} {answer[1][:200]!r}")
                    break
                if time.monotonic() > deadline:
                    with self.lock:
                        self.unanswered.append(key)
                    break
                with self.lock:
                    self.retries += 1
                time.sleep(pause)  # then the same key again: the server may be restarting
                pause = min(pause * 2, 0.5)

    def _publisher(self) -> None:
        from django.db import connections

        from zwfw.catalog.models import Adjustment, AdjustmentStatus

        rng = random.Random(f"{self.seed}-publisher")
        try:
            for n in range(self.config.publications):
                if self.stop.is_set():
                    break
                impl_id = self.push_impls[n % len(self.push_impls)]
                adjustment_id = approved_change(impl_id, promised_limit=1 + (n % 10))
                self.adjustments.append(adjustment_id)
                headers = self._headers(self.admin_session, "application/json")
                while True:
                    answer = self._post(
                        f"/api/v1/catalog/adjustments/{adjustment_id}/publish", b"{}", headers
                    )
                    if answer is not None and answer[0] == 200:
                        break
                    if answer is not None and answer[0] == 409:
                        # The adjustment is no longer "approved": an attempt cut off by a kill
                        # had published it. Anything else is a failure.
                        status = Adjustment.objects.get(pk=adjustment_id).status
                        if status != AdjustmentStatus.PUBLISHED:
                            self.publish_errors.append(f"adjustment {adjustment_id}: 409 and {status}")
                        break
                    if answer is not None and answer[0] < 500:
                        self.publish_errors.append(
                            f"adjustment {adjustment_id}: HTTP {answer[0]} {answer[1][:200]!r}"
                        )
                        break
                    time.sleep(0.05)
                time.sleep(rng.uniform(0.1, 0.5))
        except Exception as exc:  # noqa: BLE001 - reported as a failed publication
            self.publish_errors.append(f"publisher: {type(exc).__name__}: {exc}")
        finally:
            self.published.set()
            connections.close_all()

    def start(self) -> None:
        for index, (user_id, session) in enumerate(self.citizens):
            self.threads.append(
                threading.Thread(target=self._client, args=(index, user_id, session), daemon=True)
            )
        self.threads.append(threading.Thread(target=self._publisher, daemon=True))
        for thread in self.threads:
            thread.start()

    def acknowledged(self) -> int:
        with self.lock:
            return len(self.acks)

    def wait_for_acks(self, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.acknowledged() < count:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def finish(self) -> None:
        """Stop starting submissions; every submission under way goes on until answered."""
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=240)


# --- the run --------------------------------------------------------------------------------------


def _run_tasks(started: Any) -> Any:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(enqueued_at__gte=started)


def _drain(started: Any, timeout: float) -> bool:
    """Wait until every task of the run has finished (none ready, none running)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _run_tasks(started).filter(status__in=["READY", "RUNNING"]).exists():
            return True
        time.sleep(0.2)
    return False


def crash_run(config: CrashConfig, *, log: Any = print) -> CrashReport:
    """The whole run against an existing, migrated database (Django set up in this process)."""
    from django.db import connections
    from django.utils import timezone

    from zwfw.core.tasks_recovery import tasks_recover
    from zwfw.identity.models import User

    t0 = time.monotonic()

    def say(text: str) -> None:
        log(f"[{time.monotonic() - t0:6.1f} s] {text}")

    rng = random.Random(config.seed)
    run_id = uuid.uuid4().hex[:12]
    if not config.port:
        config.port = free_port()
    (config.workdir / "media").mkdir(parents=True, exist_ok=True)
    report = CrashReport()
    started = timezone.now()
    impl_id, sessions = build_world(config.clients)
    citizens = [
        (User.objects.get(username=f"bench_citizen_{i}").pk, session) for i, session in enumerate(sessions)
    ]
    admin_session = _session(User.objects.get(username="bench_admin"))
    push_impls = build_push_implementations(config.push_implementations)

    receiver = Receiver(delay=config.receiver_delay)
    env = _env(config, receiver.start())
    load = Load(
        config,
        run_id=run_id,
        impl_id=impl_id,
        citizens=citizens,
        admin_session=admin_session,
        push_impls=push_impls,
        rng=rng,
    )
    kills = worker_kills = recovered = 0
    drained = False
    say(f"world ready ({config.clients} citizens, {len(push_impls)} implementations to publish)")
    try:
        server = start_web(config, env)
        say("web: gunicorn up")
        try:
            load.start()
            for _ in range(config.kills):
                # Let this server take some traffic, then kill it at a random moment.
                if not load.wait_for_acks(load.acknowledged() + 1, timeout=120):
                    raise RuntimeError(f"no submission was answered within 120 s: {load.errors[:3]}")
                time.sleep(rng.uniform(0.05, 0.8))
                kill_group(server)
                kills += 1
                say(f"web: SIGKILL #{kills} after {load.acknowledged()} acknowledged submissions")
                time.sleep(rng.uniform(0.0, 0.3))
                server = start_web(config, env)
                say("web: gunicorn up again")
            load.published.wait(timeout=240)
            load.wait_for_acks(load.acknowledged() + len(citizens), timeout=120)
            load.finish()
        finally:
            load.stop.set()
            stop_group(server)
        say(f"web phase: {load.acknowledged()} acknowledged, {load.retries} retries with the same key")

        worker = None
        try:
            for _ in range(config.worker_kills):
                # What the worker's service runs before starting it (docs/operations.md).
                recovered += len(tasks_recover(worker_ids=[WORKER_ID]).requeued)
                mark = receiver.arrivals
                worker = start_worker(config, env)
                if not receiver.wait_in_flight(after=mark, timeout=120):
                    raise RuntimeError("the worker delivered nothing within 120 s")
                kill_group(worker)
                worker_kills += 1
                say(f"worker: SIGKILL #{worker_kills} while the receiver held delivery #{receiver.arrivals}")
            recovered += len(tasks_recover(worker_ids=[WORKER_ID]).requeued)
            worker = start_worker(config, env)
            drained = _drain(started, timeout=300)
        finally:
            if worker is not None:
                stop_group(worker)
    finally:
        receiver.stop()
    say(f"worker phase: {recovered} tasks recovered, drained: {drained}")

    report.figures.update(
        clients=config.clients,
        client_retries=load.retries,
        client_errors=len(load.errors) + len(load.unanswered),
        publications_failed=len(load.publish_errors),
        tasks_recovered=recovered,
        delivery_attempts=receiver.attempts,
        duplicate_attempts=receiver.duplicate_attempts,
    )
    for text in load.errors + [f"{k}: never answered" for k in load.unanswered] + load.publish_errors:
        report.problem(text)
    check(
        report,
        run_id=run_id,
        started=started,
        acks=load.acks,
        adjustments=load.adjustments,
        receiver=receiver,
        media_root=config.workdir / "media",
    )
    report.figures["worker_kills"] = worker_kills
    report.figures["kills"] = kills
    connections.close_all()
    return report


# --- the checks -----------------------------------------------------------------------------------


def _stored_bytes(material: Any, media_root: Path) -> bytes | None:
    """A material's file as the server's storage serves it (``StagedStorage``): its staged row
    while there is one, else the file on the server's disk. Read here from ``media_root``, the
    server's, not this process's ``MEDIA_ROOT``."""
    from zwfw.core.staging import staged_content

    if not material.file.name:
        return None
    staged = staged_content(material.file.name)
    if staged is not None:
        return staged
    path = media_root / material.file.name
    return path.read_bytes() if path.is_file() else None


def check(
    report: CrashReport,
    *,
    run_id: str,
    started: Any,
    acks: dict[str, Ack],
    adjustments: list[int],
    receiver: Receiver,
    media_root: Path,
) -> None:
    """Compare what clients were told and what was enqueued with the database, the files and
    the receiver; fill ``report``."""
    from zwfw.cases import notify
    from zwfw.cases.models import Case, CaseMaterial
    from zwfw.catalog.models import Adjustment, AdjustmentStatus, ImplementationVersion
    from zwfw.catalog.tasks import idempotency_key as push_key
    from zwfw.core.ledger import ledger_verify
    from zwfw.core.models import AuditEvent, StagedFile

    figures = report.figures
    cases = {c.pk: c for c in Case.objects.filter(idempotency_key__startswith=f"{run_id}-")}
    materials: dict[int, list[Any]] = defaultdict(list)
    for row in CaseMaterial.objects.filter(case_id__in=list(cases)):
        materials[row.case_id].append(row)
    submits = {
        int(e.object_id): e
        for e in AuditEvent.objects.filter(
            object_type="case", action="submit", object_id__in=[str(pk) for pk in cases]
        )
    }

    # Every acknowledged key: exactly one case, the one the client was answered with.
    lost = duplicates = 0
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for case in cases.values():
        by_key[(case.idempotency_owner, case.idempotency_key)].append(case.pk)
    for key, ack in acks.items():
        found = by_key.get((f"user:{ack.user_id}", key), [])
        if ack.case_id not in found:
            lost += 1
            report.problem(f"{key}: answered with case {ack.case_id}, the database has {found}")
        duplicates += max(len(found) - 1, 0)
    acked_ids = {ack.case_id for ack in acks.values()}

    # Every case of the run: acknowledged, complete (rows, files, sizes, hashes), in the ledger.
    incomplete = unacknowledged = 0
    for case in cases.values():
        if case.pk not in acked_ids:
            unacknowledged += 1
            report.problem(
                f"case {case.pk} ({case.idempotency_key}) exists but no client was answered with it"
            )
        ack = acks.get(case.idempotency_key)
        rows = {m.requirement_key: m for m in materials[case.pk]}
        faults = []
        if set(rows) != set(MATERIALS):
            faults.append(f"materials {sorted(rows)}")
        for requirement_key, row in rows.items():
            data = _stored_bytes(row, media_root)
            if data is None:
                faults.append(f"{requirement_key}: no file")
            elif len(data) != row.size or hashlib.sha256(data).hexdigest() != row.sha256:
                faults.append(f"{requirement_key}: file differs from its row")
            elif ack is not None and ack.materials.get(requirement_key) != (row.size, row.sha256):
                faults.append(f"{requirement_key}: not what the client sent")
        event = submits.get(case.pk)
        if event is None:
            faults.append("no ledger event")
        elif event.payload.get("materials") != {k: r.sha256 for k, r in rows.items()}:
            faults.append("ledger event names other materials")
        if faults:
            incomplete += 1
            report.problem(f"case {case.pk}: {'; '.join(faults)}")
    referenced = {str(media_root / m.file.name) for rows in materials.values() for m in rows}
    on_disk = (
        [p for p in (media_root / "cases").rglob("*") if p.is_file()]
        if (media_root / "cases").exists()
        else []
    )
    figures["orphan_files"] = sum(1 for p in on_disk if str(p) not in referenced)
    # Files of the run's cases still staged in the database (served from there; not a loss).
    figures["staged_files"] = StagedFile.objects.filter(
        name__in=[m.file.name for r in materials.values() for m in r]
    ).count()

    problems = list(ledger_verify())
    for problem in problems[:5]:
        report.problem(f"ledger: {problem}")

    # Every publication has its push enqueued (same transaction).
    enqueued = {
        e.payload["idempotency_key"]: e
        for e in AuditEvent.objects.filter(
            object_type="national_push", action="enqueued", occurred_at__gte=started
        )
    }
    without_push = 0
    adjusted = Adjustment.objects.filter(pk__in=adjustments)
    for adjustment in adjusted:
        version = (
            ImplementationVersion.objects.filter(adjustment=adjustment)
            .select_related("implementation")
            .first()
        )
        if adjustment.status != AdjustmentStatus.PUBLISHED or version is None:
            without_push += 1
            report.problem(f"adjustment {adjustment.pk} is {adjustment.status}, not published")
            continue
        key = push_key(
            implementation_code=version.implementation.code, version_number=version.number, kind="change"
        )
        if key not in enqueued:
            without_push += 1
            report.problem(f"version {version.pk} published without its push")

    # Every enqueued push and notification reached the receiver.
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.filter(enqueued_at__gte=started)
    expected_notes: dict[str, str] = {}
    notify_tasks = 0
    for row in tasks.filter(task_path__endswith=".case_event_notify_task"):
        kwargs = row.args_kwargs["kwargs"]
        case = cases.get(kwargs["case_id"])
        if case is None:
            continue
        notify_tasks += 1
        message = notify.Message(
            event=kwargs["event"],
            case_id=case.pk,
            case_number=case.number,
            subject="",
            text="",
            link="",
            ref=f"task:{row.id}",
        )
        for recipient in notify.recipients_resolve(notify.case_event_recipients(case, kwargs["event"])):
            expected_notes[notify.notification_key(message, recipient)] = f"case {case.pk} {kwargs['event']}"
    without_notification = len(
        set(cases)
        - {
            r.args_kwargs["kwargs"]["case_id"]
            for r in tasks.filter(task_path__endswith=".case_event_notify_task")
        }
    )
    if without_notification:
        report.problem(f"{without_notification} cases without their notification task")
    delivered_notes = receiver.keys(NOTIFY_PATH)
    delivered_pushes = receiver.keys(NATIONAL_PATH)
    missing = [k for k in expected_notes if k not in delivered_notes]
    missing += [k for k in enqueued if k not in delivered_pushes]
    for key in missing[:10]:
        report.problem(f"never delivered: {expected_notes.get(key) or enqueued[key].chain} ({key[:12]}…)")
    unrecorded = sum(
        1
        for key, event in enqueued.items()
        if not AuditEvent.objects.filter(
            chain=event.chain, action="delivered", payload__idempotency_key=key
        ).exists()
    )

    # One notification, one push: never delivered under two keys.
    seen: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for body in receiver.bodies(NOTIFY_PATH):
        recipient = body.get("recipient") or {}
        seen[
            (
                "notify",
                body.get("case_id"),
                body.get("event"),
                recipient.get("user_id"),
                recipient.get("phone"),
            )
        ].add(body["idempotency_key"])
    for body in receiver.bodies(NATIONAL_PATH):
        summary = body.get("summary") or {}
        seen[("push", summary.get("implementation_code"), summary.get("version"), body.get("kind"))].add(
            body["idempotency_key"]
        )
    twice = sum(len(keys) - 1 for keys in seen.values())
    for what, keys in seen.items():
        if len(keys) > 1:
            report.problem(f"delivered under {len(keys)} keys: {what}")

    not_successful = tasks.exclude(status="SUCCESSFUL")
    unfinished = not_successful.count()
    if unfinished:
        report.problem(
            f"{unfinished} tasks not successful: {list(not_successful.values_list('task_path', 'status')[:5])}"
        )

    figures.update(
        cases=len(cases),
        materials=sum(len(rows) for rows in materials.values()),
        replayed=sum(1 for ack in acks.values() if ack.status == 200),
        incomplete_cases=incomplete,
        unacknowledged_cases=unacknowledged,
        cases_without_notification=without_notification,
        ledger_problems=len(problems),
        publications=len(adjustments),
        publications_without_push=without_push,
        pushes_enqueued=len(enqueued),
        pushes_unrecorded=unrecorded,
        notifications_enqueued=notify_tasks,
        notifications_expected=len(expected_notes),
        deliveries=len(receiver.keys()),
        delivered_twice=twice,
        tasks=tasks.count(),
        tasks_unfinished=unfinished + unrecorded,
        acknowledged=len(acks),
        lost=lost,
        duplicates=duplicates + twice,
        deliveries_missing=len(missing),
    )


def print_report(report: CrashReport) -> None:
    last = ("acknowledged", "lost", "duplicates", "deliveries_missing", "kills")
    for problem in report.problems:
        print(f"PROBLEM: {problem}")
    for name, value in report.figures.items():
        if name not in last:
            print(f"crash.{name} = {value}")
    for name in last:
        print(f"crash.{name} = {report.figures.get(name, 0)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small and short")
    parser.add_argument(
        "--kills", type=int, default=None, help="SIGKILLs of the web server (default 5; quick 3)"
    )
    parser.add_argument("--worker-kills", type=int, default=2)
    parser.add_argument("--clients", type=int, default=None, help="client threads (default 16; quick 6)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    if not url.startswith("postgres"):
        raise SystemExit("bench/crash.py needs PostgreSQL (DATABASE_URL=postgres://...)")
    ensure_database(url)
    setup_django(url)
    with tempfile.TemporaryDirectory(prefix="zwfw-crash-") as workdir:
        config = CrashConfig(
            database_url=url,
            workdir=Path(workdir),
            port=args.port,
            clients=args.clients or (6 if args.quick else 16),
            kills=args.kills if args.kills is not None else (3 if args.quick else 5),
            worker_kills=args.worker_kills,
            publications=4 if args.quick else 10,
            seed=args.seed,
        )
        report = crash_run(config)
        if not report.ok:
            for log_file in (Path(workdir) / "gunicorn.log", Path(workdir) / "worker.log"):
                lines = log_file.read_text(errors="replace").splitlines() if log_file.exists() else []
                print(f"--- last lines of {log_file.name} ---", *lines[-30:], sep="\n")
    print_report(report)
    if not report.ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
