"""Pages of e-licenses: the public verification page (亮证扫码, phone first, no account), the
holder's space (my licenses with QR code and PDF, shares, who looked at them), the one-click
attachment of a held license to an application (免证办), and the reviewer's view of an attached
license with its watermarked copy. Views parse, call one service or selector, and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zwfw.cases import selectors as cases_selectors
from zwfw.cases.models import Case, CaseMaterial
from zwfw.core.errors import DomainError, NotFound
from zwfw.core.models import Agency
from zwfw.licenses import pdf, selectors, services
from zwfw.licenses.models import LicenseGrant

STATE_CLASSES = {
    "valid": "ok",
    "expired": "warn",
    "not_yet_valid": "warn",
    "suspended": "warn",
    "revoked": "bad",
}


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone checks a license: from the scanned QR (``?t=``) or a pasted code. A code that
    does not check out is shown as "not genuine", never as an error page."""
    token = (request.POST.get("token") if request.method == "POST" else request.GET.get("t")) or ""
    token = token.strip()[:8000]
    result = selectors.license_verify(token=token) if token else None
    outcome = "" if result is None else (result.state if result.genuine else "not_genuine")
    return render(
        request,
        "licenses/verify.html",
        {
            "result": result,
            "outcome": outcome,
            "state_class": STATE_CLASSES.get(outcome, "bad"),
            "token": token,
        },
    )


@login_required
def my_licenses(request: HttpRequest) -> HttpResponse:
    """The holder's space: every license with its QR code, and who used them."""
    licenses = list(selectors.licenses_of_holder(actor=request.user))
    cards = [
        {"license": lic, "qr": pdf.qr_svg(lic.token), "in_force": selectors.license_in_force(lic)}
        for lic in licenses
    ]
    accesses = list(selectors.accesses_of_holder(actor=request.user)[:50])
    return render(request, "licenses/my_licenses.html", {"cards": cards, "accesses": accesses})


@login_required
def my_license(request: HttpRequest, license_id: int) -> HttpResponse:
    """One license: large QR code, fields, PDF, shares (grant and withdraw)."""
    try:
        lic = selectors.license_get_for_holder(actor=request.user, license_id=license_id)
    except NotFound:
        return render(request, "licenses/not_found.html", status=404)
    return render(
        request,
        "licenses/my_license.html",
        {
            "license": lic,
            "qr": pdf.qr_svg(lic.token),
            "labels": selectors.field_labels(lic),
            "grants": selectors.grants_of_license(license=lic),
            "agencies": Agency.objects.order_by("region__code", "name"),
            "in_force": selectors.license_in_force(lic),
        },
    )


@login_required
def my_license_pdf(request: HttpRequest, license_id: int) -> HttpResponse:
    """The holder's PDF of a license (with its QR code)."""
    try:
        lic = selectors.license_get_for_holder(actor=request.user, license_id=license_id)
    except NotFound:
        return render(request, "licenses/not_found.html", status=404)
    response = HttpResponse(
        pdf.license_pdf(lic, labels=selectors.field_labels(lic)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="license-{lic.number}.pdf"'
    return response


@login_required
@require_POST
def my_license_share(request: HttpRequest, license_id: int) -> HttpResponse:
    """The holder grants an agency access for some days."""
    try:
        lic = selectors.license_get_for_holder(actor=request.user, license_id=license_id)
    except NotFound:  # someone else's license: 404, as for every object outside one's scope
        return render(request, "licenses/not_found.html", status=404)
    try:
        agency = Agency.objects.filter(pk=int(request.POST.get("agency") or 0)).first()
        if agency is None:
            raise NotFound("license.agency_unknown", _("Choose an agency."))
        services.license_share(
            actor=request.user,
            license=lic,
            agency=agency,
            purpose=request.POST.get("purpose", ""),
            days=int(request.POST.get("days") or 0),
        )
        messages.success(request, _("Access granted."))
    except (DomainError, ValueError) as exc:
        messages.error(request, str(getattr(exc, "message", _("Some fields are missing or invalid."))))
    return redirect("my_license", license_id=license_id)


@login_required
@require_POST
def my_license_grant_withdraw(request: HttpRequest, grant_id: int) -> HttpResponse:
    """The holder withdraws a grant (anyone else's grant is not found, never revealing it exists)."""
    grant = LicenseGrant.objects.filter(
        pk=grant_id, license__in=selectors.licenses_of_holder(actor=request.user)
    ).first()
    if grant is None:
        return render(request, "licenses/not_found.html", status=404)
    try:
        services.license_share_withdraw(actor=request.user, grant=grant)
        messages.success(request, _("Access withdrawn."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("my_license", license_id=grant.license_id)


@login_required
@require_POST
def attach(request: HttpRequest, case_id: int) -> HttpResponse:
    """免证办: one click attaches a held license (``attach`` = ``<requirement key>:<license id>``)
    to the applicant's case, then back to the application."""
    try:
        case = cases_selectors.case_get(actor=request.user, case_id=case_id)
    except NotFound:
        return render(request, "licenses/not_found.html", status=404)
    key, _sep, license_id = (request.POST.get("attach") or "").partition(":")
    try:
        lic = selectors.license_get_for_holder(actor=request.user, license_id=int(license_id or 0))
        services.license_attach_to_case(actor=request.user, case=case, requirement_key=key, license=lic)
        messages.success(request, _("The e-license was attached. You do not need to upload it."))
    except (DomainError, ValueError) as exc:
        messages.error(request, str(getattr(exc, "message", _("License not found."))))
    if case.state == "draft":
        return redirect("apply_start", implementation_id=case.implementation_id)
    return redirect("my_case", case_id=case.pk)


def _case_material(request: HttpRequest, case_id: int, material_id: int) -> tuple[Case, CaseMaterial]:
    case = cases_selectors.case_get(actor=request.user, case_id=case_id)
    material = CaseMaterial.objects.filter(pk=material_id, case=case, kind="e_license").first()
    if material is None:
        raise NotFound("license.not_found", _("License not found."))
    return case, material


@login_required
def case_license(request: HttpRequest, case_id: int, material_id: int) -> HttpResponse:
    """The reviewer sees an attached license verified (genuine, issuer, validity, standing)."""
    try:
        case, material = _case_material(request, case_id, material_id)
        result = services.license_check_for_case(actor=request.user, case=case, material=material)
    except NotFound:
        return render(request, "licenses/not_found.html", status=404)
    outcome = result.state if result.genuine else "not_genuine"
    return render(
        request,
        "licenses/case_license.html",
        {
            "case": case,
            "material": material,
            "result": result,
            "outcome": outcome,
            "state_class": STATE_CLASSES.get(outcome, "bad"),
        },
    )


@login_required
def case_license_copy(request: HttpRequest, case_id: int, material_id: int) -> HttpResponse:
    """The using agency's watermarked copy of an attached license (logged for the holder)."""
    try:
        case, material = _case_material(request, case_id, material_id)
        lic = selectors.license_for_material(material=material)
        if lic is None:
            raise NotFound("license.not_found", _("License not found."))
        content = services.license_copy_for_agency(
            actor=request.user,
            license=lic,
            case=case,
            purpose=material.name,
        )
    except NotFound:
        return render(request, "licenses/not_found.html", status=404)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="license-{lic.number}-copy.pdf"'
    return response
