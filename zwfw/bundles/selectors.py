"""Reads of bundles and remote intake: published bundles and their merged form, the applicant's
bundle cases with one status and one due date, the marks staff queues show, the remote
intakes each region may see."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zwfw.bundles.content import BundleContent
from zwfw.bundles.merge import MergedForm, applicable_items, item_order, merge
from zwfw.bundles.models import (
    Bundle,
    BundleCase,
    BundleChild,
    BundleChildState,
    BundleStatus,
    BundleVersion,
    RemoteIntake,
    RemoteIntakeState,
)
from zwfw.cases.models import Case, CaseState
from zwfw.catalog.models import Implementation, ImplementationStatus
from zwfw.core.errors import NotFound
from zwfw.core.models import Region
from zwfw.identity.models import Role
from zwfw.identity.selectors import Actor, actor_scope, role_region_prefixes

# Child case states in which nothing more happens to the child.
CONCLUDED = frozenset(
    {
        CaseState.APPROVED,
        CaseState.DENIED,
        CaseState.DELIVERED,
        CaseState.CLOSED,
        CaseState.WITHDRAWN,
        CaseState.INTAKE_REJECTED,
    }
)
APPROVED = frozenset({CaseState.APPROVED, CaseState.DELIVERED, CaseState.CLOSED})


def bundle_list_published() -> QuerySet[Bundle]:
    """Bundles citizens can apply for."""
    return Bundle.objects.filter(status=BundleStatus.PUBLISHED, current_version__isnull=False).select_related(
        "current_version", "region"
    )


def bundle_get_published(*, code: str) -> Bundle:
    """One published bundle by code; NotFound otherwise."""
    bundle = bundle_list_published().filter(code=code).first()
    if bundle is None:
        raise NotFound("bundles.not_found", _("Bundle not found."))
    return bundle


def version_content(version: BundleVersion) -> BundleContent:
    """The typed content of a published version."""
    return BundleContent.model_validate(version.content)


def version_implementations(version: BundleVersion) -> dict[str, Implementation]:
    """Each item's implementation (as resolved at publication), published ones only."""
    ids = {int(v) for v in version.implementations.values()}
    found = {
        impl.pk: impl
        for impl in Implementation.objects.filter(
            pk__in=ids, status=ImplementationStatus.PUBLISHED, current_version__isnull=False
        ).select_related("current_version", "agency", "region", "item")
    }
    return {k: found[int(v)] for k, v in version.implementations.items() if int(v) in found}


def requirements_of(impls: Mapping[str, Implementation]) -> dict[str, list[tuple[str, str, str]]]:
    """Each item's current material requirements as (key, name, necessity), in guide order."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for key, impl in impls.items():
        version = impl.current_version
        if version is None:
            continue
        out[key] = [(m.key, m.name, m.necessity) for m in version.materials.order_by("position")]
    return out


def bundle_form(*, version: BundleVersion, answers: Mapping[str, bool] | None) -> MergedForm:
    """The merged form of a version for the answers given (no answers: every item)."""
    content = version_content(version)
    items = applicable_items(content, answers) if answers is not None else list(content.items)
    items = item_order(content, [i.key for i in items])
    impls = version_implementations(version)
    return merge(content, items, requirements_of({i.key: impls[i.key] for i in items if i.key in impls}))


# --- bundle cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildStatus:
    """One child as the applicant sees it."""

    item_key: str
    case: Case
    state: str  # the child's own: waiting / started / cancelled
    case_state: str
    correction_open: bool


@dataclass(frozen=True)
class BundleCaseStatus:
    """The one status the applicant sees for a bundle case."""

    state: str  # submitted, in_progress, correction_requested, completed, partly_refused
    children: list[ChildStatus]
    results_visible: bool  # results are shown together (when all concluded) or as they come


def bundle_case_status(bundle_case: BundleCase) -> BundleCaseStatus:
    """One status over the children: a correction anywhere first, then progress or completion."""
    children = list(bundle_case.children.select_related("case__implementation__item", "case__agency"))
    rows = [
        ChildStatus(
            item_key=c.item_key,
            case=c.case,
            state=c.state,
            case_state=c.case.state,
            correction_open=c.case.state == CaseState.CORRECTION_REQUESTED,
        )
        for c in children
    ]
    states = {c.case.state for c in children if c.state != BundleChildState.CANCELLED}
    if any(r.correction_open for r in rows):
        state = "correction_requested"
    elif all(c.case.state in CONCLUDED for c in children):
        refused = any(c.case.state not in APPROVED for c in children)
        state = "partly_refused" if refused else "completed"
    elif states <= {CaseState.SUBMITTED, CaseState.RESUBMITTED, CaseState.DRAFT}:
        state = "submitted"
    else:
        state = "in_progress"
    content = version_content(bundle_case.version)
    together = content.result_delivery == "together"
    visible = not together or state in ("completed", "partly_refused")
    return BundleCaseStatus(state=state, children=rows, results_visible=visible)


def held_result_case_ids() -> QuerySet[BundleChild, Any]:
    """The ids (``case_id``) of child cases whose result their bundle still holds: the bundle
    delivers results together and not every child has concluded (no early e-license, download
    or delivery)."""
    return BundleChild.objects.filter(
        bundle_case__concluded_at__isnull=True, bundle_case__version__content__result_delivery="together"
    ).values("case_id")


def bundle_case_list(*, actor: Actor | None) -> QuerySet[BundleCase]:
    """The bundle cases the actor applied for (as themself or their enterprise)."""
    scope = actor_scope(actor)
    qs = BundleCase.objects.select_related("bundle", "version")
    if scope.is_superuser:
        return qs
    if scope.user_id is None:
        return qs.none()
    q = Q(applicant_user_id=scope.user_id)
    if scope.person_id:
        q |= Q(applicant_person_id=scope.person_id)
    if scope.enterprise_id:
        q |= Q(applicant_enterprise_id=scope.enterprise_id)
    return qs.filter(q)


def bundle_case_get(*, actor: Actor | None, bundle_case_id: int) -> BundleCase:
    """One of the actor's bundle cases; NotFound otherwise."""
    found = bundle_case_list(actor=actor).filter(pk=bundle_case_id).first()
    if found is None:
        raise NotFound("bundles.case_not_found", _("Bundle application not found."))
    return found


