"""The staff case workbench: queues, front-desk intake (前台综合受理) and the case page.

Window clerks, reviewers, approvers, chief representatives and supervisors work here. Each view
parses a form, calls the same services and selectors as ``zwfw.cases.api`` and renders; a
service's ``DomainError`` is shown as its message next to the input it concerns, and nothing is
changed. Login is required; users without a staff role get 403; cases outside the actor's scope
are 404, never revealing that they exist.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zwfw.cases import policies, selectors, services
from zwfw.cases.clock import ClockView, clock_view
from zwfw.cases.forms_staff import (
    AcceptForm,
    ConfirmForm,
    CorrectionForm,
    DecideForm,
    DeliverForm,
    ExtendForm,
    IntakeMaterialsForm,
    MaterialAddForm,
    PersonFindForm,
    PersonRegisterForm,
    QueueFilterForm,
    ReasonForm,
    StaffForm,
    SuspendForm,
    WithdrawForm,
)
from zwfw.cases.models import Case, CaseState, Channel, Delivery, DeliveryMethod, MaterialKind
from zwfw.cases.states import allowed_actions
from zwfw.catalog.models import Implementation, MaterialRequirement
from zwfw.catalog.selectors import published_list
from zwfw.core.errors import Conflict, DomainError, NotFound
from zwfw.core.models import Agency, AuditEvent, Venue
from zwfw.core.uploads import read_capped
from zwfw.identity import selectors as identity_selectors
from zwfw.identity import services as identity_services
from zwfw.identity.models import Person, Role, User
from zwfw.identity.selectors import actor_scope, role_region_prefixes

View = Callable[..., HttpResponseBase]
PAGE_SIZE = 50
ALL = "all"
INTAKE_PERSON = "workbench_intake_person"
TAB_LABELS: dict[str, Promise] = {
    "to_accept": gettext_lazy("To accept"),
    "to_review": gettext_lazy("To review"),
    "to_decide": gettext_lazy("To decide"),
    "due_soon": gettext_lazy("Due soon"),
    "overdue": gettext_lazy("Overdue"),
    "suspended": gettext_lazy("Clock paused"),
    "to_deliver": gettext_lazy("To deliver"),
    ALL: gettext_lazy("All cases"),
}
COLLEAGUE = gettext_lazy(
    "This case was already handled by a colleague. Reload the page to see where it stands."
)


# --- access ------------------------------------------------------------------------------------


def _can_intake(request: HttpRequest) -> bool:
    """True when the actor may receive applications at a front desk (a window clerk)."""
    scope = actor_scope(request.user)
    return scope.is_superuser or Role.WINDOW_CLERK in scope.roles


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """Render a workbench page (the navigation offers intake to window clerks only)."""
    return render(request, template, {**context, "can_intake": _can_intake(request)}, status=status)


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """The 403 page of the workbench, with the reason."""
    return _render(request, "cases/staff/forbidden.html", {"message": message}, status=403)


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    """The 404 page of the workbench (never saying whether the case exists)."""
    return _render(request, "cases/staff/not_found.html", {"message": message}, status=404)


def staff_view(view: View) -> View:
    """Login (else the login page), a staff role (else 403), a case outside the scope: 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Check the role, run the view, turn a scope miss into the 404 page."""
        if not actor_scope(request.user).is_staff_member:
            return _forbidden(
                request, _("The case workbench is for staff of the service halls and agencies.")
            )
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            return _not_found(request, str(exc.message))

    return login_required(wrapper)


def _scope_agencies(request: HttpRequest) -> QuerySet[Agency]:
    """Agencies whose cases the actor may see: their own, those stationed at their venues, and
    (supervisors, center administrators) every agency of their regions."""
    scope = actor_scope(request.user)
    qs = Agency.objects.select_related("region").order_by("region__code", "name")
    if scope.is_superuser:
        return qs
    q = Q(pk__in=scope.agency_ids) | Q(venues__in=scope.venue_ids)
    for role in (Role.SUPERVISOR, Role.CENTER_ADMIN):
        for prefix in role_region_prefixes(actor=request.user, role=role):
            q |= Q(region__prefix__startswith=prefix)
    return qs.filter(pk__in=Agency.objects.filter(q).values("pk"))


def _scope_venues(request: HttpRequest, agencies: QuerySet[Agency]) -> QuerySet[Venue]:
    """Venues whose cases the actor may see: their own and those of their agencies."""
    scope = actor_scope(request.user)
    qs = Venue.objects.order_by("region__code", "name")
    if scope.is_superuser:
        return qs
    q = Q(pk__in=scope.venue_ids) | Q(agencies__in=agencies.values("pk"))
    return qs.filter(pk__in=Venue.objects.filter(q).values("pk"))


# --- queues ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    """One case in a queue, with its clock as of today."""

    case: Case
    clock: ClockView
    due_soon: bool
    bundle: object = None  # the bundle mark when the case is part of a 一件事 application

    @property
    def overdue_by(self) -> int:
        """Days past the due date (0 when not overdue)."""
        return -self.clock.days_left if self.clock.days_left is not None and self.clock.days_left < 0 else 0

    @property
    def natural(self) -> bool:
        """The limit counts natural days, not working days."""
        return self.case.limit_unit == "natural_days"


def _due_soon(clock: ClockView, today: datetime.date) -> bool:
    """A running clock whose due date lies within the due-soon threshold."""
    if not clock.running or clock.overdue or clock.due_date is None:
        return False
    return today <= clock.due_date <= selectors.due_soon_threshold(today=today)


def _default_tab(request: HttpRequest) -> str:
    """The queue a role starts at: clerks to accept, reviewers to review, approvers to decide."""
    scope = actor_scope(request.user)
    if scope.is_superuser or Role.WINDOW_CLERK in scope.roles:
        return "to_accept"
    if Role.REVIEWER in scope.roles or Role.CHIEF_REPRESENTATIVE in scope.roles:
        return "to_review"
    if Role.APPROVER in scope.roles:
        return "to_decide"
    return "overdue"


@staff_view
def queues(request: HttpRequest) -> HttpResponse:
    """The staff queues with their counts, filtered by item, agency and venue, searchable by number."""
    agencies = _scope_agencies(request)
    venues = _scope_venues(request, agencies)
    # The item filter offers the published items of those agencies (at most 300; search narrows).
    in_scope = published_list().filter(agency__in=agencies.values("pk")).order_by("item__name")
    implementations = published_list().filter(pk__in=in_scope.values("pk")[:300]).order_by("item__name")
    filters = {
        k: str(request.GET[k]) for k in ("q", "implementation", "agency", "venue") if request.GET.get(k)
    }
    form = QueueFilterForm(filters or None, implementations=implementations, agencies=agencies, venues=venues)
    scoped = form.apply(selectors.case_list(actor=request.user)).exclude(state=CaseState.DRAFT)
    tab = request.GET.get("queue", "")
    if tab not in TAB_LABELS:
        tab = ALL if filters.get("q") else _default_tab(request)
    today = timezone.localdate()
    tabs = [
        {
            "key": key,
            "label": label,
            "count": (scoped if key == ALL else selectors.case_queue(scoped, key, today=today)).count(),
            "url": "?" + urlencode({**filters, "queue": key}),
        }
        for key, label in TAB_LABELS.items()
    ]
    shown = scoped.order_by("-submitted_at") if tab == ALL else selectors.case_queue(scoped, tab, today=today)
    shown = shown.select_related("applicant_person", "applicant_enterprise", "first_contact")
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    from zwfw.bundles.selectors import bundle_marks  # bundles build on cases

    marks = bundle_marks(case_ids=[case.pk for case in page.object_list])
    rows = []
    for case in page.object_list:
        clock = clock_view(case, today=today)
        rows.append(
            QueueRow(case=case, clock=clock, due_soon=_due_soon(clock, today), bundle=marks.get(case.pk))
        )
    return _render(
        request,
        "cases/staff/queues.html",
        {
            "form": form,
            "tabs": tabs,
            "tab": tab,
            "tab_label": TAB_LABELS[tab],
            "page": page,
            "rows": rows,
            "page_query": urlencode({**filters, "queue": tab}),
            "nav": "queues",
        },
    )


# --- front-desk intake -------------------------------------------------------------------------


class MaterialRefused(Exception):
    """A material of the intake checklist was refused by the service (the whole intake rolls back)."""

    def __init__(self, key: str, kind: str, error: DomainError) -> None:
        """Keep the requirement key, the kind of material and the service's error."""
        super().__init__(error.code)
        self.key, self.kind, self.error = key, kind, error


