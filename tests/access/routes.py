"""Every route of the project, from the URL resolver and the OpenAPI document, and how the
matrix calls one and reads its answer."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access.matrix import BOUNCED, FORBIDDEN, HIDDEN, LOGIN, OK, PASS, PDF_FILE, REFUSALS
from zwfw.cases.tests.factories import PDF

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class RouteRef:
    """One route: its matrix key, its path template and, for the API, its method."""

    key: str
    template: str
    method: str | None = None  # None for pages: the entry lists its methods

    @property
    def is_api(self) -> bool:
        return self.method is not None


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name or '?'}" if namespace else (pattern.name or "?")
            yield name, prefix + str(pattern.pattern)


def _spec_paths() -> dict[str, list[str]]:
    from zwfw.api import api

    paths: dict[str, list[str]] = {}
    for path, operations in api.get_openapi_schema()["paths"].items():
        paths[path] = [method.upper() for method in operations]
    return paths


def _as_spec_path(route: str) -> str:
    """``api/v1/cases/<int:case_id>`` -> ``/api/v1/cases/{case_id}``."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def all_routes() -> list[RouteRef]:
    """Pages (``page:<name>``, the admin as one) and API operations (``METHOD path``)."""
    spec = _spec_paths()
    refs: dict[str, RouteRef] = {}
    for name, route in _walk(get_resolver(), "", ""):
        if name.startswith("admin:"):
            refs.setdefault("page:admin", RouteRef("page:admin", "/admin/"))
            continue
        if name.startswith("api:") and _as_spec_path(route) in spec:
            continue  # an operation: listed from the OpenAPI document below
        key = f"page:{name}"
        refs[key] = RouteRef(key, name)
    for path, methods in spec.items():
        for method in methods:
            key = f"{method} {path}"
            refs[key] = RouteRef(key, path, method)
    return sorted(refs.values(), key=lambda r: r.key)


# --- calling a route -------------------------------------------------------------------------------


def fill(value: Any, objects: Mapping[str, Any]) -> Any:
    """``"@name"`` -> the object's value; ``"..{name}.."`` -> formatted; dicts and lists deeply."""
    if isinstance(value, str):
        if value.startswith("@"):
            return objects[value[1:]]
        return re.sub(r"\{(\w+)\}", lambda m: str(objects.get(m.group(1), m.group(0))), value)
    if isinstance(value, dict):
        return {k: fill(v, objects) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, objects) for v in value]
    return value


def page_path(name: str, params: Mapping[str, Any]) -> str:
    return reverse(name, kwargs=dict(params))


def api_path(template: str, params: Mapping[str, Any]) -> str:
    path = template
    for key, value in params.items():
        path = path.replace("{" + key + "}", str(value))
    assert "{" not in path, f"unfilled parameter in {path}"
    return path


def send(
    client: Client,
    method: str,
    path: str,
    *,
    data: Mapping[str, Any] | None,
    query: Mapping[str, Any],
    api: bool,
    multipart: bool,
    headers: Mapping[str, str],
) -> HttpResponse:
    """One request as the matrix sends it (no redirects followed)."""
    extra = {"headers": dict(headers)} if headers else {}
    if method in SAFE_METHODS:
        return client.generic(method, path, **extra) if not query else client.get(path, query, **extra)
    if api and not multipart:
        body = json.dumps(data or {})
        if query:
            path = f"{path}?{'&'.join(f'{k}={v}' for k, v in query.items())}"
        return client.generic(method, path, body, content_type="application/json", **extra)
    form: dict[str, Any] = {}
    for key, value in (data or {}).items():
        form[key] = SimpleUploadedFile("material.pdf", PDF, "application/pdf") if value is PDF_FILE else value
    return getattr(client, method.lower())(path, form, **extra)


def observed(response: HttpResponse) -> str:
    """What the answer means: ok, login, forbidden, hidden, or the status code."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        if "/accounts/login/" in location or "/admin/login/" in location:
            return LOGIN
        return OK
    if status == 401:
        return LOGIN
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return HIDDEN
    if 200 <= status < 300:
        return OK
    return str(status)


def matches(expected: str, seen: str, response: HttpResponse, method: str) -> bool:
    """Whether the observed outcome is the one the matrix expects."""
    if expected == OK and method in SAFE_METHODS:
        return seen == OK
    if expected in (OK, PASS):
        return seen not in REFUSALS and response.status_code < 500
    if expected == BOUNCED:
        return seen == OK and response.status_code in (302, 303)
    return seen == expected


# --- "nothing changed" ----------------------------------------------------------------------------

# Tables a refused request must leave exactly as they were (sessions and login-attempt records
# are not domain state).
WATCHED_APPS = (
    "core",
    "identity",
    "catalog",
    "cases",
    "bundles",
    "licenses",
    "evaluations",
    "django_tasks_database",
)


def _watched_tables() -> list[str]:
    from django.apps import apps

    tables = []
    for config in apps.get_app_configs():
        if config.label in WATCHED_APPS:
            tables.extend(m._meta.db_table for m in config.get_models() if m._meta.managed)
    return sorted(set(tables))


_TABLES: list[str] = []


def fingerprint() -> tuple[Any, ...]:
    """The state of every watched table.

    On PostgreSQL one query: each table's row count and the newest row version (``xmin``): an
    insert or an update inside the request's savepoint writes a row version with a newer
    transaction id, a delete lowers the count. Elsewhere the rows themselves.
    """
    if not _TABLES:
        _TABLES.extend(_watched_tables())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            parts = [
                f"(SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM {quote(t)})"
                for t in _TABLES
            ]
            cursor.execute("SELECT " + ", ".join(parts))
            return tuple(cursor.fetchone() or ())
        rows = []
        for table in _TABLES:
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - table names from the models
            rows.append(tuple(sorted(map(repr, cursor.fetchall()))))
        return tuple(rows)


def changed_tables(before: tuple[Any, ...], after: tuple[Any, ...]) -> list[str]:
    """The watched tables whose content differs."""
    return [t for t, b, a in zip(_TABLES, before, after, strict=True) if b != a]


__all__ = [
    "BOUNCED",
    "FORBIDDEN",
    "HIDDEN",
    "LOGIN",
    "RouteRef",
    "all_routes",
    "api_path",
    "changed_tables",
    "fill",
    "fingerprint",
    "matches",
    "observed",
    "page_path",
    "send",
]
