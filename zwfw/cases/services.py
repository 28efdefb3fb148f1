"""Every write of case handling: one service per transition, each checking the actor's role
and scope, locking the case row, changing state only as ``states.TRANSITIONS`` allows and
writing one ledger event, all in one transaction. An illegal transition is a Conflict (409)
and changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import posixpath
import secrets
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zwfw.cases import policies
from zwfw.cases.clock import clock_compute
from zwfw.cases.models import (
    Case,
    CaseExtension,
    CaseMaterial,
    CaseNotice,
    CasePause,
    CaseState,
    Channel,
    Delivery,
    DeliveryMethod,
    MaterialKind,
    NoticeKind,
    PauseKind,
)
from zwfw.cases.notify import notify_case_event
from zwfw.cases.numbers import case_number_next, lookup_code_new
from zwfw.cases.states import target_of
from zwfw.catalog.models import (
    Implementation,
    ImplementationStatus,
    ImplementationVersion,
    MaterialRequirement,
    ServiceItem,
)
from zwfw.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zwfw.core.fastinsert import insert_rows, task_row, task_rows_possible
from zwfw.core.ledger import audit_first_rows, audit_record
from zwfw.core.models import Agency, Region, StagedFile, Venue, Window
from zwfw.core.prepared import prepared_cursor
from zwfw.core.tasks import staged_flush_task
from zwfw.core.uploads import CheckedUpload, check_upload
from zwfw.identity.models import Enterprise, Person, Role, User
from zwfw.identity.selectors import Actor

ELECTRONIC_KINDS = (MaterialKind.UPLOAD, MaterialKind.E_LICENSE, MaterialKind.COMMITMENT)
M = TypeVar("M", bound=models.Model)


# --- helpers -----------------------------------------------------------------------------------


def _user(actor: Actor | None) -> User | None:
    return actor if isinstance(actor, User) else None


def _staff_user(actor: Actor | None) -> User:
    """The acting staff member (services call this after checking a role)."""
    if not isinstance(actor, User):
        raise PermissionDenied("auth.required", _("Please log in first."))
    return actor


def _lock(case: Case) -> Case:
    return (
        Case.objects.select_for_update()
        .select_related("version", "implementation__item", "agency", "region")
        .get(pk=case.pk)
    )


def _move(case: Case, action: str, *, actor: Actor | None, payload: dict[str, Any] | None = None) -> None:
    """Apply one transition of the table (or refuse it) and write its ledger event."""
    target = target_of(action, case.state)
    if target is None:
        raise Conflict(
            "case.illegal_transition",
            _("This case is %(state)s; the action is not possible now.")
            % {"state": case.get_state_display()},
            {"state": case.state, "action": action},
        )
    previous = case.state
    case.state = target
    audit_record(
        actor=actor,
        object_type="case",
        object_id=case.pk,
        action=action,
        payload={"from": previous, "to": target, **(payload or {})},
    )


def _deny(code: str = "case.forbidden") -> PermissionDenied:
    return PermissionDenied(code, _("You may not do this on this case."))


def requirements(case: Case) -> list[MaterialRequirement]:
    """The material requirements of the case's version, in guide order."""
    return list(case.version.materials.order_by("position"))


def materials_on_file(case: Case) -> dict[str, CaseMaterial]:
    """The current (not superseded) material for each requirement key."""
    return {m.requirement_key: m for m in case.materials.filter(superseded=False).order_by("received_at")}


@dataclass(frozen=True)
class MissingMaterials:
    """What is missing: required ones block acceptance; deficiency-allowed ones may follow (容缺)."""

    required: list[MaterialRequirement]
    deficiency_allowed: list[MaterialRequirement]


def materials_missing(case: Case) -> MissingMaterials:
    """Requirements without a material on file."""
    on_file = materials_on_file(case)
    missing = [r for r in requirements(case) if r.key not in on_file]
    return MissingMaterials(
        required=[r for r in missing if r.necessity == "required"],
        deficiency_allowed=[r for r in missing if r.necessity == "deficiency_allowed"],
    )


def _is_instant(case: Case) -> bool:
    return case.version.content.get("handling_kind") == "instant"


# --- applying ----------------------------------------------------------------------------------


CONTACT_PHONE_MAX = Case._meta.get_field("contact_phone").max_length or 20


def _contact_phone(value: str) -> str:
    """The applicant's contact phone as given (trimmed); longer than the column: refused, never
    cut, so that a reminder never goes to a number the applicant did not give."""
    phone = value.strip()
    if len(phone) > CONTACT_PHONE_MAX:
        raise ValidationFailed(
            "case.contact_phone_too_long",
            _("A contact phone has at most %(n)d characters.") % {"n": CONTACT_PHONE_MAX},
            [{"field": "contact_phone"}],
        )
    return phone


