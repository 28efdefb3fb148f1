"""Bundle and remote-intake API under /api/v1/bundles: published bundles and their merged
form, applying (multipart), the applicant's bundle cases with one status, answering a
correction, the bundle editor's drafts and reviews, and the hand-overs of a remote intake.
Handlers parse, call one service or selector, and answer."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from zwfw.bundles import selectors, services
from zwfw.bundles.merge import MergedForm
from zwfw.bundles.models import Bundle, BundleAdjustment, BundleCase, RemoteIntake
from zwfw.catalog.selectors import published_get
from zwfw.core.errors import NotFound, ValidationFailed
from zwfw.core.models import Region, Window
from zwfw.core.uploads import read_capped
from zwfw.identity.models import Person

router = Router(tags=["bundles"])


class BundleSummaryOut(Schema):
    code: str
    name: str
    summary: str
    version: int
    promised_limit: int
    promised_limit_unit: str


class BundleFieldOut(Schema):
    concept: str
    label: str
    type: str
    required: bool
    choices: list[str]
    items: list[str]


class BundleMaterialOut(Schema):
    key: str
    name: str
    required: bool
    items: list[str]


class ItemOut(Schema):
    key: str
    name: str
    agency: str
    depends_on: list[str]


class FormOut(Schema):
    code: str
    name: str
    questions: list[dict[str, Any]]
    items: list[ItemOut]
    fields: list[BundleFieldOut]
    materials: list[BundleMaterialOut]
    from_results: list[dict[str, str]]


class ChildOut(Schema):
    item: str
    case_id: int
    case_number: str
    agency: str
    state: str
    case_state: str


class BundleCaseOut(Schema):
    id: int
    number: str
    bundle: str
    state: str
    due_date: datetime.date
    provisional: bool
    submitted_at: datetime.datetime
    results_visible: bool
    children: list[ChildOut]

    @staticmethod
    def of(bundle_case: BundleCase) -> BundleCaseOut:
        """One status, one due date, and the children behind them."""
        status = selectors.bundle_case_status(bundle_case)
        return BundleCaseOut(
            id=bundle_case.pk,
            number=bundle_case.number,
            bundle=bundle_case.bundle.code,
            state=status.state,
            due_date=bundle_case.due_date,
            provisional=bundle_case.provisional,
            submitted_at=bundle_case.submitted_at,
            results_visible=status.results_visible,
            children=[
                ChildOut(
                    item=c.item_key,
                    case_id=c.case.pk,
                    case_number=c.case.number,
                    agency=c.case.agency.name,
                    state=c.state,
                    case_state=c.case_state,
                )
                for c in status.children
            ],
        )


def _summary(bundle: Bundle) -> BundleSummaryOut:
    assert bundle.current_version is not None
    content = selectors.version_content(bundle.current_version)
    return BundleSummaryOut(
        code=bundle.code,
        name=content.name,
        summary=content.summary,
        version=bundle.current_version.number,
        promised_limit=content.promised_limit,
        promised_limit_unit=content.promised_limit_unit,
    )


def form_out(bundle: Bundle, form: MergedForm) -> FormOut:
    """The merged form as the API shows it."""
    assert bundle.current_version is not None
    content = selectors.version_content(bundle.current_version)
    impls = selectors.version_implementations(bundle.current_version)
    return FormOut(
        code=bundle.code,
        name=content.name,
        questions=[q.model_dump() for q in content.questions],
        items=[
            ItemOut(
                key=i.key,
                name=impls[i.key].item.name if i.key in impls else i.implementation,
                agency=impls[i.key].agency.name if i.key in impls else "",
                depends_on=[d.item for d in i.depends_on],
            )
            for i in form.items
        ],
        fields=[
            BundleFieldOut(
                concept=f.concept,
                label=f.label,
                type=f.type,
                required=f.required,
                choices=list(f.choices),
                items=sorted({t[0] for t in f.targets}),
            )
            for f in form.fields
        ],
        materials=[
            BundleMaterialOut(
                key=m.key, name=m.name, required=m.required, items=sorted({t.item for t in m.targets})
            )
            for m in form.materials
        ],
        from_results=[{"item": r.item, "key": r.key, "name": r.name} for r in form.from_results],
    )


def parse_answers(raw: list[str]) -> dict[str, bool]:
    """``key:yes`` / ``key:no`` pairs (also true/false, 1/0) into answers."""
    answers: dict[str, bool] = {}
    for pair in raw:
        key, _sep, value = pair.partition(":")
        if value.lower() in ("yes", "true", "1"):
            answers[key] = True
        elif value.lower() in ("no", "false", "0"):
            answers[key] = False
        else:
            raise ValidationFailed(
                "request.invalid", _("Some fields are missing or invalid."), [{"field": f"answer.{key}"}]
            )
    return answers


def _json(request: HttpRequest, name: str) -> dict[str, Any]:
    try:
        value = json.loads(request.POST.get(name) or "{}")
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise ValidationFailed("request.invalid", _("Some fields are missing or invalid."), [{"field": name}])
    return value


# --- citizens ----------------------------------------------------------------------------------


@router.get("/", response=list[BundleSummaryOut], auth=None)
def bundle_list(request: HttpRequest) -> list[BundleSummaryOut]:
    """Published bundles."""
    return [_summary(b) for b in selectors.bundle_list_published()]


@router.get("/cases", response=list[BundleCaseOut], auth=django_auth)
def bundle_case_list(request: HttpRequest) -> list[BundleCaseOut]:
    """The actor's bundle applications."""
    return [BundleCaseOut.of(c) for c in selectors.bundle_case_list(actor=request.user)[:100]]


