"""Pages of bundles and remote intake: the bundle guide (一次告知) and the one merged form for
citizens (phone first), the applicant's one-status page with corrections, the clerks'
remote-intake pages, and the list of bundles where catalog administrators start one (the
editor itself is ``views_editor``).

Views stay thin: they parse, call one service or selector, and render; a refusal of a service
is shown as its message next to what it concerns.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from zwfw.bundles import selectors, services
from zwfw.bundles.merge import MergedForm
from zwfw.bundles.models import Bundle, RemoteIntake
from zwfw.catalog.models import Implementation, ImplementationStatus
from zwfw.core.errors import DomainError, NotFound, ValidationFailed
from zwfw.core.errors import PermissionDenied as DomainPermissionDenied
from zwfw.core.models import Region, Window, WindowKind
from zwfw.core.uploads import read_capped
from zwfw.identity.selectors import actor_scope, person_find_by_id_number

STATE_LABELS = {
    "submitted": gettext_lazy("Submitted, waiting for the agencies to accept"),
    "in_progress": gettext_lazy("Being handled"),
    "correction_requested": gettext_lazy("Please supply what was asked for"),
    "completed": gettext_lazy("Completed: all results are ready"),
    "partly_refused": gettext_lazy("Concluded: some items were not granted"),
}


def pages(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a service's NotFound into a 404 page and PermissionDenied into a 403 page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from exc

    return wrapped


def _details(exc: DomainError) -> list[dict[str, Any]]:
    """The error's details that point at something (dicts), for showing them next to it."""
    return [d for d in exc.details if isinstance(d, dict)] if isinstance(exc.details, list) else []


def _answers(data: Any, form_keys: list[str]) -> dict[str, bool]:
    """Answers from ``answer-<key>`` inputs (yes/no); unanswered questions are left out."""
    out: dict[str, bool] = {}
    for key in form_keys:
        value = data.get(f"answer-{key}", "")
        if value in ("yes", "no"):
            out[key] = value == "yes"
    return out


def _guide_context(bundle: Bundle, answers: dict[str, bool] | None) -> dict[str, Any]:
    """What the guide and the form show: the questions, items, fields and materials."""
    assert bundle.current_version is not None
    content = selectors.version_content(bundle.current_version)
    complete = answers is not None and len(answers) == len(content.questions)
    form: MergedForm = selectors.bundle_form(
        version=bundle.current_version, answers=answers if complete else None
    )
    impls = selectors.version_implementations(bundle.current_version)
    names = {i.key: (impls[i.key].item.name if i.key in impls else i.key) for i in form.items}
    items: list[dict[str, Any]] = []
    for i in form.items:
        impl = impls.get(i.key)
        version = impl.current_version if impl is not None else None
        items.append(
            {
                "key": i.key,
                "implementation": impl,
                "content": version.content if version is not None else {},
                "after": [names.get(d.item, d.item) for d in i.depends_on],
                "conditional": bool(i.applies_when),
            }
        )
    return {
        "bundle": bundle,
        "content": content,
        "answers": answers or {},
        "complete": complete,
        "form": form,
        "items": items,
        "names": names,
    }


@pages
def bundle_index(request: HttpRequest) -> HttpResponse:
    """Published bundles."""
    bundles = [
        (b, selectors.version_content(b.current_version))
        for b in selectors.bundle_list_published()
        if b.current_version
    ]
    return render(request, "bundles/index.html", {"bundles": bundles})


@pages
def bundle_guide(request: HttpRequest, code: str) -> HttpResponse:
    """The one-time notice of a bundle; answering the situation questions narrows it."""
    bundle = selectors.bundle_get_published(code=code)
    assert bundle.current_version is not None
    content = selectors.version_content(bundle.current_version)
    answers = _answers(request.GET, [q.key for q in content.questions])
    return render(request, "bundles/guide.html", _guide_context(bundle, answers))