@transaction.atomic
def case_create(
    *,
    actor: Actor | None,
    implementation: Implementation,
    channel: str,
    person: Person | None = None,
    enterprise: Enterprise | None = None,
    venue: Venue | None = None,
    window: Window | None = None,
    form_data: dict[str, Any] | None = None,
    contact_phone: str = "",
) -> Case:
    """Open a draft application against the implementation's current published version.

    Online: the applicant applies for themself or their enterprise. At a window, terminal or
    assisted (帮办代办): a clerk files it for the applicant and is recorded as first contact.
    """
    if implementation.status != ImplementationStatus.PUBLISHED or implementation.current_version is None:
        raise NotFound("catalog.guide_not_found", _("This item cannot be applied for at the moment."))
    if channel not in Channel.values:
        raise ValidationFailed("case.invalid_channel", _("Unknown channel."), [{"field": "channel"}])
    user = _user(actor)
    if user is None:
        raise PermissionDenied("auth.required", _("Please log in first."))
    staff_channel = channel in (Channel.WINDOW, Channel.TERMINAL, Channel.ASSISTED)
    if staff_channel and channel != Channel.TERMINAL:
        from zwfw.identity.selectors import actor_scope

        scope = actor_scope(user)
        if not (scope.is_superuser or Role.WINDOW_CLERK in scope.roles):
            raise _deny()
        if venue is None or not (scope.is_superuser or venue.pk in scope.venue_ids):
            raise ValidationFailed(
                "case.venue_required",
                _("Choose the venue where you receive the application."),
                [{"field": "venue"}],
            )
        if (
            not venue.agencies.filter(pk=implementation.agency_id).exists()
            and venue.region_id != implementation.region_id
        ):
            raise ValidationFailed(
                "case.item_not_at_venue",
                _("This item's agency is not stationed at this venue."),
                [{"field": "implementation"}],
            )
    if channel == Channel.ONLINE:
        if person is None and enterprise is None:
            # One applicant: the account's enterprise for items that serve legal persons, else the person.
            serves = implementation.current_version.content.get("service_objects") or []
            if user.enterprise_id and ("legal_person" in serves or user.person_id is None):
                enterprise = user.enterprise
            else:
                person = user.person
        if person is not None and user.person_id != person.pk:
            raise _deny()
        if enterprise is not None and user.enterprise_id != enterprise.pk:
            raise _deny()
    if person is None and enterprise is None:
        raise ValidationFailed(
            "case.applicant_required",
            _("Say who applies (a person or an enterprise)."),
            [{"field": "applicant"}],
        )
    objects = implementation.current_version.content.get("service_objects") or []
    if enterprise is None and objects and "person" not in objects:
        raise ValidationFailed(
            "case.wrong_applicant",
            _("This item is for enterprises and organisations."),
            [{"field": "applicant"}],
        )
    case = Case.objects.create(
        number=f"draft-{timezone.now():%Y%m%d%H%M%S%f}-{user.pk}",
        implementation=implementation,
        version=implementation.current_version,
        agency=implementation.agency,
        region=implementation.region,
        applicant_person=person,
        applicant_enterprise=enterprise,
        applicant_user=user
        if channel == Channel.ONLINE
        else (person.user if person and hasattr(person, "user") else None),
        channel=channel,
        venue=venue,
        window=window,
        first_contact=user if staff_channel else None,
        assisted_by=user if channel == Channel.ASSISTED else None,
        form_data=form_data or {},
        contact_phone=_contact_phone(contact_phone),
    )
    audit_record(
        actor=actor,
        object_type="case",
        object_id=case.pk,
        action="created",
        payload={"implementation": implementation.pk, "version": case.version.number, "channel": channel},
    )
    return case


def _material_target(case: Case, requirement_key: str) -> MaterialRequirement:
    requirement = case.version.materials.filter(key=requirement_key).first()
    if requirement is None:
        raise ValidationFailed(
            "case.unknown_material",
            _("This item does not ask for that material."),
            [{"field": "requirement_key"}],
        )
    return requirement


def materials_receivable(case: Case) -> list[MaterialRequirement]:
    """The requirements a material may be received for in the case's state: all of them before
    acceptance, only those the last correction notice lists while a correction is awaited, only
    the 容缺 materials still missing after acceptance, none once the case is closed."""
    reqs = requirements(case)
    if case.state in (CaseState.DRAFT, CaseState.SUBMITTED, CaseState.RESUBMITTED):
        return reqs
    if case.state == CaseState.CORRECTION_REQUESTED:
        notice = case.notices.filter(kind=NoticeKind.CORRECTION).order_by("-issued_at").first()
        keys = {i["key"] for i in notice.items} if notice is not None else set()
        return [r for r in reqs if r.key in keys]
    if case.state in (CaseState.ACCEPTED, CaseState.UNDER_REVIEW, CaseState.SUSPENDED, CaseState.APPROVED):
        keys = {r.key for r in materials_missing(case).deficiency_allowed}
        return [r for r in reqs if r.key in keys]
    return []


def decidable_on_the_spot(case: Case) -> bool:
    """即办件, or 告知承诺 with a signed commitment on file: decided straight from acceptance."""
    return _is_instant(case) or case.materials.filter(kind=MaterialKind.COMMITMENT, superseded=False).exists()


def _may_add_material(actor: Actor | None, case: Case, requirement_key: str) -> None:
    applicant = policies.is_applicant(actor, case)
    clerk = policies.is_intake_clerk(actor, case)
    # Once submitted, only the window adds materials until a correction or a 容缺 reopens them.
    may_act = clerk or (applicant and case.state not in (CaseState.SUBMITTED, CaseState.RESUBMITTED))
    if may_act and requirement_key in {r.key for r in materials_receivable(case)}:
        return
    if may_act and case.state == CaseState.CORRECTION_REQUESTED:
        raise ValidationFailed(
            "case.material_not_requested",
            _("Only the materials listed in the correction notice can be supplied now."),
            [{"field": "requirement_key"}],
        )
    if not (applicant or clerk or policies.is_staff_on(actor, case)):
        raise NotFound("case.not_found", _("Case not found."))
    raise Conflict(
        "case.materials_closed", _("Materials cannot be changed in this state."), {"state": case.state}
    )


