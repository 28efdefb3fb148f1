"""Language selection (Chinese unless the visitor chose another language) and the API's error format."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from zwfw.core.errors import http_error


class LanguageMiddleware(LocaleMiddleware):
    """Use the language the visitor picked (the language cookie), else zh-hans.

    Django's own middleware would follow the browser's Accept-Language, which turns the platform
    English for anyone whose phone or computer happens to be set to English; here English is
    shown only on request.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


API_PREFIX = "/api/"


class ApiErrorFormatMiddleware:
    """Every error the API answers is ``{code, message, details}`` JSON, even Django's own.

    The API's handlers already answer in that format; this covers what happens around them:
    an unknown path under /api/ (404), a method the path does not take (405), an unreadable or
    oversized request (400, 413) and a server error (500), which Django would answer as HTML
    or plain text.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        code, message = http_error(response.status_code)
        replaced = JsonResponse(
            {"code": code, "message": message, "details": None}, status=response.status_code
        )
        for header in ("Allow", "X-Request-ID"):
            if header in response:
                replaced[header] = response[header]
        return replaced