def _intake_venues(request: HttpRequest) -> QuerySet[Venue]:
    """The venues where the actor works as a window clerk."""
    scope = actor_scope(request.user)
    qs = Venue.objects.order_by("name")
    return qs if scope.is_superuser else qs.filter(pk__in=scope.venue_ids)


def _implementations_at(venue: Venue, search: str = "") -> QuerySet[Implementation]:
    """Published implementations of the agencies stationed at the venue (optionally searched)."""
    qs = published_list().filter(agency__in=venue.agencies.all())
    if search:
        qs = qs.filter(
            Q(item__name__icontains=search) | Q(code__icontains=search) | Q(agency__name__icontains=search)
        )
    return qs.order_by("agency__name", "item__name")


def _intake_url(venue: Venue, **params: Any) -> str:
    """The intake page's address for a venue (with more query parameters)."""
    return reverse("workbench_intake") + "?" + urlencode({"venue": venue.pk, **params})


@staff_view
def intake(request: HttpRequest) -> HttpResponse:
    """前台综合受理: find (or register) the applicant, pick any item of the venue, check the materials."""
    if not _can_intake(request):
        return _forbidden(request, _("Only window clerks receive applications at the front desk."))
    venues = _intake_venues(request)
    raw_venue = request.POST.get("venue") or request.GET.get("venue") or ""
    venue = venues.filter(pk=int(raw_venue)).first() if raw_venue.isdigit() else None
    venue = venue or venues.first()
    if venue is None:
        return _forbidden(request, _("You are not assigned to a venue. Ask the center administrator."))
    person_id = request.session.get(INTAKE_PERSON)
    person = Person.objects.filter(pk=person_id).first() if isinstance(person_id, int) else None
    context: dict[str, Any] = {"venue": venue, "venues": venues, "person": person, "nav": "intake"}
    step = request.POST.get("step", "") if request.method == "POST" else ""
    if step == "reset":
        request.session.pop(INTAKE_PERSON, None)
        return redirect(_intake_url(venue))
    if step == "find":
        return _intake_find(request, venue, context)
    if step == "register":
        return _intake_register(request, venue, context)
    if step == "submit" and person is not None:
        return _intake_submit(request, venue, person, context)
    if person is None:
        context["find_form"] = PersonFindForm()
        return _render(request, "cases/staff/intake.html", context)
    return _intake_items(request, venue, context)


