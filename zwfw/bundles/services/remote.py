"""Remote intake (异地代收代办 / 多地联办): a cross-region window in region A receives an
application for an item whose competent agency is in region B, checks the materials against
B's published version and forwards them; B's agency accepts (the case is created and accepted
there, so the clock starts at B's acceptance unless ``ZWFW_REMOTE_CLOCK_STARTS_AT_RECEIPT``
says it starts at A's receipt) or returns it with reasons; the result goes back to A for pickup
or is posted to the applicant. Every hand-over is one ledger event on the intake's chain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zwfw.bundles.models import (
    RemoteIntake,
    RemoteIntakeMaterial,
    RemoteIntakeState,
    RemoteMaterialKind,
    ResultRoute,
)
from zwfw.cases import services as case_services
from zwfw.cases.clock import clock_compute
from zwfw.cases.models import Case, CaseState, Channel, DeliveryMethod, MaterialKind
from zwfw.catalog.models import Implementation, ImplementationStatus
from zwfw.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zwfw.core.ledger import audit_record
from zwfw.core.models import Region, Venue, Window, WindowKind
from zwfw.core.uploads import CheckedUpload, check_upload
from zwfw.identity.models import Person, Role, User
from zwfw.identity.selectors import Actor, actor_scope

REMOTE_MODES = ("proxy_intake", "joint_handling")
# 通办范围 -> how many leading code digits the two regions must share (national: none).
SCOPE_DIGITS = {"prefecture": 4, "province": 2, "national": 0}


def _staff(actor: Actor | None) -> User:
    if not isinstance(actor, User):
        raise PermissionDenied("auth.required", _("Please log in first."))
    return actor


def _require_receiving_clerk(actor: Actor | None, venue: Venue) -> User:
    user = _staff(actor)
    scope = actor_scope(user)
    if not (scope.is_superuser or (Role.WINDOW_CLERK in scope.roles and venue.pk in scope.venue_ids)):
        raise PermissionDenied(
            "bundles.remote.forbidden", _("Only a window clerk of the receiving venue may do this.")
        )
    return user


def _require_deciding(actor: Actor | None, intake: RemoteIntake, *roles: str) -> User:
    user = _staff(actor)
    scope = actor_scope(user)
    held = scope.roles_by_agency.get(intake.deciding_agency_id, frozenset())
    if not (scope.is_superuser or set(roles) & set(held)):
        raise PermissionDenied(
            "bundles.remote.forbidden", _("Only staff of the deciding agency may do this.")
        )
    return user


def _lock(intake: RemoteIntake, *states: str) -> RemoteIntake:
    locked = (
        RemoteIntake.objects.select_for_update()
        .select_related("receiving_venue", "implementation", "deciding_agency", "person")
        .get(pk=intake.pk)
    )
    if locked.state not in states:
        raise Conflict(
            "bundles.remote.illegal_transition",
            _("This remote intake is %(state)s; the action is not possible now.")
            % {"state": locked.get_state_display()},
            {"state": locked.state},
        )
    return locked


def _event(actor: Actor | None, intake: RemoteIntake, action: str, previous: str, **payload: Any) -> None:
    audit_record(
        actor=actor,
        object_type="remote_intake",
        object_id=intake.pk,
        action=action,
        payload={"from": previous, "to": intake.state, **payload},
    )


def cross_region_allowed(implementation: Implementation, receiving: Region) -> tuple[bool, str]:
    """Whether the implementation may be received in ``receiving`` by a remote intake, and the
    refusal code if not (its 通办范围 and 跨省通办模式 decide)."""
    version = implementation.current_version
    content = version.content if version is not None else {}
    scope = content.get("cross_region_scope") or "none"
    if scope not in SCOPE_DIGITS:
        return False, "bundles.remote.not_cross_region"
    digits = SCOPE_DIGITS[scope]
    if digits and receiving.code[:digits] != implementation.region.code[:digits]:
        return False, "bundles.remote.outside_scope"
    if not set(content.get("cross_region_modes") or []) & set(REMOTE_MODES):
        return False, "bundles.remote.mode_not_offered"
    return True, ""


@transaction.atomic
def remote_intake_receive(
    *,
    actor: Actor | None,
    window: Window,
    implementation: Implementation,
    person: Person,
    materials: Sequence[Mapping[str, Any]],
    form_data: dict[str, Any] | None = None,
    contact_phone: str = "",
) -> RemoteIntake:
    """Region A receives: a clerk of a cross-region window checks the materials against the
    deciding region's published version. ``materials``: ``{requirement_key, kind: upload|paper,
    content, filename}``; every missing required material is reported at once."""
    venue = window.venue
    user = _require_receiving_clerk(actor, venue)
    if window.kind != WindowKind.CROSS_REGION:
        raise ValidationFailed(
            "bundles.remote.not_cross_region_window",
            _("Remote applications are received at a cross-region window."),
            [{"field": "window"}],
        )
    version = implementation.current_version
    if implementation.status != ImplementationStatus.PUBLISHED or version is None:
        raise NotFound("catalog.guide_not_found", _("This item cannot be applied for at the moment."))
    if (
        venue.region_id == implementation.region_id
        or venue.agencies.filter(pk=implementation.agency_id).exists()
    ):
        raise ValidationFailed(
            "bundles.remote.same_region",
            _("This item is handled here: receive it as an ordinary application."),
            [{"field": "implementation"}],
        )
    allowed, code = cross_region_allowed(implementation, venue.region)
    if not allowed:
        raise ValidationFailed(
            code,
            _("This item may not be received in %(region)s for %(other)s.")
            % {"region": venue.region.name, "other": implementation.region.name},
            [{"field": "implementation"}],
        )
    modes = set(version.content.get("cross_region_modes") or [])
    requirements = {m.key: m for m in version.materials.order_by("position")}
    problems: list[dict[str, str]] = []
    checked: dict[str, tuple[str, CheckedUpload | None]] = {}
    for entry in materials:
        key = str(entry.get("requirement_key", ""))
        kind = str(entry.get("kind", RemoteMaterialKind.UPLOAD))
        if key not in requirements:
            problems.append({"field": f"materials.{key}", "code": "case.unknown_material"})
            continue
        if kind == RemoteMaterialKind.PAPER:
            checked[key] = (kind, None)
        elif kind == RemoteMaterialKind.UPLOAD:
            try:
                upload = check_upload(entry.get("content") or b"", name=str(entry.get("filename", "")))
            except ValidationFailed as exc:
                problems.append({"field": f"materials.{key}", "code": exc.code})
                continue
            checked[key] = (kind, upload)
        else:
            problems.append({"field": f"materials.{key}", "code": "case.invalid_material_kind"})
    for key, requirement in requirements.items():
        if requirement.necessity == "required" and key not in checked:
            problems.append(
                {"field": f"materials.{key}", "code": "case.materials_missing", "name": requirement.name}
            )
    if problems:
        raise ValidationFailed(
            "bundles.remote.materials_invalid",
            _("Some materials the deciding agency requires are missing or unusable."),
            problems,
        )
    now = timezone.now()
    intake = RemoteIntake.objects.create(
        number=f"pending-{now:%Y%m%d%H%M%S%f}-{user.pk}",
        implementation=implementation,
        version=version,
        mode="proxy_intake" if "proxy_intake" in modes else "joint_handling",
        receiving_venue=venue,
        receiving_window=window,
        receiving_region=venue.region,
        deciding_agency=implementation.agency,
        deciding_region=implementation.region,
        person=person,
        contact_phone=contact_phone.strip()[:20],
        form_data=form_data or {},
        state=RemoteIntakeState.RECEIVED,
        received_at=now,
        received_on=timezone.localdate(now),
        received_by=user,
    )
    intake.number = f"YD-{venue.region.code}-{intake.received_on:%Y%m%d}-{intake.pk:05d}"
    intake.save(update_fields=["number"])
    for key, (kind, maybe) in checked.items():
        row = RemoteIntakeMaterial(intake=intake, requirement_key=key, name=requirements[key].name, kind=kind)
        if maybe is not None:
            upload = maybe
            row.original_name = upload.safe_name
            row.content_type = upload.content_type
            row.size = upload.size
            row.sha256 = upload.sha256
            row.file.save(f"{intake.number}-{key}{upload.extension}", ContentFile(upload.content), save=False)
        row.save()
    audit_record(
        actor=user,
        object_type="remote_intake",
        object_id=intake.pk,
        action="received",
        new_object=True,
        payload={
            "number": intake.number,
            "implementation": implementation.code,
            "version": version.number,
            "receiving_region": venue.region.code,
            "deciding_region": implementation.region.code,
            "materials": {k: (u.sha256 if u else "paper") for k, (_kind, u) in checked.items()},
        },
    )
    return intake


@transaction.atomic
def remote_intake_forward(
    *, actor: Actor | None, intake: RemoteIntake, courier: str = "", tracking_number: str = ""
) -> RemoteIntake:
    """Region A forwards to the deciding agency: scans at once; paper originals by post (政邮合作),
    which needs the express company and tracking number."""
    _require_receiving_clerk(actor, intake.receiving_venue)  # who may act, before the state
    intake = _lock(intake, RemoteIntakeState.RECEIVED)
    paper = intake.materials.filter(kind=RemoteMaterialKind.PAPER).exists()
    if paper and not (courier.strip() and tracking_number.strip()):
        raise ValidationFailed(
            "bundles.remote.post_details_required",
            _("Paper originals are posted: give the express company and the tracking number."),
            [{"field": "courier"}, {"field": "tracking_number"}],
        )
    previous = intake.state
    intake.state = RemoteIntakeState.FORWARDED
    intake.forwarded_at = timezone.now()
    intake.forward_courier = courier.strip()[:60]
    intake.forward_tracking = tracking_number.strip()[:60]
    intake.save()
    _event(
        actor,
        intake,
        "forwarded",
        previous,
        courier=intake.forward_courier,
        tracking_number=intake.forward_tracking,
    )
    return intake


def _deciding_venue(user: User, intake: RemoteIntake) -> Venue:
    """The venue of the deciding agency where this clerk receives (the case is filed there)."""
    scope = actor_scope(user)
    venues = Venue.objects.filter(pk__in=scope.venue_ids) if not scope.is_superuser else Venue.objects.all()
    for venue in venues.order_by("pk"):
        if (
            venue.region_id == intake.deciding_region_id
            or venue.agencies.filter(pk=intake.deciding_agency_id).exists()
        ):
            return venue
    raise ValidationFailed(
        "bundles.remote.no_venue",
        _("You are not stationed at a venue of the deciding agency."),
        [{"field": "venue"}],
    )


@transaction.atomic
def remote_intake_accept(
    *, actor: Actor | None, intake: RemoteIntake, deficiency_due_date: Any = None
) -> Case:
    """The deciding agency accepts: its clerk files the case with the forwarded materials and
    accepts it (受理). The clock starts now, or at A's receipt if the province says so."""
    user = _require_deciding(actor, intake, Role.WINDOW_CLERK)  # who may act, before the state
    intake = _lock(intake, RemoteIntakeState.FORWARDED)
    venue = _deciding_venue(user, intake)
    case = case_services.case_create(
        actor=user,
        implementation=intake.implementation,
        channel=Channel.WINDOW,
        person=intake.person,
        venue=venue,
        form_data=dict(intake.form_data),
        contact_phone=intake.contact_phone,
    )
    for material in intake.materials.all():
        if material.kind == RemoteMaterialKind.PAPER:
            case_services.case_material_add(
                actor=user, case=case, requirement_key=material.requirement_key, kind=MaterialKind.PAPER
            )
        else:
            with material.file.open("rb") as handle:
                data = handle.read()
            case_services.case_material_add(
                actor=user,
                case=case,
                requirement_key=material.requirement_key,
                content=data,
                filename=material.original_name,
            )
    case = case_services.case_submit(actor=user, case=case)
    if case.state in (CaseState.SUBMITTED, CaseState.RESUBMITTED):
        case = case_services.case_accept(actor=user, case=case, deficiency_due_date=deficiency_due_date)
    at_receipt = bool(getattr(settings, "ZWFW_REMOTE_CLOCK_STARTS_AT_RECEIPT", False))
    if at_receipt and case.accepted_on is not None and case.accepted_on != intake.received_on:
        case = Case.objects.select_for_update().get(pk=case.pk)
        case.accepted_on = intake.received_on
        clock_compute(case)
        case.save(
            update_fields=["accepted_on", "due_date", "statutory_due_date", "paused_days", "provisional"]
        )
        audit_record(
            actor=user,
            object_type="case",
            object_id=case.pk,
            action="clock_started_at_receipt",
            payload={"received_on": intake.received_on.isoformat(), "remote_intake": intake.number},
        )
    previous = intake.state
    intake.state = RemoteIntakeState.ACCEPTED
    intake.case = case
    intake.answered_at = timezone.now()
    intake.answered_by = user
    intake.save()
    _event(
        user,
        intake,
        "accepted",
        previous,
        case=case.number,
        clock_starts=intake.received_on.isoformat()
        if at_receipt
        else (case.accepted_on.isoformat() if case.accepted_on else None),
    )
    return case


