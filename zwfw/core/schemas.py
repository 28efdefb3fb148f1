"""API schemas shared by every router."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """The body of every error answer: a stable code, a readable message, optional details."""

    code: str
    message: str
    details: Any = None
