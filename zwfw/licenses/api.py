"""E-license API under /api/v1/licenses: public verification, the published keys and status
lists (no account needed), the holder's licenses, shares and access log, and the issuing
agency's suspend / reinstate / revoke. Handlers parse, call one service or selector, answer.
No response ever carries a private key: keys are served from ``selectors.keys_published``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from zwfw.cases import selectors as cases_selectors
from zwfw.core.errors import NotFound, ValidationFailed
from zwfw.core.models import Agency
from zwfw.licenses import selectors, services
from zwfw.licenses.models import License, LicenseGrant

router = Router(tags=["licenses"])


class VerifyIn(Schema):
    token: str = Field(default="", max_length=8000)
    credential: dict[str, Any] | None = None


class LicenseFieldOut(Schema):
    label: str
    value: str


class VerifyOut(Schema):
    genuine: bool
    state: str
    number: str
    type_name: str
    issuer: str
    holder_name: str
    holder_id_masked: str
    fields: list[LicenseFieldOut]
    valid_from: str
    valid_until: str
    algorithm: str
    kid: str


def verify_out(result: selectors.Verification) -> VerifyOut:
    """The verification as the API tells it (nothing of the license when not genuine)."""
    return VerifyOut(
        genuine=result.genuine,
        state=result.state if result.genuine else "not_genuine",
        number=result.number,
        type_name=result.type_name,
        issuer=result.issuer_name,
        holder_name=result.holder_name,
        holder_id_masked=result.holder_id_masked,
        fields=[LicenseFieldOut(label=label, value=value) for label, value in result.fields],
        valid_from=result.valid_from,
        valid_until=result.valid_until,
        algorithm=result.algorithm,
        kid=result.kid,
    )


@router.post("/verify", response=VerifyOut, auth=None)
def verify(request: HttpRequest, payload: VerifyIn) -> VerifyOut:
    """Anyone checks a QR token or a credential: genuine or not, issuer, validity, standing."""
    if not payload.token and payload.credential is None:
        raise ValidationFailed(
            "license.verify_input_required", _("Give the code or the credential."), [{"field": "token"}]
        )
    return verify_out(selectors.license_verify(token=payload.token, credential=payload.credential))


@router.get("/keys", auth=None)
def keys(request: HttpRequest) -> dict[str, Any]:
    """The public keys of every seal (active and retired), for offline verification."""
    return selectors.keys_published()


@router.get("/status/{list_id}/{purpose}", auth=None)
def status_list(request: HttpRequest, list_id: int, purpose: str) -> dict[str, Any]:
    """A signed W3C Bitstring Status List credential (purpose: revocation or suspension)."""
    return services.status_list_credential(list_id=list_id, purpose=purpose)


class LicenseOut(Schema):
    id: int
    number: str
    type_code: str
    type_name: str
    issuer: str
    state: str
    valid_from: datetime.date
    valid_until: datetime.date | None
    fields: dict[str, str]
    token: str

    @staticmethod
    def of(lic: License) -> LicenseOut:
        """A license as its holder sees it."""
        return LicenseOut(
            id=lic.pk,
            number=lic.number,
            type_code=lic.license_type.code,
            type_name=lic.license_type.name,
            issuer=lic.agency.name,
            state=lic.state,
            valid_from=lic.valid_from,
            valid_until=lic.valid_until,
            fields=lic.fields,
            token=lic.token,
        )


@router.get("/mine", response=list[LicenseOut], auth=django_auth)
def mine(request: HttpRequest) -> list[LicenseOut]:
    """The caller's own licenses."""
    return [LicenseOut.of(lic) for lic in selectors.licenses_of_holder(actor=request.user)]


@router.get("/mine/{license_id}/credential", auth=django_auth)
def credential(request: HttpRequest, license_id: int) -> dict[str, Any]:
    """The holder downloads their signed credential (W3C VC 2.0 JSON)."""
    return dict(selectors.license_get_for_holder(actor=request.user, license_id=license_id).document)


class LicenseReasonIn(Schema):
    reason: str = Field(default="", max_length=2000)


