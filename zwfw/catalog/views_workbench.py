"""The catalog workbench: pages where catalog administrators keep the 实施清单.

List, new implementation (and new catalog entry), draft editor, submission, review and
publication, version history with comparison, and the completeness dashboard. Each view parses a
form, calls the same services and selectors as ``api_workflow.py``, and renders; domain errors
become messages next to the input they concern. Login is required; a user without the
catalog_admin role gets a 403 page, and an object outside the actor's region is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from zwfw.catalog import reports, selectors, services
from zwfw.catalog.diff import content_diff
from zwfw.catalog.forms_workbench import (
    FIELD_LABELS,
    ROW_FORMS,
    AdjustmentSubmitForm,
    CompareForm,
    DraftEditor,
    ImplementationCreateForm,
    ImplementationFilterForm,
    Problem,
    ReviewForm,
    ServiceItemCreateForm,
    readable_changes,
    readable_value,
)
from zwfw.catalog.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    Implementation,
    ImplementationVersion,
)
from zwfw.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from zwfw.core.models import Agency, Region, RegionLevel
from zwfw.identity.models import Role
from zwfw.identity.selectors import actor_scope, role_region_prefixes

View = Callable[..., HttpResponse]
PAGE_SIZE = 50
OPEN_STATUSES = (AdjustmentStatus.SUBMITTED, AdjustmentStatus.APPROVED)


# --- access -------------------------------------------------------------------------------------


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "catalog/workbench/forbidden.html", {"message": message}, status=403)


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "catalog/workbench/not_found.html", {"message": message}, status=404)


def workbench_view(view: View) -> View:
    """Login (else redirect), the catalog_admin role (else 403), scope misses as 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = actor_scope(request.user)
        if not (scope.is_superuser or Role.CATALOG_ADMIN in scope.roles):
            return _forbidden(request, _("Only catalog administrators may use the catalog workbench."))
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            return _not_found(request, str(exc.message))
        except PermissionDenied as exc:
            return _forbidden(request, str(exc.message))

    return login_required(wrapper)


def _region_q(request: HttpRequest, lookup: str) -> Q | None:
    """None for a superuser; else the regions (and below) where the actor is a catalog admin."""
    if actor_scope(request.user).is_superuser:
        return None
    q = Q(pk__in=[])
    for prefix in role_region_prefixes(actor=request.user, role=Role.CATALOG_ADMIN):
        q |= Q(**{f"{lookup}__startswith": prefix})
    return q


def _scoped_agencies(request: HttpRequest) -> QuerySet[Agency]:
    q = _region_q(request, "region__prefix")
    qs = Agency.objects.select_related("region").order_by("region__code", "name")
    return qs if q is None else qs.filter(q)


def _scoped_regions(request: HttpRequest, *, levels: tuple[str, ...] | None = None) -> QuerySet[Region]:
    q = _region_q(request, "prefix")
    qs = Region.objects.order_by("code")
    if levels:
        qs = qs.filter(level__in=levels)
    return qs if q is None else qs.filter(q)


def _domain_message(exc: DomainError) -> str:
    return str(exc.message)


# --- list, reviews, new ------------------------------------------------------------------------


@workbench_view
def implementation_list(request: HttpRequest) -> HttpResponse:
    """Implementations in scope, filtered; each with its state and its failing checks."""
    agencies = _scoped_agencies(request)
    form = ImplementationFilterForm(request.GET or None, agencies=agencies)
    open_adjustments = Adjustment.objects.filter(implementation=OuterRef("pk"), status__in=OPEN_STATUSES)
    qs = form.apply(selectors.implementation_list(actor=request.user)).annotate(
        has_open=Exists(open_adjustments)
    )
    page = Paginator(qs.order_by("region__code", "code"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/workbench/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "nav": "list"},
    )


@workbench_view
def review_queue(request: HttpRequest) -> HttpResponse:
    """Adjustments awaiting the actor's review, approved ones awaiting publication, returned ones."""
    submitted = [
        a
        for a in selectors.adjustment_list(actor=request.user, status=AdjustmentStatus.SUBMITTED)[:200]
        if services.can_review(request.user, a.implementation)
    ]
    approved = [
        a
        for a in selectors.adjustment_list(actor=request.user, status=AdjustmentStatus.APPROVED)[:200]
        if services.can_review(request.user, a.implementation)
    ]
    mine = selectors.adjustment_list(actor=request.user).filter(submitted_by_id=request.user.pk)[:50]
    return render(
        request,
        "catalog/workbench/reviews.html",
        {"submitted": submitted, "approved": approved, "mine": mine, "nav": "reviews"},
    )


