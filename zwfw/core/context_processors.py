"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, object]:
    """The elderly-friendly mode flag (remembered per browser in a cookie)."""
    return {"elder_mode": request.COOKIES.get("zwfw_elder") == "1"}