class StateOut(Schema):
    number: str
    state: str


def _issued(request: HttpRequest, number: str) -> License:
    lic = License.objects.select_related("agency").filter(number=number).first()
    if lic is None:
        raise NotFound("license.not_found", _("License not found."))
    return lic


@router.post("/{number}/suspend", response=StateOut, auth=django_auth)
def suspend(request: HttpRequest, number: str, payload: LicenseReasonIn) -> StateOut:
    """The issuing agency suspends a license (reason required)."""
    lic = services.license_suspend(
        actor=request.user, license=_issued(request, number), reason=payload.reason
    )
    return StateOut(number=lic.number, state=lic.state)


@router.post("/{number}/reinstate", response=StateOut, auth=django_auth)
def reinstate(request: HttpRequest, number: str, payload: LicenseReasonIn) -> StateOut:
    """The issuing agency lifts a suspension."""
    lic = services.license_reinstate(
        actor=request.user, license=_issued(request, number), reason=payload.reason
    )
    return StateOut(number=lic.number, state=lic.state)


@router.post("/{number}/revoke", response=StateOut, auth=django_auth)
def revoke(request: HttpRequest, number: str, payload: LicenseReasonIn) -> StateOut:
    """The issuing agency revokes a license (reason required; final)."""
    lic = services.license_revoke(actor=request.user, license=_issued(request, number), reason=payload.reason)
    return StateOut(number=lic.number, state=lic.state)


class ShareIn(Schema):
    agency_id: int
    purpose: str = Field(max_length=200)
    days: int = Field(ge=1, le=366)
    case_id: int | None = None


class GrantOut(Schema):
    id: int
    agency: str
    purpose: str
    valid_until: datetime.datetime
    withdrawn: bool


def _grant_out(grant: LicenseGrant) -> GrantOut:
    return GrantOut(
        id=grant.pk,
        agency=grant.agency.name,
        purpose=grant.purpose,
        valid_until=grant.valid_until,
        withdrawn=grant.withdrawn_at is not None,
    )


@router.post("/mine/{license_id}/shares", response={201: GrantOut}, auth=django_auth)
def share(request: HttpRequest, license_id: int, payload: ShareIn) -> Status:
    """The holder grants an agency (or one of its cases) access for a number of days."""
    lic = selectors.license_get_for_holder(actor=request.user, license_id=license_id)
    agency = Agency.objects.filter(pk=payload.agency_id).first()
    if agency is None:
        raise ValidationFailed("license.agency_unknown", _("Unknown agency."), [{"field": "agency_id"}])
    case = cases_selectors.case_get(actor=request.user, case_id=payload.case_id) if payload.case_id else None
    grant = services.license_share(
        actor=request.user, license=lic, agency=agency, purpose=payload.purpose, days=payload.days, case=case
    )
    return Status(201, _grant_out(grant))


@router.post("/shares/{grant_id}/withdraw", response=GrantOut, auth=django_auth)
def share_withdraw(request: HttpRequest, grant_id: int) -> GrantOut:
    """The holder withdraws a grant."""
    grant = LicenseGrant.objects.select_related("agency").filter(pk=grant_id).first()
    if grant is None:
        raise NotFound("license.not_found", _("License not found."))
    return _grant_out(services.license_share_withdraw(actor=request.user, grant=grant))


class AccessOut(Schema):
    number: str
    type_name: str
    kind: str
    agency: str
    case: str
    purpose: str
    at: datetime.datetime


@router.get("/mine/accesses", response=list[AccessOut], auth=django_auth)
def accesses(request: HttpRequest) -> list[AccessOut]:
    """Who used my licenses, newest first."""
    return [
        AccessOut(
            number=a.license.number,
            type_name=a.license.license_type.name,
            kind=a.kind,
            agency=a.agency.name if a.agency else "",
            case=a.case.number if a.case else "",
            purpose=a.purpose,
            at=a.at,
        )
        for a in selectors.accesses_of_holder(actor=request.user)[:200]
    ]
