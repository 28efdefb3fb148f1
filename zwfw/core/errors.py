"""Domain errors: one stable code, a user-readable message, optional details.

Services raise these; the API maps them to HTTP statuses through one handler and the HTML
views show the message. Nothing is changed when one is raised inside a service transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DomainError(Exception):
    """A rule of the domain refused the action (422 unless a subclass says otherwise)."""

    status: ClassVar[int] = 422

    def __init__(self, code: str, message: str | Promise, details: object = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = details


class ValidationFailed(DomainError):
    """The input breaks a rule; details lists every failing field."""

    status = 422


class NotFound(DomainError):
    """The object does not exist or is outside the actor's scope (never reveal which)."""

    status = 404


class PermissionDenied(DomainError):
    """The actor lacks the role the action needs."""

    status = 403


class Conflict(DomainError):
    """The object's state does not allow the action now (e.g. already accepted)."""

    status = 409


class TooManyRequests(DomainError):
    """The client has been refused for a while after too many failed attempts."""

    status = 429


class NotAuthenticated(DomainError):
    """The action needs a logged-in user."""

    status = 401


# The code and message of an HTTP status answered without a domain error (Django's or ninja's own
# refusals); one table for the API's exception handler and the API error middleware.
HTTP_ERRORS: dict[int, tuple[str, Promise]] = {
    400: ("request.malformed", gettext_lazy("The request could not be read.")),
    401: ("auth.required", gettext_lazy("Please log in first.")),
    403: ("auth.forbidden", gettext_lazy("You do not have permission for this action.")),
    404: ("not_found", gettext_lazy("Not found.")),
    405: ("request.method_not_allowed", gettext_lazy("This method is not allowed here.")),
    413: ("request.too_large", gettext_lazy("The request is too large.")),
}


def http_error(status: int) -> tuple[str, str]:
    """The code and message (in the active language) for an HTTP error status."""
    if status >= 500:
        return "server.error", _("Something went wrong on our side. Please try again later.")
    code, message = HTTP_ERRORS.get(status, ("request.error", gettext_lazy("The request was refused.")))
    return code, str(message)


def schema_error_message(error: Mapping[str, Any]) -> str:
    """One pydantic error in the user's language (Chinese in the UI): what is wrong with the value,
    with the limit it broke. The one place that turns pydantic's English into words for people."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This value is required.")
    if kind == "string_too_long":
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind == "too_long":
        return _("At most %(n)s entries.") % {"n": ctx.get("max_length")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("Must not be less than %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Must not be more than %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Must be a whole number.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Must be true or false.")
    if kind in ("enum", "literal_error"):
        return _("Not one of the allowed values.")
    if kind == "extra_forbidden":
        return _("Not an element of this form.")
    if kind == "string_pattern_mismatch":
        return _("Not in the expected form.")
    return _("Invalid value (%(detail)s).") % {"detail": error.get("msg", kind)}


def schema_error_details(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Pydantic's error list as the API's ``details``: one entry per bad field, dotted path, the
    pydantic error type as ``code`` and ``schema_error_message`` as ``message``."""
    return [
        {
            "field": ".".join(str(part) for part in err.get("loc", ())),
            "code": str(err.get("type", "")),
            "message": schema_error_message(err),
        }
        for err in errors
    ]
