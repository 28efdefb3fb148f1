"""The applicant's pages (citizens and enterprises, phone first): apply online from the guide,
save a draft while uploading, submit once, follow the case, answer a correction notice, supply
容缺 materials, withdraw, and look a case up without an account.

Views stay thin: they parse, call one service or selector of ``zwfw.cases`` (the same ones the
JSON API calls) and render. Every refusal of a service is shown as its message, next to the
field it concerns; nothing already received is lost.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zwfw.cases import policies, selectors, services
from zwfw.cases.clock import ClockView, clock_view
from zwfw.cases.forms_applicant import (
    LookupForm,
    MaterialInput,
    MaterialRow,
    Problems,
    WithdrawForm,
    commitment_text,
    material_inputs,
    material_rows,
    named_url,
    upload_limit,
)
from zwfw.cases.models import (
    Case,
    CaseNotice,
    CaseState,
    Channel,
    MaterialKind,
    NoticeKind,
    PauseKind,
)
from zwfw.cases.states import OPEN_STATES, allowed_actions
from zwfw.catalog.models import Implementation
from zwfw.catalog.selectors import published_get
from zwfw.core.errors import Conflict, DomainError, NotFound, TooManyRequests, ValidationFailed
from zwfw.core.models import AuditEvent
from zwfw.core.request_context import client_ip
from zwfw.identity.models import User

# States in which a 容缺 material may still be supplied (the service decides; this shows the form).
SUPPLY_STATES = frozenset(
    {CaseState.ACCEPTED, CaseState.UNDER_REVIEW, CaseState.SUSPENDED, CaseState.APPROVED}
)
RESULT_STATES = frozenset({CaseState.DELIVERED, CaseState.CLOSED})
MIN_ONLINE_DEPTH = 3  # Ⅲ 网上受理 and Ⅳ 全程网办 can be applied for online


# --- small reads (selectors of the applicant's side) ------------------------------------------


def applicant_cases(user: User) -> QuerySet[Case]:
    """The cases the user applied for (as themself or their enterprise), never staff scope."""
    own = Q(applicant_user_id=user.pk)
    if user.person_id:
        own |= Q(applicant_person_id=user.person_id)
    if user.enterprise_id:
        own |= Q(applicant_enterprise_id=user.enterprise_id)
    return selectors.case_list(actor=user).filter(own)


def draft_for(user: User, implementation: Implementation) -> Case | None:
    """The user's latest online draft for the implementation, to be resumed."""
    return (
        applicant_cases(user)
        .filter(
            implementation=implementation,
            state=CaseState.DRAFT,
            channel=Channel.ONLINE,
            applicant_user_id=user.pk,
        )
        .order_by("-created_at")
        .first()
    )


def own_case(user: User, case_id: int) -> Case:
    """One case the user applied for; NotFound for anyone else's (also for staff in scope)."""
    case = selectors.case_get(actor=user, case_id=case_id)
    if not policies.is_applicant(user, case):
        raise NotFound("case.not_found", _("Case not found."))
    return case


@dataclass(frozen=True)
class TimelineEntry:
    """One step of a case's history as the applicant sees it."""

    at: datetime.datetime
    action: str
    label: str
    note: str = ""


def _timeline_label(event: AuditEvent) -> tuple[str, str] | None:
    """The label and note of one ledger event, or None for events the applicant need not see."""
    payload: dict[str, Any] = event.payload if isinstance(event.payload, dict) else {}
    action = event.action
    if action == "created":
        return _("Application started"), ""
    if action == "submit":
        return _("Application submitted"), ""
    if action == "request_correction":
        return _("Corrections requested (one-time notice)"), ""
    if action == "resubmit":
        return _("Corrected materials handed in"), ""
    if action == "accept":
        if payload.get("deficiency_due_date"):
            return _("Accepted; some materials to follow"), _("Promised by %(date)s") % {
                "date": payload["deficiency_due_date"]
            }
        return _("Accepted"), ""
    if action == "reject_intake":
        return _("Not accepted"), str(payload.get("reason", ""))
    if action == "start_review":
        return _("Review started"), ""
    if action == "suspend":
        if payload.get("kind") == PauseKind.CORRECTION:
            return _("Clock paused while waiting for materials"), ""
        return _("Clock paused for a special procedure"), str(payload.get("procedure", ""))
    if action == "resume":
        return _("Review resumed"), ""
    if action == "due_date_moved" and payload.get("to"):
        return _("Due date moved"), _("New due date: %(date)s") % {"date": payload["to"]}
    if action == "extended":
        return _("Time limit extended"), _("By %(n)s days") % {"n": payload.get("days", "")}
    if action == "approve":
        return _("Approved"), ""
    if action == "deny":
        return _("Denied"), ""
    if action == "deliver":
        return _("Result delivered"), ""
    if action == "close":
        return _("Closed"), ""
    if action == "withdraw":
        return _("Withdrawn"), ""
    return None  # material receipts are listed with the materials; internal events are not shown


