"""The JSON API at /api/v1/: one NinjaAPI, one error format, one router per context.

Every error answers ``{"code": "...", "message": "...", "details": ...}``:
400 unreadable request, 401 not logged in, 403 missing role, 404 absent or out of scope,
409 state conflict, 422 invalid input or a broken rule.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.errors import AuthorizationError as NinjaAuthorizationError
from ninja.openapi.schema import OpenAPISchema

from zwfw.bundles.api import router as bundles_router
from zwfw.cases.api import router as cases_router
from zwfw.catalog.api import router as catalog_router
from zwfw.core.api import router as core_router
from zwfw.core.errors import DomainError, http_error, schema_error_details
from zwfw.core.schemas import ErrorOut
from zwfw.evaluations.api import router as evaluations_router
from zwfw.identity.api import router as identity_router
from zwfw.licenses.api import router as licenses_router

logger = logging.getLogger(__name__)


# Declared on every operation of the OpenAPI document (401 only where a login is needed).
ERROR_RESPONSES = {
    400: "Unreadable request",
    401: "Not logged in",
    403: "Missing role or CSRF token",
    404: "Absent or out of scope",
    409: "State conflict",
    422: "Invalid input or a broken rule",
}


class ZwfwAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI document declares the shared error answers of each operation.

    The document is built once per process and kept: building it costs about 0.25 s of CPU, and
    ``/api/v1/openapi.json`` is public.
    """

    _openapi_cache: dict[tuple[Any, ...], OpenAPISchema]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._openapi_cache = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        cached = self._openapi_cache.get(key)
        if cached is not None:  # the routes are fixed once the URL configuration is loaded
            return cached
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = (
            ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    if status == 401 and not operation.get("security"):
                        continue
                    if status not in responses and str(status) not in responses:
                        responses[status] = {"description": description, **error}
        self._openapi_cache[key] = schema
        return schema


api = ZwfwAPI(
    title="zwfw API",
    version="1",
    description="政务服务 platform API. Errors: {code, message, details}.",
    urls_namespace="api",
    docs_url="/docs" if settings.ZWFW_API_DOCS else None,
    openapi_url="/openapi.json",
)


def _error(
    request: HttpRequest, status: int, code: str, message: str, details: object = None
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "details": details}, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, str(exc.message), exc.details)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = schema_error_details(list(exc.errors))
    return _error(request, 422, "request.invalid", _("Some fields are missing or invalid."), details)


def _refused_value(request: HttpRequest, exc: Exception) -> HttpResponse:
    # The safety net behind the schemas' limits: a value the database cannot hold (a string longer
    # than its column, a number out of range: PostgreSQL's DataError, SQLite's OverflowError, as
    # is a number too large for date arithmetic) is refused like any invalid input, not a 500.
    # The statement failed, so nothing was written. Logged: a schema should have caught it.
    logger.warning("database refused a value on %s %s: %s", request.method, request.path, exc)
    return _error(request, 422, "request.invalid", _("Some fields are missing or invalid."), [])


@api.exception_handler(DataError)
def _data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    return _refused_value(request, exc)


@api.exception_handler(OverflowError)
def _overflow_error(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    return _refused_value(request, exc)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, *http_error(401))


@api.exception_handler(NinjaAuthorizationError)
def _authz_error(request: HttpRequest, exc: NinjaAuthorizationError) -> HttpResponse:
    return _error(request, 403, *http_error(403))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, *http_error(404))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja's own messages are English ("Cannot parse request body", "CSRF check Failed").
    code, message = http_error(exc.status_code)
    if exc.status_code == 403 and "CSRF" in str(exc.message):
        code, message = "auth.csrf_failed", _("The security check failed. Reload the page and try again.")
    return _error(request, exc.status_code, code, message)


api.add_router("/", core_router)
api.add_router("/", identity_router)
api.add_router("/catalog", catalog_router)
api.add_router("/cases", cases_router)
api.add_router("/bundles", bundles_router)
api.add_router("/licenses", licenses_router)
api.add_router("/evaluations", evaluations_router)

if getattr(settings, "ZWFW_BENCH_ENDPOINTS", False):  # bench/intake.py only; never in production
    from zwfw.core.bench_api import router as bench_router

    api.add_router("/bench", bench_router)