def _intake_find(request: HttpRequest, venue: Venue, context: dict[str, Any]) -> HttpResponse:
    """Step 1: look the applicant up by ID number; offer registration when nobody has it."""
    form = PersonFindForm(request.POST)
    context["find_form"] = form
    if not form.is_valid():
        return _render(request, "cases/staff/intake.html", context, status=422)
    id_number = form.cleaned_data["id_number"].strip().upper()
    try:
        found = identity_selectors.person_find_by_id_number(id_number=id_number)
    except DomainError as exc:
        form.add_error("id_number", str(exc.message))
        return _render(request, "cases/staff/intake.html", context, status=422)
    if found is None:
        context["register_form"] = PersonRegisterForm(initial={"id_number": id_number})
        context["not_registered"] = True
        return _render(request, "cases/staff/intake.html", context)
    request.session[INTAKE_PERSON] = found.pk
    return redirect(_intake_url(venue))


def _intake_register(request: HttpRequest, venue: Venue, context: dict[str, Any]) -> HttpResponse:
    """Step 1b: real-name registration at the window through identity's service."""
    form = PersonRegisterForm(request.POST)
    context.update(find_form=PersonFindForm(), register_form=form, not_registered=True)
    if form.is_valid():
        try:
            person = identity_services.person_register(
                actor=request.user,
                name=form.cleaned_data["name"],
                id_number=form.cleaned_data["id_number"].strip().upper(),
                phone=form.cleaned_data["phone"],
            )
        except DomainError as exc:
            form.apply_domain_error(exc)
        else:
            request.session[INTAKE_PERSON] = person.pk
            messages.success(
                request, _("%(name)s is registered with their real name.") % {"name": person.name}
            )
            return redirect(_intake_url(venue))
    return _render(request, "cases/staff/intake.html", context, status=422)