@transaction.atomic
def case_material_add(
    *,
    actor: Actor | None,
    case: Case,
    requirement_key: str,
    kind: str = MaterialKind.UPLOAD,
    content: bytes | None = None,
    filename: str = "",
    commitment_text: str = "",
    license_reference: str = "",
) -> CaseMaterial:
    """Receive a material: an uploaded file (checked by content), a paper original checked at the
    window, a signed commitment (告知承诺, where allowed) or an e-license reference (免证办)."""
    case = _lock(case)
    requirement = _material_target(case, requirement_key)
    _may_add_material(actor, case, requirement_key)
    material = CaseMaterial(
        case=case, requirement_key=requirement.key, name=requirement.name, kind=kind, received_by=_user(actor)
    )
    if kind == MaterialKind.UPLOAD:
        checked = check_upload(content or b"", name=filename, field="file")
        material.original_name = checked.safe_name
        material.content_type = checked.content_type
        material.size = checked.size
        material.sha256 = checked.sha256
        material.file.save(
            f"{case.pk}-{requirement.key}{checked.extension}", ContentFile(checked.content), save=False
        )
    elif kind == MaterialKind.COMMITMENT:
        if not requirement.commitment_allowed:
            raise ValidationFailed(
                "case.commitment_not_allowed",
                _("A signed commitment cannot replace this material."),
                [{"field": "kind"}],
            )
        if not commitment_text.strip():
            raise ValidationFailed(
                "case.commitment_text_required",
                _("The commitment must be signed with its text."),
                [{"field": "commitment_text"}],
            )
        material.commitment_text = commitment_text.strip()
    elif kind == MaterialKind.PAPER:
        if not policies.is_intake_clerk(actor, case):
            raise _deny()
        previous = materials_on_file(case).get(requirement.key)
        if previous is not None and previous.kind in ELECTRONIC_KINDS:
            raise ValidationFailed(
                "case.material_already_received",
                _("This material was received electronically and is not asked for again on paper."),
                [{"field": "requirement_key"}],
            )
    elif kind == MaterialKind.E_LICENSE:
        if requirement.source != "e_license":
            raise ValidationFailed(
                "case.not_an_e_license", _("This material is not an e-license."), [{"field": "kind"}]
            )
        material.license_reference = license_reference.strip()[:120]
    else:
        raise ValidationFailed(
            "case.invalid_material_kind", _("Unknown kind of material."), [{"field": "kind"}]
        )
    case.materials.filter(requirement_key=requirement.key, superseded=False).update(superseded=True)
    material.save()
    audit_record(
        actor=actor,
        object_type="case",
        object_id=case.pk,
        action="material_received",
        payload={"key": requirement.key, "kind": kind, "sha256": material.sha256},
    )
    return material


@transaction.atomic
def case_submit(*, actor: Actor | None, case: Case, idempotency_key: str = "") -> Case:
    """Submit the application: it gets its number; where the domain receives on acceptance
    (收件即受理) a window's receipt of complete materials is acceptance at once."""
    case = _lock(case)
    if not (policies.is_applicant(actor, case) or policies.is_intake_clerk(actor, case)):
        raise NotFound("case.not_found", _("Case not found."))
    missing = materials_missing(case)
    if case.channel == Channel.ONLINE and missing.required:
        raise ValidationFailed(
            "case.materials_missing",
            _("Some required materials are missing."),
            [{"field": f"materials.{r.key}", "name": r.name} for r in missing.required],
        )
    _move(case, "submit", actor=actor)
    now = timezone.now()
    case.number = case_number_next(region_code=case.region.code, day=timezone.localdate(now))
    case.lookup_code = lookup_code_new()
    case.submitted_at = now
    case.save()
    notify_case_event(case, "submitted")
    if (
        case.channel in (Channel.WINDOW, Channel.ASSISTED)
        and not missing.required
        and not missing.deficiency_allowed
        and case.implementation.item.competent_department
        in getattr(settings, "ZWFW_ACCEPT_ON_RECEIPT_DOMAINS", [])
    ):
        _accept(case, actor=actor, deficiency_due_date=None, on_receipt=True)
    return case


# --- intake decisions --------------------------------------------------------------------------


def _require_clerk(actor: Actor | None, case: Case) -> None:
    if not policies.is_intake_clerk(actor, case):
        if policies.is_applicant(actor, case) or policies.is_staff_on(actor, case):
            raise _deny()
        raise NotFound("case.not_found", _("Case not found."))


def _accept(
    case: Case, *, actor: Actor | None, deficiency_due_date: datetime.date | None, on_receipt: bool
) -> None:
    today = timezone.localdate()
    content = case.version.content
    _move(
        case,
        "accept",
        actor=actor,
        payload={
            "on_receipt": on_receipt,
            "deficiency_due_date": deficiency_due_date.isoformat() if deficiency_due_date else None,
        },
    )
    case.accepted_at = timezone.now()
    case.accepted_on = today
    case.limit_days = content.get("promised_limit") or 0
    case.limit_unit = content.get("promised_limit_unit") or "working_days"
    case.deficiency_due_date = deficiency_due_date
    if case.first_contact is None and isinstance(actor, User):
        case.first_contact = actor
    clock_compute(case)
    case.save()
    CaseNotice.objects.create(
        case=case, kind=NoticeKind.ACCEPTANCE, issued_at=timezone.now(), issued_by=_user(actor)
    )
    if deficiency_due_date is not None:
        missing = materials_missing(case).deficiency_allowed
        CaseNotice.objects.create(
            case=case,
            kind=NoticeKind.DEFICIENCY,
            issued_at=timezone.now(),
            issued_by=_user(actor),
            items=[{"key": r.key, "name": r.name, "problem": "missing", "note": ""} for r in missing],
        )
    notify_case_event(case, "accepted")


@transaction.atomic
def case_accept(*, actor: Actor | None, case: Case, deficiency_due_date: datetime.date | None = None) -> Case:
    """Accept (受理). With only deficiency-allowed materials missing, accept with deficiency
    (容缺受理) against the applicant's promised date; required materials missing: refused."""
    case = _lock(case)
    _require_clerk(actor, case)
    if target_of("accept", case.state) is None:
        _move(case, "accept", actor=actor)  # raises the conflict
    missing = materials_missing(case)
    if missing.required:
        raise ValidationFailed(
            "case.materials_missing",
            _("Required materials are missing; issue a one-time notice instead."),
            [{"field": f"materials.{r.key}", "name": r.name} for r in missing.required],
        )
    if missing.deficiency_allowed and deficiency_due_date is None:
        raise ValidationFailed(
            "case.deficiency_date_required",
            _("Some materials are missing: give the date by which the applicant will supply them."),
            [{"field": "deficiency_due_date"}],
        )
    if deficiency_due_date is not None and deficiency_due_date <= timezone.localdate():
        raise ValidationFailed(
            "case.deficiency_date_past",
            _("The promised date must lie in the future."),
            [{"field": "deficiency_due_date"}],
        )
    _accept(
        case,
        actor=actor,
        deficiency_due_date=deficiency_due_date if missing.deficiency_allowed else None,
        on_receipt=False,
    )
    return case


