"""Bundle definitions: drafts, adjustments reviewed by a second catalog administrator, and
publication of immutable versions (mirroring the catalog's 动态调整 cycle, in two steps:
submit, then approve-and-publish or return)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from zwfw.bundles.checks import bundle_failures, resolve_implementations
from zwfw.bundles.content import BundleContent
from zwfw.bundles.models import (
    Bundle,
    BundleAdjustment,
    BundleAdjustmentStatus,
    BundleStatus,
    BundleVersion,
)
from zwfw.catalog import services as catalog_services
from zwfw.core.errors import Conflict, PermissionDenied, ValidationFailed, schema_error_details
from zwfw.core.ledger import audit_record
from zwfw.core.models import Region
from zwfw.identity.models import User
from zwfw.identity.selectors import Actor


def can_edit_bundle(actor: Actor | None, region: Region) -> bool:
    """A catalog administrator whose region covers ``region`` edits its bundles."""
    return catalog_services.can_edit_catalog(actor, region)


def can_review_bundle(actor: Actor | None, region: Region) -> bool:
    """A catalog administrator of a 政务服务管理局 at or above the region reviews its bundles
    (the catalog's own review rule)."""
    return catalog_services.can_review_region(actor, region)


def _user(actor: Actor | None) -> User:
    if not isinstance(actor, User):
        raise PermissionDenied("bundles.forbidden", _("Please log in with a staff account."))
    return actor


def _require_editor(actor: Actor | None, region: Region) -> None:
    if not can_edit_bundle(actor, region):
        raise PermissionDenied(
            "bundles.forbidden", _("Only a catalog administrator of this region may edit its bundles.")
        )


def content_parse(data: dict[str, Any]) -> BundleContent:
    """Validate a bundle's shape; every bad element is reported at once (``bundles.invalid``)."""
    try:
        return BundleContent.model_validate(data)
    except SchemaError as exc:
        details = schema_error_details(exc.errors())
        raise ValidationFailed(
            "bundles.invalid", _("Some elements are missing or invalid."), details
        ) from exc


def _dump(content: BundleContent) -> dict[str, Any]:
    return content.model_dump(mode="json")


@transaction.atomic
def bundle_create(*, actor: Actor | None, region: Region, code: str, draft: dict[str, Any]) -> Bundle:
    """Start a bundle definition (a draft) in a region's catalog."""
    _require_editor(actor, region)
    code = code.strip()
    if not code:
        raise ValidationFailed("bundles.code_required", _("Give the bundle's code."), [{"field": "code"}])
    longest = Bundle._meta.get_field("code").max_length or 0
    if len(code) > longest:  # the column's limit: PostgreSQL would fail the insert with a 500
        raise ValidationFailed(
            "bundles.code_too_long",
            _("A bundle code has at most %(n)d characters.") % {"n": longest},
            [{"field": "code"}],
        )
    if Bundle.objects.filter(code=code).exists():
        raise Conflict(
            "bundles.code_taken", _("Bundle code %(code)s is taken.") % {"code": code}, [{"field": "code"}]
        )
    content = content_parse(draft)
    bundle = Bundle.objects.create(
        code=code,
        region=region,
        draft=_dump(content),
        draft_failures=[f.code for f in bundle_failures(content)],
        draft_updated_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        object_type="bundle",
        object_id=bundle.pk,
        action="created",
        payload={"code": code},
        new_object=True,
    )
    return bundle


def bundle_open_adjustment(bundle: Bundle) -> BundleAdjustment | None:
    """The adjustment of the bundle's draft now under review, if any."""
    return bundle.adjustments.filter(status=BundleAdjustmentStatus.SUBMITTED).first()


def bundle_draft_editable(
    actor: Actor | None, bundle: Bundle, open_adjustment: BundleAdjustment | None
) -> bool:
    """Whether ``bundle_update_draft`` would let ``actor`` save the draft now: an editor of its
    region, the bundle not cancelled, no adjustment under review (the pages enable their forms
    by it, so they never offer what the service refuses)."""
    return (
        bundle.status != BundleStatus.CANCELLED
        and open_adjustment is None
        and can_edit_bundle(actor, bundle.region)
    )


@transaction.atomic
def bundle_update_draft(
    *, actor: Actor | None, bundle: Bundle, draft: dict[str, Any]
) -> list[dict[str, object]]:
    """Save the draft; returns the publication-check failures it still has."""
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    _require_editor(actor, bundle.region)
    if bundle.status == BundleStatus.CANCELLED:
        raise Conflict("bundles.cancelled", _("A cancelled bundle cannot be edited."))
    if bundle_open_adjustment(bundle) is not None:
        raise Conflict(
            "bundles.under_review", _("The draft is under review; withdraw the adjustment before editing it.")
        )
    content = content_parse(draft)
    failures = bundle_failures(content)
    bundle.draft = _dump(content)
    bundle.draft_failures = [f.code for f in failures]
    bundle.draft_updated_at = timezone.now()
    bundle.save(update_fields=["draft", "draft_failures", "draft_updated_at"])
    audit_record(actor=actor, object_type="bundle", object_id=bundle.pk, action="draft_saved")
    return [f.as_dict() for f in failures]


@transaction.atomic
def bundle_adjustment_submit(*, actor: Actor | None, bundle: Bundle, reason: str) -> BundleAdjustment:
    """Submit the draft for review, with its reason (the failing checks are recorded)."""
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    _require_editor(actor, bundle.region)
    if not reason.strip():
        raise ValidationFailed(
            "bundles.reason_required", _("Give the reason for the adjustment."), [{"field": "reason"}]
        )
    if bundle_open_adjustment(bundle) is not None:
        raise Conflict("bundles.adjustment_open", _("An adjustment of this bundle is already under review."))
    content = content_parse(bundle.draft)
    adjustment = BundleAdjustment.objects.create(
        bundle=bundle,
        reason=reason.strip(),
        content=_dump(content),
        failures=[f.as_dict() for f in bundle_failures(content)],
        submitted_by=_user(actor),
        submitted_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        object_type="bundle",
        object_id=bundle.pk,
        action="adjustment_submitted",
        payload={"adjustment": adjustment.pk, "failures": [f["code"] for f in adjustment.failures]},
    )
    return adjustment


def _lock_adjustment(adjustment: BundleAdjustment) -> BundleAdjustment:
    locked = (
        BundleAdjustment.objects.select_for_update().select_related("bundle__region").get(pk=adjustment.pk)
    )
    if locked.status != BundleAdjustmentStatus.SUBMITTED:
        raise Conflict(
            "bundles.adjustment_state",
            _("The adjustment is %(status)s; this action is no longer possible.")
            % {"status": locked.get_status_display()},
        )
    return locked


def _require_reviewer(actor: Actor | None, adjustment: BundleAdjustment) -> None:
    if not can_review_bundle(actor, adjustment.bundle.region):
        raise PermissionDenied(
            "bundles.forbidden",
            _(
                "Only a catalog administrator of the region's government service administration may review bundles."
            ),
        )
    if adjustment.submitted_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(
            "bundles.four_eyes", _("A bundle is reviewed by someone other than its author.")
        )


@transaction.atomic
def bundle_adjustment_approve(
    *, actor: Actor | None, adjustment: BundleAdjustment, comment: str = ""
) -> BundleVersion:
    """Approve and publish: refused while any check fails (the message names the fields)."""
    adjustment = _lock_adjustment(adjustment)
    _require_reviewer(actor, adjustment)
    content = content_parse(adjustment.content)
    failures = bundle_failures(content)
    if failures:
        raise ValidationFailed(
            "bundles.checks_failed",
            _("The bundle cannot be published: %(problems)s")
            % {"problems": " ".join(f.message for f in failures)},
            [f.as_dict() for f in failures],
        )
    bundle = Bundle.objects.select_for_update().get(pk=adjustment.bundle_id)
    now = timezone.now()
    number = (bundle.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = BundleVersion.objects.create(
        bundle=bundle,
        number=number,
        content=_dump(content),
        implementations={k: impl.pk for k, impl in resolve_implementations(content).items()},
        published_at=now,
        published_by=_user(actor),
        adjustment=adjustment,
    )
    bundle.current_version = version
    bundle.status = BundleStatus.PUBLISHED
    bundle.save(update_fields=["current_version", "status"])
    adjustment.status = BundleAdjustmentStatus.PUBLISHED
    adjustment.reviewed_by = _user(actor)
    adjustment.reviewed_at = now
    adjustment.review_comment = comment.strip()
    adjustment.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(
        actor=actor,
        object_type="bundle",
        object_id=bundle.pk,
        action="published",
        payload={"adjustment": adjustment.pk, "version": number},
    )
    return version


@transaction.atomic
def bundle_adjustment_reject(
    *, actor: Actor | None, adjustment: BundleAdjustment, comment: str
) -> BundleAdjustment:
    """Return a submitted adjustment to its author with the reviewer's comment."""
    adjustment = _lock_adjustment(adjustment)
    _require_reviewer(actor, adjustment)
    if not comment.strip():
        raise ValidationFailed(
            "bundles.comment_required", _("Say what must be corrected."), [{"field": "comment"}]
        )
    adjustment.status = BundleAdjustmentStatus.REJECTED
    adjustment.reviewed_by = _user(actor)
    adjustment.reviewed_at = timezone.now()
    adjustment.review_comment = comment.strip()
    adjustment.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(
        actor=actor,
        object_type="bundle",
        object_id=adjustment.bundle_id,
        action="adjustment_rejected",
        payload={"adjustment": adjustment.pk, "comment": comment.strip()[:500]},
    )
    return adjustment


@transaction.atomic
def bundle_adjustment_withdraw(*, actor: Actor | None, adjustment: BundleAdjustment) -> BundleAdjustment:
    """An editor of the region takes a submitted adjustment back to edit the draft."""
    adjustment = _lock_adjustment(adjustment)
    _require_editor(actor, adjustment.bundle.region)
    adjustment.status = BundleAdjustmentStatus.WITHDRAWN
    adjustment.save(update_fields=["status"])
    audit_record(
        actor=actor,
        object_type="bundle",
        object_id=adjustment.bundle_id,
        action="adjustment_withdrawn",
        payload={"adjustment": adjustment.pk},
    )
    return adjustment