@transaction.atomic
def remote_intake_return(*, actor: Actor | None, intake: RemoteIntake, reasons: str) -> RemoteIntake:
    """The deciding agency returns the application to region A, with its reasons."""
    user = _require_deciding(actor, intake, Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER)
    intake = _lock(intake, RemoteIntakeState.FORWARDED)
    if not reasons.strip():
        raise ValidationFailed(
            "bundles.remote.reason_required", _("Give the reasons."), [{"field": "reasons"}]
        )
    previous = intake.state
    intake.state = RemoteIntakeState.RETURNED
    intake.return_reasons = reasons.strip()
    intake.answered_at = timezone.now()
    intake.answered_by = user
    intake.save()
    _event(user, intake, "returned", previous, reasons=intake.return_reasons[:1000])
    return intake


@transaction.atomic
def remote_intake_send_result(
    *,
    actor: Actor | None,
    intake: RemoteIntake,
    route: str,
    courier: str,
    tracking_number: str,
    address: str = "",
) -> RemoteIntake:
    """The deciding agency posts the result: back to the receiving venue for pickup, or to the
    applicant. The case's delivery records the express company and the tracking number."""
    user = _require_deciding(actor, intake, Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER)
    intake = _lock(intake, RemoteIntakeState.ACCEPTED)
    if route not in ResultRoute.values:
        raise ValidationFailed("bundles.remote.invalid_route", _("Unknown route."), [{"field": "route"}])
    if intake.case is None or intake.case.state not in (CaseState.APPROVED, CaseState.DENIED):
        raise Conflict("bundles.remote.not_decided", _("The case has not been decided yet."))
    venue = intake.receiving_venue
    target = (venue.address or venue.name) if route == ResultRoute.PICKUP else address.strip()
    recipient = venue.name if route == ResultRoute.PICKUP else intake.person.name
    case_services.case_deliver(
        actor=user,
        case=intake.case,
        method=DeliveryMethod.POST,
        courier=courier,
        tracking_number=tracking_number,
        address=target,
        recipient=recipient,
    )
    previous = intake.state
    now = timezone.now()
    intake.result_route = route
    intake.result_courier = courier.strip()[:60]
    intake.result_tracking = tracking_number.strip()[:60]
    intake.result_address = target[:300]
    intake.result_sent_at = now
    intake.state = (
        RemoteIntakeState.RESULT_SENT if route == ResultRoute.PICKUP else RemoteIntakeState.COMPLETED
    )
    if route == ResultRoute.POST:
        intake.completed_at = now
    intake.save()
    _event(
        user,
        intake,
        "result_sent",
        previous,
        route=route,
        courier=intake.result_courier,
        tracking_number=intake.result_tracking,
        decision=intake.case.state,
    )
    return intake


