"""Catalog workbench API: items, implementation drafts, adjustments, versions and their diff.

Every endpoint needs a logged-in catalog administrator; objects outside the actor's region are
404, a missing role is 403 (checked again in the services).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from zwfw.catalog import selectors, services
from zwfw.catalog.diff import content_diff
from zwfw.catalog.models import Adjustment, Implementation, ImplementationVersion
from zwfw.core.errors import NotFound, PermissionDenied
from zwfw.core.models import Agency
from zwfw.identity.models import Role
from zwfw.identity.selectors import actor_scope

router = Router(tags=["catalog workbench"], auth=django_auth)


def _require_catalog_role(request: HttpRequest) -> None:
    scope = actor_scope(request.user)
    if not (scope.is_superuser or Role.CATALOG_ADMIN in scope.roles):
        raise PermissionDenied(
            "catalog.forbidden", _("Only catalog administrators may use the catalog workbench.")
        )


class ServiceItemCreateIn(Schema):
    base_code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    item_type: str = Field(max_length=16)
    legal_basis: str = Field("", max_length=5000)
    competent_department: str = Field(max_length=120)
    exercised_levels: list[str] = Field(max_length=10)
    region: str = Field(max_length=12)  # region code of the catalog
    layer: str = Field("main", max_length=10)
    parent_id: int | None = None
    situation: str = Field("", max_length=40)
    planned_effective_date: datetime.date | None = None


class ServiceItemOut(Schema):
    id: int
    base_code: str
    name: str
    item_type: str
    layer: str
    status: str


class ImplementationCreateIn(Schema):
    item_id: int
    agency_id: int
    code: str | None = Field(None, max_length=60)
    draft: dict[str, Any] = {}


class DraftIn(Schema):
    draft: dict[str, Any]


class CheckFailureOut(Schema):
    field: str
    code: str
    message: str


class ImplementationOut(Schema):
    id: int
    code: str
    name: str
    agency: str
    region: str
    status: str
    current_version: int | None
    draft: dict[str, Any]
    draft_failures: list[str]
    open_adjustment: int | None

    @staticmethod
    def of(impl: Implementation) -> ImplementationOut:
        open_adj = selectors.open_adjustment(implementation=impl)
        return ImplementationOut(
            id=impl.pk,
            code=impl.code,
            name=impl.item.name,
            agency=impl.agency.name,
            region=impl.region.code,
            status=impl.status,
            current_version=impl.current_version.number if impl.current_version else None,
            draft=impl.draft,
            draft_failures=list(impl.draft_failures),
            open_adjustment=open_adj.pk if open_adj else None,
        )


class DraftSavedOut(Schema):
    implementation: ImplementationOut
    failures: list[CheckFailureOut]


class AdjustmentSubmitIn(Schema):
    kind: str = Field(max_length=8)
    reason: str = Field(max_length=2000)


class ReviewIn(Schema):
    comment: str = Field("", max_length=2000)


class AdjustmentOut(Schema):
    id: int
    implementation_id: int
    kind: str
    status: str
    reason: str
    failures: list[CheckFailureOut]
    submitted_by: str
    submitted_at: datetime.datetime
    review_comment: str

    @staticmethod
    def of(adj: Adjustment) -> AdjustmentOut:
        return AdjustmentOut(
            id=adj.pk,
            implementation_id=adj.implementation_id,
            kind=adj.kind,
            status=adj.status,
            reason=adj.reason,
            failures=[CheckFailureOut(**f) for f in adj.failures],
            submitted_by=adj.submitted_by.get_username(),
            submitted_at=adj.submitted_at,
            review_comment=adj.review_comment,
        )


class VersionOut(Schema):
    number: int
    published_at: datetime.datetime
    content_hash: str


class FieldChangeOut(Schema):
    field: str
    old: Any
    new: Any


class DiffOut(Schema):
    from_version: int | str
    to_version: int | str
    changes: list[FieldChangeOut]


@router.post("/items", response={201: ServiceItemOut})
def item_create(request: HttpRequest, payload: ServiceItemCreateIn) -> Status:
    """Add a catalog entry (基本目录)."""
    _require_catalog_role(request)
    from zwfw.core.models import Region

    region = Region.objects.filter(code=payload.region).first()
    if region is None:
        raise NotFound("region.not_found", _("No region has code %(code)s.") % {"code": payload.region})
    parent = None
    if payload.parent_id is not None:
        parent = selectors.service_item_list(actor=request.user).filter(pk=payload.parent_id).first()
        if parent is None:
            raise NotFound("catalog.item_not_found", _("Catalog entry not found."))
    item = services.service_item_create(
        actor=request.user,
        region=region,
        base_code=payload.base_code,
        name=payload.name,
        item_type=payload.item_type,
        legal_basis=payload.legal_basis,
        competent_department=payload.competent_department,
        exercised_levels=payload.exercised_levels,
        layer=payload.layer,
        parent=parent,
        situation=payload.situation,
        planned_effective_date=payload.planned_effective_date,
    )
    return Status(
        201,
        ServiceItemOut(
            id=item.pk,
            base_code=item.base_code,
            name=item.name,
            item_type=item.item_type,
            layer=item.layer,
            status=item.status,
        ),
    )


@router.get("/implementations", response=list[ImplementationOut])
def implementation_list(
    request: HttpRequest, status: str | None = None, limit: int = 50, offset: int = 0
) -> list[ImplementationOut]:
    """Implementations in the actor's catalog scope."""
    _require_catalog_role(request)
    qs = selectors.implementation_list(actor=request.user)
    if status:
        qs = qs.filter(status=status)
    limit = max(1, min(limit, 200))
    offset = max(0, min(offset, 10**9))  # unbounded, it overflows PostgreSQL's bigint (500)
    return [ImplementationOut.of(i) for i in qs[offset : offset + limit]]