@router.get("/cases/{bundle_case_id}", response=BundleCaseOut, auth=django_auth)
def bundle_case_detail(request: HttpRequest, bundle_case_id: int) -> BundleCaseOut:
    """One bundle application: one status, one due date, its children."""
    return BundleCaseOut.of(selectors.bundle_case_get(actor=request.user, bundle_case_id=bundle_case_id))


@router.post("/cases/{bundle_case_id}/corrections", response=BundleCaseOut, auth=django_auth)
def bundle_correction(request: HttpRequest, bundle_case_id: int) -> BundleCaseOut:
    """Answer a correction request (multipart ``key`` and ``file``): it reaches every child whose
    notice asks for that material."""
    bundle_case = selectors.bundle_case_get(actor=request.user, bundle_case_id=bundle_case_id)
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationFailed(
            "request.invalid", _("Some fields are missing or invalid."), [{"field": "file"}]
        )
    services.bundle_correction_answer(
        actor=request.user,
        bundle_case=bundle_case,
        key=request.POST.get("key", ""),
        content=read_capped(upload),
        filename=upload.name or "",
    )
    return BundleCaseOut.of(bundle_case)


# --- editor ------------------------------------------------------------------------------------


class DefinitionIn(Schema):
    code: str = Field(max_length=40)
    region_code: str = Field(max_length=12)
    draft: dict[str, Any]


class DraftIn(Schema):
    draft: dict[str, Any]


class BundleReasonIn(Schema):
    reason: str = Field("", max_length=2000)


class CommentIn(Schema):
    comment: str = Field("", max_length=2000)


class DefinitionOut(Schema):
    id: int
    code: str
    status: str
    draft: dict[str, Any]
    draft_failures: list[str]
    version: int | None


class BundleAdjustmentOut(Schema):
    id: int
    status: str
    failures: list[dict[str, Any]]


def _definition(bundle: Bundle) -> DefinitionOut:
    return DefinitionOut(
        id=bundle.pk,
        code=bundle.code,
        status=bundle.status,
        draft=bundle.draft,
        draft_failures=list(bundle.draft_failures),
        version=bundle.current_version.number if bundle.current_version else None,
    )


