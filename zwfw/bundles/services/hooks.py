"""What the case engine tells the bundles: a child case concluded, or asked for corrections,
and asks them: may this child's result be delivered now?

The case engine calls these inside its services' transactions (see docs/bundles.md, "Wiring").
Each does nothing for a case that is not part of a bundle.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zwfw.bundles import selectors
from zwfw.bundles.models import BundleCase, BundleChild, BundleChildState
from zwfw.cases import services as case_services
from zwfw.cases.models import Case, CaseMaterial, CaseState, MaterialKind, NoticeKind
from zwfw.core.errors import Conflict
from zwfw.core.ledger import audit_record
from zwfw.core.models import AuditEvent
from zwfw.identity.models import User
from zwfw.identity.selectors import Actor


def _child_of(case: Case) -> BundleChild | None:
    return BundleChild.objects.select_related("bundle_case__version", "case").filter(case_id=case.pk).first()


def _pass_results(child: BundleChild, siblings: dict[str, BundleChild], applicant: User) -> list[str]:
    """Give a waiting child the results of its predecessors as the materials they provide."""
    content = selectors.version_content(child.bundle_case.version)
    item = next((i for i in content.items if i.key == child.item_key), None)
    passed = []
    for dependency in item.depends_on if item else []:
        predecessor = siblings.get(dependency.item)
        if predecessor is None or not dependency.result_as:
            continue
        source = predecessor.case
        requirement = child.case.version.materials.filter(key=dependency.result_as).first()
        if requirement is None:
            continue
        row = CaseMaterial(
            case=child.case,
            requirement_key=requirement.key,
            name=requirement.name,
            received_by=applicant,
        )
        if source.result_file:
            row.kind = MaterialKind.UPLOAD
            row.file = source.result_file.name
            row.original_name = source.result_name or requirement.name
        else:
            row.kind = MaterialKind.E_LICENSE
            row.license_reference = f"case:{source.number}"
        child.case.materials.filter(requirement_key=requirement.key, superseded=False).update(superseded=True)
        row.save()
        audit_record(
            actor=applicant,
            object_type="case",
            object_id=child.case_id,
            action="material_received",
            payload={"key": requirement.key, "kind": row.kind, "from_case": source.number},
        )
        passed.append(source.number)
    return passed


def _descendants(key: str, children: list[BundleChild]) -> list[BundleChild]:
    """Every child that needs ``key``'s result, directly or through another child."""
    out: list[BundleChild] = []
    frontier = {key}
    while frontier:
        found = [c for c in children if set(c.depends_on) & frontier and c not in out]
        out += found
        frontier = {c.item_key for c in found}
    return out