def _intake_items(request: HttpRequest, venue: Venue, context: dict[str, Any]) -> HttpResponse:
    """Step 2 and 3: the venue's items, and the chosen item's checklist."""
    search = request.GET.get("q", "").strip()[:60]
    available = _implementations_at(venue, search)
    context.update(search=search, implementations=available[:100], more=available.count() > 100)
    raw = request.GET.get("impl", "")
    if raw.isdigit():
        chosen = _implementations_at(venue).filter(pk=int(raw)).first()
        if chosen is None:
            messages.error(request, _("This item is not handled at this venue."))
            return redirect(_intake_url(venue))
        assert chosen.current_version is not None  # published_list guarantees it
        requirements = list(chosen.current_version.materials.order_by("position"))
        context["chosen"] = chosen
        person = context["person"]
        context["materials_form"] = IntakeMaterialsForm(
            requirements=requirements,
            windows=venue.windows.order_by("number"),
            initial={"contact_phone": person.phone if person else ""},
        )
    return _render(request, "cases/staff/intake.html", context)


def _intake_submit(
    request: HttpRequest, venue: Venue, person: Person, context: dict[str, Any]
) -> HttpResponse:
    """Step 3: file the application with the materials received; all or nothing."""
    raw = request.POST.get("impl", "")
    chosen = _implementations_at(venue).filter(pk=int(raw)).first() if raw.isdigit() else None
    if chosen is None or chosen.current_version is None:
        messages.error(request, _("This item is not handled at this venue."))
        return redirect(_intake_url(venue))
    requirements = list(chosen.current_version.materials.order_by("position"))
    form = IntakeMaterialsForm(
        request.POST, request.FILES, requirements=requirements, windows=venue.windows.order_by("number")
    )
    context.update(chosen=chosen, materials_form=form, implementations=[], search="")
    if form.is_valid():
        try:
            case = _file_at_window(request, chosen, person, venue, form)
        except MaterialRefused as refused:
            prefixes: dict[str, str] = {
                MaterialKind.UPLOAD: "file_",
                MaterialKind.COMMITMENT: "commitment_",
                MaterialKind.E_LICENSE: "license_",
            }
            name = f"{prefixes.get(refused.kind, 'how_')}{refused.key}"
            form.add_error(name if name in form.fields else f"how_{refused.key}", str(refused.error.message))
        except DomainError as exc:
            form.apply_domain_error(exc)
        else:
            request.session.pop(INTAKE_PERSON, None)
            messages.success(
                request,
                _("Application %(number)s received. Check the materials and decide.")
                % {"number": case.number},
            )
            return redirect("workbench_case", case_id=case.pk)
    return _render(request, "cases/staff/intake.html", context, status=422)


def _file_at_window(
    request: HttpRequest,
    implementation: Implementation,
    person: Person,
    venue: Venue,
    form: IntakeMaterialsForm,
) -> Case:
    """case_create (channel window) + case_material_add for each material + case_submit, all or nothing."""
    with transaction.atomic():
        case = services.case_create(
            actor=request.user,
            implementation=implementation,
            channel=Channel.WINDOW,
            person=person,
            venue=venue,
            window=form.cleaned_data.get("window"),
            contact_phone=form.cleaned_data.get("contact_phone") or person.phone,
        )
        for spec in form.materials():
            try:
                services.case_material_add(actor=request.user, case=case, **spec)
            except DomainError as exc:
                raise MaterialRefused(spec["requirement_key"], spec["kind"], exc) from exc
        return services.case_submit(actor=request.user, case=case)


# --- the case page: which actions, with which forms --------------------------------------------


