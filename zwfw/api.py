"""The JSON API at /api/v1/: one NinjaAPI, one error format, one router per context.

Every error answers ``{"code": "...", "message": "...", "details": ...}``:
400 unreadable request, 401 not logged in, 403 missing role, 404 absent or out of scope,
409 state conflict, 422 invalid input or a broken rule.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.errors import AuthorizationError as NinjaAuthorizationError

from zwfw.bundles.api import router as bundles_router
from zwfw.cases.api import router as cases_router
from zwfw.catalog.api import router as catalog_router
from zwfw.core.api import router as core_router
from zwfw.core.errors import DomainError, schema_error_details
from zwfw.evaluations.api import router as evaluations_router
from zwfw.identity.api import router as identity_router
from zwfw.licenses.api import router as licenses_router

api = NinjaAPI(
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


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "auth.required", _("Please log in first."))


@api.exception_handler(NinjaAuthorizationError)
def _authz_error(request: HttpRequest, exc: NinjaAuthorizationError) -> HttpResponse:
    return _error(request, 403, "auth.forbidden", _("You do not have permission for this action."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {400: "request.malformed", 401: "auth.required", 403: "auth.forbidden", 404: "not_found"}.get(
        exc.status_code, "request.error"
    )
    return _error(request, exc.status_code, code, str(exc.message))


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