@login_required
@require_http_methods(["GET", "POST"])
@pages
def bundle_apply(request: HttpRequest, code: str) -> HttpResponse:
    """The one merged form: each shared question and material once; submitting creates the
    bundle case and every child case in one go."""
    bundle = selectors.bundle_get_published(code=code)
    assert bundle.current_version is not None
    content = selectors.version_content(bundle.current_version)
    keys = [q.key for q in content.questions]
    data = request.POST if request.method == "POST" else request.GET
    answers = _answers(data, keys)
    if len(answers) < len(keys):
        messages.warning(request, _("Answer the questions about your situation first."))
        return redirect("bundle_guide", code=code)
    context = _guide_context(bundle, answers)
    problems: dict[str, str] = {}
    general: list[str] = []
    if request.method == "POST":
        values = {f.concept: request.POST.get(f"field-{f.concept}", "") for f in context["form"].fields}
        uploads = {}
        for material in context["form"].materials:
            upload = request.FILES.get(f"material-{material.key}")
            if upload is not None:
                uploads[material.key] = (read_capped(upload), upload.name or "")
        try:
            bundle_case = services.bundle_apply(
                actor=request.user,
                bundle=bundle,
                answers=answers,
                values=values,
                uploads=uploads,
                contact_phone=request.POST.get("contact_phone", ""),
            )
        except ValidationFailed as exc:
            for detail in _details(exc):
                if isinstance(detail, dict) and detail.get("field"):
                    problems[str(detail["field"])] = str(detail.get("message") or exc.message)
            if not problems:
                general.append(str(exc.message))
            context["values"] = values
        except DomainError as exc:
            general.append(str(exc.message))
            context["values"] = values
        else:
            messages.success(
                request, _("Your application was submitted. Its number is %(n)s.") % {"n": bundle_case.number}
            )
            return redirect("bundle_case", bundle_case_id=bundle_case.pk)
    fields = [
        {
            "spec": f,
            "name": f"field-{f.concept}",
            "id": f"field-{f.concept.replace('.', '-')}",
            "error": problems.get(f"fields.{f.concept}", ""),
            "value": context.get("values", {}).get(f.concept, ""),
        }
        for f in context["form"].fields
    ]
    materials = [
        {
            "spec": m,
            "name": f"material-{m.key}",
            "id": f"material-{m.key}",
            "error": problems.get(f"materials.{m.key}", ""),
        }
        for m in context["form"].materials
    ]
    labels = {f["name"]: (f["spec"].label, f["id"], f["error"]) for f in fields if f["error"]}
    labels.update({m["name"]: (m["spec"].name, m["id"], m["error"]) for m in materials if m["error"]})
    context.update(
        {"fields": fields, "materials": materials, "problem_links": list(labels.values()), "general": general}
    )
    return render(request, "bundles/apply.html", context, status=422 if problems or general else 200)


@login_required
@pages
def bundle_case(request: HttpRequest, bundle_case_id: int) -> HttpResponse:
    """One status, one due date, the items behind them, corrections to answer, results."""
    found = selectors.bundle_case_get(actor=request.user, bundle_case_id=bundle_case_id)
    status = selectors.bundle_case_status(found)
    content = selectors.version_content(found.version)
    items = {i.key: i for i in content.items}
    corrections = []
    for child in status.children:
        if child.correction_open:
            notice = child.case.notices.filter(kind="correction").order_by("-issued_at").first()
            item = items.get(child.item_key)
            for entry in notice.items if notice else []:
                key = item.material_map.get(entry["key"], entry["key"]) if item else entry["key"]
                corrections.append({"child": child, "key": key, "entry": entry})
    return render(
        request,
        "bundles/case.html",
        {
            "bundle_case": found,
            "status": status,
            "state_label": STATE_LABELS.get(status.state, status.state),
            "content": content,
            "corrections": corrections,
        },
    )