def offered_actions(actor: Any, case: Case) -> list[str]:
    """The actions to offer on the page: allowed by the state table AND the actor's role.

    The services check both again; this only decides which forms to show.
    """
    allowed = set(allowed_actions(case.state))
    clerk = policies.is_intake_clerk(actor, case)
    reviewer = any(policies.has_agency_role(actor, case, r) for r in (Role.REVIEWER, Role.APPROVER))
    approver = policies.has_agency_role(actor, case, Role.APPROVER)
    chief = policies.has_agency_role(actor, case, Role.CHIEF_REPRESENTATIVE)
    deliverer = reviewer or clerk  # as case_deliver allows: the agency's staff or a clerk of the venue
    content = case.version.content
    offered = []
    if "submit" in allowed and clerk:
        offered.append("submit")
    if "accept" in allowed and clerk:
        offered.append("accept")
    if "request_correction" in allowed and (clerk or policies.is_supervisor(actor, case)):
        offered.append("correction")
    if "resubmit" in allowed and clerk:
        offered.append("resubmit")
    if clerk and case.state not in (CaseState.DRAFT,) and services.materials_receivable(case):
        offered.append("material")
    if "reject_intake" in allowed and clerk:
        offered.append("reject")
    if "start_review" in allowed and reviewer:
        offered.append("review")
    if case.state == CaseState.ACCEPTED and (chief or approver) and services.decidable_on_the_spot(case):
        offered.append("decide")
    if "suspend" in allowed and reviewer:
        offered.append("suspend")
    if "resume" in allowed and reviewer:
        offered.append("resume")
    if case.state == CaseState.UNDER_REVIEW and approver:
        offered.append("decide")
    if (
        approver
        and content.get("extension_allowed")
        and case.state in (CaseState.ACCEPTED, CaseState.UNDER_REVIEW, CaseState.SUSPENDED)
    ):
        offered.append("extend")
    if "deliver" in allowed and deliverer:
        offered.append("deliver")
    if "close" in allowed and deliverer:
        offered.append("close")
    if "withdraw" in allowed and clerk and case.state != CaseState.DRAFT:
        offered.append("withdraw")
    if case.state == CaseState.DRAFT and clerk:
        offered.append("material")
    return offered


Runner = Callable[[HttpRequest, Case, Any], str]


def _procedures(case: Case) -> list[str]:
    """The special procedures of the case's version that pause the clock."""
    return [
        str(p["name"])
        for p in case.version.content.get("special_procedures", [])
        if not p.get("counts_toward_limit")
    ]


def action_form(request: HttpRequest, case: Case, action: str, *, bound: bool) -> StaffForm:
    """The form of one action for this case, bound to the request's POST when ``bound``."""
    data, files = (request.POST, request.FILES) if bound else (None, None)
    if action == "accept":
        return AcceptForm(data, prefix="accept")
    if action == "correction":
        on_file = list(services.materials_on_file(case).values())
        supervisor = policies.is_supervisor(request.user, case)
        return CorrectionForm(data, prefix="correction", on_file=on_file, supervisor=supervisor)
    if action == "material":
        on_file_keys = set(services.materials_on_file(case))
        return MaterialAddForm(
            data,
            files,
            prefix="material",
            requirements=services.materials_receivable(case),
            on_file=on_file_keys,
        )
    if action == "reject":
        return ReasonForm(data, prefix="reject")
    if action == "withdraw":
        return WithdrawForm(data, prefix="withdraw")
    if action == "suspend":
        return SuspendForm(data, prefix="suspend", procedures=_procedures(case))
    if action == "extend":
        return ExtendForm(data, prefix="extend")
    if action == "decide":
        return DecideForm(data, files, prefix="decide", initial={"decision": "approve"})
    if action == "deliver":
        method = DeliveryMethod.ONLINE if case.channel == Channel.ONLINE else DeliveryMethod.WINDOW
        recipient = case.applicant_person.name if case.applicant_person else ""
        return DeliverForm(data, prefix="deliver", initial={"method": method, "recipient": recipient})
    return ConfirmForm(data)  # submit, resubmit, review, resume, close: the button is the input


def _run_accept(request: HttpRequest, case: Case, form: AcceptForm) -> str:
    """受理 (with the promised date where 容缺 materials are missing)."""
    services.case_accept(
        actor=request.user, case=case, deficiency_due_date=form.cleaned_data.get("deficiency_due_date")
    )
    return _("Accepted. The acceptance notice is ready to print.")


def _run_correction(request: HttpRequest, case: Case, form: CorrectionForm) -> str:
    """Issue the one-time notice."""
    notice = services.case_request_correction(
        actor=request.user,
        case=case,
        defects=form.defects(),
        override_reason=form.cleaned_data.get("override_reason", ""),
    )
    return _("The one-time notice was issued, listing %(n)d material(s). Print it for the applicant.") % {
        "n": len(notice.items)
    }


def _run_reject(request: HttpRequest, case: Case, form: ReasonForm) -> str:
    """不予受理, with the reason."""
    services.case_reject_intake(actor=request.user, case=case, reason=form.cleaned_data["reason"])
    return _("The application was not accepted. The notice states the reason and the applicant's rights.")


def _run_resubmit(request: HttpRequest, case: Case, form: ConfirmForm) -> str:
    """Hand in the corrections on the applicant's behalf."""
    services.case_resubmit(actor=request.user, case=case)
    return _("The corrections were handed in. Check them and decide.")