def _adjustment(request: HttpRequest, adjustment_id: int) -> BundleAdjustment:
    found = BundleAdjustment.objects.filter(
        pk=adjustment_id, bundle__in=selectors.bundle_editor_list(actor=request.user)
    ).first()
    if found is None:
        raise NotFound("bundles.not_found", _("Bundle not found."))
    return found


@router.post("/definitions", response={201: DefinitionOut}, auth=django_auth)
def definition_create(request: HttpRequest, payload: DefinitionIn) -> Status:
    """Start a bundle definition in a region's catalog."""
    region = Region.objects.filter(code=payload.region_code).first()
    if region is None:
        raise NotFound("core.region_not_found", _("Region not found."))
    bundle = services.bundle_create(actor=request.user, region=region, code=payload.code, draft=payload.draft)
    return Status(201, _definition(bundle))


@router.put("/definitions/{bundle_id}/draft", response=DefinitionOut, auth=django_auth)
def definition_update(request: HttpRequest, bundle_id: int, payload: DraftIn) -> DefinitionOut:
    """Save a draft (the failing checks come back in ``draft_failures``)."""
    bundle = selectors.bundle_editor_get(actor=request.user, bundle_id=bundle_id)
    services.bundle_update_draft(actor=request.user, bundle=bundle, draft=payload.draft)
    bundle.refresh_from_db()
    return _definition(bundle)


@router.post("/definitions/{bundle_id}/adjustments", response={201: BundleAdjustmentOut}, auth=django_auth)
def adjustment_submit(request: HttpRequest, bundle_id: int, payload: BundleReasonIn) -> Status:
    """Submit the draft for review."""
    bundle = selectors.bundle_editor_get(actor=request.user, bundle_id=bundle_id)
    adjustment = services.bundle_adjustment_submit(actor=request.user, bundle=bundle, reason=payload.reason)
    return Status(
        201, BundleAdjustmentOut(id=adjustment.pk, status=adjustment.status, failures=adjustment.failures)
    )


@router.post("/adjustments/{adjustment_id}/approve", response=DefinitionOut, auth=django_auth)
def adjustment_approve(request: HttpRequest, adjustment_id: int, payload: CommentIn) -> DefinitionOut:
    """Approve and publish (a second catalog administrator; refused while a check fails)."""
    adjustment = _adjustment(request, adjustment_id)
    version = services.bundle_adjustment_approve(
        actor=request.user, adjustment=adjustment, comment=payload.comment
    )
    return _definition(version.bundle)


@router.post("/adjustments/{adjustment_id}/reject", response=BundleAdjustmentOut, auth=django_auth)
def adjustment_reject(request: HttpRequest, adjustment_id: int, payload: CommentIn) -> BundleAdjustmentOut:
    """Return the adjustment to its author with a comment."""
    adjustment = services.bundle_adjustment_reject(
        actor=request.user, adjustment=_adjustment(request, adjustment_id), comment=payload.comment
    )
    return BundleAdjustmentOut(id=adjustment.pk, status=adjustment.status, failures=adjustment.failures)


# --- remote intake -----------------------------------------------------------------------------


class RemoteOut(Schema):
    id: int
    number: str
    state: str
    item: str
    deciding_agency: str
    receiving_venue: str
    received_at: datetime.datetime
    forward_tracking: str
    return_reasons: str
    result_route: str
    result_courier: str
    result_tracking: str
    case_number: str | None
    side: str

    @staticmethod
    def of(intake: RemoteIntake, side: str) -> RemoteOut:
        """The intake as one side sees it (the case number only for the deciding side)."""
        return RemoteOut(
            id=intake.pk,
            number=intake.number,
            state=intake.state,
            item=intake.implementation.item.name,
            deciding_agency=intake.deciding_agency.name,
            receiving_venue=intake.receiving_venue.name,
            received_at=intake.received_at,
            forward_tracking=intake.forward_tracking,
            return_reasons=intake.return_reasons,
            result_route=intake.result_route,
            result_courier=intake.result_courier,
            result_tracking=intake.result_tracking,
            case_number=intake.case.number if intake.case and side in ("deciding", "both") else None,
            side=side,
        )


