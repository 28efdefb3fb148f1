"""Writes of the catalog: items, implementation drafts, adjustments (动态调整) and publication.

Every function checks the actor's role and scope, runs in one transaction and writes the ledger.
Publication writes an immutable ``ImplementationVersion`` and enqueues, in the same transaction,
the push to the national platform.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from zwfw.catalog import checks, hooks
from zwfw.catalog.content import ImplementationContent
from zwfw.catalog.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    ExerciseLevel,
    Implementation,
    ImplementationStatus,
    ImplementationVersion,
    ItemLayer,
    ItemType,
    MaterialRequirement,
    ServiceItem,
)
from zwfw.core.errors import Conflict, PermissionDenied, ValidationFailed, schema_error_details
from zwfw.core.ledger import audit_record
from zwfw.core.models import Agency, AgencyKind, Region
from zwfw.identity.models import Role, User
from zwfw.identity.selectors import actor_scope, role_region_prefixes

Actor = AbstractBaseUser | AnonymousUser | None


# --- permissions -------------------------------------------------------------------------------


def can_edit_catalog(actor: Actor, region: Region) -> bool:
    """A catalog administrator whose region covers ``region`` may edit its catalog."""
    return actor_scope(actor).has_role(Role.CATALOG_ADMIN, region=region)


def can_review_region(actor: Actor, region: Region) -> bool:
    """The region's 政务服务部门 reviews its catalog (implementations and bundles): a catalog admin
    of a service administration at or above the region."""
    if actor_scope(actor).is_superuser:
        return True
    prefixes = role_region_prefixes(
        actor=actor, role=Role.CATALOG_ADMIN, agency_kind=AgencyKind.SERVICE_ADMINISTRATION
    )
    return bool(prefixes & set(_ancestor_prefixes(region)))


def can_review(actor: Actor, implementation: Implementation) -> bool:
    """Whether the actor may review adjustments of this implementation."""
    return can_review_region(actor, implementation.region)


def _user(actor: Actor) -> User:
    """The acting user (services that reach this have checked a role, so it is a real user)."""
    if not isinstance(actor, User):
        raise PermissionDenied("catalog.forbidden", _("Please log in with a staff account."))
    return actor


def _ancestor_prefixes(region: Region) -> list[str]:
    prefixes = []
    node: Region | None = region
    while node is not None:
        prefixes.append(node.prefix)
        node = node.parent
    return prefixes


def _require_editor(actor: Actor, region: Region) -> None:
    if not can_edit_catalog(actor, region):
        raise PermissionDenied(
            "catalog.forbidden", _("Only a catalog administrator of this region may do this.")
        )


# --- content parsing ---------------------------------------------------------------------------


def content_parse(data: dict[str, Any]) -> ImplementationContent:
    """Validate a draft's shape; every bad field is reported at once (code ``catalog.invalid``)."""
    try:
        return ImplementationContent.model_validate(data)
    except SchemaError as exc:
        details = schema_error_details(exc.errors())
        raise ValidationFailed(
            "catalog.invalid", _("Some elements are missing or invalid."), details
        ) from exc


def content_dump(content: ImplementationContent) -> dict[str, Any]:
    """The JSON form stored in drafts and versions."""
    return content.model_dump(mode="json")


def uniform_of(item: ServiceItem) -> dict[str, Any]:
    """The uniform elements of 五级十二同, as the catalog entry defines them."""
    values = {
        "name": item.name,
        "base_code": item.base_code,
        "item_type": item.item_type,
        "competent_department": item.competent_department,
        "exercised_levels": list(item.exercised_levels),
        "legal_basis": item.legal_basis,
    }
    return {key: values[key] for key in checks.uniform_elements() if key in values}


def standard_for(implementation: Implementation) -> ImplementationContent | None:
    """The province's standard: the published version of the same item in the nearest region above."""
    node = implementation.region.parent
    while node is not None:
        found = (
            Implementation.objects.filter(
                item=implementation.item, region=node, current_version__isnull=False
            )
            .select_related("current_version")
            .first()
        )
        if found is not None and found.current_version is not None:
            return ImplementationContent.model_validate(found.current_version.content)
        node = node.parent
    return None


def implementation_failures(
    implementation: Implementation, content: ImplementationContent
) -> list[dict[str, str]]:
    """Publication and consistency failures of a content for this implementation."""
    failures = checks.publication_failures(content, item_type=implementation.item.item_type)
    standard = standard_for(implementation)
    if standard is not None:
        failures += checks.consistency_failures(content, standard=standard)
    return [f.as_dict() for f in failures]


# --- items -------------------------------------------------------------------------------------