def _run_submit(request: HttpRequest, case: Case, form: ConfirmForm) -> str:
    """Submit a draft filed at the window."""
    submitted = services.case_submit(actor=request.user, case=case)
    return _("The application was submitted as %(number)s.") % {"number": submitted.number}


def _run_review(request: HttpRequest, case: Case, form: ConfirmForm) -> str:
    """Start the review."""
    services.case_start_review(actor=request.user, case=case)
    return _("You started the review.")


def _run_suspend(request: HttpRequest, case: Case, form: SuspendForm) -> str:
    """Pause the clock."""
    services.case_suspend(
        actor=request.user,
        case=case,
        kind=form.cleaned_data["kind"],
        procedure=form.cleaned_data.get("procedure", ""),
        reason=form.cleaned_data["reason"],
    )
    return _("The clock is paused. Resume it when the procedure is over.")


def _run_resume(request: HttpRequest, case: Case, form: ConfirmForm) -> str:
    """Restart the clock (the due date moves by the paused working days)."""
    resumed = services.case_resume(actor=request.user, case=case)
    due = resumed.due_date.isoformat() if resumed.due_date else "—"
    return _("The clock runs again. The due date is now %(date)s.") % {"date": due}


def _run_extend(request: HttpRequest, case: Case, form: ExtendForm) -> str:
    """Extend the limit."""
    extended = services.case_extend(
        actor=request.user, case=case, days=form.cleaned_data["days"], reason=form.cleaned_data["reason"]
    )
    due = extended.due_date.isoformat() if extended.due_date else "—"
    return _("The limit was extended. The due date is now %(date)s.") % {"date": due}


def _run_decide(request: HttpRequest, case: Case, form: DecideForm) -> str:
    """Approve (with the result document) or deny (with reasons)."""
    upload = form.cleaned_data.get("result")
    services.case_decide(
        actor=request.user,
        case=case,
        approved=form.cleaned_data["decision"] == "approve",
        reasons=form.cleaned_data.get("reasons", ""),
        result_content=read_capped(upload) if upload else None,
        result_filename=(upload.name or "") if upload else "",
    )
    return _("The decision was recorded. The decision letter is ready to print.")


def _run_deliver(request: HttpRequest, case: Case, form: DeliverForm) -> str:
    """Record the delivery of the result."""
    services.case_deliver(
        actor=request.user,
        case=case,
        method=form.cleaned_data["method"],
        courier=form.cleaned_data.get("courier", ""),
        tracking_number=form.cleaned_data.get("tracking_number", ""),
        address=form.cleaned_data.get("address", ""),
        recipient=form.cleaned_data.get("recipient", ""),
    )
    return _("The delivery was recorded.")


def _run_close(request: HttpRequest, case: Case, form: ConfirmForm) -> str:
    """Close a delivered case."""
    services.case_close(actor=request.user, case=case)
    return _("The case is closed.")


def _run_withdraw(request: HttpRequest, case: Case, form: WithdrawForm) -> str:
    """Withdraw at the applicant's request."""
    services.case_withdraw(actor=request.user, case=case, reason=form.cleaned_data.get("reason", ""))
    return _("The application was withdrawn at the applicant's request.")


def _run_material(request: HttpRequest, case: Case, form: MaterialAddForm) -> str:
    """Receive one material."""
    upload = form.cleaned_data.get("file")
    kind = form.cleaned_data["kind"]
    material = services.case_material_add(
        actor=request.user,
        case=case,
        requirement_key=form.cleaned_data["requirement_key"],
        kind=kind,
        content=read_capped(upload) if upload and kind == MaterialKind.UPLOAD else None,
        filename=(upload.name or "") if upload else "",
        commitment_text=form.cleaned_data.get("commitment_text", ""),
    )
    return _("“%(name)s” was received.") % {"name": material.name}


ACTIONS: dict[str, Runner] = {
    "submit": _run_submit,
    "accept": _run_accept,
    "correction": _run_correction,
    "resubmit": _run_resubmit,
    "material": _run_material,
    "reject": _run_reject,
    "review": _run_review,
    "suspend": _run_suspend,
    "resume": _run_resume,
    "extend": _run_extend,
    "decide": _run_decide,
    "deliver": _run_deliver,
    "close": _run_close,
    "withdraw": _run_withdraw,
}


