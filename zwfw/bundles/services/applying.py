"""Applying for a bundle: one ``BundleCase`` and one child case per applicable item, in one
transaction, and answering a correction request of any child from the bundle.

Each child gets only its own fields (by its item's field names) and only the materials its
implementation asks for. A material uploaded once is stored once (``BundleMaterial``); every
child that needs it gets its own ``CaseMaterial`` row pointing to the same stored file name
(never copied; files are never deleted while a case references them). A child that needs
another's result is created in the same transaction but stays a draft, invisible to its agency,
until ``hooks.bundle_child_decided`` starts it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zwfw.bundles import selectors
from zwfw.bundles.content import BundleItem
from zwfw.bundles.merge import MergedField, MergedForm
from zwfw.bundles.models import (
    Bundle,
    BundleCase,
    BundleChild,
    BundleChildState,
    BundleMaterial,
)
from zwfw.cases import services as case_services
from zwfw.cases.models import Case, CaseMaterial, CaseState, Channel, MaterialKind, NoticeKind
from zwfw.catalog.models import Implementation
from zwfw.core.calendar import due_date
from zwfw.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from zwfw.core.identifiers import parse_id_number
from zwfw.core.ledger import audit_record
from zwfw.core.uploads import CheckedUpload, check_upload
from zwfw.identity.models import User
from zwfw.identity.selectors import Actor

PHONE = re.compile(r"^\+?[0-9][0-9-]{6,19}$")


def _check_value(spec: MergedField, raw: object) -> tuple[str, dict[str, str] | None]:
    """The cleaned answer of one merged field, or the problem with it."""
    value = str(raw if raw is not None else "").strip()
    field = f"fields.{spec.concept}"
    if not value:
        if spec.required:
            return "", {
                "field": field,
                "code": "bundles.field_required",
                "message": _("Answer this question."),
            }
        return "", None
    problem: str | None = None
    if len(value) > spec.max_length:
        problem = _("The answer is too long.")
    elif spec.type == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            problem = _("Give a date as YYYY-MM-DD.")
    elif spec.type == "number":
        try:
            float(value)
        except ValueError:
            problem = _("Give a number.")
    elif spec.type == "id_number":
        try:
            value = parse_id_number(value, field=field).value
        except ValidationFailed as exc:
            problem = str(exc.message)
    elif spec.type == "phone" and not PHONE.match(value):
        problem = _("Give a phone number.")
    elif spec.type == "choice" and value not in spec.choices:
        problem = _("Choose one of the options.")
    if problem:
        return "", {"field": field, "code": "bundles.field_invalid", "message": problem}
    return value, None


def _check_answers(questions: list[str], answers: Mapping[str, object]) -> dict[str, bool]:
    problems = [
        {"field": f"answers.{q}", "code": "bundles.answer_required"}
        for q in questions
        if not isinstance(answers.get(q), bool)
    ]
    if problems:
        raise ValidationFailed(
            "bundles.answers_missing", _("Answer every question about your situation."), problems
        )
    return {q: bool(answers[q]) for q in questions}


def _check_form(
    form: MergedForm, values: Mapping[str, object], uploads: Mapping[str, tuple[bytes, str]]
) -> tuple[dict[str, str], dict[str, CheckedUpload]]:
    """Every problem of the merged form at once; the cleaned values and checked uploads."""
    problems: list[dict[str, str]] = []
    clean: dict[str, str] = {}
    known = {f.concept for f in form.fields}
    for key in values:
        if key not in known:
            problems.append(
                {"field": f"fields.{key}", "code": "bundles.unknown_field", "message": _("Unknown question.")}
            )
    for spec in form.fields:
        value, problem = _check_value(spec, values.get(spec.concept))
        if problem:
            problems.append(problem)
        elif value:
            clean[spec.concept] = value
    checked: dict[str, CheckedUpload] = {}
    wanted = {m.key: m for m in form.materials}
    for key, (content, filename) in uploads.items():
        if key not in wanted:
            problems.append(
                {
                    "field": f"materials.{key}",
                    "code": "bundles.unknown_material",
                    "message": _("This bundle does not ask for that material."),
                }
            )
            continue
        try:
            checked[key] = check_upload(content, name=filename, field=f"materials.{key}")
        except ValidationFailed as exc:
            problems.append({"field": f"materials.{key}", "code": exc.code, "message": str(exc.message)})
    for material in form.materials:
        if material.required and material.key not in uploads:
            problems.append(
                {
                    "field": f"materials.{material.key}",
                    "code": "bundles.material_missing",
                    "name": material.name,
                    "message": _("Upload this material."),
                }
            )
    if problems:
        raise ValidationFailed(
            "bundles.form_invalid", _("Some answers or materials are missing or invalid."), problems
        )
    return clean, checked


def _store(
    bundle_case: BundleCase, key: str, name: str, upload: CheckedUpload, stored: list[str]
) -> BundleMaterial:
    """Store one uploaded material once (remembering the file, to remove it if the transaction fails)."""
    material = BundleMaterial(
        bundle_case=bundle_case,
        key=key,
        name=name,
        original_name=upload.safe_name,
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
    )
    from django.core.files.base import ContentFile

    material.file.save(
        f"{bundle_case.number}-{key}{upload.extension}", ContentFile(upload.content), save=False
    )
    stored.append(material.file.name)
    material.save()
    return material


def _attach(case: Case, *, requirement_key: str, name: str, material: BundleMaterial, user: User) -> None:
    """Give a child case its own material row for a file stored once for the bundle."""
    row = CaseMaterial.objects.create(
        case=case,
        requirement_key=requirement_key,
        name=name,
        kind=MaterialKind.UPLOAD,
        file=material.file.name,
        original_name=material.original_name,
        content_type=material.content_type,
        size=material.size,
        sha256=material.sha256,
        received_by=user,
    )
    audit_record(
        actor=user,
        object_type="case",
        object_id=case.pk,
        action="material_received",
        payload={
            "key": requirement_key,
            "kind": MaterialKind.UPLOAD,
            "sha256": row.sha256,
            "bundle_material": material.pk,
        },
    )


def _child_create(
    *,
    user: User,
    bundle_case: BundleCase,
    item: BundleItem,
    implementation: Implementation,
    position: int,
    form: MergedForm,
    values: Mapping[str, str],
    materials: Mapping[str, BundleMaterial],
    applicable: set[str],
) -> BundleChild:
    """Create one child case with only its fields and materials; start it unless it must wait."""
    form_data = {spec.name: values[spec.concept] for spec in item.fields if spec.concept in values}
    case = case_services.case_create(
        actor=user,
        implementation=implementation,
        channel=Channel.ONLINE,
        person=bundle_case.applicant_person,
        enterprise=bundle_case.applicant_enterprise,
        form_data=form_data,
        contact_phone=bundle_case.contact_phone,
    )
    for merged in form.materials:
        stored = materials.get(merged.key)
        if stored is None:
            continue
        for ref in merged.targets:
            if ref.item == item.key:
                _attach(case, requirement_key=ref.key, name=ref.name, material=stored, user=user)
    depends = [d.item for d in item.depends_on if d.item in applicable]
    child = BundleChild.objects.create(
        bundle_case=bundle_case,
        case=case,
        item_key=item.key,
        position=position,
        depends_on=depends,
        state=BundleChildState.WAITING if depends else BundleChildState.STARTED,
        started_at=None if depends else timezone.now(),
    )
    if not depends:
        case_services.case_submit(actor=user, case=case)
    return child


def bundle_apply(
    *,
    actor: Actor | None,
    bundle: Bundle,
    answers: Mapping[str, object],
    values: Mapping[str, object],
    uploads: Mapping[str, tuple[bytes, str]],
    contact_phone: str = "",
) -> BundleCase:
    """Apply for a bundle online: check the answers, the merged form and every file first, then
    create the bundle case and all its child cases in one transaction (all or nothing)."""
    if not isinstance(actor, User):
        raise PermissionDenied("auth.required", _("Please log in first."))
    version = bundle.current_version
    if version is None:
        raise NotFound("bundles.not_found", _("Bundle not found."))
    content = selectors.version_content(version)
    clean_answers = _check_answers([q.key for q in content.questions], answers)
    form = selectors.bundle_form(version=version, answers=clean_answers)
    if not form.items:
        raise ValidationFailed(
            "bundles.nothing_applies", _("None of the bundle's items applies to your situation."), []
        )
    impls = selectors.version_implementations(version)
    unavailable = [i.key for i in form.items if i.key not in impls]
    if unavailable:
        raise NotFound(
            "bundles.item_unavailable",
            _("Some items of this bundle cannot be applied for at the moment."),
            [{"item": k} for k in unavailable],
        )
    enterprise = actor.enterprise if content.subject == "legal_person" else None
    if content.subject == "legal_person" and enterprise is None:
        raise ValidationFailed(
            "bundles.enterprise_required", _("This bundle is applied for by an enterprise account."), []
        )
    clean, checked = _check_form(form, values, uploads)
    stored: list[str] = []
    try:
        return _create(
            user=actor,
            bundle=bundle,
            form=form,
            answers=clean_answers,
            values=clean,
            checked=checked,
            impls=impls,
            enterprise_id=enterprise.pk if enterprise else None,
            contact_phone=contact_phone.strip()[:20],
            stored=stored,
        )
    except BaseException:
        for name in stored:  # the rows are gone with the transaction: remove their files too
            default_storage.delete(name)
        raise


@transaction.atomic
def _create(
    *,
    user: User,
    bundle: Bundle,
    form: MergedForm,
    answers: dict[str, bool],
    values: dict[str, str],
    checked: dict[str, CheckedUpload],
    impls: Mapping[str, Implementation],
    enterprise_id: int | None,
    contact_phone: str,
    stored: list[str],
) -> BundleCase:
    """The one transaction of ``bundle_apply``."""
    version = bundle.current_version
    assert version is not None
    content = selectors.version_content(version)
    now = timezone.now()
    today = timezone.localdate(now)
    due = due_date(today, content.promised_limit, content.promised_limit_unit)
    bundle_case = BundleCase.objects.create(
        number=f"pending-{now:%Y%m%d%H%M%S%f}-{user.pk}",
        bundle=bundle,
        version=version,
        applicant_user=user,
        applicant_person_id=user.person_id if enterprise_id is None else None,
        applicant_enterprise_id=enterprise_id,
        answers=answers,
        form_data=values,
        contact_phone=contact_phone,
        submitted_at=now,
        submitted_on=today,
        due_date=due.due,
        provisional=due.provisional,
    )
    bundle_case.number = f"YJS-{bundle.region.code}-{today:%Y%m%d}-{bundle_case.pk:05d}"
    bundle_case.save(update_fields=["number"])
    materials = {
        key: _store(bundle_case, key, next(m.name for m in form.materials if m.key == key), upload, stored)
        for key, upload in checked.items()
    }
    applicable = {i.key for i in form.items}
    children = [
        _child_create(
            user=user,
            bundle_case=bundle_case,
            item=item,
            implementation=impls[item.key],
            position=position,
            form=form,
            values=values,
            materials=materials,
            applicable=applicable,
        )
        for position, item in enumerate(form.items)
    ]
    audit_record(
        actor=user,
        object_type="bundle_case",
        object_id=bundle_case.pk,
        action="submitted",
        new_object=True,
        payload={
            "number": bundle_case.number,
            "bundle": bundle.code,
            "version": version.number,
            "children": {c.item_key: c.case_id for c in children},
            "waiting": [c.item_key for c in children if c.state == BundleChildState.WAITING],
            "materials": {k: m.sha256 for k, m in materials.items()},
            "due_date": bundle_case.due_date.isoformat(),
        },
    )
    return bundle_case


def _requested_keys(case: Case) -> set[str]:
    notice = case.notices.filter(kind=NoticeKind.CORRECTION).order_by("-issued_at").first()
    return {i["key"] for i in notice.items} if notice is not None else set()


def bundle_correction_answer(
    *, actor: Actor | None, bundle_case: BundleCase, key: str, content: bytes, filename: str
) -> list[Case]:
    """Answer a correction request from the bundle: one upload of a merged material reaches every
    child whose open notice asks for it; a child with nothing left outstanding is resubmitted.
    Returns the children resubmitted."""
    if not isinstance(actor, User) or bundle_case.applicant_user_id != actor.pk:
        raise NotFound("bundles.case_not_found", _("Bundle application not found."))
    content_model = selectors.version_content(bundle_case.version)
    items = {i.key: i for i in content_model.items}
    targets: list[tuple[Case, str]] = []
    for child in bundle_case.children.select_related("case"):
        if child.case.state != CaseState.CORRECTION_REQUESTED:
            continue
        item = items.get(child.item_key)
        for requirement_key in sorted(_requested_keys(child.case)):
            mapped = item.material_map.get(requirement_key, requirement_key) if item else requirement_key
            if mapped == key:
                targets.append((child.case, requirement_key))
    if not targets:
        raise ValidationFailed(
            "bundles.material_not_requested",
            _("No correction notice of this application asks for that material."),
            [{"field": f"materials.{key}"}],
        )
    resubmitted: list[Case] = []
    with transaction.atomic():
        for case, requirement_key in targets:
            case_services.case_material_add(
                actor=actor, case=case, requirement_key=requirement_key, content=content, filename=filename
            )
        audit_record(
            actor=actor,
            object_type="bundle_case",
            object_id=bundle_case.pk,
            action="correction_answered",
            payload={"key": key, "cases": [c.pk for c, _k in targets]},
        )
        for case in {c.pk: c for c, _k in targets}.values():
            try:
                with transaction.atomic():
                    resubmitted.append(case_services.case_resubmit(actor=actor, case=case))
            except DomainError as exc:
                if exc.code != "case.corrections_outstanding":
                    raise
    return resubmitted
