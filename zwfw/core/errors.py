"""Domain errors: one stable code, a user-readable message, optional details.

Services raise these; the API maps them to HTTP statuses through one handler and the HTML
views show the message. Nothing is changed when one is raised inside a service transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django.utils.functional import Promise


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


def schema_error_details(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Pydantic's error list as the API's ``details``: one entry per bad field, dotted path."""
    return [
        {
            "field": ".".join(str(part) for part in err.get("loc", ())),
            "code": str(err.get("type", "")),
            "message": str(err.get("msg", "")),
        }
        for err in errors
    ]
