"""Structured logs: one JSON object a line, each carrying the request id and the user of the request.

``settings.LOGGING`` is built by :func:`logging_settings` from ``ZWFW_LOG_FORMAT`` (``json`` in
production, ``text`` in the demo). Every record that reaches the console handler goes through
:class:`RequestFilter`, which adds ``request_id`` (the ``X-Request-ID`` that
:mod:`zwfw.core.request_context` set, also written to the ledger) and ``user_id`` (the logged-in
user, when the request has already looked the user up: the filter itself never queries).

:class:`AccessLogMiddleware` writes one ``zwfw.access`` line per request: method, path (never the
query string, which can carry search terms or identifiers), status and duration.
:class:`zwfw.core.gunicorn_logger.GunicornLogger` gives gunicorn's own messages (start, worker
boot, timeouts) the same JSON shape; it lives apart so that only gunicorn imports gunicorn.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import SimpleLazyObject, empty
from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

if TYPE_CHECKING:  # settings.py imports this module: keep its imports light
    from django.http import HttpRequest, HttpResponse

LOG_FORMATS = ("json", "text")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

access_logger = logging.getLogger("zwfw.access")
REQUEST_ID_ATTR = "zwfw_request_id"  # the request id, kept on the request for records logged later

# The request being served by this thread (set by AccessLogMiddleware), for the user id.
_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "zwfw_log_request", default=None
)


def logging_settings(log_format: str, level: str, *, access_log: bool = True) -> dict[str, Any]:
    """The ``LOGGING`` dict: one console handler (stderr) in ``json`` or ``text``, at ``level``.

    ``access_log`` off silences the per-request lines (the demo's runserver prints its own).
    """
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(
            f"ZWFW_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}."
        )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "zwfw.core.logging.RequestFilter"}},
        "formatters": {
            "json": {"()": "zwfw.core.logging.JsonFormatter"},
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request"]}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own handlers (console in DEBUG, mail_admins) are dropped: its records
            # reach the root handler once, in the chosen format.
            "django": {"handlers": [], "level": level, "propagate": True},
            "jieba": {"level": "WARNING"},
            "zwfw.access": {"level": "NOTSET" if access_log else "WARNING"},
        },
    }


def _loaded_user_id(request: HttpRequest | None) -> int | None:
    """The id of the request's user if it is logged in and already looked up, else None."""
    if request is None:
        return None
    user: Any = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject):
        wrapped = getattr(user, "_wrapped", empty)  # empty: not looked up (doing it would query)
        if wrapped is empty:
            return None
        user = wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, int) else None


class RequestFilter(logging.Filter):
    """Adds ``request_id`` and ``user_id`` of the current request (empty and None outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        from zwfw.core.request_context import current

        # Django logs 4xx responses after the middleware has finished (the context is gone),
        # with the request attached to the record.
        request = _request.get() or getattr(record, "request", None)
        if not getattr(record, "request_id", None):
            record.request_id = current().request_id or getattr(request, REQUEST_ID_ATTR, "")
        if getattr(record, "user_id", None) is None:
            record.user_id = _loaded_user_id(request)
        return True


class JsonFormatter(_BaseJsonFormatter):
    """``{"time", "level", "logger", "message", ...extra fields}``, Chinese kept readable (UTF-8)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "{levelname}{name}{message}")
        kwargs.setdefault("style", "{")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)


class AccessLogMiddleware:
    """Logs one ``zwfw.access`` line per request: method, path, status, duration_ms, user_id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from zwfw.core.request_context import current

        started = time.perf_counter()
        setattr(request, REQUEST_ID_ATTR, current().request_id)
        token = _request.set(request)
        try:
            response = self.get_response(request)
            if access_logger.isEnabledFor(logging.INFO):
                access_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            _request.reset(token)