# --- the case page -----------------------------------------------------------------------------

EVENT_LABELS: dict[str, Promise] = {
    "created": gettext_lazy("Application opened"),
    "material_received": gettext_lazy("Material received"),
    "submit": gettext_lazy("Application submitted"),
    "request_correction": gettext_lazy("One-time notice issued"),
    "resubmit": gettext_lazy("Corrections handed in"),
    "accept": gettext_lazy("Accepted at intake"),
    "reject_intake": gettext_lazy("Intake refused"),
    "start_review": gettext_lazy("Review started"),
    "suspend": gettext_lazy("Clock paused"),
    "resume": gettext_lazy("Clock resumed"),
    "due_date_moved": gettext_lazy("Due date moved"),
    "extended": gettext_lazy("Time limit extended"),
    "approve": gettext_lazy("Decided: approved"),
    "deny": gettext_lazy("Decided: denied"),
    "deliver": gettext_lazy("Result delivered"),
    "close": gettext_lazy("Case closed"),
    "withdraw": gettext_lazy("Application withdrawn"),
}


@dataclass(frozen=True)
class TimelineEntry:
    """One ledger event of the case, as the page shows it."""

    seq: int
    action: str
    label: str
    at: datetime.datetime
    actor: str
    detail: str


def _event_detail(event: AuditEvent, names: dict[str, str]) -> str:
    """A short reading of one ledger event's payload for the timeline."""
    p: dict[str, Any] = event.payload or {}
    action = event.action
    if action == "material_received":
        kind = (
            str(MaterialKind(p["kind"]).label) if p.get("kind") in MaterialKind.values else p.get("kind", "")
        )
        return f"{names.get(str(p.get('key')), p.get('key', ''))} · {kind}"
    if action == "request_correction":
        return "、".join(names.get(str(k), str(k)) for k in p.get("items", []))
    if action == "suspend":
        return " · ".join(str(x) for x in (p.get("procedure"), p.get("on")) if x)
    if action == "resume":
        return str(p.get("on", ""))
    if action == "due_date_moved":
        return _("%(old)s → %(new)s (paused working days: %(n)s)") % {
            "old": p.get("from") or "—",
            "new": p.get("to") or "—",
            "n": p.get("paused_days", 0),
        }
    if action == "extended":
        return _("+%(n)s days, due %(date)s") % {"n": p.get("days"), "date": p.get("due_date") or "—"}
    if action == "accept" and p.get("deficiency_due_date"):
        return _("Missing materials promised by %(date)s") % {"date": p["deficiency_due_date"]}
    if action in ("reject_intake", "withdraw"):
        return str(p.get("reason", ""))
    if action in ("approve", "deny"):
        return str(p.get("reasons", ""))[:200]
    if action == "deliver":
        method = p.get("method", "")
        label = str(DeliveryMethod(method).label) if method in DeliveryMethod.values else method
        return " · ".join(x for x in (label, str(p.get("tracking_number") or "")) if x)
    return ""


def _timeline(case: Case, requirements: list[MaterialRequirement]) -> list[TimelineEntry]:
    """The ledger events of the case's chain, oldest first, with the staff names."""
    events = list(AuditEvent.objects.filter(chain=f"case:{case.pk}").order_by("seq"))
    ids = {e.actor_id for e in events if e.actor_id}
    people = {u.pk: str(u) for u in User.objects.filter(pk__in=ids)}
    names = {r.key: r.name for r in requirements}
    return [
        TimelineEntry(
            seq=e.seq,
            action=e.action,
            label=str(EVENT_LABELS.get(e.action, e.action)),
            at=e.occurred_at,
            actor=people.get(e.actor_id or 0, e.actor_label) if e.actor_id else _("System"),
            detail=_event_detail(e, names),
        )
        for e in events
    ]


def _guide_version_url(case: Case) -> str:
    """The public guide of the exact version the case was filed against."""
    try:
        return reverse(
            "guide_version",
            kwargs={"implementation_id": case.implementation_id, "number": case.version.number},
        )
    except NoReverseMatch:
        return f"/guides/{case.implementation_id}/v{case.version.number}/"