@transaction.atomic
def bundle_child_decided(*, case: Case, actor: Actor | None = None) -> BundleCase | None:
    """A child case concluded (decided, refused at intake or withdrawn).

    Approved: every waiting child whose predecessors all have their results gets them as
    materials and is submitted to its agency, on the applicant's behalf (their bundle submission
    is the standing instruction). Otherwise the children that needed this result are withdrawn.
    Each step is on the bundle case's ledger.
    """
    child = _child_of(case)
    if child is None:
        return None
    bundle_case = BundleCase.objects.select_for_update().get(pk=child.bundle_case_id)
    case = Case.objects.get(pk=case.pk)
    applicant = bundle_case.applicant_user
    children = list(bundle_case.children.select_related("case__version").order_by("position"))
    by_key = {c.item_key: c for c in children}
    if case.state not in selectors.CONCLUDED:
        return bundle_case
    if AuditEvent.objects.filter(
        chain=f"bundle_case:{bundle_case.pk}", action="child_concluded", payload__case=case.number
    ).exists():
        return bundle_case  # already handled (the hook may be called again for the same decision)
    audit_record(
        actor=actor,
        object_type="bundle_case",
        object_id=bundle_case.pk,
        action="child_concluded",
        payload={"item": child.item_key, "case": case.number, "state": case.state},
    )
    if case.state in selectors.APPROVED:
        for waiting in children:
            if waiting.state != BundleChildState.WAITING:
                continue
            if not all(by_key[k].case.state in selectors.APPROVED for k in waiting.depends_on if k in by_key):
                continue
            passed = _pass_results(waiting, by_key, applicant)
            waiting.state = BundleChildState.STARTED
            waiting.started_at = timezone.now()
            waiting.save(update_fields=["state", "started_at"])
            submitted = case_services.case_submit(actor=applicant, case=waiting.case)
            audit_record(
                actor=actor,
                object_type="bundle_case",
                object_id=bundle_case.pk,
                action="child_started",
                payload={"item": waiting.item_key, "case": submitted.number, "results": passed},
            )
    else:
        for dependent in _descendants(child.item_key, children):
            if dependent.state != BundleChildState.WAITING:
                continue
            dependent.state = BundleChildState.CANCELLED
            dependent.save(update_fields=["state"])
            case_services.case_withdraw(
                actor=applicant,
                case=dependent.case,
                reason=_("The result this item needs was not granted (%(number)s).")
                % {"number": case.number},
            )
            audit_record(
                actor=actor,
                object_type="bundle_case",
                object_id=bundle_case.pk,
                action="child_cancelled",
                payload={"item": dependent.item_key, "because": case.number},
            )
    states = set(Case.objects.filter(bundle_child__bundle_case=bundle_case).values_list("state", flat=True))
    if states <= selectors.CONCLUDED and bundle_case.concluded_at is None:
        bundle_case.concluded_at = timezone.now()
        bundle_case.save(update_fields=["concluded_at"])
        audit_record(
            actor=actor,
            object_type="bundle_case",
            object_id=bundle_case.pk,
            action="concluded",
            payload={"states": sorted(states)},
        )
        if selectors.version_content(bundle_case.version).result_delivery == "together":
            ready = Case.objects.filter(
                bundle_child__bundle_case=bundle_case, state__in=[CaseState.APPROVED, CaseState.DENIED]
            ).order_by("number")
            audit_record(
                actor=actor,
                object_type="bundle_case",
                object_id=bundle_case.pk,
                action="results_released",
                payload={"cases": list(ready.values_list("number", flat=True))},
            )
    return bundle_case


def bundle_delivery_check(*, case: Case) -> None:
    """Refuse to deliver a child's result before its bundle may deliver it (``case_deliver``).

    A bundle that delivers results together (``result_delivery == "together"``) holds every
    child's result, approval or denial, until all its children have concluded; then the results
    are delivered together. Delivering one earlier is refused with ``bundles.results_together``
    (409), telling the clerk which items are still open; nothing changes and the result stays
    held with the case. A bundle delivering results as they come allows it at once."""
    if case.state not in (CaseState.APPROVED, CaseState.DENIED):
        return  # nothing to deliver yet: the case engine refuses the transition itself
    child = _child_of(case)
    if child is None:
        return
    bundle_case = child.bundle_case
    content = selectors.version_content(bundle_case.version)
    if content.result_delivery != "together":
        return
    siblings = bundle_case.children.select_related("case__implementation__item").order_by("position")
    still_open = [c for c in siblings if c.case.state not in selectors.CONCLUDED]
    if not still_open:
        return
    raise Conflict(
        "bundles.results_together",
        _(
            "This case belongs to “%(bundle)s” (%(number)s), whose results are delivered together: "
            "%(items)s not concluded yet. The result is held and delivered with the others once "
            "every item has concluded."
        )
        % {
            "bundle": content.name,
            "number": bundle_case.number,
            "items": "、".join(c.case.implementation.item.name for c in still_open),
        },
        [
            {
                "bundle_case": bundle_case.number,
                "item": c.item_key,
                "case": c.case.number,
                "name": c.case.implementation.item.name,
                "state": c.case.state,
            }
            for c in still_open
        ],
    )


@transaction.atomic
def bundle_child_correction_requested(*, case: Case, actor: Actor | None = None) -> BundleCase | None:
    """A child's agency issued a one-time notice: it reaches the applicant as part of the bundle
    (the bundle page lists it and takes the answer); recorded on the bundle case's ledger."""
    child = _child_of(case)
    if child is None:
        return None
    notice = case.notices.filter(kind=NoticeKind.CORRECTION).order_by("-issued_at").first()
    audit_record(
        actor=actor,
        object_type="bundle_case",
        object_id=child.bundle_case_id,
        action="correction_requested",
        payload={
            "item": child.item_key,
            "case": case.number,
            "items": [i["key"] for i in notice.items] if notice else [],
            "state": CaseState.CORRECTION_REQUESTED,
        },
    )
    return child.bundle_case