@transaction.atomic
def service_item_create(
    *,
    actor: Actor,
    region: Region,
    base_code: str,
    name: str,
    item_type: str,
    legal_basis: str,
    competent_department: str,
    exercised_levels: list[str],
    layer: str = ItemLayer.MAIN,
    parent: ServiceItem | None = None,
    situation: str = "",
    planned_effective_date: datetime.date | None = None,
) -> ServiceItem:
    """Add a 基本目录 entry; the caller must be a catalog administrator of the catalog's region."""
    _require_editor(actor, region)
    problems = []
    if not name.strip():
        problems.append({"field": "name", "message": _("Give the item's name.")})
    if not base_code.strip():
        problems.append({"field": "base_code", "message": _("Give the item's base code.")})
    if item_type not in ItemType.values:
        problems.append({"field": "item_type", "message": _("Unknown item type.")})
    bad_levels = [lv for lv in exercised_levels if lv not in ExerciseLevel.values]
    if bad_levels or not exercised_levels:
        problems.append(
            {"field": "exercised_levels", "message": _("Give the levels that exercise the item.")}
        )
    if not legal_basis.strip() and item_type != ItemType.PUBLIC_SERVICE:
        problems.append(
            {"field": "legal_basis", "message": _("An administrative power item needs its legal basis.")}
        )
    if layer != ItemLayer.MAIN and parent is None:
        problems.append(
            {"field": "parent", "message": _("A sub-item or handling item needs its parent item.")}
        )
    if problems:
        raise ValidationFailed("catalog.item_invalid", _("The catalog entry is incomplete."), problems)
    if ServiceItem.objects.filter(base_code=base_code).exists():
        raise Conflict(
            "catalog.item_code_taken",
            _("Base code %(code)s is already in the catalog.") % {"code": base_code},
            [{"field": "base_code"}],
        )
    item = ServiceItem.objects.create(
        region=region,
        base_code=base_code.strip(),
        name=name.strip(),
        item_type=item_type,
        legal_basis=legal_basis,
        competent_department=competent_department,
        exercised_levels=exercised_levels,
        layer=layer,
        parent=parent,
        situation=situation,
        planned_effective_date=planned_effective_date,
    )
    audit_record(
        actor=actor,
        object_type="service_item",
        object_id=item.pk,
        action="created",
        payload={"base_code": item.base_code, "name": item.name},
    )
    return item


# --- implementations and drafts ----------------------------------------------------------------


@transaction.atomic
def implementation_create(
    *,
    actor: Actor,
    item: ServiceItem,
    agency: Agency,
    code: str | None = None,
    draft: dict[str, Any] | None = None,
) -> Implementation:
    """Start a new implementation of an item by an agency in the agency's region (a draft)."""
    region = agency.region
    _require_editor(actor, region)
    if Implementation.objects.filter(item=item, agency=agency, region=region).exists():
        raise Conflict(
            "catalog.implementation_exists",
            _("%(agency)s already implements this item.") % {"agency": agency.name},
        )
    code = (code or f"{item.base_code}-{region.code}-{agency.pk}").strip()
    if Implementation.objects.filter(code=code).exists():
        raise Conflict(
            "catalog.implementation_code_taken",
            _("Implementation code %(code)s is taken.") % {"code": code},
            [{"field": "code"}],
        )
    content = content_parse(draft or {})
    implementation = Implementation(
        item=item,
        agency=agency,
        region=region,
        code=code,
        draft=content_dump(content),
        draft_updated_at=timezone.now(),
    )
    implementation.draft_failures = [f["code"] for f in implementation_failures(implementation, content)]
    implementation.search_name = item.name
    implementation.item_type = item.item_type
    implementation.save()
    audit_record(
        actor=actor,
        object_type="implementation",
        object_id=implementation.pk,
        action="created",
        payload={"code": code, "item": item.base_code, "agency": agency.pk},
    )
    return implementation


@transaction.atomic
def implementation_update_draft(
    *, actor: Actor, implementation: Implementation, draft: dict[str, Any]
) -> list[dict[str, str]]:
    """Save the draft's elements; returns the publication-check failures it still has."""
    implementation = Implementation.objects.select_for_update().get(pk=implementation.pk)
    _require_editor(actor, implementation.region)
    if implementation.status == ImplementationStatus.CANCELLED:
        raise Conflict("catalog.cancelled", _("A cancelled implementation cannot be edited."))
    if _open_adjustment(implementation) is not None:
        raise Conflict(
            "catalog.under_review", _("The draft is under review; withdraw the adjustment before editing it.")
        )
    content = content_parse(draft)
    failures = implementation_failures(implementation, content)
    before = implementation.draft
    implementation.draft = content_dump(content)
    implementation.draft_failures = [f["code"] for f in failures]
    implementation.draft_updated_at = timezone.now()
    implementation.save(update_fields=["draft", "draft_failures", "draft_updated_at"])
    changed = sorted(k for k in implementation.draft if before.get(k) != implementation.draft.get(k))
    audit_record(
        actor=actor,
        object_type="implementation",
        object_id=implementation.pk,
        action="draft_saved",
        payload={"changed": changed},
    )
    return failures


