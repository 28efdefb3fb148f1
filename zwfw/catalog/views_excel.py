"""Pages for Excel import and export of the catalog, under /workbench/catalog/.

- ``import/``: upload an .xlsx (multipart POST with CSRF). Files up to ``ZWFW_IMPORT_SYNC_MAX_ROWS``
  rows are imported within the request and the result (counts, or every refused cell in a table)
  is shown at once; larger files are imported by a background task and the page shows a progress
  row, polled with htmx (a plain page refresh without JavaScript);
- ``import/<id>/``: that progress row and, when done, the result;
- ``import/template.xlsx``: the blank template; ``export/``: download a region's or an agency's
  catalog in the same layout.
Login is required; without the catalog_admin role the pages answer 403. The views only parse,
call ``zwfw.catalog.excel`` and render.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from zwfw.catalog import excel
from zwfw.catalog.excel import reader
from zwfw.catalog.excel import tasks as import_tasks
from zwfw.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from zwfw.core.models import Agency, Region
from zwfw.identity.models import Role
from zwfw.identity.selectors import actor_scope, role_region_prefixes

View = Callable[..., HttpResponseBase]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def catalog_admin_view(view: View) -> View:
    """Login (else redirect to the login page) and the catalog_admin role (else 403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        scope = actor_scope(request.user)
        if not (scope.is_superuser or Role.CATALOG_ADMIN in scope.roles):
            return render(
                request,
                "catalog/excel/forbidden.html",
                {"message": _("Only catalog administrators may import or export the catalog.")},
                status=403,
            )
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            return render(request, "catalog/excel/forbidden.html", {"message": exc.message}, status=404)
        except PermissionDenied as exc:
            return render(request, "catalog/excel/forbidden.html", {"message": exc.message}, status=403)

    return login_required(wrapper)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


class ImportForm(forms.Form):
    """The upload: one .xlsx file."""

    file = forms.FileField(label=gettext_lazy("Workbook (.xlsx)"))


def _limits() -> dict[str, Any]:
    return {
        "max_mb": f"{reader.max_bytes() / 1024 / 1024:g}",
        "max_rows": reader.max_rows(),
        "sync_rows": import_tasks.sync_max_rows(),
    }


def _result_context(errors: list[dict[str, Any]] | None = None, message: str = "") -> dict[str, Any]:
    return {"errors": errors or [], "error_message": message}


@catalog_admin_view
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload form; a small file is imported at once, a large one is handed to a task."""
    context: dict[str, Any] = {"limits": _limits(), "form": ImportForm()}
    if request.method == "GET":
        return render(request, "catalog/excel/import.html", context)
    form = ImportForm(request.POST, request.FILES)
    context["form"] = form
    fragment = "catalog/excel/_import_result.html" if _is_htmx(request) else "catalog/excel/import.html"
    if not form.is_valid():
        context.update(_result_context(message=_("Choose the workbook to import.")))
        return render(request, fragment, context, status=200 if _is_htmx(request) else 400)
    upload = form.cleaned_data["file"]
    try:
        data = reader.read_upload(upload)
    except reader.FileRefused as exc:
        context.update(_result_context([{"code": exc.code, "message": exc.message}], exc.message))
        return render(request, fragment, context, status=200 if _is_htmx(request) else 422)
    rows = import_tasks.estimate_rows(data)
    if rows is not None and rows > import_tasks.sync_max_rows():
        result_id = import_tasks.import_enqueue(actor=request.user, data=data, filename=upload.name)
        status_url = reverse("catalog_import_status", args=[result_id])
        if _is_htmx(request):
            status = import_tasks.import_status(actor=request.user, result_id=result_id)
            return render(
                request, "catalog/excel/_import_progress.html", {"status": status, "status_url": status_url}
            )
        return HttpResponseRedirect(status_url, status=303)
    try:
        report = excel.catalog_import(actor=request.user, file=data, filename=upload.name)
    except ValidationFailed as exc:
        details = exc.details if isinstance(exc.details, list) else []
        context.update(_result_context(details, str(exc.message)))
        return render(request, fragment, context, status=200 if _is_htmx(request) else 422)
    except DomainError as exc:
        context.update(_result_context([], str(exc.message)))
        return render(request, fragment, context, status=200 if _is_htmx(request) else exc.status)
    context["report"] = report
    return render(request, fragment, context)


@catalog_admin_view
@require_GET
def import_status_page(request: HttpRequest, result_id: str) -> HttpResponse:
    """Progress of a background import (the progress row alone for htmx polling)."""
    status = import_tasks.import_status(actor=request.user, result_id=str(result_id))
    context = {
        "status": status,
        "status_url": reverse("catalog_import_status", args=[result_id]),
        "limits": _limits(),
    }
    template = "catalog/excel/_import_progress.html" if _is_htmx(request) else "catalog/excel/status.html"
    return render(request, template, context)


@catalog_admin_view
@require_GET
def import_template(request: HttpRequest) -> FileResponse:
    """The blank import template."""
    return FileResponse(
        _bytes_io(excel.template_build()),
        as_attachment=True,
        filename="实施清单导入模板.xlsx",
        content_type=XLSX,
    )


def _bytes_io(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


class ExportForm(forms.Form):
    """What to export: a region (and below) or one agency, published versions or drafts."""

    drafts = forms.BooleanField(
        label=gettext_lazy("Export drafts instead of the published versions"), required=False
    )

    def __init__(self, *args: Any, regions: list[Region], agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = forms.ChoiceField(
            label=_("Region"),
            required=False,
            choices=[("", _("All my regions"))] + [(r.code, f"{r.name} ({r.code})") for r in regions],
        )
        self.fields["agency"] = forms.ChoiceField(
            label=_("Agency"),
            required=False,
            choices=[("", _("All agencies"))]
            + [(str(a.pk), f"{a.name} · {a.region.name}") for a in agencies],
        )
        self.order_fields(["region", "agency", "drafts"])


def _export_scope(request: HttpRequest) -> tuple[list[Region], list[Agency]]:
    """Regions and agencies the actor may export."""
    scope = actor_scope(request.user)
    regions = Region.objects.order_by("code")
    agencies = Agency.objects.select_related("region").order_by("region__code", "name")
    if not scope.is_superuser:
        prefixes = role_region_prefixes(actor=request.user, role=Role.CATALOG_ADMIN)
        keep = [r for r in regions if any(r.prefix.startswith(p) for p in prefixes)]
        return keep, [a for a in agencies if any(a.region.prefix.startswith(p) for p in prefixes)]
    return list(regions), list(agencies)


@catalog_admin_view
@require_GET
def export_page(request: HttpRequest) -> HttpResponseBase:
    """The export form; with ``download`` the workbook itself."""
    regions, agencies = _export_scope(request)
    if "download" not in request.GET:
        form = ExportForm(regions=regions, agencies=agencies)
        return render(request, "catalog/excel/export.html", {"form": form})
    form = ExportForm(request.GET, regions=regions, agencies=agencies)
    if not form.is_valid():
        return render(request, "catalog/excel/export.html", {"form": form}, status=400)
    region = next((r for r in regions if r.code == form.cleaned_data["region"]), None)
    agency = next((a for a in agencies if str(a.pk) == form.cleaned_data["agency"]), None)
    data = excel.catalog_export(
        actor=request.user, region=region, agency=agency, include_drafts=form.cleaned_data["drafts"]
    )
    label = agency.name if agency else (region.name if region else _("catalog"))
    return FileResponse(
        _bytes_io(data), as_attachment=True, filename=f"实施清单-{label}.xlsx", content_type=XLSX
    )