@router.post("/implementations", response={201: ImplementationOut})
def implementation_create(request: HttpRequest, payload: ImplementationCreateIn) -> Status:
    """Start an implementation (a draft) of a catalog entry by an agency."""
    _require_catalog_role(request)
    item = selectors.service_item_list(actor=request.user).filter(pk=payload.item_id).first()
    agency = Agency.objects.filter(pk=payload.agency_id).select_related("region").first()
    if item is None:
        raise NotFound("catalog.item_not_found", _("Catalog entry not found."))
    if agency is None or not services.can_edit_catalog(request.user, agency.region):
        raise NotFound("agency.not_found", _("Agency not found."))
    impl = services.implementation_create(
        actor=request.user, item=item, agency=agency, code=payload.code, draft=payload.draft
    )
    return Status(201, ImplementationOut.of(impl))


@router.get("/implementations/{implementation_id}", response=ImplementationOut)
def implementation_detail(request: HttpRequest, implementation_id: int) -> ImplementationOut:
    """One implementation with its draft and the draft's failing checks."""
    _require_catalog_role(request)
    return ImplementationOut.of(
        selectors.implementation_get(actor=request.user, implementation_id=implementation_id)
    )


@router.put("/implementations/{implementation_id}/draft", response=DraftSavedOut)
def implementation_draft_save(
    request: HttpRequest, implementation_id: int, payload: DraftIn
) -> DraftSavedOut:
    """Save the draft's elements; the answer lists every publication check it still fails."""
    _require_catalog_role(request)
    impl = selectors.implementation_get(actor=request.user, implementation_id=implementation_id)
    failures = services.implementation_update_draft(
        actor=request.user, implementation=impl, draft=payload.draft
    )
    impl.refresh_from_db()
    return DraftSavedOut(
        implementation=ImplementationOut.of(impl), failures=[CheckFailureOut(**f) for f in failures]
    )