@workbench_view
def implementation_new(request: HttpRequest) -> HttpResponse:
    """Pick a catalog entry and an agency; the draft editor follows."""
    items = selectors.service_item_list(actor=request.user).order_by("base_code")
    search = request.GET.get("q", "").strip()[:100]
    shown = items
    if search:
        shown = shown.filter(Q(name__icontains=search) | Q(base_code__icontains=search))
    agencies = _scoped_agencies(request)
    if request.method == "POST":
        form = ImplementationCreateForm(request.POST, items=items, agencies=agencies)
        if form.is_valid():
            try:
                impl = services.implementation_create(
                    actor=request.user,
                    item=form.cleaned_data["item"],
                    agency=form.cleaned_data["agency"],
                    code=form.cleaned_data["code"] or None,
                )
            except (Conflict, ValidationFailed) as exc:
                form.add_error("code" if _detail_field(exc) == "code" else None, _domain_message(exc))
            else:
                messages.success(request, _("The implementation was created. Fill in its elements."))
                return redirect("workbench_catalog_edit", pk=impl.pk)
    else:
        initial: dict[str, Any] = {}
        if request.GET.get("item", "").isdigit():
            initial["item"] = int(request.GET["item"])
        if agencies.count() == 1:
            initial["agency"] = agencies.first()
        form = ImplementationCreateForm(initial=initial, items=items, agencies=agencies)
    # Offer at most 200 entries in the list; the search narrows it.
    limited = items.filter(pk__in=shown.values("pk")[:200])
    if request.GET.get("item", "").isdigit():
        limited = limited | items.filter(pk=int(request.GET["item"]))
    form.set_items(limited)
    return render(
        request,
        "catalog/workbench/new.html",
        {"form": form, "search": search, "more": shown.count() > 200, "nav": "new"},
    )