class ForwardIn(Schema):
    courier: str = ""
    tracking_number: str = ""


class AcceptIn(Schema):
    deficiency_due_date: datetime.date | None = None


class ReturnIn(Schema):
    reasons: str = ""


class ResultIn(Schema):
    route: str
    courier: str = ""
    tracking_number: str = ""
    address: str = ""


class HandOverIn(Schema):
    recipient: str = ""


def _intake(request: HttpRequest, intake_id: int) -> RemoteIntake:
    return selectors.remote_intake_get(actor=request.user, intake_id=intake_id)


def _remote_out(request: HttpRequest, intake: RemoteIntake) -> RemoteOut:
    intake = _intake(request, intake.pk)
    return RemoteOut.of(intake, selectors.remote_intake_side(actor=request.user, intake=intake))


@router.get("/remote/intakes", response=list[RemoteOut], auth=django_auth)
def remote_list(request: HttpRequest) -> list[RemoteOut]:
    """The remote intakes of the actor's side."""
    return [
        RemoteOut.of(i, selectors.remote_intake_side(actor=request.user, intake=i))
        for i in selectors.remote_intake_list(actor=request.user)[:200]
    ]


@router.post("/remote/intakes", response={201: RemoteOut}, auth=django_auth)
def remote_receive(request: HttpRequest) -> Status:
    """Receive at a cross-region window (multipart: ``window_id``, ``implementation_id``,
    ``person_id``, optional ``form_data`` JSON, ``paper`` = comma-separated keys of paper
    originals, one file per scanned material named ``material.<key>``)."""
    try:
        window_id = int(request.POST.get("window_id", ""))
        implementation_id = int(request.POST.get("implementation_id", ""))
        person_id = int(request.POST.get("person_id", ""))
    except ValueError:
        raise ValidationFailed(
            "request.invalid",
            _("Some fields are missing or invalid."),
            [{"field": f} for f in ("window_id", "implementation_id", "person_id")],
        ) from None
    window = Window.objects.select_related("venue__region").filter(pk=window_id).first()
    person = Person.objects.filter(pk=person_id).first()
    if window is None or person is None:
        raise NotFound("bundles.remote.not_found", _("Window or person not found."))
    materials: list[dict[str, Any]] = [
        {"requirement_key": key.strip(), "kind": "paper"}
        for key in request.POST.get("paper", "").split(",")
        if key.strip()
    ]
    for name in request.FILES:
        upload = request.FILES.get(name)
        if name.startswith("material.") and upload is not None:
            materials.append(
                {
                    "requirement_key": name.split(".", 1)[1],
                    "kind": "upload",
                    "content": read_capped(upload),
                    "filename": upload.name or "",
                }
            )
    intake = services.remote_intake_receive(
        actor=request.user,
        window=window,
        implementation=published_get(implementation_id=implementation_id),
        person=person,
        materials=materials,
        form_data=_json(request, "form_data"),
        contact_phone=request.POST.get("contact_phone", ""),
    )
    return Status(201, _remote_out(request, intake))


@router.get("/remote/intakes/{intake_id}", response=RemoteOut, auth=django_auth)
def remote_detail(request: HttpRequest, intake_id: int) -> RemoteOut:
    """One remote intake, as the actor's side sees it."""
    return _remote_out(request, _intake(request, intake_id))


@router.post("/remote/intakes/{intake_id}/forward", response=RemoteOut, auth=django_auth)
def remote_forward(request: HttpRequest, intake_id: int, payload: ForwardIn) -> RemoteOut:
    """Region A forwards to the deciding agency."""
    intake = services.remote_intake_forward(
        actor=request.user,
        intake=_intake(request, intake_id),
        courier=payload.courier,
        tracking_number=payload.tracking_number,
    )
    return _remote_out(request, intake)