@dataclass(frozen=True)
class BundleMark:
    """What a staff queue shows next to a child case: the bundle it belongs to."""

    bundle_case_number: str
    bundle_name: str
    item_key: str
    waiting_for: tuple[str, ...]
    results_held: bool = False  # results are delivered together and some child is still open


def bundle_marks(*, case_ids: Iterable[int]) -> dict[int, BundleMark]:
    """Bundle marks for the cases of a staff queue (one query), by case id."""
    out: dict[int, BundleMark] = {}
    children = BundleChild.objects.filter(case_id__in=list(case_ids)).select_related("bundle_case__version")
    for child in children:
        content = child.bundle_case.version.content
        out[child.case_id] = BundleMark(
            bundle_case_number=child.bundle_case.number,
            bundle_name=str(content.get("name", "")),
            item_key=child.item_key,
            waiting_for=tuple(child.depends_on) if child.state == BundleChildState.WAITING else (),
            results_held=content.get("result_delivery") == "together"
            and child.bundle_case.concluded_at is None,
        )
    return out


# --- bundle editor -----------------------------------------------------------------------------


def bundle_editor_list(*, actor: Actor | None) -> QuerySet[Bundle]:
    """Bundles of the regions where the actor is a catalog administrator."""
    scope = actor_scope(actor)
    qs = Bundle.objects.select_related("region", "current_version")
    if scope.is_superuser:
        return qs
    prefixes = role_region_prefixes(actor=actor, role=Role.CATALOG_ADMIN)
    if not prefixes:
        return qs.none()
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(region__prefix__startswith=prefix)
    return qs.filter(q)


def bundle_editor_regions(*, actor: Actor | None) -> QuerySet[Region]:
    """Regions (county level and above) where the actor may start a bundle."""
    scope = actor_scope(actor)
    qs = Region.objects.filter(level__in=["province", "prefecture", "county"]).order_by("code")
    if scope.is_superuser:
        return qs
    q = Q(pk__in=[])
    for prefix in role_region_prefixes(actor=actor, role=Role.CATALOG_ADMIN):
        q |= Q(prefix__startswith=prefix)
    return qs.filter(q)


def bundle_editor_get(*, actor: Actor | None, bundle_id: int) -> Bundle:
    """One bundle the actor may edit or review; NotFound otherwise."""
    bundle = bundle_editor_list(actor=actor).filter(pk=bundle_id).first()
    if bundle is None:
        raise NotFound("bundles.not_found", _("Bundle not found."))
    return bundle


# --- remote intake -----------------------------------------------------------------------------


def remote_intake_list(*, actor: Actor | None) -> QuerySet[RemoteIntake]:
    """Remote intakes the actor may see: the receiving venue's clerks theirs; the deciding
    agency's staff those forwarded to it; supervisors and center admins their regions' parts."""
    scope = actor_scope(actor)
    qs = RemoteIntake.objects.select_related(
        "implementation__item", "deciding_agency", "receiving_venue", "receiving_window", "person", "case"
    )
    if scope.is_superuser:
        return qs
    if not scope.roles:
        return qs.none()
    forwarded = ~Q(state=RemoteIntakeState.RECEIVED)
    q = Q(receiving_venue_id__in=scope.venue_ids) | (Q(deciding_agency_id__in=scope.agency_ids) & forwarded)
    for role in (Role.SUPERVISOR, Role.CENTER_ADMIN):
        for prefix in role_region_prefixes(actor=actor, role=role):
            q |= Q(receiving_region__prefix__startswith=prefix)
            q |= Q(deciding_region__prefix__startswith=prefix) & forwarded
    return qs.filter(q)


def remote_intake_get(*, actor: Actor | None, intake_id: int) -> RemoteIntake:
    """One remote intake within the actor's scope; NotFound otherwise."""
    intake = remote_intake_list(actor=actor).filter(pk=intake_id).first()
    if intake is None:
        raise NotFound("bundles.remote.not_found", _("Remote intake not found."))
    return intake


def remote_intake_side(*, actor: Actor | None, intake: RemoteIntake) -> str:
    """Which part the actor holds: ``receiving`` (region A), ``deciding`` (region B) or ``both``."""
    scope = actor_scope(actor)
    if scope.is_superuser:
        return "both"
    receiving = intake.receiving_venue_id in scope.venue_ids
    deciding = intake.deciding_agency_id in scope.agency_ids
    if receiving and deciding:
        return "both"
    return "receiving" if receiving else ("deciding" if deciding else "")