def _open_adjustment(implementation: Implementation) -> Adjustment | None:
    return implementation.adjustments.filter(
        status__in=[AdjustmentStatus.SUBMITTED, AdjustmentStatus.APPROVED]
    ).first()


# --- adjustments (动态调整) ----------------------------------------------------------------------


@transaction.atomic
def adjustment_submit(*, actor: Actor, implementation: Implementation, kind: str, reason: str) -> Adjustment:
    """Submit the draft (add/change) or a cancellation for review, with its reason."""
    implementation = Implementation.objects.select_for_update().get(pk=implementation.pk)
    _require_editor(actor, implementation.region)
    if kind not in AdjustmentKind.values:
        raise ValidationFailed("catalog.adjustment_kind", _("Unknown adjustment kind."), [{"field": "kind"}])
    if not reason.strip():
        raise ValidationFailed(
            "catalog.reason_required", _("Give the reason for the adjustment."), [{"field": "reason"}]
        )
    if _open_adjustment(implementation) is not None:
        raise Conflict(
            "catalog.adjustment_open", _("An adjustment of this implementation is already under review.")
        )
    published = implementation.current_version is not None
    if kind == AdjustmentKind.ADD and published:
        raise Conflict(
            "catalog.already_published", _("The implementation is published; submit a change instead.")
        )
    if kind in (AdjustmentKind.CHANGE, AdjustmentKind.CANCEL) and not published:
        raise Conflict("catalog.not_published", _("The implementation has not been published yet."))
    if implementation.status == ImplementationStatus.CANCELLED:
        raise Conflict("catalog.cancelled", _("The implementation is cancelled."))
    content = content_parse(implementation.draft)
    failures = [] if kind == AdjustmentKind.CANCEL else implementation_failures(implementation, content)
    adjustment = Adjustment.objects.create(
        implementation=implementation,
        kind=kind,
        reason=reason.strip(),
        content=content_dump(content),
        base_version=implementation.current_version,
        failures=failures,
        submitted_by=_user(actor),
        submitted_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        object_type="implementation",
        object_id=implementation.pk,
        action="adjustment_submitted",
        payload={"adjustment": adjustment.pk, "kind": kind, "failures": [f["code"] for f in failures]},
    )
    return adjustment


def _lock_adjustment(adjustment: Adjustment, expected: str) -> Adjustment:
    locked = Adjustment.objects.select_for_update().select_related("implementation").get(pk=adjustment.pk)
    if locked.status != expected:
        raise Conflict(
            "catalog.adjustment_state",
            _("The adjustment is %(status)s; this action is no longer possible.")
            % {"status": locked.get_status_display()},
        )
    return locked


@transaction.atomic
def adjustment_approve(*, actor: Actor, adjustment: Adjustment, comment: str = "") -> Adjustment:
    """Approve a submitted adjustment; refused while any publication check fails."""
    adjustment = _lock_adjustment(adjustment, AdjustmentStatus.SUBMITTED)
    implementation = adjustment.implementation
    if not can_review(actor, implementation):
        raise PermissionDenied(
            "catalog.forbidden",
            _(
                "Only a catalog administrator of the region's government service administration "
                "may review adjustments."
            ),
        )
    if actor is not None and adjustment.submitted_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(
            "catalog.four_eyes", _("An adjustment is reviewed by someone other than its author.")
        )
    if adjustment.kind != AdjustmentKind.CANCEL:
        failures = implementation_failures(implementation, content_parse(adjustment.content))
        if failures:
            raise ValidationFailed(
                "catalog.checks_failed",
                _("The adjustment cannot be approved: %(n)d checks fail.") % {"n": len(failures)},
                failures,
            )
    adjustment.status = AdjustmentStatus.APPROVED
    adjustment.reviewed_by = _user(actor)
    adjustment.reviewed_at = timezone.now()
    adjustment.review_comment = comment
    adjustment.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(
        actor=actor,
        object_type="implementation",
        object_id=implementation.pk,
        action="adjustment_approved",
        payload={"adjustment": adjustment.pk, "comment": comment[:500]},
    )
    return adjustment