@transaction.atomic
def case_request_correction(
    *, actor: Actor | None, case: Case, defects: list[dict[str, str]] | None = None, override_reason: str = ""
) -> CaseNotice:
    """Issue one 《一次性告知书》 listing every missing required material and every defect at once.

    A later notice may only raise defects of materials received after the first notice; raising
    anything else needs a supervisor's override with a reason (on the ledger).
    """
    case = _lock(case)
    if not policies.is_supervisor(actor, case):
        _require_clerk(actor, case)
    if target_of("request_correction", case.state) is None:
        _move(case, "request_correction", actor=actor)
    keys = {r.key: r for r in requirements(case)}
    on_file = materials_on_file(case)
    items: list[dict[str, str]] = []
    for requirement in materials_missing(case).required:
        items.append({"key": requirement.key, "name": requirement.name, "problem": "missing", "note": ""})
    for defect in defects or []:
        key = defect.get("key", "")
        if key not in keys:
            raise ValidationFailed(
                "case.unknown_material",
                _("This item does not ask for that material."),
                [{"field": "defects", "key": key}],
            )
        if key not in on_file:
            continue  # already listed as missing
        if not defect.get("note", "").strip():
            raise ValidationFailed(
                "case.defect_note_required",
                _("Say what is wrong with “%(name)s”.") % {"name": keys[key].name},
                [{"field": "defects", "key": key}],
            )
        items.append(
            {"key": key, "name": keys[key].name, "problem": "defective", "note": defect["note"].strip()}
        )
    if not items:
        raise ValidationFailed(
            "case.nothing_to_correct",
            _("Nothing is missing or defective: accept the application."),
            [{"field": "defects"}],
        )
    first = case.notices.filter(kind=NoticeKind.CORRECTION).order_by("issued_at").first()
    if first is not None:
        first_files = set(first.on_file)
        late = [i for i in items if not (i["key"] in on_file and on_file[i["key"]].pk not in first_files)]
        if late:
            if not policies.is_supervisor(actor, case):
                raise ValidationFailed(
                    "case.correction_not_first",
                    _("The first notice should have listed these; only a supervisor may add them now."),
                    [{"field": "defects", "key": i["key"], "name": i["name"]} for i in late],
                )
            if not override_reason.strip():
                raise ValidationFailed(
                    "case.override_reason_required",
                    _("Give the reason for the override."),
                    [{"field": "override_reason"}],
                )
    sequence = case.notices.filter(kind=NoticeKind.CORRECTION).count() + 1
    notice = CaseNotice.objects.create(
        case=case,
        kind=NoticeKind.CORRECTION,
        sequence=sequence,
        issued_at=timezone.now(),
        issued_by=_user(actor),
        items=items,
        on_file=[m.pk for m in on_file.values()],
        reason=override_reason.strip(),
    )
    _move(
        case,
        "request_correction",
        actor=actor,
        payload={
            "notice": notice.pk,
            "items": [i["key"] for i in items],
            "override": override_reason.strip(),
        },
    )
    case.save()
    from zwfw.bundles.services import bundle_child_correction_requested  # bundles build on cases

    bundle_child_correction_requested(case=case, actor=actor)
    notify_case_event(case, "correction_requested")
    return notice


@transaction.atomic
def case_resubmit(*, actor: Actor | None, case: Case) -> Case:
    """The applicant (or a clerk) hands in what the notice asked for."""
    case = _lock(case)
    if not (policies.is_applicant(actor, case) or policies.is_intake_clerk(actor, case)):
        raise NotFound("case.not_found", _("Case not found."))
    notice = case.notices.filter(kind=NoticeKind.CORRECTION).order_by("-issued_at").first()
    if notice is not None and case.state == CaseState.CORRECTION_REQUESTED:
        on_file = materials_on_file(case)
        before = set(notice.on_file)
        outstanding = [i for i in notice.items if i["key"] not in on_file or on_file[i["key"]].pk in before]
        if outstanding:
            raise ValidationFailed(
                "case.corrections_outstanding",
                _("Some requested materials are still missing."),
                [{"field": f"materials.{i['key']}", "name": i["name"]} for i in outstanding],
            )
    _move(case, "resubmit", actor=actor)
    case.save()
    return case


RIGHTS = (
    "如对本决定不服，可以在收到本通知之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼；"
    "在作出决定前，您有权进行陈述和申辩。"
)


@transaction.atomic
def case_reject_intake(*, actor: Actor | None, case: Case, reason: str) -> Case:
    """Refuse to accept (不予受理), stating the reason and the applicant's rights."""
    case = _lock(case)
    _require_clerk(actor, case)
    if not reason.strip():
        raise ValidationFailed("case.reason_required", _("Give the reason."), [{"field": "reason"}])
    _move(case, "reject_intake", actor=actor, payload={"reason": reason.strip()[:1000]})
    case.concluded_on = timezone.localdate()
    case.save()
    CaseNotice.objects.create(
        case=case,
        kind=NoticeKind.INTAKE_REJECTION,
        issued_at=timezone.now(),
        issued_by=_user(actor),
        reason=reason.strip(),
    )
    _bundle_child_decided(case, actor)
    notify_case_event(case, "intake_rejected")
    return case


# --- review, clock, decision -------------------------------------------------------------------


