"""免证办 and sharing: attaching a held license to an application with consent, grants
and their withdrawal, agencies' access (logged for the holder), the reviewer's check and the
watermarked copy."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zwfw.cases import selectors as cases_selectors
from zwfw.cases import services as cases_services
from zwfw.cases.models import Case, CaseMaterial
from zwfw.core.errors import Conflict, NotFound, ValidationFailed
from zwfw.core.ledger import audit_record
from zwfw.core.models import Agency
from zwfw.identity.selectors import Actor, actor_scope
from zwfw.licenses import pdf, selectors
from zwfw.licenses.models import (
    AccessKind,
    License,
    LicenseAccess,
    LicenseGrant,
)
from zwfw.licenses.selectors import (
    license_in_force,
    license_type_for_name,
)
from zwfw.licenses.services._common import _user

# --- 免证办, shares, access log ------------------------------------------------------------------


def _holds(actor: Actor | None, lic: License) -> bool:
    scope = actor_scope(actor)
    if scope.user_id is None:
        return False
    if lic.holder_person_id is not None and lic.holder_person_id == scope.person_id:
        return True
    return lic.holder_enterprise_id is not None and lic.holder_enterprise_id == scope.enterprise_id


def _grant_days() -> int:
    return int(getattr(settings, "ZWFW_LICENSE_CASE_GRANT_DAYS", 365))


@transaction.atomic
def license_attach_to_case(
    *, actor: Actor | None, case: Case, requirement_key: str, license: License
) -> CaseMaterial:
    """免证办: the holder attaches a license they hold instead of uploading a copy. Their click is
    the consent: a grant to the case's agency for this case goes on the ledger, then the case
    receives the material (kind ``e_license``, the license number as reference)."""
    lic = License.objects.select_related("license_type", "agency").get(pk=license.pk)
    if not _holds(actor, lic):
        raise NotFound("license.not_found", _("License not found."))
    requirement = case.version.materials.filter(key=requirement_key).first()
    if requirement is None or requirement.source != "e_license":
        raise ValidationFailed(
            "license.not_an_e_license_material",
            _("This material is not an e-license."),
            [{"field": "requirement_key"}],
        )
    wanted = license_type_for_name(requirement.license_type)
    if wanted is None or wanted.pk != lic.license_type_id:
        raise ValidationFailed(
            "license.type_mismatch", _("This license is not of the kind asked for."), [{"field": "license"}]
        )
    if not license_in_force(lic):
        raise Conflict("license.not_in_force", _("This license is not in force."), {"state": lic.state})
    user = _user(actor)
    assert user is not None
    grant = LicenseGrant.objects.create(
        license=lic,
        agency=case.agency,
        case=case,
        purpose=f"{case.number} {case.implementation.item.name}"[:200],
        valid_until=timezone.now() + datetime.timedelta(days=_grant_days()),
        created_by=user,
    )
    audit_record(
        actor=actor,
        object_type="license",
        object_id=lic.pk,
        action="consent",
        payload={
            "grant": grant.pk,
            "agency": case.agency_id,
            "case": case.number,
            "requirement": requirement_key,
        },
    )
    LicenseAccess.objects.create(
        license=lic,
        kind=AccessKind.ATTACH,
        actor=user,
        agency=case.agency,
        case=case,
        grant=grant,
        purpose=grant.purpose,
        at=timezone.now(),
    )
    return cases_services.case_material_add(
        actor=actor,
        case=case,
        requirement_key=requirement_key,
        kind="e_license",
        license_reference=lic.number,
    )


@transaction.atomic
def license_share(
    *,
    actor: Actor | None,
    license: License,
    agency: Agency,
    purpose: str,
    days: int,
    case: Case | None = None,
) -> LicenseGrant:
    """The holder lets an agency (or one of its cases) use a license for ``days`` days."""
    if not _holds(actor, license):
        raise NotFound("license.not_found", _("License not found."))
    problems = []
    if not purpose.strip():
        problems.append({"field": "purpose"})
    if not 1 <= days <= 366:
        problems.append({"field": "days"})
    if case is not None and case.agency_id != agency.pk:
        problems.append({"field": "case"})
    if problems:
        raise ValidationFailed(
            "license.share_invalid", _("Say for what and for how long (1 to 366 days)."), problems
        )
    user = _user(actor)
    assert user is not None
    grant = LicenseGrant.objects.create(
        license=license,
        agency=agency,
        case=case,
        purpose=purpose.strip()[:200],
        valid_until=timezone.now() + datetime.timedelta(days=days),
        created_by=user,
    )
    audit_record(
        actor=actor,
        object_type="license",
        object_id=license.pk,
        action="share",
        payload={"grant": grant.pk, "agency": agency.pk, "case": case.number if case else None, "days": days},
    )
    return grant


@transaction.atomic
def license_share_withdraw(*, actor: Actor | None, grant: LicenseGrant) -> LicenseGrant:
    """The holder withdraws a grant; the agency loses access at once."""
    grant = LicenseGrant.objects.select_for_update().select_related("license").get(pk=grant.pk)
    if not _holds(actor, grant.license):
        raise NotFound("license.not_found", _("License not found."))
    if grant.withdrawn_at is not None:
        raise Conflict("license.share_withdrawn", _("This grant was already withdrawn."))
    grant.withdrawn_at = timezone.now()
    grant.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor,
        object_type="license",
        object_id=grant.license_id,
        action="share_withdraw",
        payload={"grant": grant.pk},
    )
    return grant


def _active_grant(lic: License, agency_ids: frozenset[int], case: Case | None) -> LicenseGrant | None:
    grants = LicenseGrant.objects.filter(
        license=lic, agency_id__in=agency_ids, withdrawn_at__isnull=True, valid_until__gt=timezone.now()
    )
    if case is not None:
        grants = grants.filter(Q(case=case) | Q(case__isnull=True))
    return grants.order_by("-created_at").first()


@transaction.atomic
def license_access(
    *,
    actor: Actor | None,
    license: License,
    kind: str = AccessKind.VIEW,
    case: Case | None = None,
    purpose: str = "",
) -> LicenseAccess:
    """Staff of an agency use a license: allowed to the issuing agency and to agencies holding a
    live grant from the holder; every use is logged for the holder and on the ledger."""
    scope = actor_scope(actor)
    user = _user(actor)
    if user is None or not scope.is_staff_member:
        raise NotFound("license.not_found", _("License not found."))
    grant = None
    agency: Agency | None = None
    if license.agency_id in scope.agency_ids or scope.is_superuser:
        agency = license.agency
    else:
        grant = _active_grant(license, scope.agency_ids, case)
        if grant is None:
            raise NotFound("license.not_found", _("License not found."))
        agency = grant.agency
    access = LicenseAccess.objects.create(
        license=license,
        kind=kind,
        actor=user,
        agency=agency,
        case=case or (grant.case if grant else None),
        grant=grant,
        purpose=(purpose or (grant.purpose if grant else ""))[:200],
        at=timezone.now(),
    )
    audit_record(
        actor=actor,
        object_type="license",
        object_id=license.pk,
        action="access",
        payload={"kind": kind, "agency": agency.pk if agency else None, "grant": grant.pk if grant else None},
    )
    return access


# --- using a license in a case (the reviewer's side of 免证办) ------------------------------------


def license_check_for_case(
    *, actor: Actor | None, case: Case, material: CaseMaterial
) -> selectors.Verification:
    """The reviewer opens an attached license: verified online (signature, validity, standing);
    the use is logged for the holder. The case must be in the actor's scope."""
    case = cases_selectors.case_get(actor=actor, case_id=case.pk)
    if material.case_id != case.pk or material.kind != "e_license":
        raise NotFound("license.not_found", _("License not found."))
    lic = selectors.license_for_material(material=material)
    if lic is None:
        return selectors.Verification(genuine=False, reason="unknown_license")
    license_access(actor=actor, license=lic, kind=AccessKind.VIEW, case=case, purpose=case.number)
    return selectors.license_verify(token=lic.token)


def license_copy_for_agency(
    *, actor: Actor | None, license: License, case: Case | None = None, purpose: str = ""
) -> bytes:
    """The watermarked PDF copy a using agency receives (purpose, using agency, valid-until
    date across the page); logged as a copy for the holder."""
    access = license_access(actor=actor, license=license, kind=AccessKind.COPY, case=case, purpose=purpose)
    until = (
        access.grant.valid_until if access.grant is not None else timezone.now() + datetime.timedelta(days=30)
    )
    agency_name = access.agency.name if access.agency else ""
    watermark = _("For %(purpose)s by %(agency)s only · valid until %(date)s") % {
        "purpose": access.purpose or _("official use"),
        "agency": agency_name,
        "date": timezone.localtime(until).date().isoformat(),
    }
    labels = selectors.field_labels(license)
    return pdf.license_pdf(license, labels=labels, watermark=watermark)
