"""The service-quality dashboard (with drill-down, charts, tables and CSV/Excel export) and the
plan tracker's pages (tasks with flags and live figures, filing a progress report, the quarterly
report as Excel or PDF). Staff only; every number comes from ``metrics`` and ``plan``."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zwfw.core.errors import DomainError, NotFound
from zwfw.core.models import Agency, Region, Venue
from zwfw.evaluations import charts, metrics, selectors
from zwfw.evaluations import plan as plan_module
from zwfw.evaluations.labels import figure_label, unit_label
from zwfw.evaluations.models import PlanTask, ReportStatus
from zwfw.identity.selectors import actor_scope


def _date(raw: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw or "")
    except ValueError:
        return default


def _id(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def scope_from(request: HttpRequest) -> metrics.Scope | None:
    """The scope named by the query string (region code, agency, venue, start, end)."""
    try:
        region = selectors.dashboard_region_get(actor=request.user, code=request.GET.get("region", ""))
    except NotFound:
        return None
    start, end = metrics.default_period()
    start, end = _date(request.GET.get("start"), start), _date(request.GET.get("end"), end)
    if end < start:
        start, end = end, start
    agency_id, venue_id = _id(request.GET.get("agency")), _id(request.GET.get("venue"))
    if (
        agency_id
        and not Agency.objects.filter(pk=agency_id, region__prefix__startswith=region.prefix).exists()
    ):
        agency_id = None
    if venue_id and not Venue.objects.filter(pk=venue_id, region__prefix__startswith=region.prefix).exists():
        venue_id = None
    return metrics.Scope(region=region, start=start, end=end, agency_id=agency_id, venue_id=venue_id)


@dataclass
class FigureView:
    """A figure as the page shows it."""

    fig: metrics.Figure
    label: str
    unit: str


def _staff(request: HttpRequest) -> bool:
    return actor_scope(request.user).is_staff_member


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures of a region (drill down to child regions, agencies and venues) for a period."""
    if not _staff(request):
        return render(request, "evaluations/forbidden.html", status=403)
    scope = scope_from(request)
    if scope is None:
        return render(request, "evaluations/not_found.html", status=404)
    board = metrics.dashboard(scope)
    figs = [FigureView(f, figure_label(f.key), unit_label(f.spec.unit)) for f in board.figures.values()]
    with_target = [f for f in figs if f.fig.spec.target is not None and f.fig.spec.unit == "%"]
    target_chart: SafeString = charts.bars(
        [charts.Bar(f.label, f.fig.value) for f in with_target],
        chart_id="targets",
        desc=_("Figures with a target in the plan, against 100 %"),
        target=100.0,
    )
    local_ids = {str(pk) for pk in Agency.objects.filter(region=scope.region).values_list("pk", flat=True)}
    local = [r for r in board.agencies if r.key in local_ids]  # deeper agencies: drill down
    ranking = [r for r in board.agencies if r.good_rating_rate is not None][:15]
    ranking_chart = charts.bars(
        [charts.Bar(r.label, r.good_rating_rate) for r in ranking],
        chart_id="ranking",
        desc=_("Good-rating rate by agency"),
    )
    on_time_chart = charts.bars(
        [charts.Bar(r.label, r.on_time_rate) for r in (board.regions or local)],
        chart_id="ontime",
        desc=_("On-time conclusion rate by region"),
        target=100.0,
    )
    trend_chart = charts.lines(
        [p.month.strftime("%Y-%m") for p in board.trend],
        [
            (_("Cases concluded on time"), [p.on_time_rate for p in board.trend]),
            (_("Good ratings"), [p.good_rating_rate for p in board.trend]),
        ],
        chart_id="trend",
        desc=_("Monthly on-time conclusion rate and good-rating rate"),
    )
    region = scope.region
    return render(
        request,
        "evaluations/dashboard.html",
        {
            "board": board,
            "scope": scope,
            "figs": figs,
            "target_chart": target_chart,
            "ranking_chart": ranking_chart,
            "ranking": ranking,
            "local_agencies": local,
            "on_time_chart": on_time_chart,
            "trend_chart": trend_chart,
            "children": Region.objects.filter(parent=region).order_by("code"),
            "agencies": Agency.objects.filter(region=region).order_by("name"),
            "venues": Venue.objects.filter(region=region).order_by("name"),
            "query": request.GET.urlencode(),
        },
    )


