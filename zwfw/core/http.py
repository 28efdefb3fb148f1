"""Outgoing HTTP: the one way the platform POSTs JSON to another system (the national platform's
catalog and rating endpoints, a province's notification webhook), with an idempotency key."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class HttpAnswer:
    """What came back: the HTTP status (None on a network error or timeout) and a short error."""

    status: int | None
    error: str

    @property
    def ok(self) -> bool:
        """A 2xx answer."""
        return self.status is not None and 200 <= self.status < 300


def is_http_url(url: str) -> bool:
    """Whether ``url`` is an http(s) address (never a file: or custom scheme)."""
    return urlsplit(url).scheme in ("http", "https")


def post_json(
    url: str,
    body: bytes,
    *,
    key: str,
    token: str = "",
    timeout: float = 10,
    user_agent: str = "zwfw/1",
    attempt: int | None = None,
) -> HttpAnswer:
    """POST a JSON body with ``Idempotency-Key: key`` (and ``Authorization: Bearer token`` when
    given); never raises for an HTTP or network failure: the answer says what happened.
    ``url`` must be http(s) (ValueError otherwise)."""
    if not is_http_url(url):
        raise ValueError(f"not an http(s) address: {url[:80]!r}")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        "Idempotency-Key": key,
        "User-Agent": user_agent,
    }
    if attempt is not None:
        headers["X-Zwfw-Attempt"] = str(attempt)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked  # nosec B310
            return HttpAnswer(response.status, "")
    except urllib.error.HTTPError as exc:
        return HttpAnswer(exc.code, str(exc.reason)[:200])
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return HttpAnswer(None, f"{type(exc).__name__}: {exc}"[:200])