@transaction.atomic
def adjustment_reject(*, actor: Actor, adjustment: Adjustment, comment: str) -> Adjustment:
    """Return a submitted adjustment to its author with the reviewer's comment."""
    adjustment = _lock_adjustment(adjustment, AdjustmentStatus.SUBMITTED)
    if not can_review(actor, adjustment.implementation):
        raise PermissionDenied(
            "catalog.forbidden", _("Only the region's catalog reviewers may return adjustments.")
        )
    if not comment.strip():
        raise ValidationFailed(
            "catalog.comment_required", _("Say what must be corrected."), [{"field": "comment"}]
        )
    adjustment.status = AdjustmentStatus.REJECTED
    adjustment.reviewed_by = _user(actor)
    adjustment.reviewed_at = timezone.now()
    adjustment.review_comment = comment.strip()
    adjustment.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(
        actor=actor,
        object_type="implementation",
        object_id=adjustment.implementation_id,
        action="adjustment_rejected",
        payload={"adjustment": adjustment.pk, "comment": comment[:500]},
    )
    return adjustment


@transaction.atomic
def adjustment_withdraw(*, actor: Actor, adjustment: Adjustment) -> Adjustment:
    """The author (or an editor of the region) takes a submitted adjustment back to edit the draft."""
    adjustment = _lock_adjustment(adjustment, AdjustmentStatus.SUBMITTED)
    _require_editor(actor, adjustment.implementation.region)
    adjustment.status = AdjustmentStatus.WITHDRAWN
    adjustment.save(update_fields=["status"])
    audit_record(
        actor=actor,
        object_type="implementation",
        object_id=adjustment.implementation_id,
        action="adjustment_withdrawn",
        payload={"adjustment": adjustment.pk},
    )
    return adjustment


def _content_hash(content: dict[str, Any], uniform: dict[str, Any]) -> str:
    body = json.dumps([content, uniform], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


@transaction.atomic
def adjustment_publish(*, actor: Actor, adjustment: Adjustment) -> Implementation:
    """Publish an approved adjustment: a new immutable version (or the cancellation) takes effect."""
    if not can_review(actor, adjustment.implementation):  # who may act, before the state
        raise PermissionDenied("catalog.forbidden", _("Only the region's catalog reviewers may publish."))
    adjustment = _lock_adjustment(adjustment, AdjustmentStatus.APPROVED)
    implementation = (
        Implementation.objects.select_for_update()
        .select_related("item", "agency", "region")
        .get(pk=adjustment.implementation_id)
    )
    now = timezone.now()
    if adjustment.kind == AdjustmentKind.CANCEL:
        implementation.status = ImplementationStatus.CANCELLED
        implementation.save(update_fields=["status"])
        version = implementation.current_version
    else:
        content = content_parse(adjustment.content)
        uniform = uniform_of(implementation.item)
        number = (
            implementation.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        data = content_dump(content)
        version = ImplementationVersion.objects.create(
            implementation=implementation,
            number=number,
            content=data,
            uniform=uniform,
            content_hash=_content_hash(data, uniform),
            published_at=now,
            published_by=_user(actor),
            adjustment=adjustment,
        )
        MaterialRequirement.objects.bulk_create(
            [
                MaterialRequirement(
                    version=version,
                    key=m.key,
                    position=i,
                    name=m.name,
                    necessity=m.necessity,
                    commitment_allowed=m.commitment_allowed,
                    form=m.form,
                    copy_kind=m.copy_kind,
                    copies=m.copies,
                    source=m.source,
                    license_type=m.license_type,
                    details={
                        "issuing_agency": m.issuing_agency,
                        "blank_form": m.blank_form,
                        "sample": m.sample,
                        "filling_notes": m.filling_notes,
                        "acceptance_standard": m.acceptance_standard,
                        "basis": m.basis,
                    },
                )
                for i, m in enumerate(content.materials)
            ]
        )
        implementation.current_version = version
        implementation.status = ImplementationStatus.PUBLISHED
        implementation.online_depth = content.online_depth
        implementation.cross_region_scope = content.cross_region_scope
        implementation.themes = sorted(set(content.person_themes) | set(content.legal_person_themes))
        implementation.search_name = implementation.item.name
        implementation.item_type = implementation.item.item_type
        implementation.save()
    adjustment.status = AdjustmentStatus.PUBLISHED
    adjustment.save(update_fields=["status"])
    audit_record(
        actor=actor,
        object_type="implementation",
        object_id=implementation.pk,
        action="published",
        payload={
            "adjustment": adjustment.pk,
            "kind": adjustment.kind,
            "version": version.number if version else None,
            "content_hash": version.content_hash if version else None,
        },
    )
    hooks.implementation_published(implementation=implementation, version=version, kind=adjustment.kind)
    return implementation
