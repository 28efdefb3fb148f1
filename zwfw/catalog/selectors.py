"""Reads of the catalog: scoped lists for staff, published implementations for everyone."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zwfw.catalog.models import (
    Adjustment,
    AdjustmentStatus,
    Implementation,
    ImplementationStatus,
    ImplementationVersion,
    ServiceItem,
)
from zwfw.core.errors import NotFound
from zwfw.identity.models import Role
from zwfw.identity.selectors import Actor, actor_scope, role_region_prefixes


def _catalog_region_q(actor: Actor, lookup: str) -> Q | None:
    """None for a superuser (everything); else the regions a catalog admin covers."""
    scope = actor_scope(actor)
    if scope.is_superuser:
        return None
    if Role.CATALOG_ADMIN not in scope.roles:
        return Q(pk__in=[])
    prefixes = role_region_prefixes(actor=actor, role=Role.CATALOG_ADMIN)
    q = Q(pk__in=[])
    for prefix in set(prefixes):
        q |= Q(**{f"{lookup}__startswith": prefix})
    return q


def implementation_list(*, actor: Actor) -> QuerySet[Implementation]:
    """Implementations a catalog administrator may manage: their region and every region below."""
    qs = Implementation.objects.select_related("item", "agency", "region", "current_version")
    q = _catalog_region_q(actor, "region__prefix")
    return qs if q is None else qs.filter(q)


def implementation_get(*, actor: Actor, implementation_id: int) -> Implementation:
    """One implementation within the actor's catalog scope, or NotFound."""
    found = implementation_list(actor=actor).filter(pk=implementation_id).first()
    if found is None:
        raise NotFound("catalog.implementation_not_found", _("Implementation not found."))
    return found


def service_item_list(*, actor: Actor) -> QuerySet[ServiceItem]:
    """Catalog entries whose region lies within the actor's scope, or above it (inherited items)."""
    scope = actor_scope(actor)
    qs = ServiceItem.objects.select_related("region")
    if scope.is_superuser:
        return qs
    if Role.CATALOG_ADMIN not in scope.roles:
        return qs.none()
    return qs


def published_list() -> QuerySet[Implementation]:
    """Published implementations: what citizens can find and apply for."""
    return Implementation.objects.filter(
        status=ImplementationStatus.PUBLISHED, current_version__isnull=False
    ).select_related("item", "agency", "region", "current_version")


def published_get(*, implementation_id: int) -> Implementation:
    """One published implementation (public), or NotFound."""
    # The working draft and the search columns are not needed by readers of the published version.
    found = (
        published_list()
        .defer("draft", "draft_failures", "search_tokens", "search_extra")
        .filter(pk=implementation_id)
        .first()
    )
    if found is None:
        raise NotFound("catalog.guide_not_found", _("This guide does not exist or is no longer published."))
    return found


def version_get(*, implementation_id: int, number: int) -> ImplementationVersion:
    """One published version of an implementation (public: old versions stay readable)."""
    version = (
        ImplementationVersion.objects.select_related(
            "implementation__item", "implementation__agency", "implementation__region"
        )
        .filter(implementation_id=implementation_id, number=number)
        .first()
    )
    if version is None:
        raise NotFound("catalog.version_not_found", _("This version does not exist."))
    return version


def adjustment_list(*, actor: Actor, status: str | None = None) -> QuerySet[Adjustment]:
    """Adjustments within the actor's catalog scope, newest first."""
    qs = Adjustment.objects.select_related("implementation__item", "implementation__agency", "submitted_by")
    q = _catalog_region_q(actor, "implementation__region__prefix")
    if q is not None:
        qs = qs.filter(q)
    return qs.filter(status=status) if status else qs


def adjustment_get(*, actor: Actor, adjustment_id: int) -> Adjustment:
    """One adjustment within scope, or NotFound."""
    found = adjustment_list(actor=actor).filter(pk=adjustment_id).first()
    if found is None:
        raise NotFound("catalog.adjustment_not_found", _("Adjustment not found."))
    return found


def open_adjustment(*, implementation: Implementation) -> Adjustment | None:
    """The adjustment under review for this implementation, if any."""
    return implementation.adjustments.filter(
        status__in=[AdjustmentStatus.SUBMITTED, AdjustmentStatus.APPROVED]
    ).first()
