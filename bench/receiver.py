"""An idempotent test receiver: a small HTTP server (in a thread) that stands in for the national
platform and the notification webhook.

Every POST must carry an ``Idempotency-Key`` header (400 otherwise). The first request with a key
is recorded as a delivery (path, JSON body, time); a repeat of the key counts as a duplicate
attempt of the same delivery, never as a second one. Every answer is 200 with
``{"status": "accepted" | "duplicate"}``.

``delay`` (seconds) holds each answer *after* recording it, so that a sender killed while waiting
has delivered without knowing it: the case an idempotency key exists for. ``wait_in_flight`` lets
a caller act exactly then.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Delivery:
    """One idempotency key as the receiver saw it."""

    key: str
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    first_at: float
    attempts: int = 1


@dataclass
class Receiver:
    """The server, its deliveries by key, and counters."""

    delay: float = 0.0
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    attempts: int = 0
    duplicate_attempts: int = 0
    refused: int = 0
    arrivals: int = 0  # requests recorded so far, numbered from 1
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _in_flight: set[int] = field(default_factory=set)  # arrival numbers recorded, not answered
    _arrived: threading.Condition = field(default_factory=threading.Condition)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def start(self, port: int = 0) -> str:
        """Serve on 127.0.0.1 (``port`` 0: any free port); return the base URL."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                receiver._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if not key:
            with self._lock:
                self.refused += 1
            self._answer(request, 400, {"status": "refused", "reason": "Idempotency-Key required"})
            return
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {"raw": raw.decode("utf-8", "replace")}
        with self._lock:
            self.attempts += 1
            seen = self.deliveries.get(key)
            if seen is None:
                self.deliveries[key] = Delivery(
                    key=key, path=request.path, body=body, headers=dict(request.headers), first_at=time.time()
                )
                status = "accepted"
            else:
                seen.attempts += 1
                self.duplicate_attempts += 1
                status = "duplicate"
        with self._arrived:
            self.arrivals += 1
            number = self.arrivals
            self._in_flight.add(number)
            self._arrived.notify_all()
        try:
            if self.delay:
                time.sleep(self.delay)
            self._answer(request, 200, {"status": status})
        finally:
            with self._arrived:
                self._in_flight.discard(number)

    @staticmethod
    def _answer(request: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except OSError:
            pass  # the sender went away (killed) before the answer: it was recorded all the same

    def wait_in_flight(self, *, after: int = 0, timeout: float) -> bool:
        """Wait until a request that arrived after the ``after``-th one has been recorded and
        is not answered yet; False on timeout."""
        with self._arrived:
            return self._arrived.wait_for(lambda: any(n > after for n in self._in_flight), timeout=timeout)

    def keys(self, path: str | None = None) -> set[str]:
        """The keys delivered (to ``path`` only, if given)."""
        with self._lock:
            return {k for k, d in self.deliveries.items() if path is None or d.path == path}

    def bodies(self, path: str) -> list[dict[str, Any]]:
        """The first body of each delivery to ``path``."""
        with self._lock:
            return [d.body for d in self.deliveries.values() if d.path == path]