@workbench_view
def service_item_new(request: HttpRequest) -> HttpResponse:
    """Add a catalog entry (基本目录) before implementing it."""
    regions = _scoped_regions(
        request, levels=(RegionLevel.PROVINCE, RegionLevel.PREFECTURE, RegionLevel.COUNTY)
    )
    items = selectors.service_item_list(actor=request.user)
    form = ServiceItemCreateForm(request.POST or None, regions=regions, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.service_item_create(
                actor=request.user,
                region=data["region"],
                base_code=data["base_code"],
                name=data["name"],
                item_type=data["item_type"],
                legal_basis=data["legal_basis"],
                competent_department=data["competent_department"],
                exercised_levels=list(data["exercised_levels"]),
                layer=data["layer"],
                parent=data["parent"],
                situation=data["situation"],
                planned_effective_date=data["planned_effective_date"],
            )
        except (ValidationFailed, Conflict) as exc:
            for detail in _details(exc):
                name = str(detail.get("field", ""))
                form.add_error(
                    name if name in form.fields else None, str(detail.get("message") or exc.message)
                )
            if not _details(exc):
                form.add_error(None, _domain_message(exc))
        else:
            messages.success(request, _("The catalog entry was added."))
            return HttpResponseRedirect(f"{reverse('workbench_catalog_new')}?item={item.pk}")
    return render(request, "catalog/workbench/item_new.html", {"form": form, "nav": "new"})


def _details(exc: DomainError) -> list[dict[str, Any]]:
    return [d for d in exc.details or [] if isinstance(d, dict)] if isinstance(exc.details, list) else []


def _detail_field(exc: DomainError) -> str:
    details = _details(exc)
    return str(details[0].get("field", "")) if details else ""


# --- the draft editor ----------------------------------------------------------------------------


def _draft_failures(impl: Implementation, draft: dict[str, Any]) -> list[dict[str, str]]:
    try:
        return services.implementation_failures(impl, services.content_parse(draft))
    except ValidationFailed:
        return []


@workbench_view
def implementation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the draft; saving shows every publication check the draft still fails."""
    impl = selectors.implementation_get(actor=request.user, implementation_id=pk)
    open_adjustment = selectors.open_adjustment(implementation=impl)
    problems: list[Problem] = []
    checks: list[Problem] = []
    if request.method == "POST" and open_adjustment is None:
        add_row = request.POST.get("add_row", "")
        editor = DraftEditor(draft=impl.draft, data=request.POST, add_row=add_row)
        if add_row in ROW_FORMS:
            editor.is_valid()
        else:
            valid = editor.is_valid()
            draft = editor.to_draft()
            try:
                if not valid:
                    services.content_parse(draft)  # report the schema's errors along with the form's
                else:
                    failures = services.implementation_update_draft(
                        actor=request.user, implementation=impl, draft=draft
                    )
                    if failures:
                        messages.warning(
                            request,
                            _("The draft was saved. %(n)d checks still fail; see the list below.")
                            % {"n": len(failures)},
                        )
                    else:
                        messages.success(request, _("The draft was saved. Every check passes."))
                    return HttpResponseRedirect(reverse("workbench_catalog_edit", args=[impl.pk]) + "#checks")
            except ValidationFailed as exc:
                editor.apply_schema_errors(_details(exc))
            except Conflict as exc:
                messages.error(request, _domain_message(exc))
            problems = editor.problems()
            if not problems and not valid:
                problems = [Problem("editor-top", "", _("Some elements are missing or invalid."))]
    else:
        editor = DraftEditor(draft=impl.draft)
        checks = editor.check_problems(_draft_failures(impl, impl.draft))
    last = impl.adjustments.select_related("reviewed_by").order_by("-submitted_at").first()
    return render(
        request,
        "catalog/workbench/edit.html",
        {
            "impl": impl,
            "editor": editor,
            "sections": editor.sections(checks),
            "problems": problems,
            "checks": checks,
            "checked": request.method != "POST",
            "uniform": _uniform_rows(impl),
            "open_adjustment": open_adjustment,
            "last_adjustment": last,
            "nav": "list",
        },
        status=200,
    )


def _uniform_rows(impl: Implementation) -> list[tuple[str, str]]:
    return [
        (str(FIELD_LABELS.get(name, name)), readable_value(name, value))
        for name, value in services.uniform_of(impl.item).items()
    ]


# --- submission, review, publication -------------------------------------------------------------


@workbench_view
def adjustment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the draft (or a cancellation) for review, with the reason."""
    impl = selectors.implementation_get(actor=request.user, implementation_id=pk)
    published = impl.current_version is not None
    form = AdjustmentSubmitForm(request.POST or None, published=published)
    if request.method == "POST" and form.is_valid():
        try:
            adjustment = services.adjustment_submit(
                actor=request.user,
                implementation=impl,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationFailed as exc:
            field_name = _detail_field(exc)
            form.add_error(field_name if field_name in form.fields else None, _domain_message(exc))
        except Conflict as exc:
            form.add_error(None, _domain_message(exc))
        else:
            messages.success(request, _("The adjustment was submitted for review."))
            return redirect("workbench_catalog_review", pk=adjustment.pk)
    editor = DraftEditor(draft=impl.draft)
    checks = editor.check_problems(_draft_failures(impl, impl.draft))
    return render(
        request,
        "catalog/workbench/submit.html",
        {
            "impl": impl,
            "form": form,
            "checks": checks,
            "open_adjustment": selectors.open_adjustment(implementation=impl),
            "nav": "list",
        },
    )


def _diff_rows(impl: Implementation, adjustment: Adjustment) -> list[Any]:
    """The adjustment's content against the version the public sees now (or every element)."""
    current = impl.current_version
    if adjustment.kind == AdjustmentKind.CANCEL:
        return []
    # A first publication is compared with nothing: every element is listed, the empty ones too.
    old = {**current.uniform, **current.content} if current is not None else {}
    new = {**services.uniform_of(impl.item), **adjustment.content}
    return readable_changes(content_diff(old, new), old=old, new=new)


@workbench_view
def adjustment_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One adjustment: status, reason, every failing check, the diff; the reviewer's actions."""
    adjustment = selectors.adjustment_get(actor=request.user, adjustment_id=pk)
    impl = selectors.implementation_get(actor=request.user, implementation_id=adjustment.implementation_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _review_action(request, adjustment, form)
        if response is not None:
            return response
        adjustment.refresh_from_db()
    editor = DraftEditor(draft=adjustment.content)
    failures: list[dict[str, str]] = []
    if adjustment.kind != AdjustmentKind.CANCEL:
        failures = _draft_failures(impl, adjustment.content)
    is_author = adjustment.submitted_by_id == request.user.pk
    reviewer = services.can_review(request.user, impl)
    return render(
        request,
        "catalog/workbench/review.html",
        {
            "adjustment": adjustment,
            "impl": impl,
            "form": form,
            "checks": editor.check_problems(failures),
            "changes": _diff_rows(impl, adjustment),
            "can_decide": reviewer and not is_author and adjustment.status == AdjustmentStatus.SUBMITTED,
            "can_publish": reviewer and adjustment.status == AdjustmentStatus.APPROVED,
            "can_withdraw": adjustment.status == AdjustmentStatus.SUBMITTED
            and (is_author or not reviewer)
            and services.can_edit_catalog(request.user, impl.region),
            "is_author": is_author,
            "reviewer": reviewer,
            "nav": "reviews",
        },
    )


def _review_action(request: HttpRequest, adjustment: Adjustment, form: ReviewForm) -> HttpResponse | None:
    """Run the reviewer's action; a redirect when done, None to show the page with the refusal."""
    action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
    here = reverse("workbench_catalog_review", args=[adjustment.pk])
    try:
        if action == "approve":
            services.adjustment_approve(actor=request.user, adjustment=adjustment, comment=comment)
            messages.success(request, _("The adjustment was approved. Publish it to make it public."))
        elif action == "approve_publish":
            approved = services.adjustment_approve(actor=request.user, adjustment=adjustment, comment=comment)
            services.adjustment_publish(actor=request.user, adjustment=approved)
            messages.success(request, _("The adjustment was approved and published."))
        elif action == "publish":
            services.adjustment_publish(actor=request.user, adjustment=adjustment)
            messages.success(request, _("Published. The public guide now shows the new version."))
        elif action == "reject":
            services.adjustment_reject(actor=request.user, adjustment=adjustment, comment=comment)
            messages.success(request, _("The adjustment was returned to its author."))
        elif action == "withdraw":
            services.adjustment_withdraw(actor=request.user, adjustment=adjustment)
            messages.success(request, _("The adjustment was withdrawn; the draft can be edited again."))
            return redirect("workbench_catalog_edit", pk=adjustment.implementation_id)
    except ValidationFailed as exc:
        if exc.code == "catalog.comment_required":
            form.add_error("comment", _domain_message(exc))
        else:
            messages.error(request, _domain_message(exc))
        return None
    except (PermissionDenied, Conflict) as exc:
        messages.error(request, _domain_message(exc))
        return None
    return HttpResponseRedirect(here)


# --- versions -------------------------------------------------------------------------------------


def _guide_links(impl: Implementation, versions: list[ImplementationVersion]) -> dict[int, str]:
    try:
        from zwfw.catalog.guide import guide_version_url
    except ImportError:  # the guide pages are optional for the workbench
        return {v.number: f"/guides/{impl.pk}/v{v.number}/" for v in versions}
    return {v.number: guide_version_url(v) for v in versions}


@workbench_view
def version_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every published version with its guide link, every adjustment, and the compare form."""
    impl = selectors.implementation_get(actor=request.user, implementation_id=pk)
    versions = list(impl.versions.select_related("published_by", "adjustment").order_by("-number"))
    links = _guide_links(impl, versions)
    numbers = sorted(v.number for v in versions)
    return render(
        request,
        "catalog/workbench/history.html",
        {
            "impl": impl,
            "versions": [(v, links[v.number]) for v in versions],
            "adjustments": impl.adjustments.select_related("submitted_by", "reviewed_by").order_by(
                "-submitted_at"
            ),
            "compare": CompareForm(numbers=numbers),
            "nav": "list",
        },
    )


@workbench_view
def version_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The readable, field-by-field difference between two published versions."""
    impl = selectors.implementation_get(actor=request.user, implementation_id=pk)
    numbers = sorted(impl.versions.values_list("number", flat=True))
    form = CompareForm(request.GET or None, numbers=numbers)
    changes: list[Any] = []
    old = new = None
    if form.is_valid():
        old = selectors.version_get(implementation_id=impl.pk, number=form.cleaned_data["from_version"])
        new = selectors.version_get(implementation_id=impl.pk, number=form.cleaned_data["to_version"])
        before, after = {**old.uniform, **old.content}, {**new.uniform, **new.content}
        changes = readable_changes(content_diff(before, after), old=before, new=after)
    links = _guide_links(impl, [v for v in (old, new) if v is not None])
    return render(
        request,
        "catalog/workbench/compare.html",
        {
            "impl": impl,
            "form": form,
            "old": old,
            "new": new,
            "changes": changes,
            "links": links,
            "nav": "list",
        },
    )


# --- dashboard ------------------------------------------------------------------------------------


@workbench_view
def dashboard(request: HttpRequest) -> HttpResponse:
    """Completeness by agency and by region: guides published against implementations required."""
    scoped = _scoped_regions(request).exclude(level=RegionLevel.VILLAGE)
    region = scoped.filter(code=request.GET.get("region", "")[:12]).first() or _home_region(request)
    rows = reports.completeness_report(region=region) if region is not None else []
    choices = list(
        scoped.filter(level__in=(RegionLevel.PROVINCE, RegionLevel.PREFECTURE, RegionLevel.COUNTY))[:500]
    )
    if region is not None and region not in choices:
        choices.append(region)
    return render(
        request,
        "catalog/workbench/dashboard.html",
        {
            "region": region,
            "region_choices": choices,
            "total": next((r for r in rows if r.kind == "total"), None),
            "region_rows": [r for r in rows if r.kind in ("own", "region")],
            "agency_rows": [r for r in rows if r.kind == "agency"],
            "nav": "dashboard",
        },
    )


def _home_region(request: HttpRequest) -> Region | None:
    """The highest region where the actor is a catalog administrator (the province for a superuser)."""
    if actor_scope(request.user).is_superuser:
        return Region.objects.order_by("code").filter(parent__isnull=True).first()
    prefixes = sorted(role_region_prefixes(actor=request.user, role=Role.CATALOG_ADMIN), key=len)
    return Region.objects.filter(prefix=prefixes[0]).order_by("code").first() if prefixes else None
