"""Pages of the shared kernel: the home page, the health endpoints and the browser preferences.

The preferences (elder-friendly mode, current region) belong to the browser, not to an account:
they change no domain state, so they write no audit event.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zwfw.core.models import Region, RegionLevel
from zwfw.core.selectors import region_list, tasks_backlog

logger = logging.getLogger(__name__)

# Elder-friendly mode (适老化) is remembered per browser for a year in this cookie.
ELDER_COOKIE = "zwfw_elder"
ELDER_COOKIE_MAX_AGE = 365 * 24 * 60 * 60

# The region the visitor chose (its code) is kept in the session under this key.
REGION_SESSION_KEY = "zwfw_region"
# The levels a visitor may choose in the region switcher.
SWITCHER_LEVELS = (RegionLevel.PREFECTURE, RegionLevel.COUNTY)


def region_current(request: HttpRequest) -> Region | None:
    """The region chosen in this session, or None (looked up once per request)."""
    cached = getattr(request, "_zwfw_region", False)  # False: not looked up yet
    if cached is None or isinstance(cached, Region):
        return cached
    code = request.session.get(REGION_SESSION_KEY) if hasattr(request, "session") else None
    region = (
        region_list().filter(code=code, level__in=SWITCHER_LEVELS).first() if isinstance(code, str) else None
    )
    request._zwfw_region = region  # type: ignore[attr-defined]
    return region


def _safe_next(request: HttpRequest) -> str:
    """The ``next`` target if it stays on this site, else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _wants_json(request: HttpRequest) -> bool:
    """True for the enhanced (fetch) form submission, which expects JSON instead of a redirect."""
    return request.headers.get("Accept", "").startswith("application/json")


def home(request: HttpRequest) -> HttpResponse:
    """The portal's front page."""
    query = request.GET.get("q", "").strip()[:100]
    return render(request, "core/home.html", {"query": query})


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers and so does the task queue (its table in that database).

    503 names the failing check in ``failing``. The queue's backlog (ready tasks and the age of
    the oldest) is reported for monitoring but never makes a web node unready: workers being
    behind is no reason to take web traffic away from it.
    """
    body: dict[str, object] = {"status": "ok", "database": "ok", "tasks": "ok"}
    failing = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means not ready
        logger.exception("readyz: the database does not answer")
        body["database"] = "down"
        body["tasks"] = "unknown"
        failing.append("database")
    else:
        try:
            with transaction.atomic():  # a savepoint inside a request-wide transaction
                count, age = tasks_backlog()
        except Exception:  # noqa: BLE001 - any failure means not ready
            logger.exception("readyz: the task queue does not answer")
            body["tasks"] = "down"
            failing.append("tasks")
        else:
            body["tasks_ready"] = count
            body["tasks_oldest_ready_seconds"] = round(age, 1) if age is not None else None
    if failing:
        body["status"] = "unavailable"
        body["failing"] = failing
        return JsonResponse(body, status=503)
    return JsonResponse(body)


@require_POST
def elder_mode_set(request: HttpRequest) -> HttpResponse:
    """Turn elder-friendly mode on (``elder=1``) or off (``elder=0``) for this browser.

    Without ``elder`` the mode flips. A plain form post is redirected back to a safe ``next``;
    the enhanced submission from zwfw.js (``Accept: application/json``) gets the new state.
    """
    current = request.COOKIES.get(ELDER_COOKIE) == "1"
    choice = request.POST.get("elder")
    enabled = choice == "1" if choice in ("0", "1") else not current
    response: HttpResponse = (
        JsonResponse({"elder_mode": enabled})
        if _wants_json(request)
        else HttpResponseRedirect(_safe_next(request))
    )
    if enabled:
        response.set_cookie(
            ELDER_COOKIE,
            "1",
            max_age=ELDER_COOKIE_MAX_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=False,
        )
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response


@require_POST
def region_set(request: HttpRequest) -> HttpResponseRedirect:
    """Remember the region chosen in the switcher for this session (an empty choice clears it)."""
    code = request.POST.get("region", "").strip()
    if not code:
        request.session.pop(REGION_SESSION_KEY, None)
        messages.success(request, _("Showing services of all regions."))
        return HttpResponseRedirect(_safe_next(request))
    region = region_list().filter(code=code[:12], level__in=SWITCHER_LEVELS).first()
    if region is None:
        messages.error(request, _("That region does not exist. Please choose a region from the list."))
    else:
        request.session[REGION_SESSION_KEY] = region.code
        messages.success(request, _("Region switched to %(region)s.") % {"region": region.name})
    return HttpResponseRedirect(_safe_next(request))