def _export_rows(board: metrics.Dashboard) -> list[list[object]]:
    rows: list[list[object]] = [
        ["section", "key", "label", "value", "numerator", "denominator", "target", "plan_task"]
    ]
    for f in board.figures.values():
        rows.append(
            [
                "figure",
                f.key,
                figure_label(f.key),
                f.value,
                f.numerator,
                f.denominator,
                f.spec.target,
                f.spec.task,
            ]
        )
    for kind, group in (("region", board.regions), ("agency", board.agencies)):
        for r in group:
            rows.append([kind, r.key, r.label, r.on_time_rate, r.on_time, r.with_due, None, 4])
            rows.append([kind, r.key, r.label, r.good_rating_rate, r.good, r.ratings, None, 12])
    for p in board.trend:
        rows.append(["month", p.month.isoformat(), "on_time_rate", p.on_time_rate, None, p.decided, None, 4])
        rows.append(
            ["month", p.month.isoformat(), "good_rating_rate", p.good_rating_rate, None, p.ratings, None, 12]
        )
    return rows


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """Every table of the dashboard as CSV (``?format=csv``) or Excel (``?format=xlsx``)."""
    if not _staff(request):
        return render(request, "evaluations/forbidden.html", status=403)
    scope = scope_from(request)
    if scope is None:
        return render(request, "evaluations/not_found.html", status=404)
    rows = _export_rows(metrics.dashboard(scope))
    name = f"dashboard-{scope.region.code}-{scope.start}-{scope.end}"
    if request.GET.get("format") == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "dashboard"
        for row in rows:
            ws.append(row)
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _plan_context(request: HttpRequest) -> tuple[str, Region | None]:
    quarter = request.GET.get("quarter") or plan_module.quarter_of(timezone.localdate())
    try:
        plan_module.quarter_bounds(quarter)
    except DomainError:
        quarter = plan_module.quarter_of(timezone.localdate())
    code = request.GET.get("region", "532800")
    region = Region.objects.filter(code=code).first() or Region.objects.filter(parent__isnull=True).first()
    return quarter, region


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    """The plan's tasks for a quarter: reports, missing reports, past deadline, live figures."""
    if not _staff(request):
        return render(request, "evaluations/forbidden.html", status=403)
    quarter, region = _plan_context(request)
    statuses = plan_module.plan_status(quarter=quarter, region=region)
    rows = [(s, [(figure_label(f.key), f) for f in s.figures]) for s in statuses]
    return render(
        request,
        "evaluations/plan.html",
        {
            "rows": rows,
            "quarter": quarter,
            "region": region,
            "statuses": ReportStatus.choices,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def plan_report(request: HttpRequest) -> HttpResponse:
    """The quarterly report for the prefecture as Excel (default) or PDF (``?format=pdf``)."""
    if not _staff(request):
        return render(request, "evaluations/forbidden.html", status=403)
    quarter, region = _plan_context(request)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(
            plan_module.plan_report_pdf(quarter=quarter, region=region), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="plan-{quarter}.pdf"'
        return response
    response = HttpResponse(
        plan_module.plan_report_xlsx(quarter=quarter, region=region),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="plan-{quarter}.xlsx"'
    return response


@login_required
@require_POST
def plan_file_report(request: HttpRequest, number: int) -> HttpResponse:
    """File one lead unit's progress report on one task for a quarter."""
    task = PlanTask.objects.filter(number=number).first()
    if task is None:
        return render(request, "evaluations/not_found.html", status=404)
    p = request.POST
    try:
        plan_module.progress_report_file(
            actor=request.user,
            task=task,
            unit=p.get("unit", ""),
            quarter=p.get("quarter", ""),
            status=p.get("status", ""),
            evidence=p.get("evidence", ""),
            reasons=p.get("reasons", ""),
        )
        messages.success(request, _("Report filed."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(f"/plan/?quarter={p.get('quarter', '')}#task-{number}")