def case_timeline(case: Case) -> list[TimelineEntry]:
    """The case's history from its ledger chain (read-only), oldest first."""
    entries: list[TimelineEntry] = []
    for event in AuditEvent.objects.filter(chain=f"case:{case.pk}").order_by("seq"):
        found = _timeline_label(event)
        if found is not None:
            entries.append(
                TimelineEntry(
                    at=timezone.localtime(event.occurred_at),
                    action=event.action,
                    label=found[0],
                    note=found[1],
                )
            )
    return entries


# --- view-models ------------------------------------------------------------------------------


@dataclass
class Applicant:
    """Who applies, as the form shows it (ID numbers masked)."""

    kind: str  # "person" or "enterprise"
    name: str
    identifier: str


def applicant_of(case: Case) -> Applicant | None:
    """The enterprise when the item serves legal persons and the case has one, else the person."""
    objects = case.version.content.get("service_objects") or ["person"]
    enterprise, person = case.applicant_enterprise, case.applicant_person
    if enterprise is not None and ("legal_person" in objects or person is None):
        return Applicant(kind="enterprise", name=enterprise.name, identifier=enterprise.uscc)
    if person is not None:
        return Applicant(kind="person", name=person.name, identifier=person.id_number_masked)
    return None


def _receive(request: HttpRequest, case: Case, inputs: list[MaterialInput], problems: Problems) -> int:
    """Hand every sent file or commitment to ``case_material_add``; refusals go to ``problems``.

    Each material is its own transaction: one refused file never undoes another that was fine.
    """
    requirements = {r.key: r for r in services.requirements(case)}
    on_file = services.materials_on_file(case)
    stored = 0
    for item in inputs:
        try:
            if item.kind == MaterialKind.COMMITMENT:
                current = on_file.get(item.key)
                if current is not None and current.kind == MaterialKind.COMMITMENT:
                    continue  # already signed: the box stays ticked on every later save
                requirement = requirements.get(item.key)
                services.case_material_add(
                    actor=request.user,
                    case=case,
                    requirement_key=item.key,
                    kind=MaterialKind.COMMITMENT,
                    commitment_text=commitment_text(requirement) if requirement else "",
                )
            else:
                services.case_material_add(
                    actor=request.user,
                    case=case,
                    requirement_key=item.key,
                    kind=MaterialKind.UPLOAD,
                    content=item.content,
                    filename=item.filename,
                )
            stored += 1
        except DomainError as error:
            problems.add(error, item.key if item.key in requirements else "")
    return stored


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/applicant/not_found.html", status=404)


def _online_allowed(implementation: Implementation) -> bool:
    version = implementation.current_version
    depth = int(version.content.get("online_depth") or 1) if version is not None else 0
    return depth >= MIN_ONLINE_DEPTH


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required guarantees it
    return user


# --- apply -------------------------------------------------------------------------------------


def _render_apply(
    request: HttpRequest, case: Case, problems: Problems | None = None, status: int = 200
) -> HttpResponse:
    problems = problems or Problems()
    rows = material_rows(case, errors=problems.by_key, codes=problems.codes)
    missing = [r for r in rows if r.requirement.necessity == "required" and not r.received]
    names = {r.key: r.requirement.name for r in rows}
    return render(
        request,
        "cases/applicant/apply.html",
        {
            "case": case,
            "implementation": case.implementation,
            "applicant": applicant_of(case),
            "rows": rows,
            "missing_required": missing,
            "required_count": sum(1 for r in rows if r.requirement.necessity == "required"),
            "problems": problems,
            "problem_links": [
                (k, names.get(k, k), m, problems.codes.get(k, "")) for k, m in problems.by_key.items()
            ],
            "submit_token": uuid.uuid4().hex,
            "guide_url": named_url("guide", {"implementation_id": case.implementation_id}, ""),
            "depth": int(case.version.content.get("online_depth") or 1),
            "upload_mb": upload_limit() // (1024 * 1024),
            "open_case": applicant_cases(_user(request))
            .filter(implementation_id=case.implementation_id, state__in=OPEN_STATES)
            .order_by("-submitted_at")
            .first(),
        },
        status=status,
    )


