"""Pages of 好差评: rate a case (applicant's space and the window tablet), my ratings with the
rectification answers, the agency's rectification desk, and the public page (评价公开).

Views parse a form, call one service or selector and render; a ``DomainError`` is shown as its
message and changes nothing. The dashboard and plan pages live in ``views_dashboard``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zwfw.cases.models import Case
from zwfw.core.errors import DomainError, NotFound
from zwfw.core.models import Agency, Region
from zwfw.evaluations import selectors, services
from zwfw.evaluations.models import (
    OFFLINE_INDICATORS,
    ONLINE_INDICATORS,
    Classification,
    Grade,
    RatingChannel,
    Rectification,
    RectificationStatus,
)
from zwfw.identity.models import User
from zwfw.identity.selectors import actor_scope


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.strip().isdigit() else None


def _date(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw or "")
    except ValueError:
        return None


def _rating_input(request: HttpRequest, channel: str) -> dict[str, Any]:
    """The rating form's values (the service checks them)."""
    names = ONLINE_INDICATORS if channel == RatingChannel.ONLINE else OFFLINE_INDICATORS
    indicators = {k: v for k in names if (v := _int(request.POST.get(f"indicator_{k}"))) is not None}
    return {
        "stage": request.POST.get("stage", ""),
        "grade": _int(request.POST.get("grade")) or 0,
        "indicators": indicators,
        "comment": request.POST.get("comment", ""),
        "anonymous": request.POST.get("anonymous") == "1",
    }


def _rate_page(
    request: HttpRequest, case: Case, channel: str, error: DomainError | None, values: dict[str, Any]
) -> HttpResponse:
    indicators = ONLINE_INDICATORS if channel == RatingChannel.ONLINE else OFFLINE_INDICATORS
    return render(
        request,
        "evaluations/rate.html",
        {
            "case": case,
            "channel": channel,
            "stages": selectors.stages_to_rate(case=case),
            "grades": Grade.choices,
            "indicators": [(k, str(label)) for k, label in indicators.items()],
            "error": error,
            "values": values,
        },
        status=422 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, case_id: int) -> HttpResponse:
    """一事一评: the applicant rates their case (any stage reached and not yet rated)."""
    try:
        case = selectors.rateable_case_get(actor=request.user, case_id=case_id)
    except NotFound:
        return render(request, "evaluations/not_found.html", status=404)
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = _rating_input(request, RatingChannel.ONLINE)
        try:
            evaluation = services.evaluation_submit(
                actor=request.user, case=case, channel=RatingChannel.ONLINE, **values
            )
        except DomainError as exc:
            return _rate_page(request, case, RatingChannel.ONLINE, exc, values)
        messages.success(request, _("Thank you. Your rating has been recorded."))
        return redirect(f"{_my_ratings_url()}#rating-{evaluation.pk}")
    return _rate_page(request, case, RatingChannel.ONLINE, None, values)


def _my_ratings_url() -> str:
    from django.urls import reverse

    return reverse("my_ratings")


@login_required
@require_http_methods(["GET", "POST"])
def rate_at_window(request: HttpRequest, case_id: int) -> HttpResponse:
    """一次一评: the clerk hands the tablet over and the person at the window rates the visit."""
    case = Case.objects.select_related("agency", "implementation__item").filter(pk=case_id).first()
    if case is None or not isinstance(request.user, User) or not services.is_window_clerk(request.user, case):
        return render(request, "evaluations/not_found.html", status=404)
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = _rating_input(request, RatingChannel.WINDOW)
        try:
            services.evaluation_submit(actor=request.user, case=case, channel=RatingChannel.WINDOW, **values)
        except DomainError as exc:
            return _rate_page(request, case, RatingChannel.WINDOW, exc, values)
        return render(request, "evaluations/thanks.html", {"case": case})
    return _rate_page(request, case, RatingChannel.WINDOW, None, values)


@login_required
def my_ratings(request: HttpRequest) -> HttpResponse:
    """The applicant's ratings with the agency's answer to each 差评 and its own rating."""
    evaluations = (
        selectors.evaluation_list(actor=request.user)
        .filter(rater_id=request.user.pk)
        .select_related("case__implementation__item", "rectification")
    )
    return render(
        request, "evaluations/my_ratings.html", {"evaluations": evaluations, "grades": Grade.choices}
    )


