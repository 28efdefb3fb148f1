"""Public calendar API (placeholder; filled by the calendar work)."""

from ninja import Router

router = Router(tags=["calendar"])