@transaction.atomic
def remote_intake_result_arrived(*, actor: Actor | None, intake: RemoteIntake) -> RemoteIntake:
    """Region A records that the result arrived at its window for pickup."""
    _require_receiving_clerk(actor, intake.receiving_venue)
    intake = _lock(intake, RemoteIntakeState.RESULT_SENT)
    previous = intake.state
    intake.state = RemoteIntakeState.RESULT_ARRIVED
    intake.result_arrived_at = timezone.now()
    intake.save()
    _event(actor, intake, "result_arrived", previous, tracking_number=intake.result_tracking)
    return intake


@transaction.atomic
def remote_intake_hand_over(*, actor: Actor | None, intake: RemoteIntake, recipient: str) -> RemoteIntake:
    """Region A hands the result (or the returned application) to the applicant."""
    _require_receiving_clerk(actor, intake.receiving_venue)
    intake = _lock(intake, RemoteIntakeState.RESULT_ARRIVED, RemoteIntakeState.RETURNED)
    if not recipient.strip():
        raise ValidationFailed(
            "bundles.remote.recipient_required", _("Say who collected it."), [{"field": "recipient"}]
        )
    previous = intake.state
    intake.state = RemoteIntakeState.COMPLETED
    intake.completed_at = timezone.now()
    intake.handed_to = recipient.strip()[:60]
    intake.save()
    _event(actor, intake, "handed_over", previous, recipient=intake.handed_to)
    return intake