@login_required
@require_POST
def rate_rectification(request: HttpRequest, rectification_id: int) -> HttpResponse:
    """The rater rates the rectification once."""
    try:
        rectification = selectors.rectification_get(actor=request.user, rectification_id=rectification_id)
    except NotFound:  # someone else's: 404, as for every object outside one's scope
        return render(request, "evaluations/not_found.html", status=404)
    try:
        services.rectification_rate(
            actor=request.user,
            rectification=rectification,
            grade=_int(request.POST.get("grade")) or 0,
            comment=request.POST.get("comment", ""),
        )
        messages.success(request, _("Thank you. Your rating of the rectification has been recorded."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(_my_ratings_url())


def _staff(request: HttpRequest) -> bool:
    return actor_scope(request.user).is_staff_member


@login_required
def rectification_queue(request: HttpRequest) -> HttpResponse:
    """The agency's rectification desk: open, due soon, overdue, appealed, closed."""
    if not _staff(request):
        return render(request, "evaluations/forbidden.html", status=403)
    queue = request.GET.get("queue", "open")
    if queue not in selectors.RECTIFICATION_QUEUES:
        queue = "open"
    base = selectors.rectification_list(actor=request.user)
    counts = {q: selectors.rectification_queue(base, q).count() for q in selectors.RECTIFICATION_QUEUES}
    rows = selectors.rectification_queue(base, queue)[:200]
    return render(
        request,
        "evaluations/staff/queue.html",
        {"queue": queue, "tabs": list(counts.items()), "rows": rows, "today": timezone.localdate()},
    )


STEPS = ("callback", "classify", "answer", "appeal")


def next_step(user: User, r: Rectification) -> str:
    """Which form the page offers next ("" when the actor has nothing to do)."""
    handle, status = services.may_handle(user, r), r.status
    if status == RectificationStatus.APPEALED:
        return "appeal" if services.may_oversee(user, r) else ""
    if not handle:
        return ""
    if status == RectificationStatus.OPEN:
        return "callback" if r.evaluation.real_name else "classify"
    if status == RectificationStatus.CALLED_BACK or (
        status == RectificationStatus.CLASSIFIED and not r.classification
    ):
        return "classify"
    return "answer" if status == RectificationStatus.CLASSIFIED else ""


def _detail(
    request: HttpRequest, rectification: Rectification, error: DomainError | None = None, step: str = ""
) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    return render(
        request,
        "evaluations/staff/detail.html",
        {
            "r": rectification,
            "e": rectification.evaluation,
            "case": rectification.evaluation.case,
            "classifications": Classification.choices,
            "may_handle": services.may_handle(user, rectification),
            "may_oversee": services.may_oversee(user, rectification),
            "next_step": next_step(user, rectification),
            "error": error,
            "step": step,
            "statuses": RectificationStatus,
            "values": request.POST if error else {},
            "today": timezone.localdate(),
        },
        status=422 if error else 200,
    )


@login_required
def rectification_detail(request: HttpRequest, rectification_id: int) -> HttpResponse:
    """One 差评: the rating, the records so far and the form for the next step."""
    try:
        rectification = selectors.rectification_get(actor=request.user, rectification_id=rectification_id)
    except NotFound:
        return render(request, "evaluations/not_found.html", status=404)
    if not _staff(request):
        return render(request, "evaluations/forbidden.html", status=403)
    return _detail(request, rectification)


@login_required
@require_POST
def rectification_step(request: HttpRequest, rectification_id: int, step: str) -> HttpResponse:
    """Record one step of the loop (call-back, classification, answer, appeal decision)."""
    try:
        rectification = selectors.rectification_get(actor=request.user, rectification_id=rectification_id)
    except NotFound:
        return render(request, "evaluations/not_found.html", status=404)
    if not _staff(request):  # the rater sees the loop on "my ratings", never the staff page
        return render(request, "evaluations/forbidden.html", status=403)
    p = request.POST
    try:
        if step == "callback":
            services.rectification_callback(
                actor=request.user,
                rectification=rectification,
                reached=p.get("reached") == "1",
                note=p.get("note", ""),
            )
        elif step == "classify":
            services.rectification_classify(
                actor=request.user,
                rectification=rectification,
                classification=p.get("classification", ""),
                finding=p.get("finding", ""),
                plan_text=p.get("plan_text", ""),
                plan_due=_date(p.get("plan_due")),
                appeal_reason=p.get("appeal_reason", ""),
            )
        elif step == "answer":
            services.rectification_answer(
                actor=request.user,
                rectification=rectification,
                fix_text=p.get("fix_text", ""),
                answer_text=p.get("answer_text", ""),
            )
        elif step == "appeal":
            services.rectification_decide_appeal(
                actor=request.user,
                rectification=rectification,
                upheld=p.get("upheld") == "1",
                decision=p.get("decision", ""),
            )
        else:
            return render(request, "evaluations/not_found.html", status=404)
    except DomainError as exc:
        rectification.refresh_from_db()
        return _detail(request, rectification, exc, step)
    messages.success(request, _("Saved."))
    return redirect("rectification_detail", rectification_id=rectification.pk)


def public(request: HttpRequest, region_code: str | None = None) -> HttpResponse:
    """评价公开: the ratings, good-rating share, 差评 rectified on time and the answers."""
    region = (
        Region.objects.filter(code=region_code).first()
        if region_code
        else Region.objects.filter(parent__isnull=True).order_by("code").first()
    )
    if region is None:
        return render(request, "evaluations/not_found.html", status=404)
    agency_id = _int(request.GET.get("agency"))
    agency = (
        Agency.objects.filter(pk=agency_id, region__prefix__startswith=region.prefix).first()
        if agency_id
        else None
    )
    summary = selectors.public_summary(region=region, agency=agency)
    return render(
        request,
        "evaluations/public.html",
        {
            "s": summary,
            "children": Region.objects.filter(parent=region).order_by("code"),
            "parent": region.parent,
        },
    )