@router.post("/implementations/{implementation_id}/adjustments", response={201: AdjustmentOut})
def adjustment_submit(request: HttpRequest, implementation_id: int, payload: AdjustmentSubmitIn) -> Status:
    """Submit the draft (add/change) or a cancellation for review."""
    _require_catalog_role(request)
    impl = selectors.implementation_get(actor=request.user, implementation_id=implementation_id)
    adj = services.adjustment_submit(
        actor=request.user, implementation=impl, kind=payload.kind, reason=payload.reason
    )
    return Status(201, AdjustmentOut.of(adj))


@router.get("/adjustments", response=list[AdjustmentOut])
def adjustment_list(request: HttpRequest, status: str | None = None) -> list[AdjustmentOut]:
    """Adjustments in scope (e.g. ``status=submitted`` is the review queue)."""
    _require_catalog_role(request)
    return [AdjustmentOut.of(a) for a in selectors.adjustment_list(actor=request.user, status=status)[:200]]


@router.post("/adjustments/{adjustment_id}/approve", response=AdjustmentOut)
def adjustment_approve(request: HttpRequest, adjustment_id: int, payload: ReviewIn) -> AdjustmentOut:
    """Approve (422 with every failing check when the content may not be published)."""
    _require_catalog_role(request)
    adj = selectors.adjustment_get(actor=request.user, adjustment_id=adjustment_id)
    return AdjustmentOut.of(
        services.adjustment_approve(actor=request.user, adjustment=adj, comment=payload.comment)
    )


@router.post("/adjustments/{adjustment_id}/reject", response=AdjustmentOut)
def adjustment_reject(request: HttpRequest, adjustment_id: int, payload: ReviewIn) -> AdjustmentOut:
    """Return the adjustment to its author with a comment."""
    _require_catalog_role(request)
    adj = selectors.adjustment_get(actor=request.user, adjustment_id=adjustment_id)
    return AdjustmentOut.of(
        services.adjustment_reject(actor=request.user, adjustment=adj, comment=payload.comment)
    )


@router.post("/adjustments/{adjustment_id}/withdraw", response=AdjustmentOut)
def adjustment_withdraw(request: HttpRequest, adjustment_id: int) -> AdjustmentOut:
    """Take a submitted adjustment back to edit the draft."""
    _require_catalog_role(request)
    adj = selectors.adjustment_get(actor=request.user, adjustment_id=adjustment_id)
    return AdjustmentOut.of(services.adjustment_withdraw(actor=request.user, adjustment=adj))


@router.post("/adjustments/{adjustment_id}/publish", response=ImplementationOut)
def adjustment_publish(request: HttpRequest, adjustment_id: int) -> ImplementationOut:
    """Publish an approved adjustment as a new immutable version."""
    _require_catalog_role(request)
    adj = selectors.adjustment_get(actor=request.user, adjustment_id=adjustment_id)
    return ImplementationOut.of(services.adjustment_publish(actor=request.user, adjustment=adj))


@router.get("/implementations/{implementation_id}/versions", response=list[VersionOut], auth=None)
def version_list(request: HttpRequest, implementation_id: int) -> list[VersionOut]:
    """Published versions (public: old versions stay readable)."""
    versions = ImplementationVersion.objects.filter(implementation_id=implementation_id).order_by("number")
    if not versions.exists():
        raise NotFound("catalog.guide_not_found", _("This guide does not exist or is no longer published."))
    return [
        VersionOut(number=v.number, published_at=v.published_at, content_hash=v.content_hash)
        for v in versions
    ]


@router.get("/implementations/{implementation_id}/diff", response=DiffOut, auth=None)
def version_diff(request: HttpRequest, implementation_id: int, from_version: int, to_version: int) -> DiffOut:
    """Field-by-field differences between two published versions (public)."""
    old = selectors.version_get(implementation_id=implementation_id, number=from_version)
    new = selectors.version_get(implementation_id=implementation_id, number=to_version)
    changes = content_diff({**old.uniform, **old.content}, {**new.uniform, **new.content})
    return DiffOut(
        from_version=from_version,
        to_version=to_version,
        changes=[FieldChangeOut(field=c.field, old=c.old, new=c.new) for c in changes],
    )