def _render_case(
    request: HttpRequest,
    case: Case,
    *,
    failed: tuple[str, StaffForm] | None = None,
    status: int = 200,
    error_code: str = "",
) -> HttpResponse:
    """The case page, with the failed form (bound, with its errors) when an action was refused."""
    today = timezone.localdate()
    clock = clock_view(case, today=today)
    requirements = services.requirements(case)
    on_file = services.materials_on_file(case)
    missing = services.materials_missing(case)
    offered = offered_actions(request.user, case)
    forms = {name: action_form(request, case, name, bound=False) for name in offered}
    if failed is not None:
        forms[failed[0]] = failed[1]
    notices = [
        {"notice": n, "pdf": f"/cases/{case.pk}/notices/{n.pk}.pdf"}
        for n in case.notices.order_by("issued_at")
    ]
    context = {
        "case": case,
        "clock": clock,
        "due_soon": _due_soon(clock, today),
        "material_rows": [{"requirement": r, "material": on_file.get(r.key)} for r in requirements],
        "missing_required": missing.required,
        "missing_deficiency": missing.deficiency_allowed,
        "notices": notices,
        "pauses": list(case.pauses.order_by("started_on")),
        "extensions": list(case.extensions.order_by("approved_at")),
        "delivery": Delivery.objects.filter(case=case).first(),
        "timeline": _timeline(case, requirements),
        "offered": offered,
        "forms": forms,
        "failed_action": failed[0] if failed else "",
        "failed_form": failed[1] if failed else None,
        "row": QueueRow(case=case, clock=clock, due_soon=_due_soon(clock, today)),
        "error_code": error_code,
        "on_the_spot": case.state == CaseState.ACCEPTED and "decide" in offered,
        "guide_url": _guide_version_url(case),
        "extension_left": max(0, int(case.version.content.get("extension_limit") or 0) - case.extension_days),
        "instant": case.version.content.get("handling_kind") == "instant",
        "nav": "queues",
    }
    return _render(request, "cases/staff/case.html", context, status=status)


@staff_view
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """Everything about one case, and the forms of the actions its state and the actor's role allow."""
    return _render_case(request, selectors.case_get(actor=request.user, case_id=case_id))


@require_POST
@staff_view
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    """Run one action through its service; on an error show the page again with the message."""
    case = selectors.case_get(actor=request.user, case_id=case_id)
    if action not in ACTIONS:
        raise NotFound("case.unknown_action", _("This action does not exist."))
    run = ACTIONS[action]
    form = action_form(request, case, action, bound=True)
    if not form.is_valid():
        return _render_case(request, case, failed=(action, form), status=422, error_code="request.invalid")
    try:
        message = run(request, case, form)
    except NotFound:
        raise
    except DomainError as exc:
        if isinstance(exc, Conflict) and exc.code == "case.illegal_transition":
            form.add_error(None, str(COLLEAGUE))
        else:
            form.apply_domain_error(exc, key_fields=("note_",))
        fresh = selectors.case_get(actor=request.user, case_id=case_id)
        return _render_case(request, fresh, failed=(action, form), status=exc.status, error_code=exc.code)
    messages.success(request, message)
    return HttpResponseRedirect(reverse("workbench_case", kwargs={"case_id": case.pk}))


# --- files -------------------------------------------------------------------------------------


def _download(file: Any, *, filename: str, content_type: str) -> FileResponse:
    """A private, uncached attachment response for a stored file."""
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view
def material_file(request: HttpRequest, case_id: int, material_id: int) -> HttpResponseBase:
    """Download a material's file (staff who may see the case only)."""
    case = selectors.case_get(actor=request.user, case_id=case_id)
    material = case.materials.filter(pk=material_id).exclude(file="").first()
    if material is None:
        raise NotFound("case.material_not_found", _("This material has no file."))
    name = material.original_name or f"{material.name}{material.file.name[material.file.name.rfind('.') :]}"
    return _download(material.file, filename=name, content_type=material.content_type)


@staff_view
def result_file(request: HttpRequest, case_id: int) -> HttpResponseBase:
    """Download the case's result document."""
    case = selectors.case_get(actor=request.user, case_id=case_id)
    if not case.result_file:
        raise NotFound("case.result_not_found", _("This case has no result document."))
    extension = case.result_file.name[case.result_file.name.rfind(".") :]
    content_type = {
        ".pdf": "application/pdf",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".ofd": "application/ofd",
    }
    return _download(
        case.result_file,
        filename=f"{case.result_name or case.number}{extension}",
        content_type=content_type.get(extension, ""),
    )
