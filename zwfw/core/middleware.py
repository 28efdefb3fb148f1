"""Language selection: Chinese unless the visitor chose another language on the site."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
