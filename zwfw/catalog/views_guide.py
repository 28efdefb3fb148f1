"""Public guide pages (anonymous): HTML, print view, PDF, QR code and the forms to download.

Every view resolves a published version through the catalog selectors, builds the guide
view-model once (``guide.guide_build``) and renders it; nothing here is stored or edited.
"""

from __future__ import annotations

import io

import segno
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from zwfw.catalog.guide import Guide, file_is_public, guide_build, published_version
from zwfw.catalog.guide_pdf import render_guide_pdf
from zwfw.catalog.models import CatalogFile
from zwfw.core.errors import NotFound


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/guide/not_found.html", status=404)


def _load(implementation_id: int, number: int | None) -> Guide:
    """The guide of the current version (``number`` None) or of one exact published version."""
    version = published_version(implementation_id=implementation_id, number=number)
    current = version.implementation.current_version
    return guide_build(version, current_number=current.number if current else None)


def _page_path(implementation_id: int, number: int | None) -> str:
    if number is None:
        return reverse("guide", kwargs={"implementation_id": implementation_id})
    return reverse("guide_version", kwargs={"implementation_id": implementation_id, "number": number})


def _qr_path(implementation_id: int, number: int | None) -> str:
    if number is None:
        return reverse("guide_qr", kwargs={"implementation_id": implementation_id})
    return reverse("guide_version_qr", kwargs={"implementation_id": implementation_id, "number": number})


def _pdf_path(implementation_id: int, number: int | None) -> str:
    if number is None:
        return reverse("guide_pdf", kwargs={"implementation_id": implementation_id})
    return reverse("guide_version_pdf", kwargs={"implementation_id": implementation_id, "number": number})


@require_GET
def guide(request: HttpRequest, implementation_id: int, number: int | None = None) -> HttpResponse:
    """The guide page; ``?print=1`` gives the print view without the site's navigation."""
    try:
        data = _load(implementation_id, number)
    except NotFound:
        return _not_found(request)
    page_path = _page_path(implementation_id, number)
    context = {
        "guide": data,
        "page_url": request.build_absolute_uri(page_path),
        "current_url": _page_path(implementation_id, None),
        "qr_url": _qr_path(implementation_id, number),
        "pdf_url": _pdf_path(implementation_id, number),
        "print_url": f"{page_path}?print=1",
        "back_url": page_path,
    }
    template = "catalog/guide/print.html" if request.GET.get("print") == "1" else "catalog/guide/detail.html"
    return render(request, template, context)


@require_GET
def guide_pdf(request: HttpRequest, implementation_id: int, number: int | None = None) -> HttpResponse:
    """The guide as an A4 PDF with its QR code, page numbers, version and date."""
    try:
        data = _load(implementation_id, number)
    except NotFound:
        return _not_found(request)
    page_url = request.build_absolute_uri(_page_path(implementation_id, number))
    body = render_guide_pdf(data, page_url=page_url)
    response = HttpResponse(body, content_type="application/pdf")
    filename = f"guide-{data.implementation_id}-v{data.version_number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def qr_svg(url: str, *, title: str = "") -> bytes:
    """An SVG QR code of ``url`` (error correction M, a quiet zone of 4 modules)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=4, border=4, xmldecl=False, svgclass="qr", title=title or None
    )
    return buffer.getvalue()


@require_GET
def guide_qr(request: HttpRequest, implementation_id: int, number: int | None = None) -> HttpResponse:
    """The QR code of the guide page itself (its absolute URL), as SVG."""
    try:
        _load(implementation_id, number)
    except NotFound:
        return _not_found(request)
    url = request.build_absolute_uri(_page_path(implementation_id, number))
    response = HttpResponse(qr_svg(url), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def catalog_file(request: HttpRequest, file_id: int) -> HttpResponseBase:
    """Download a blank form or sample offered by a published guide (others are 404)."""
    found = CatalogFile.objects.filter(pk=file_id).first()
    if found is None or not file_is_public(file_id):
        return _not_found(request)
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError):
        return _not_found(request)
    return FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
