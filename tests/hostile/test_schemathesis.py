"""Schemathesis over the whole API, as each role: no server error, answers as the spec says.

The OpenAPI document is read from the running application (/api/v1/openapi.json) and every
operation is called with generated input (valid and invalid), each caller with a real session
cookie and, for unsafe methods, the CSRF header a page would send:

- operations that need a login, as a citizen, an enterprise, a window clerk, a catalog
  administrator and a supervisor; and once as an anonymous visitor, who must get 401;
- public operations, as an anonymous visitor and as a citizen.

Path ids are mixed with the ids of real demo objects, so that calls reach past the 404 into the
services. Checks: no 5xx, the status is one the document declares, the body matches the declared
schema, and every 4xx body is the platform's error format ``{code, message, details}``.

``ZWFW_SCHEMATHESIS_EXAMPLES`` bounds the generated examples per operation and role. The default
(4) keeps the run near three minutes on PostgreSQL for CI; a nightly run can afford 15 or more.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import DatabaseError, transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.hostile.conftest import ROLES, Seeded

MAX_EXAMPLES = int(os.environ.get("ZWFW_SCHEMATHESIS_EXAMPLES", "4"))

# The application as gunicorn runs it (zwfw.wsgi would also warm the search dictionary: seconds).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

_SECURED = {
    (method.upper(), path)
    for path, operations in schema.raw_schema["paths"].items()
    for method, operation in operations.items()
    if operation.get("security")
}


def _needs_login(ctx: Any) -> bool:
    return (ctx.operation.method.upper(), ctx.operation.path) in _SECURED


secured = schema.include(func=_needs_login)
public = schema.exclude(func=_needs_login)
LOGGED_IN = [role for role in ROLES if role != "anonymous"]

# Filled by the ``seeded`` fixture; read by the hooks below while cases are generated.
_REAL_IDS: dict[str, list[Any]] = {}

# Which kind of real id each path parameter takes (by parameter name, or by path and name).
_PATH_ID_KIND = {
    "person_id": "person_id",
    "implementation_id": "implementation_id",
    "adjustment_id": "adjustment_id",
    "case_id": "case_id",
    "bundle_case_id": "bundle_case_id",
    "bundle_id": "bundle_id",
    "intake_id": "intake_id",
    "code": "code",
    "license_id": "license_id",
    "grant_id": "grant_id",
    "list_id": "list_id",
    "rectification_id": "rectification_id",
    "region_code": "region_code",
}
_BODY_ID_KIND = {"implementation_id": "implementation_id", "person_id": "person_id", "case_id": "case_id"}


def _real(kind: str, generated: Any) -> Any:
    """Two generated values in three become a real id of that kind (chosen by the value itself)."""
    choices = _REAL_IDS.get(kind) or []
    if not choices:
        return generated
    seed = generated if isinstance(generated, int) else sum(str(generated).encode())
    if seed % 3 == 0:
        return generated
    return choices[seed % len(choices)]


def _path_kind(path: str, name: str) -> str | None:
    if name == "number":
        if path.startswith("/api/v1/licenses/"):
            return "license_number"
        if "/plan/tasks/" in path:
            return "task_number"
        return None
    return _PATH_ID_KIND.get(name)


@schema.hook
def map_path_parameters(context: schemathesis.HookContext, path_parameters: dict[str, Any] | None) -> Any:
    if not path_parameters:
        return path_parameters
    path = context.operation.path if context.operation else ""
    mapped = dict(path_parameters)
    for name, value in path_parameters.items():
        kind = _path_kind(path, name)
        if kind:
            mapped[name] = _real(kind, value)
        elif name == "purpose" and isinstance(value, str) and sum(value.encode()) % 3:
            mapped[name] = ("revocation", "suspension")[sum(value.encode()) % 2]
    return mapped


@schema.hook
def map_body(context: schemathesis.HookContext, body: Any) -> Any:
    if not isinstance(body, dict):
        return body
    mapped = dict(body)
    for name, kind in _BODY_ID_KIND.items():
        if isinstance(body.get(name), int):
            mapped[name] = _real(kind, body[name])
    return mapped


@schemathesis.check
def standard_error_format(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> bool | None:
    """Every 4xx answer is the platform's error body, with a stable code and a message."""
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        raise AssertionError(
            f"{response.status_code} answer is not JSON: {response.content[:200]!r}"
        ) from None
    assert isinstance(body, dict), f"{response.status_code} answer is not an object: {body!r}"
    assert set(body) == {"code", "message", "details"}, f"not the error format: {body!r}"
    assert isinstance(body["code"], str) and body["code"], f"no error code: {body!r}"
    assert isinstance(body["message"], str) and body["message"], f"no error message: {body!r}"
    return True


CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, standard_error_format]


@pytest.fixture
def session_of(seeded: Seeded) -> Seeded:
    """The seeded demo, its real ids handed to the generation hooks."""
    _REAL_IDS.clear()
    _REAL_IDS.update(seeded.ids)
    return seeded


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,  # the same cases on every run: CI does not flake
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def _call(case: schemathesis.Case, seeded: Seeded, role: str) -> schemathesis.Response:
    session = seeded.sessions[role]
    # In production each statement outside a transaction stands alone: one the database refuses
    # (answered 422) leaves the connection usable. Here all runs inside the test's transaction,
    # so a savepoint per request gives the next request the same clean connection.
    savepoint = transaction.savepoint()
    response = case.call(headers=session.headers(case.method), cookies=session.cookies())
    try:
        transaction.savepoint_commit(savepoint)
    except DatabaseError:
        transaction.savepoint_rollback(savepoint)
    case.validate_response(response, checks=CHECKS)
    return response


@secured.parametrize()
@pytest.mark.parametrize("role", LOGGED_IN)
@_settings(MAX_EXAMPLES)
def test_operations_that_need_a_login_as_each_role(
    case: schemathesis.Case, role: str, session_of: Seeded, db: None
) -> None:
    _call(case, session_of, role)


@secured.parametrize()
@_settings(1)
def test_operations_that_need_a_login_refuse_an_anonymous_visitor(
    case: schemathesis.Case, session_of: Seeded, db: None
) -> None:
    response = _call(case, session_of, "anonymous")
    assert response.status_code == 401
    assert json.loads(response.content)["code"] == "auth.required"


@public.parametrize()
@pytest.mark.parametrize("role", ["anonymous", "citizen"])
@_settings(MAX_EXAMPLES)
def test_public_operations(case: schemathesis.Case, role: str, session_of: Seeded, db: None) -> None:
    _call(case, session_of, role)