def _require_role(actor: Actor | None, case: Case, *roles: str) -> None:
    if Role.WINDOW_CLERK in roles and policies.is_intake_clerk(actor, case):
        return  # a general-window clerk of the venue hands over results for every stationed agency
    if not any(policies.has_agency_role(actor, case, role) for role in roles):
        if policies.is_applicant(actor, case) or policies.is_staff_on(actor, case):
            raise _deny()
        raise NotFound("case.not_found", _("Case not found."))


@transaction.atomic
def case_start_review(*, actor: Actor | None, case: Case) -> Case:
    """A reviewer of the handling agency takes the accepted case."""
    case = _lock(case)
    _require_role(actor, case, Role.REVIEWER, Role.APPROVER)
    _move(case, "start_review", actor=actor)
    case.save()
    return case


@transaction.atomic
def case_suspend(
    *,
    actor: Actor | None,
    case: Case,
    kind: str,
    reason: str,
    procedure: str = "",
    on: datetime.date | None = None,
) -> CasePause:
    """Pause the clock for a special procedure that does not count toward the limit, or while
    waiting for supplementary materials."""
    case = _lock(case)
    _require_role(actor, case, Role.REVIEWER, Role.APPROVER)
    day = on or timezone.localdate()
    if kind == PauseKind.SPECIAL_PROCEDURE:
        allowed = {
            p["name"]
            for p in case.version.content.get("special_procedures", [])
            if not p.get("counts_toward_limit")
        }
        if procedure not in allowed:
            raise ValidationFailed(
                "case.procedure_not_listed",
                _("Only a special procedure listed in the guide, outside the limit, pauses the clock."),
                [{"field": "procedure", "allowed": sorted(allowed)}],
            )
    elif kind != PauseKind.CORRECTION:
        raise ValidationFailed("case.invalid_pause_kind", _("Unknown kind of pause."), [{"field": "kind"}])
    if not reason.strip():
        raise ValidationFailed("case.reason_required", _("Give the reason."), [{"field": "reason"}])
    last = case.pauses.order_by("-started_on").first()
    if case.accepted_on is None or day < case.accepted_on or (last and last.ended_on and day < last.ended_on):
        raise ValidationFailed(
            "case.pause_date",
            _("A pause starts on or after acceptance and the previous pause."),
            [{"field": "on"}],
        )
    _move(case, "suspend", actor=actor, payload={"kind": kind, "procedure": procedure, "on": day.isoformat()})
    case.save()
    pause = CasePause.objects.create(
        case=case,
        kind=kind,
        procedure=procedure,
        reason=reason.strip(),
        started_on=day,
        started_by=_staff_user(actor),
    )
    notify_case_event(case, "suspended")
    return pause


@transaction.atomic
def case_resume(*, actor: Actor | None, case: Case, on: datetime.date | None = None) -> Case:
    """Restart the clock: the due date moves by exactly the paused days in (S, R]."""
    case = _lock(case)
    _require_role(actor, case, Role.REVIEWER, Role.APPROVER)
    pause = case.pauses.filter(ended_on__isnull=True).order_by("-started_on").first()
    day = on or timezone.localdate()
    if pause is not None and day < pause.started_on:
        raise ValidationFailed(
            "case.pause_date", _("A pause cannot end before it started."), [{"field": "on"}]
        )
    old_due = case.due_date
    _move(case, "resume", actor=actor, payload={"on": day.isoformat()})
    if pause is not None:
        from zwfw.core.calendar import between

        pause.ended_on = day
        pause.days = between(pause.started_on, day, case.limit_unit or "working_days").days
        pause.ended_by = _user(actor)
        pause.save()
    clock_compute(case)
    case.save()
    audit_record(
        actor=actor,
        object_type="case",
        object_id=case.pk,
        action="due_date_moved",
        payload={
            "from": old_due.isoformat() if old_due else None,
            "to": case.due_date.isoformat() if case.due_date else None,
            "paused_days": case.paused_days,
        },
    )
    notify_case_event(case, "resumed")
    return case


@transaction.atomic
def case_extend(*, actor: Actor | None, case: Case, days: int, reason: str) -> Case:
    """Extend the limit where the version allows it: an approver, a reason, at most the allowed days."""
    case = _lock(case)
    _require_role(actor, case, Role.APPROVER)
    content = case.version.content
    if not content.get("extension_allowed"):
        raise Conflict("case.extension_not_allowed", _("This item's limit cannot be extended."))
    limit = content.get("extension_limit") or 0
    if days <= 0 or case.extension_days + days > limit:
        raise ValidationFailed(
            "case.extension_too_long",
            _("The extension may total at most %(n)d days.") % {"n": limit},
            [{"field": "days"}],
        )
    if not reason.strip():
        raise ValidationFailed("case.reason_required", _("Give the reason."), [{"field": "reason"}])
    if case.state not in (CaseState.ACCEPTED, CaseState.UNDER_REVIEW, CaseState.SUSPENDED):
        raise Conflict(
            "case.illegal_transition", _("Only a running case can be extended."), {"state": case.state}
        )
    CaseExtension.objects.create(
        case=case,
        days=days,
        reason=reason.strip(),
        approved_by=_staff_user(actor),
        approved_at=timezone.now(),
    )
    case.extension_days += days
    clock_compute(case)
    case.save()
    audit_record(
        actor=actor,
        object_type="case",
        object_id=case.pk,
        action="extended",
        payload={"days": days, "due_date": case.due_date.isoformat() if case.due_date else None},
    )
    return case


