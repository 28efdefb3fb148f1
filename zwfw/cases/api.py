"""Case API under /api/v1/cases: apply (idempotent), receive materials, every transition,
scoped lists and queues, the status lookup. Handlers parse, call one service, and answer."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from zwfw.cases import selectors, services
from zwfw.cases.clock import clock_view
from zwfw.cases.models import Case
from zwfw.cases.states import allowed_actions
from zwfw.catalog.selectors import published_get
from zwfw.core.errors import NotFound, ValidationFailed
from zwfw.core.models import Venue
from zwfw.core.request_context import client_ip
from zwfw.core.schemas import ErrorOut
from zwfw.core.uploads import read_capped
from zwfw.identity.models import Person

router = Router(tags=["cases"])


class MaterialOut(Schema):
    key: str
    name: str
    kind: str
    original_name: str
    content_type: str
    size: int
    received_at: datetime.datetime


class NoticeOut(Schema):
    id: int
    kind: str
    sequence: int
    issued_at: datetime.datetime
    items: list[dict[str, Any]]
    reason: str


class ClockOut(Schema):
    due_date: datetime.date | None
    statutory_due_date: datetime.date | None
    days_left: int | None
    paused_days: int
    paused: bool
    overdue: bool
    over_statutory: bool
    provisional: bool


class CaseOut(Schema):
    id: int
    number: str
    state: str
    item: str
    implementation_id: int
    version: int
    agency: str
    channel: str
    submitted_at: datetime.datetime | None
    accepted_on: datetime.date | None
    clock: ClockOut
    deficiency_due_date: datetime.date | None
    first_contact: str | None
    materials: list[MaterialOut]
    notices: list[NoticeOut]
    actions: list[str]

    @staticmethod
    def of(case: Case, actor: Any = None) -> CaseOut:
        """The case as the API shows it to ``actor`` (a just-created case carries its materials,
        saving queries)."""
        return CaseOut(**case_out_data(case, actor))


def case_out_data(case: Case, actor: Any = None) -> dict[str, Any]:
    """``CaseOut``'s fields as plain values (what its validation and dump would give).

    The online submission answers with these directly (``apply``): validating a schema built
    from the rows just written, and validating it again as the response, was a tenth of the
    submission's CPU. A test keeps the two answers identical.
    """
    view = clock_view(case, today=timezone.localdate())
    fresh = getattr(case, "prefetched_materials", None)
    materials: list[Any]
    if fresh is not None:  # in the order the database gives them (CaseMaterial's Meta.ordering)
        materials = sorted(fresh, key=lambda m: (m.requirement_key, m.received_at))
    else:
        materials = list(case.materials.filter(superseded=False))
    notices = [] if fresh is not None else list(selectors.case_notices_visible(actor=actor, case=case))
    return {
        "id": case.pk,
        "number": case.number,
        "state": str(case.state),
        "item": case.implementation.item.name,
        "implementation_id": case.implementation_id,
        "version": case.version.number,
        "agency": case.agency.name,
        "channel": str(case.channel),
        "submitted_at": case.submitted_at,
        "accepted_on": case.accepted_on,
        "clock": {f: getattr(view, f) for f in ClockOut.model_fields},
        "deficiency_due_date": case.deficiency_due_date,
        "first_contact": str(case.first_contact) if case.first_contact_id else None,
        "materials": [
            {
                "key": m.requirement_key,
                "name": m.name,
                "kind": str(m.kind),
                "original_name": m.original_name,
                "content_type": m.content_type,
                "size": m.size,
                "received_at": m.received_at,
            }
            for m in materials
        ],
        "notices": [
            {
                "id": n.pk,
                "kind": str(n.kind),
                "sequence": n.sequence,
                "issued_at": n.issued_at,
                "items": n.items,
                "reason": n.reason,
            }
            for n in notices
        ],
        "actions": allowed_actions(case.state),
    }


class CaseSummaryOut(Schema):
    id: int
    number: str
    state: str
    item: str
    agency: str
    due_date: datetime.date | None
    submitted_at: datetime.datetime | None


class CaseCreateIn(Schema):
    implementation_id: int
    channel: str = Field("online", max_length=10)
    person_id: int | None = None
    venue_id: int | None = None
    form_data: dict[str, Any] = {}
    contact_phone: str = Field("", max_length=20)


class AcceptIn(Schema):
    deficiency_due_date: datetime.date | None = None


class DefectIn(Schema):
    key: str = Field(max_length=40)
    note: str = Field(max_length=500)


class CorrectionIn(Schema):
    defects: list[DefectIn] = Field([], max_length=100)
    override_reason: str = Field("", max_length=1000)


class ReasonIn(Schema):
    reason: str = Field("", max_length=1000)


class SuspendIn(Schema):
    kind: str = Field("special_procedure", max_length=20)
    procedure: str = Field("", max_length=200)
    reason: str = Field(max_length=1000)


class ExtendIn(Schema):
    days: int = Field(ge=0, le=3650)
    reason: str = Field(max_length=1000)


class DecideIn(Schema):
    approved: bool
    reasons: str = Field("", max_length=2000)


class DeliverIn(Schema):
    method: str = Field(max_length=8)
    courier: str = Field("", max_length=60)
    tracking_number: str = Field("", max_length=60)
    address: str = Field("", max_length=300)
    recipient: str = Field("", max_length=60)


class LookupOut(Schema):
    number: str
    state: str
    item: str
    agency: str
    due_date: datetime.date | None


def _case(request: HttpRequest, case_id: int) -> Case:
    return selectors.case_get(actor=request.user, case_id=case_id)


def _detail(request: HttpRequest, case: Case) -> CaseOut:
    return CaseOut.of(selectors.case_get(actor=request.user, case_id=case.pk), request.user)


@router.post("/apply", response={201: CaseOut, 200: CaseOut}, auth=django_auth)
def apply(request: HttpRequest) -> Status | HttpResponse:
    """Apply online in one request (multipart: ``implementation_id``, optional ``form_data`` JSON,
    one file per material named ``material.<key>``). Send an ``Idempotency-Key`` header: a retry
    with the same key answers 200 with the first case instead of creating another."""
    raw_id = request.POST.get("implementation_id", "")
    if not (raw_id.isascii() and raw_id.isdigit()):
        raise ValidationFailed(
            "request.invalid", _("Some fields are missing or invalid."), [{"field": "implementation_id"}]
        )
    try:
        form_data = json.loads(request.POST.get("form_data") or "{}")
    except json.JSONDecodeError:
        raise ValidationFailed(
            "request.invalid", _("Some fields are missing or invalid."), [{"field": "form_data"}]
        ) from None
    materials = []
    for field in request.FILES:
        if field.startswith("material."):
            upload = request.FILES.get(field)
            if upload is None:
                continue
            materials.append(
                {
                    "requirement_key": field.split(".", 1)[1],
                    "content": read_capped(upload),
                    "filename": upload.name or "",
                }
            )
    case, created = services.case_apply_idempotent(
        actor=request.user,
        implementation_id=int(raw_id),
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        materials=materials,
        form_data=form_data if isinstance(form_data, dict) else {},
        contact_phone=request.POST.get("contact_phone", ""),
    )
    if created:  # already in CaseOut's shape (case_out_data): rendered without validating again
        from zwfw.api import api  # the API mounts this router

        return api.create_response(request, case_out_data(case), status=201)
    return Status(200, _detail(request, case))


@router.post("", response={201: CaseOut}, auth=django_auth)
def create(request: HttpRequest, payload: CaseCreateIn) -> Status:
    """Open a draft (online for oneself; at a window a clerk files it for a registered person)."""
    implementation = published_get(implementation_id=payload.implementation_id)
    person = Person.objects.filter(pk=payload.person_id).first() if payload.person_id else None
    if payload.person_id and person is None:
        raise NotFound("identity.person_not_found", _("Person not found."))
    venue = Venue.objects.filter(pk=payload.venue_id).first() if payload.venue_id else None
    case = services.case_create(
        actor=request.user,
        implementation=implementation,
        channel=payload.channel,
        person=person,
        venue=venue,
        form_data=payload.form_data,
        contact_phone=payload.contact_phone,
    )
    return Status(201, _detail(request, case))


@router.get("", response=list[CaseSummaryOut], auth=django_auth)
def case_list(
    request: HttpRequest, queue: str | None = None, limit: int = 50, offset: int = 0
) -> list[CaseSummaryOut]:
    """Cases in the actor's scope, or one staff queue (to_accept, to_review, to_decide, due_soon,
    overdue, suspended, to_deliver)."""
    qs = selectors.case_list(actor=request.user)
    if queue:
        if queue not in selectors.QUEUES:
            raise ValidationFailed("case.invalid_queue", _("Unknown queue."), [{"field": "queue"}])
        qs = selectors.case_queue(qs, queue)
    # An offset past any real list answers []; unbounded, it overflows PostgreSQL's bigint (500).
    limit, offset = max(1, min(limit, 200)), max(0, min(offset, 10**9))
    return [
        CaseSummaryOut(
            id=c.pk,
            number=c.number,
            state=c.state,
            item=c.implementation.item.name,
            agency=c.agency.name,
            due_date=c.due_date,
            submitted_at=c.submitted_at,
        )
        for c in qs[offset : offset + limit]
    ]


@router.get("/lookup", response={200: LookupOut, 429: ErrorOut}, auth=None)
def lookup(request: HttpRequest, number: str, code: str) -> LookupOut:
    """Status by case number and the code on the acceptance notice (no account needed)."""
    case = selectors.case_lookup(number=number, code=code, client=client_ip(request) or "unknown")
    return LookupOut(
        number=case.number,
        state=case.state,
        item=case.implementation.item.name,
        agency=case.agency.name,
        due_date=case.due_date,
    )


@router.get("/{case_id}", response=CaseOut, auth=django_auth)
def detail(request: HttpRequest, case_id: int) -> CaseOut:
    """One case with its clock, materials, notices and the actions its state allows."""
    return CaseOut.of(_case(request, case_id), request.user)


@router.post("/{case_id}/materials", response={201: MaterialOut}, auth=django_auth)
def material_add(request: HttpRequest, case_id: int) -> Status:
    """Receive a material (multipart: ``requirement_key``, ``kind``, ``file`` or ``commitment_text``)."""
    case = _case(request, case_id)
    upload = request.FILES.get("file")
    material = services.case_material_add(
        actor=request.user,
        case=case,
        requirement_key=request.POST.get("requirement_key", ""),
        kind=request.POST.get("kind", "upload"),
        content=read_capped(upload) if upload else None,
        filename=upload.name or "" if upload else "",
        commitment_text=request.POST.get("commitment_text", ""),
        license_reference=request.POST.get("license_reference", ""),
    )
    return Status(
        201,
        MaterialOut(
            key=material.requirement_key,
            name=material.name,
            kind=material.kind,
            original_name=material.original_name,
            content_type=material.content_type,
            size=material.size,
            received_at=material.received_at,
        ),
    )


@router.post("/{case_id}/submit", response=CaseOut, auth=django_auth)
def submit(request: HttpRequest, case_id: int) -> CaseOut:
    """Submit the application."""
    return _detail(request, services.case_submit(actor=request.user, case=_case(request, case_id)))


@router.post("/{case_id}/accept", response=CaseOut, auth=django_auth)
def accept(request: HttpRequest, case_id: int, payload: AcceptIn) -> CaseOut:
    """Accept (容缺 with the promised date when only deficiency-allowed materials are missing)."""
    case = services.case_accept(
        actor=request.user, case=_case(request, case_id), deficiency_due_date=payload.deficiency_due_date
    )
    return _detail(request, case)


@router.post("/{case_id}/correction", response=CaseOut, auth=django_auth)
def correction(request: HttpRequest, case_id: int, payload: CorrectionIn) -> CaseOut:
    """Issue the one-time notice of everything missing or defective."""
    case = _case(request, case_id)
    services.case_request_correction(
        actor=request.user,
        case=case,
        defects=[d.model_dump() for d in payload.defects],
        override_reason=payload.override_reason,
    )
    return _detail(request, case)


@router.post("/{case_id}/resubmit", response=CaseOut, auth=django_auth)
def resubmit(request: HttpRequest, case_id: int) -> CaseOut:
    """Hand in the corrections."""
    return _detail(request, services.case_resubmit(actor=request.user, case=_case(request, case_id)))


@router.post("/{case_id}/reject", response=CaseOut, auth=django_auth)
def reject(request: HttpRequest, case_id: int, payload: ReasonIn) -> CaseOut:
    """Refuse to accept, with the reason and the applicant's rights."""
    return _detail(
        request,
        services.case_reject_intake(actor=request.user, case=_case(request, case_id), reason=payload.reason),
    )