@login_required
@require_GET
def apply_start(request: HttpRequest, implementation_id: int) -> HttpResponse:
    """Apply online from the guide: resume the user's draft for this item, or start one."""
    user = _user(request)
    try:
        implementation = published_get(implementation_id=implementation_id)
    except NotFound:
        return _not_found(request)
    if not _online_allowed(implementation):
        return render(
            request,
            "cases/applicant/cannot_apply.html",
            {"implementation": implementation, "reason": "not_online", "guide_url": _guide(implementation)},
            status=409,
        )
    case = draft_for(user, implementation)
    if case is None:
        try:
            case = services.case_create(
                actor=user,
                implementation=implementation,
                channel=Channel.ONLINE,
                contact_phone=(user.phone or (user.person.phone if user.person else ""))[:20],
            )
        except DomainError as error:
            return render(
                request,
                "cases/applicant/cannot_apply.html",
                {
                    "implementation": implementation,
                    "reason": error.code,
                    "message": str(error.message),
                    "guide_url": _guide(implementation),
                },
                status=error.status,
            )
    return _render_apply(request, case)


def _guide(implementation: Implementation) -> str:
    return named_url("guide", {"implementation_id": implementation.pk}, "")


@login_required
@require_POST
def draft_save(request: HttpRequest, case_id: int) -> HttpResponse:
    """Save the draft (files and commitments sent with the form) and, when asked, submit it once.

    A second post of the same form (a double click, a resend) finds the case submitted and goes
    to its status page: it never creates another case and never shows an error page.
    """
    user = _user(request)
    try:
        case = own_case(user, case_id)
    except NotFound:
        return _not_found(request)
    if case.state != CaseState.DRAFT:
        return _already_submitted(request, case)
    problems = Problems()
    _receive(request, case, material_inputs(request), problems)
    case.refresh_from_db()
    if case.state != CaseState.DRAFT:
        return _already_submitted(request, case)
    if problems:
        return _render_apply(request, case, problems, status=422)
    if request.POST.get("action") != "submit":
        messages.success(request, _("Your draft is saved. You can come back and continue at any time."))
        return redirect("apply_start", implementation_id=case.implementation_id)
    try:
        case = services.case_submit(
            actor=user, case=case, idempotency_key=request.POST.get("submit_token", "")[:100]
        )
    except Conflict:
        case.refresh_from_db()
        if case.state != CaseState.DRAFT:
            return _already_submitted(request, case)
        raise
    except ValidationFailed as error:
        problems.add_details(error, _("This material is required."))
        return _render_apply(request, case, problems, status=422)
    messages.success(
        request, _("Your application is submitted. Its case number is %(number)s.") % {"number": case.number}
    )
    return redirect("my_case", case_id=case.pk)


def _already_submitted(request: HttpRequest, case: Case) -> HttpResponse:
    if case.state != CaseState.WITHDRAWN:
        messages.info(request, _("This application has already been submitted."))
    return redirect("my_case", case_id=case.pk)


@login_required
@require_POST
def material_add(request: HttpRequest, case_id: int) -> HttpResponse:
    """Receive the files and commitments of one form (or one file, sent as it is chosen).

    Answers JSON to the page's script (the field's new status, or the refusal), else goes back
    to the page the form came from.
    """
    user = _user(request)
    try:
        case = own_case(user, case_id)
    except NotFound:
        if _wants_json(request):
            return JsonResponse(
                {"ok": False, "code": "case.not_found", "message": _("Case not found.")}, status=404
            )
        return _not_found(request)
    inputs = material_inputs(request)
    problems = Problems()
    stored = _receive(request, case, inputs, problems)
    case.refresh_from_db()
    if _wants_json(request):
        return _material_json(request, case, inputs, problems)
    if problems:
        if case.state == CaseState.DRAFT:
            return _render_apply(request, case, problems, status=422)
        return _render_case(request, case, problems, status=422)
    if stored:
        messages.success(request, _("Received. Thank you."))
    if case.state == CaseState.DRAFT:
        return redirect("apply_start", implementation_id=case.implementation_id)
    return redirect("my_case", case_id=case.pk)