@transaction.atomic
def case_decide(
    *,
    actor: Actor | None,
    case: Case,
    approved: bool,
    reasons: str,
    result_content: bytes | None = None,
    result_filename: str = "",
) -> Case:
    """Decide (准予 / 不予). An approver decides after review; a chief representative decides an
    instant item (即办件) or a commitment item (告知承诺) on the spot from acceptance."""
    case = _lock(case)
    from_acceptance = case.state == CaseState.ACCEPTED
    if from_acceptance:
        if not decidable_on_the_spot(case):
            raise Conflict(
                "case.review_required",
                _("This item is reviewed before it is decided."),
                {"state": case.state},
            )
        _require_role(actor, case, Role.CHIEF_REPRESENTATIVE, Role.APPROVER)
    else:
        _require_role(actor, case, Role.APPROVER)
    if not approved and not reasons.strip():
        raise ValidationFailed(
            "case.reason_required", _("A denial states its reasons."), [{"field": "reasons"}]
        )
    action = "approve" if approved else "deny"
    _move(case, action, actor=actor, payload={"reasons": reasons.strip()[:2000]})
    if approved and result_content:
        checked = check_upload(result_content, name=result_filename, field="result")
        case.result_file.save(f"{case.number}{checked.extension}", ContentFile(checked.content), save=False)
        case.result_name = case.version.content.get("result_name") or checked.safe_name
    case.decided_at = timezone.now()
    case.decided_by = _user(actor)
    case.decision_reasons = reasons.strip() if approved else reasons.strip() + "\n" + RIGHTS
    case.concluded_on = timezone.localdate()
    case.save()
    CaseNotice.objects.create(
        case=case,
        kind=NoticeKind.DECISION,
        issued_at=timezone.now(),
        issued_by=_user(actor),
        reason=case.decision_reasons,
    )
    if approved:
        from zwfw.licenses.services import license_issue_for_case  # licenses build on cases

        license_issue_for_case(case=case, actor=actor)
    _bundle_child_decided(case, actor)
    notify_case_event(case, "decided")
    return case


@transaction.atomic
def case_deliver(
    *,
    actor: Actor | None,
    case: Case,
    method: str,
    courier: str = "",
    tracking_number: str = "",
    address: str = "",
    recipient: str = "",
) -> Delivery:
    """Hand over the result: at a window, by post (courier and tracking number) or online.
    A result is not delivered while 容缺 materials are outstanding."""
    case = _lock(case)
    _require_role(actor, case, Role.WINDOW_CLERK, Role.APPROVER, Role.REVIEWER)
    if method not in DeliveryMethod.values:
        raise ValidationFailed("case.invalid_delivery", _("Unknown delivery method."), [{"field": "method"}])
    if method == DeliveryMethod.POST and not (
        courier.strip() and tracking_number.strip() and address.strip()
    ):
        raise ValidationFailed(
            "case.post_details_required",
            _("Give the courier, the tracking number and the address."),
            [{"field": f} for f in ("courier", "tracking_number", "address")],
        )
    if case.state == CaseState.APPROVED:
        outstanding = materials_missing(case)
        if outstanding.deficiency_allowed or outstanding.required:
            raise Conflict(
                "case.deficiency_outstanding",
                _("The result is held until the promised materials arrive."),
                [
                    {"key": r.key, "name": r.name}
                    for r in outstanding.deficiency_allowed + outstanding.required
                ],
            )
    from zwfw.bundles.services import bundle_delivery_check  # bundles build on cases

    bundle_delivery_check(case=case)  # a bundle delivering results together holds them until all conclude
    _move(
        case, "deliver", actor=actor, payload={"method": method, "tracking_number": tracking_number.strip()}
    )
    case.save()
    delivery = Delivery.objects.create(
        case=case,
        method=method,
        courier=courier.strip(),
        tracking_number=tracking_number.strip(),
        address=address.strip(),
        recipient=recipient.strip(),
        delivered_at=timezone.now(),
        delivered_by=_user(actor),
    )
    notify_case_event(case, "delivered")
    return delivery


@transaction.atomic
def case_close(*, actor: Actor | None, case: Case) -> Case:
    """Close a delivered case."""
    case = _lock(case)
    _require_role(actor, case, Role.WINDOW_CLERK, Role.APPROVER, Role.REVIEWER)
    _move(case, "close", actor=actor)
    case.save()
    return case


@transaction.atomic
def case_withdraw(*, actor: Actor | None, case: Case, reason: str = "") -> Case:
    """The applicant (or a clerk at their request) withdraws the application before the decision."""
    case = _lock(case)
    if not (policies.is_applicant(actor, case) or policies.is_intake_clerk(actor, case)):
        raise NotFound("case.not_found", _("Case not found."))
    _move(case, "withdraw", actor=actor, payload={"reason": reason.strip()[:1000]})
    case.concluded_on = timezone.localdate()
    case.save()
    _bundle_child_decided(case, actor)
    return case


def _bundle_child_decided(case: Case, actor: Actor | None) -> None:
    """A case that ends (decided, not accepted, withdrawn) may release or cancel others of its bundle."""
    from zwfw.bundles.services import bundle_child_decided  # bundles build on cases

    bundle_child_decided(case=case, actor=actor)


# --- idempotent online submission --------------------------------------------------------------


@dataclass(frozen=True)
class _IntakeVersion:
    """What intake needs of a published version, read once per process (versions and their
    material requirements are never changed after publication)."""

    field_names: tuple[str, ...]
    values: tuple[Any, ...]
    requirements: dict[str, MaterialRequirement]


@functools.lru_cache(maxsize=1024)
def _intake_version(version_id: int, content_hash: str) -> _IntakeVersion:
    """The version and its requirements; keyed by the content hash too, so a test database that
    reuses an id for other content is never served a stale entry."""
    version = ImplementationVersion.objects.get(pk=version_id)
    names = tuple(f.attname for f in ImplementationVersion._meta.concrete_fields)
    return _IntakeVersion(
        field_names=names,
        values=tuple(getattr(version, n) for n in names),
        requirements={
            r.key: r for r in MaterialRequirement.objects.filter(version_id=version_id).order_by("position")
        },
    )