@router.post("/{case_id}/review", response=CaseOut, auth=django_auth)
def review(request: HttpRequest, case_id: int) -> CaseOut:
    """Start the review."""
    return _detail(request, services.case_start_review(actor=request.user, case=_case(request, case_id)))


@router.post("/{case_id}/suspend", response=CaseOut, auth=django_auth)
def suspend(request: HttpRequest, case_id: int, payload: SuspendIn) -> CaseOut:
    """Pause the clock for a listed special procedure (or while waiting for materials)."""
    case = _case(request, case_id)
    services.case_suspend(
        actor=request.user, case=case, kind=payload.kind, procedure=payload.procedure, reason=payload.reason
    )
    return _detail(request, case)


@router.post("/{case_id}/resume", response=CaseOut, auth=django_auth)
def resume(request: HttpRequest, case_id: int) -> CaseOut:
    """Restart the clock; the due date moves by the paused days."""
    return _detail(request, services.case_resume(actor=request.user, case=_case(request, case_id)))


@router.post("/{case_id}/extend", response=CaseOut, auth=django_auth)
def extend(request: HttpRequest, case_id: int, payload: ExtendIn) -> CaseOut:
    """Extend the limit (approver, with a reason, within the allowed days)."""
    return _detail(
        request,
        services.case_extend(
            actor=request.user, case=_case(request, case_id), days=payload.days, reason=payload.reason
        ),
    )