@router.post("/remote/intakes/{intake_id}/accept", response=RemoteOut, auth=django_auth)
def remote_accept(request: HttpRequest, intake_id: int, payload: AcceptIn) -> RemoteOut:
    """The deciding agency accepts (the case is filed and accepted there)."""
    intake = _intake(request, intake_id)
    services.remote_intake_accept(
        actor=request.user, intake=intake, deficiency_due_date=payload.deficiency_due_date
    )
    return _remote_out(request, intake)


@router.post("/remote/intakes/{intake_id}/return", response=RemoteOut, auth=django_auth)
def remote_return(request: HttpRequest, intake_id: int, payload: ReturnIn) -> RemoteOut:
    """The deciding agency returns it with reasons."""
    intake = services.remote_intake_return(
        actor=request.user, intake=_intake(request, intake_id), reasons=payload.reasons
    )
    return _remote_out(request, intake)


@router.post("/remote/intakes/{intake_id}/result", response=RemoteOut, auth=django_auth)
def remote_result(request: HttpRequest, intake_id: int, payload: ResultIn) -> RemoteOut:
    """The deciding agency posts the result (to region A for pickup, or to the applicant)."""
    intake = services.remote_intake_send_result(
        actor=request.user,
        intake=_intake(request, intake_id),
        route=payload.route,
        courier=payload.courier,
        tracking_number=payload.tracking_number,
        address=payload.address,
    )
    return _remote_out(request, intake)


@router.post("/remote/intakes/{intake_id}/arrived", response=RemoteOut, auth=django_auth)
def remote_arrived(request: HttpRequest, intake_id: int) -> RemoteOut:
    """Region A records the result's arrival."""
    intake = services.remote_intake_result_arrived(actor=request.user, intake=_intake(request, intake_id))
    return _remote_out(request, intake)


@router.post("/remote/intakes/{intake_id}/hand-over", response=RemoteOut, auth=django_auth)
def remote_hand_over(request: HttpRequest, intake_id: int, payload: HandOverIn) -> RemoteOut:
    """Region A hands the result (or the returned application) to the applicant."""
    intake = services.remote_intake_hand_over(
        actor=request.user, intake=_intake(request, intake_id), recipient=payload.recipient
    )
    return _remote_out(request, intake)


# --- by code (registered last: ``/{code}`` would shadow the fixed paths above) -------------


@router.get("/{code}", response=FormOut, auth=None)
def bundle_detail(request: HttpRequest, code: str, answer: Query[list[str]] = None) -> FormOut:  # type: ignore[assignment]
    """A bundle's merged form; ``answer=key:yes`` (repeated) narrows it to the applicable items."""
    bundle = selectors.bundle_get_published(code=code)
    assert bundle.current_version is not None
    answers = parse_answers(answer) if answer else None
    return form_out(bundle, selectors.bundle_form(version=bundle.current_version, answers=answers))


@router.post("/{code}/apply", response={201: BundleCaseOut}, auth=django_auth)
def bundle_apply(request: HttpRequest, code: str) -> Status:
    """Apply (multipart: ``answers`` JSON of booleans, ``values`` JSON by concept, one file per
    merged material named ``material.<key>``): one bundle case and its child cases."""
    bundle = selectors.bundle_get_published(code=code)
    uploads: dict[str, tuple[bytes, str]] = {}
    for name in request.FILES:
        upload = request.FILES.get(name)
        if name.startswith("material.") and upload is not None:
            uploads[name.split(".", 1)[1]] = (read_capped(upload), upload.name or "")
    bundle_case = services.bundle_apply(
        actor=request.user,
        bundle=bundle,
        answers=_json(request, "answers"),
        values=_json(request, "values"),
        uploads=uploads,
        contact_phone=request.POST.get("contact_phone", ""),
    )
    return Status(201, BundleCaseOut.of(bundle_case))