def _loaded(model: type[M], **values: Any) -> M:
    """A model instance as the database would give it with only these fields loaded (the others
    are deferred: reading one fetches it)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(router.db_for_read(model), names, [values[n] for n in names])


@functools.cache
def _intake_sql() -> str:
    """One query for everything intake reads before writing: the published implementation with
    the names the answer shows, its version's content hash, the case an earlier request with the
    same idempotency key created (if any) and, on PostgreSQL, the id the new case will have
    (drawn from the table's own sequence, so the case, its materials and its first ledger event
    can go in one statement; an id drawn for a request that then creates nothing is skipped,
    as ids of rolled-back inserts are)."""
    q = connection.ops.quote_name

    def table(model: type[models.Model]) -> str:
        return q(model._meta.db_table)

    def col(model: type[models.Model], name: str) -> str:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field) and field.column  # noqa: S101 - concrete fields only
        return q(field.column)

    i, v = Implementation, ImplementationVersion
    new_id = "NULL"
    if connection.vendor == "postgresql":
        new_id = f"nextval(pg_get_serial_sequence('{Case._meta.db_table}', '{Case._meta.pk.column}'))"
    # Table and column names come from the models. Scalar subqueries rather than joins: the
    # same index lookups, at half the planning time of a five-table join.
    return (
        f"SELECT i.{col(i, 'id')}, i.{col(i, 'current_version')}, i.{col(i, 'agency')}, "  # noqa: S608 # nosec
        f"i.{col(i, 'region')}, i.{col(i, 'item')}, "
        f"(SELECT r.{col(Region, 'code')} FROM {table(Region)} r WHERE r.{col(Region, 'id')} = i.{col(i, 'region')}), "
        f"(SELECT a.{col(Agency, 'name')} FROM {table(Agency)} a WHERE a.{col(Agency, 'id')} = i.{col(i, 'agency')}), "
        f"(SELECT s.{col(ServiceItem, 'name')} FROM {table(ServiceItem)} s "
        f"WHERE s.{col(ServiceItem, 'id')} = i.{col(i, 'item')}), "
        f"(SELECT v.{col(v, 'content_hash')} FROM {table(v)} v WHERE v.{col(v, 'id')} = i.{col(i, 'current_version')}), "
        f"(SELECT c.{col(Case, 'id')} FROM {table(Case)} c WHERE c.{col(Case, 'idempotency_owner')} = %s "
        f"AND c.{col(Case, 'idempotency_key')} = %s AND c.{col(Case, 'idempotency_key')} <> ''), "
        f"{new_id} "
        f"FROM {table(i)} i "
        f"WHERE i.{col(i, 'id')} = %s AND i.{col(i, 'status')} = %s AND i.{col(i, 'current_version')} IS NOT NULL"
    )


def _material_names(checked: dict[str, CheckedUpload]) -> dict[str, str]:
    """New, random storage names for material files (``cases/YYYY/MM/<64 random bits>-<key>.<ext>``)."""
    field = CaseMaterial._meta.get_field("file")
    assert isinstance(field, models.FileField)  # noqa: S101 - narrows the type
    folder = posixpath.dirname(field.generate_filename(None, "name"))  # this month's, as Django makes it
    storage = field.storage
    return {
        key: posixpath.join(folder, storage.get_valid_name(f"{secrets.token_hex(8)}-{key}{upload.extension}"))
        for key, upload in checked.items()
    }


IDEMPOTENCY_KEY_MAX = Case._meta.get_field("idempotency_key").max_length or 100


def case_apply_idempotent(
    *,
    actor: Actor | None,
    implementation_id: int,
    idempotency_key: str,
    materials: list[dict[str, Any]],
    form_data: dict[str, Any] | None = None,
    enterprise: Enterprise | None = None,
    contact_phone: str = "",
) -> tuple[Case, bool]:
    """Apply online in one step, exactly once per key: check every file, then create the case
    already submitted with its number, its materials and one ledger event, all or nothing.

    Returns ``(case, created)``; a retry with the same key (even a concurrent one) returns the
    first case unchanged. An implementation that is not published is NotFound.

    This is the intake hot path (docs/cases.md, "Idempotent submission"): one query reads the
    implementation, any earlier case of the key and the new case's id. On PostgreSQL, outside a
    caller's transaction, two statements follow: the number, drawn and committed on its own
    (zwfw/cases/numbers.py; a submission that then fails leaves its number unused), and one
    INSERT, atomic by itself, of the case, its materials, the materials' files (staged in the
    database until a queued flush writes them to storage), its ledger event and chain head, and
    the rows of the notification and flush tasks. Elsewhere the same rows are written in one
    transaction with the number drawn inside it.
    """
    user = _user(actor)
    if user is None:
        raise PermissionDenied("auth.required", _("Please log in first."))
    key = idempotency_key.strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:  # cut, two different keys could name one case
        raise ValidationFailed(
            "case.idempotency_key_too_long",
            _("The Idempotency-Key header may have at most %(n)d characters.") % {"n": IDEMPOTENCY_KEY_MAX},
            [{"field": "Idempotency-Key"}],
        )
    contact_phone = _contact_phone(contact_phone)
    owner = f"user:{user.pk}"
    with prepared_cursor() as cursor:
        cursor.execute(_intake_sql(), [owner, key, implementation_id, ImplementationStatus.PUBLISHED])
        found = cursor.fetchone()
    if found is None:
        raise NotFound("catalog.guide_not_found", _("This guide does not exist or is no longer published."))
    (
        impl_id,
        version_id,
        agency_id,
        region_id,
        item_id,
        region_code,
        agency_name,
        item_name,
        content_hash,
        existing,
        new_id,
    ) = found
    if not key:
        raise ValidationFailed(
            "case.idempotency_key_required",
            _("The Idempotency-Key header is required."),
            [{"field": "Idempotency-Key"}],
        )
    if existing is not None:
        return Case.objects.get(pk=existing), False
    intake = _intake_version(version_id, content_hash)
    version = ImplementationVersion.from_db(
        router.db_for_read(ImplementationVersion), intake.field_names, intake.values
    )
    implementation = _loaded(
        Implementation,
        id=impl_id,
        status=ImplementationStatus.PUBLISHED,
        current_version_id=version_id,
        agency_id=agency_id,
        region_id=region_id,
        item_id=item_id,
    )
    implementation.item = _loaded(ServiceItem, id=item_id, name=item_name)
    implementation.agency = _loaded(Agency, id=agency_id, name=agency_name)
    implementation.region = _loaded(Region, id=region_id, code=region_code)
    implementation.current_version = version
    serves = version.content.get("service_objects") or []
    if enterprise is None and user.enterprise_id and ("legal_person" in serves or user.person_id is None):
        enterprise = user.enterprise
    if enterprise is not None and user.enterprise_id != enterprise.pk:
        raise _deny()
    person_id = None if enterprise is not None else user.person_id
    if person_id is None and enterprise is None:
        raise ValidationFailed(
            "case.applicant_required",
            _("Say who applies (a person or an enterprise)."),
            [{"field": "applicant"}],
        )
    if enterprise is None and serves and "person" not in serves:
        raise ValidationFailed(
            "case.wrong_applicant",
            _("This item is for enterprises and organisations."),
            [{"field": "applicant"}],
        )
    wanted = intake.requirements
    checked: dict[str, CheckedUpload] = {}
    for material in materials:
        requirement_key = material.get("requirement_key", "")
        if requirement_key not in wanted:
            raise ValidationFailed(
                "case.unknown_material",
                _("This item does not ask for that material."),
                [{"field": f"material.{requirement_key}"}],
            )
        checked[requirement_key] = check_upload(
            material.get("content") or b"",
            name=material.get("filename", ""),
            field=f"material.{requirement_key}",
        )
    missing = [r for r in wanted.values() if r.necessity == "required" and r.key not in checked]
    if missing:
        raise ValidationFailed(
            "case.materials_missing",
            _("Some required materials are missing."),
            [{"field": f"materials.{r.key}", "name": r.name} for r in missing],
        )
    now = timezone.now()
    stored = _material_names(checked)
    # The files go into the database with the case (zwfw/core/staging.py): durable with its
    # COMMIT, and a submission that fails leaves no file anywhere.
    staged = [StagedFile(name=stored[key], content=upload.content) for key, upload in checked.items()]
    from zwfw.cases.tasks import case_event_notify_task  # tasks build on these services

    # On PostgreSQL the case and everything with it is one INSERT statement, atomic by itself:
    # outside a transaction it needs no BEGIN and COMMIT of its own, and the number is drawn
    # before it, committed at once (zwfw/cases/numbers.py), so concurrent submissions do not
    # queue on the day's sequence row while each one's commit reaches the disk.
    one_statement = (
        connection.vendor == "postgresql"
        and new_id is not None
        and not connection.in_atomic_block
        and task_rows_possible(case_event_notify_task)
        and task_rows_possible(staged_flush_task)
    )
    try:
        with contextlib.nullcontext() if one_statement else transaction.atomic():
            case = Case(
                id=new_id,
                number=case_number_next(region_code=region_code, day=timezone.localdate(now)),
                implementation=implementation,
                version=version,
                agency=implementation.agency,
                region=implementation.region,
                applicant_person_id=person_id,
                applicant_enterprise=enterprise,
                applicant_user=user,
                channel=Channel.ONLINE,
                state=CaseState.SUBMITTED,
                form_data=form_data or {},
                contact_phone=contact_phone,
                submitted_at=now,
                lookup_code=lookup_code_new(),
                idempotency_owner=owner,
                idempotency_key=key,
            )
            if case.pk is None:
                insert_rows([case])  # the database draws the id, which the ledger event names
            rows = [
                CaseMaterial(
                    case_id=case.pk,  # by key: the answer reads the materials, never their case
                    requirement_key=requirement_key,
                    name=wanted[requirement_key].name,
                    kind=MaterialKind.UPLOAD,
                    file=stored[requirement_key],
                    original_name=upload.safe_name,
                    content_type=upload.content_type,
                    size=upload.size,
                    sha256=upload.sha256,
                    received_by_id=user.pk,
                )
                for requirement_key, upload in checked.items()
            ]
            event, head = audit_first_rows(
                actor=actor,
                object_type="case",
                object_id=case.pk,
                action="submit",
                payload={
                    "from": CaseState.DRAFT,
                    "to": CaseState.SUBMITTED,
                    "channel": Channel.ONLINE,
                    "implementation": impl_id,
                    "version": version.number,
                    "number": case.number,
                    "materials": {k: u.sha256 for k, u in checked.items()},
                },
            )
            # The "submitted" notification and the flush of the staged files: their task rows
            # go in the same statement (an outbox: they exist exactly when the case does).
            notify = task_row(case_event_notify_task, case_id=case.pk, event="submitted")
            flush = task_row(staged_flush_task, names=list(stored.values())) if staged else None
            # A concurrent first request with this key: IntegrityError on the case row.
            insert_rows(
                [case] if case._state.adding else [],
                rows,
                staged,
                [event],
                [head],
                [t.row for t in (notify, flush) if t is not None],
            )
            if notify is None:
                case_event_notify_task.enqueue(case_id=case.pk, event="submitted")
            if staged and flush is None:
                staged_flush_task.enqueue(names=list(stored.values()))
    except IntegrityError:
        first = Case.objects.filter(idempotency_owner=owner, idempotency_key=key).first()
        if first is None:
            raise
        return first, False
    for queued in (notify, flush):
        if queued is not None:
            queued.enqueued()
    case.prefetched_materials = rows  # type: ignore[attr-defined]
    return case, True