@router.post("/{case_id}/decide", response=CaseOut, auth=django_auth)
def decide(request: HttpRequest, case_id: int, payload: DecideIn) -> CaseOut:
    """Approve or deny, with reasons (a denial states the applicant's rights)."""
    return _detail(
        request,
        services.case_decide(
            actor=request.user,
            case=_case(request, case_id),
            approved=payload.approved,
            reasons=payload.reasons,
        ),
    )


@router.post("/{case_id}/deliver", response=CaseOut, auth=django_auth)
def deliver(request: HttpRequest, case_id: int, payload: DeliverIn) -> CaseOut:
    """Hand over the result (window, post with tracking, or online)."""
    case = _case(request, case_id)
    services.case_deliver(actor=request.user, case=case, **payload.model_dump())
    return _detail(request, case)


@router.post("/{case_id}/close", response=CaseOut, auth=django_auth)
def close(request: HttpRequest, case_id: int) -> CaseOut:
    """Close a delivered case."""
    return _detail(request, services.case_close(actor=request.user, case=_case(request, case_id)))


@router.post("/{case_id}/withdraw", response=CaseOut, auth=django_auth)
def withdraw(request: HttpRequest, case_id: int, payload: ReasonIn) -> CaseOut:
    """Withdraw the application before the decision."""
    return _detail(
        request,
        services.case_withdraw(actor=request.user, case=_case(request, case_id), reason=payload.reason),
    )