def _material_json(
    request: HttpRequest, case: Case, inputs: list[MaterialInput], problems: Problems
) -> JsonResponse:
    keys = [i.key for i in inputs]
    notice = _correction_notice(case) if case.state == CaseState.CORRECTION_REQUESTED else None
    since = notice.on_file if notice is not None else ()
    fields = {}
    rows = material_rows(
        case,
        only=keys,
        errors=problems.by_key,
        codes=problems.codes,
        since=since,
        in_correction=notice is not None,
    )
    for row in rows:
        fields[row.key] = {
            "ok": not row.error,
            "code": row.error_code,
            "received": row.received,
            "message": row.error,
            "html": render_to_string("cases/applicant/_material_status.html", {"row": row}, request=request),
        }
    if not inputs:
        return JsonResponse({"ok": False, "message": _("Choose a file first."), "fields": {}}, status=422)
    if problems and not fields:
        return JsonResponse(
            {
                "ok": False,
                "code": problems.general_codes[0],
                "message": " ".join(problems.general),
                "fields": {},
            },
            status=422,
        )
    status = 422 if problems else 200
    return JsonResponse(
        {"ok": not problems, "message": " ".join(problems.general), "fields": fields}, status=status
    )


# --- my cases and one case ---------------------------------------------------------------------


def days_left_text(case: Case, clock: ClockView) -> str:
    """ "N working days left" / "due today" / "overdue by N days", or "" when no clock runs."""
    if clock.days_left is None:
        return ""
    natural = case.limit_unit == "natural_days"
    if clock.days_left < 0:
        n = -clock.days_left
        return (_("Overdue by %(n)d calendar days") if natural else _("Overdue by %(n)d working days")) % {
            "n": n
        }
    if clock.days_left == 0:
        return _("Due today")
    return (_("%(n)d calendar days left") if natural else _("%(n)d working days left")) % {
        "n": clock.days_left
    }


@dataclass
class CaseSummary:
    """One row of "my cases"."""

    case: Case
    clock: ClockView

    @property
    def days_left(self) -> str:
        """The days left as a citizen reads them."""
        return days_left_text(self.case, self.clock)


@login_required
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    """My applications with number, item, state, due date and days left; drafts on their own."""
    user = _user(request)
    today = timezone.localdate()
    # a discarded draft (withdrawn before submission) has nothing left to show
    qs = (
        applicant_cases(user)
        .exclude(state=CaseState.WITHDRAWN, submitted_at__isnull=True)
        .order_by("-submitted_at", "-created_at")
    )
    drafts = [c for c in qs if c.state == CaseState.DRAFT]
    submitted = [
        CaseSummary(case=c, clock=clock_view(c, today=today)) for c in qs if c.state != CaseState.DRAFT
    ]
    return render(
        request,
        "cases/applicant/my_cases.html",
        {"drafts": drafts, "cases": submitted},
    )


def _correction_notice(case: Case) -> CaseNotice | None:
    return case.notices.filter(kind=NoticeKind.CORRECTION).order_by("-issued_at").first()


@dataclass
class NoticeLink:
    """A notice of the case with its PDF download."""

    notice: CaseNotice
    url: str


def _render_case(
    request: HttpRequest, case: Case, problems: Problems | None = None, status: int = 200
) -> HttpResponse:
    problems = problems or Problems()
    clock = clock_view(case, today=timezone.localdate())
    correction_rows: list[MaterialRow] = []
    notice = None
    if case.state == CaseState.CORRECTION_REQUESTED:
        notice = _correction_notice(case)
        if notice is not None:
            items = {i["key"]: i for i in notice.items}
            correction_rows = material_rows(
                case,
                errors=problems.by_key,
                codes=problems.codes,
                only=items,
                since=notice.on_file,
                in_correction=True,
            )
            for row in correction_rows:
                row.problem = str(items[row.key].get("problem", ""))
                row.note = str(items[row.key].get("note", ""))
    supply_rows: list[MaterialRow] = []
    if case.state in SUPPLY_STATES:
        keys = [r.key for r in services.materials_missing(case).deficiency_allowed]
        if keys:
            supply_rows = material_rows(case, errors=problems.by_key, codes=problems.codes, only=keys)
    all_rows = material_rows(case)
    received = [r for r in all_rows if r.received]
    names = {r.key: r.requirement.name for r in all_rows}
    delivery = getattr(case, "delivery", None) if case.state in RESULT_STATES else None
    result_url = ""
    if case.result_file and case.state in RESULT_STATES:
        result_url = named_url("case_result", {"case_id": case.pk}, f"/cases/{case.pk}/result")
    return render(
        request,
        "cases/applicant/case.html",
        {
            "case": case,
            "applicant": applicant_of(case),
            "clock": clock,
            "days_left": days_left_text(case, clock),
            "timeline": case_timeline(case),
            "received": received,
            "notices": [
                NoticeLink(
                    notice=n,
                    url=named_url(
                        "case_notice_pdf",
                        {"case_id": case.pk, "notice_id": n.pk},
                        f"/cases/{case.pk}/notices/{n.pk}.pdf",
                    ),
                )
                for n in selectors.case_notices_visible(actor=request.user, case=case)
            ],
            "correction_notice": notice,
            "correction_rows": correction_rows,
            "supply_rows": supply_rows,
            "delivery": delivery,
            "result_url": result_url,
            "can_withdraw": "withdraw" in allowed_actions(case.state) and case.state != CaseState.DRAFT,
            "problems": problems,
            "problem_links": [
                (k, names.get(k, k), m, problems.codes.get(k, "")) for k, m in problems.by_key.items()
            ],
            "guide_url": _guide(case.implementation),
            "upload_mb": upload_limit() // (1024 * 1024),
        },
        status=status,
    )