@login_required
@require_POST
@pages
def bundle_correction(request: HttpRequest, bundle_case_id: int) -> HttpResponse:
    """Answer a correction from the bundle page (one upload reaches every child that asked)."""
    found = selectors.bundle_case_get(actor=request.user, bundle_case_id=bundle_case_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationFailed(
                "bundles.file_required", _("Choose a file to upload."), [{"field": "file"}]
            )
        services.bundle_correction_answer(
            actor=request.user,
            bundle_case=found,
            key=request.POST.get("key", ""),
            content=read_capped(upload),
            filename=upload.name or "",
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Received. The agency will check it."))
    return redirect("bundle_case", bundle_case_id=found.pk)


# --- remote intake (clerks) --------------------------------------------------------------------


def _require_staff(request: HttpRequest) -> None:
    if not actor_scope(request.user).is_staff_member:
        raise NotFound("bundles.remote.not_found", _("Remote intake not found."))


@login_required
@pages
def remote_index(request: HttpRequest) -> HttpResponse:
    """The remote intakes of the clerk's side, newest first."""
    _require_staff(request)
    intakes = [
        (i, selectors.remote_intake_side(actor=request.user, intake=i))
        for i in selectors.remote_intake_list(actor=request.user)[:200]
    ]
    return render(request, "bundles/remote_index.html", {"intakes": intakes})


@login_required
@require_http_methods(["GET", "POST"])
@pages
def remote_new(request: HttpRequest) -> HttpResponse:
    """Receive an application for another region's item at a cross-region window."""
    _require_staff(request)
    scope = actor_scope(request.user)
    windows = Window.objects.filter(kind=WindowKind.CROSS_REGION).select_related("venue")
    if not scope.is_superuser:
        windows = windows.filter(venue_id__in=scope.venue_ids)
    data = request.POST if request.method == "POST" else request.GET
    code = data.get("implementation", "").strip()
    implementation = (
        Implementation.objects.filter(code=code, status=ImplementationStatus.PUBLISHED)
        .select_related("item", "agency", "region", "current_version")
        .first()
        if code
        else None
    )
    requirements = (
        list(implementation.current_version.materials.order_by("position"))
        if implementation and implementation.current_version
        else []
    )
    error = ""
    if request.method == "POST" and implementation is not None:
        window = windows.filter(pk=data.get("window") or 0).first()
        try:
            person = person_find_by_id_number(id_number=data.get("id_number", ""))
            if window is None or person is None:
                raise ValidationFailed(
                    "bundles.remote.applicant_unknown",
                    _("Choose the window and give a registered applicant's ID number."),
                    [],
                )
            materials: list[dict[str, Any]] = []
            for requirement in requirements:
                upload = request.FILES.get(f"material-{requirement.key}")
                if upload is not None:
                    materials.append(
                        {
                            "requirement_key": requirement.key,
                            "kind": "upload",
                            "content": read_capped(upload),
                            "filename": upload.name or "",
                        }
                    )
                elif data.get(f"paper-{requirement.key}"):
                    materials.append({"requirement_key": requirement.key, "kind": "paper"})
            intake = services.remote_intake_receive(
                actor=request.user,
                window=window,
                implementation=implementation,
                person=person,
                materials=materials,
                contact_phone=data.get("contact_phone", ""),
            )
        except DomainError as exc:
            error = str(exc.message)
            missing = [d.get("name") for d in _details(exc) if isinstance(d, dict) and d.get("name")]
            if missing:
                error += " " + "、".join(str(m) for m in missing)
        else:
            messages.success(
                request,
                _("Received as %(n)s. Forward it when the materials are checked.") % {"n": intake.number},
            )
            return redirect("remote_detail", intake_id=intake.pk)
    elif code and implementation is None:
        error = _("No published item has this implementation code.")
    return render(
        request,
        "bundles/remote_new.html",
        {
            "windows": windows,
            "implementation": implementation,
            "requirements": requirements,
            "code": code,
            "error": error,
        },
        status=422 if error else 200,
    )


@login_required
@pages
def remote_detail(request: HttpRequest, intake_id: int) -> HttpResponse:
    """One remote intake, as the clerk's side sees it, with the next hand-over to record."""
    intake = selectors.remote_intake_get(actor=request.user, intake_id=intake_id)
    side = selectors.remote_intake_side(actor=request.user, intake=intake)
    from zwfw.core.models import AuditEvent

    events = AuditEvent.objects.filter(object_type="remote_intake", object_id=str(intake.pk)).order_by("seq")
    return render(request, "bundles/remote_detail.html", {"intake": intake, "side": side, "events": events})


REMOTE_ACTIONS = ("forward", "accept", "return", "result", "arrived", "hand_over")


@login_required
@require_POST
@pages
def remote_action(request: HttpRequest, intake_id: int, action: str) -> HttpResponse:
    """Record one hand-over (each a service call and a ledger event)."""
    intake: RemoteIntake = selectors.remote_intake_get(actor=request.user, intake_id=intake_id)
    post = request.POST
    try:
        if action == "forward":
            services.remote_intake_forward(
                actor=request.user,
                intake=intake,
                courier=post.get("courier", ""),
                tracking_number=post.get("tracking_number", ""),
            )
        elif action == "accept":
            services.remote_intake_accept(
                actor=request.user,
                intake=intake,
                deficiency_due_date=_date(post.get("deficiency_due_date", "")),
            )
        elif action == "return":
            services.remote_intake_return(actor=request.user, intake=intake, reasons=post.get("reasons", ""))
        elif action == "result":
            services.remote_intake_send_result(
                actor=request.user,
                intake=intake,
                route=post.get("route", ""),
                courier=post.get("courier", ""),
                tracking_number=post.get("tracking_number", ""),
                address=post.get("address", ""),
            )
        elif action == "arrived":
            services.remote_intake_result_arrived(actor=request.user, intake=intake)
        elif action == "hand_over":
            services.remote_intake_hand_over(
                actor=request.user, intake=intake, recipient=post.get("recipient", "")
            )
        else:
            raise NotFound("bundles.remote.not_found", _("Remote intake not found."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Recorded."))
    return redirect("remote_detail", intake_id=intake.pk)


def _date(raw: str) -> Any:
    import datetime

    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        raise ValidationFailed(
            "bundles.invalid_date", _("Give a date as YYYY-MM-DD."), [{"field": "deficiency_due_date"}]
        ) from None


# --- bundle editor (catalog administrators) ----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@pages
def editor_index(request: HttpRequest) -> HttpResponse:
    """The bundles of the administrator's regions; start a new one."""
    scope = actor_scope(request.user)
    if not (scope.is_superuser or "catalog_admin" in scope.roles):
        raise NotFound("bundles.not_found", _("Bundle not found."))
    error = ""
    if request.method == "POST":
        region = Region.objects.filter(code=request.POST.get("region", "")).first()
        try:
            if region is None:
                raise ValidationFailed(
                    "bundles.region_required", _("Choose the region."), [{"field": "region"}]
                )
            bundle = services.bundle_create(
                actor=request.user,
                region=region,
                code=request.POST.get("code", ""),
                draft={"name": request.POST.get("name", "")},
            )
        except DomainError as exc:
            error = str(exc.message)
        else:
            return redirect("bundle_editor_detail", bundle_id=bundle.pk)
    return render(
        request,
        "bundles/editor_index.html",
        {
            "bundles": selectors.bundle_editor_list(actor=request.user),
            "regions": selectors.bundle_editor_regions(actor=request.user),
            "error": error,
            "posted": request.POST if request.method == "POST" else {},
        },
        status=422 if error else 200,
    )