@login_required
@require_GET
def my_case(request: HttpRequest, case_id: int) -> HttpResponse:
    """One of my cases: state, timeline, clock, materials, notices, result, delivery, actions."""
    try:
        case = own_case(_user(request), case_id)
    except NotFound:
        return _not_found(request)
    if case.state == CaseState.DRAFT:
        return redirect("apply_start", implementation_id=case.implementation_id)
    return _render_case(request, case)


@login_required
@require_POST
def correction_answer(request: HttpRequest, case_id: int) -> HttpResponse:
    """Answer the correction notice: upload only what it lists, then resubmit."""
    user = _user(request)
    try:
        case = own_case(user, case_id)
    except NotFound:
        return _not_found(request)
    if case.state != CaseState.CORRECTION_REQUESTED:
        messages.info(request, _("The corrections have already been handed in."))
        return redirect("my_case", case_id=case.pk)
    problems = Problems()
    _receive(request, case, material_inputs(request), problems)
    case.refresh_from_db()
    if problems:
        return _render_case(request, case, problems, status=422)
    try:
        services.case_resubmit(actor=user, case=case)
    except ValidationFailed as error:
        problems.add_details(error, _("Please upload this material."))
        return _render_case(request, case, problems, status=422)
    except Conflict:
        case.refresh_from_db()
        if case.state == CaseState.CORRECTION_REQUESTED:
            raise
        return redirect("my_case", case_id=case.pk)
    messages.success(request, _("Thank you. The corrected materials were handed in."))
    return redirect("my_case", case_id=case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, case_id: int) -> HttpResponse:
    """Withdraw an application before the decision, with a reason and a confirmation."""
    user = _user(request)
    try:
        case = own_case(user, case_id)
    except NotFound:
        return _not_found(request)
    if "withdraw" not in allowed_actions(case.state):
        messages.info(request, _("This application can no longer be withdrawn."))
        return redirect("my_case", case_id=case.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        was_draft = case.state == CaseState.DRAFT
        try:
            services.case_withdraw(actor=user, case=case, reason=form.cleaned_data["reason"])
        except Conflict as error:
            messages.error(request, str(error.message))
            return redirect("my_case", case_id=case.pk)
        if was_draft:
            messages.success(request, _("Your draft has been discarded."))
            return redirect("my_cases")
        messages.success(request, _("Your application has been withdrawn."))
        return redirect("my_case", case_id=case.pk)
    return render(
        request,
        "cases/applicant/withdraw.html",
        {"case": case, "form": form},
        status=422 if request.method == "POST" else 200,
    )


# --- status lookup without an account ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def status_lookup(request: HttpRequest) -> HttpResponse:
    """Status by case number and the 6-digit code, for applicants without an account."""
    form = LookupForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "outcome": ""}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case = selectors.case_lookup(
                    number=form.cleaned_data["number"],
                    code=form.cleaned_data["code"],
                    client=client_ip(request) or "unknown",
                )
            except TooManyRequests:
                context["outcome"] = "throttled"
                return render(request, "cases/applicant/lookup.html", context, status=429)
            except NotFound:
                context["outcome"] = "failed"
            else:
                context.update(
                    outcome="found", found=case, clock=clock_view(case, today=timezone.localdate())
                )
        else:
            status = 422
    return render(request, "cases/applicant/lookup.html", context, status=status)
