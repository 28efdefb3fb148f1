"""The service-quality figures, computed from the platform's own tables (never typed in).

One function per figure family, each over a ``Scope`` (a region's subtree, optionally one agency
or one venue, and a period). The dashboard page calls ``dashboard`` which runs a handful of
grouped aggregates (cases and ratings grouped by agency and by month) and sums them in Python
for the totals, the child regions, the agency ranking and the trend lines, so the province's
dashboard is a few index-friendly scans however many agencies it has.

Definitions (docs/dashboard.md):
- guide publication rate = published implementations / implementations not cancelled (task 3);
- guide completeness = published implementations whose place, hours, consultation and complaint
  phones are all filled / published (task 3);
- online rate = published with online depth ≥ Ⅲ / published; fully online = depth Ⅳ (task 14);
- average visits required over published implementations (task 14);
- instant item share = published 即办件 / published (task 18);
- decided on the spot = cases concluded the day they were accepted / cases decided (task 18);
- on-time conclusion rate = decided cases concluded on or before their due date / decided cases
  with a due date; overdue = open cases (accepted, under review) whose due date has passed;
- average days to decide (acceptance → conclusion) next to the average promised days
  (acceptance → due date), both in calendar days;
- good-rating rate = ratings of 5–3 / ratings (appeal-excluded ones left out) (task 12);
- bad ratings rectified on time = rectifications closed on or before their deadline / opened;
  call-back rate = real-name 差评 called back / real-name 差评 (task 12);
- bundle cases and cross-region cases (异地代收代办) received in the period (tasks 15, 16).
Periods: case figures by conclusion date, ratings by rating date, bundle and cross-region cases
by acceptance date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.db.models import Count, DurationField, F, IntegerField, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from zwfw.cases.models import Case, CaseState
from zwfw.catalog.models import Implementation, ImplementationStatus, ImplementationVersion
from zwfw.core.models import Agency, Region
from zwfw.evaluations.models import Evaluation, MonthlyStat, Rectification, StatMonth

LOCAL_KEYS = ("place", "hours", "consultation_phone", "complaint_phone")
DECIDED_STATES = (CaseState.APPROVED, CaseState.DENIED, CaseState.DELIVERED, CaseState.CLOSED)
CLOCK_OPEN_STATES = (CaseState.ACCEPTED, CaseState.UNDER_REVIEW)


@dataclass(frozen=True)
class FigureSpec:
    """What a figure is: its label msgid, unit, the seed's target and the plan task it measures."""

    key: str
    label: str
    unit: str  # "%", "days", "visits", "count"
    task: int | None
    target: float | None = None
    higher_is_better: bool = True


SPECS: dict[str, FigureSpec] = {
    s.key: s
    for s in (
        FigureSpec("guide_publication_rate", "Guide publication rate", "%", 3, 100.0),
        FigureSpec("guide_completeness", "Guides with every local element", "%", 3, 100.0),
        FigureSpec("online_rate", "Items that can be handled online", "%", 14),
        FigureSpec("fully_online_rate", "Items fully online (depth IV)", "%", 14),
        FigureSpec("avg_visits", "Average visits required", "visits", 14, None, False),
        FigureSpec("instant_item_share", "Instant items", "%", 18),
        FigureSpec("on_the_spot_share", "Cases decided on the spot", "%", 18),
        FigureSpec("on_time_rate", "Cases concluded on time", "%", 4, 100.0),
        FigureSpec("overdue_cases", "Open cases past their due date", "count", 4, 0.0, False),
        FigureSpec("avg_decide_days", "Average days to decide", "days", 4, None, False),
        FigureSpec("avg_promised_days", "Average promised days", "days", 4, None, False),
        FigureSpec("good_rating_rate", "Good ratings", "%", 12),
        FigureSpec("rectified_on_time_rate", "Bad ratings rectified on time", "%", 12, 100.0),
        FigureSpec("callback_rate", "Real-name bad ratings called back", "%", 12, 100.0),
        FigureSpec("ratings", "Ratings", "count", 12),
        FigureSpec("bundle_cases", "Bundle (one-thing) cases", "count", 15),
        FigureSpec("cross_region_cases", "Cross-region cases received", "count", 16),
    )
}


@dataclass(frozen=True)
class Figure:
    """One computed figure: value with its numerator and denominator (None when undefined)."""

    key: str
    value: float | None
    numerator: float | None = None
    denominator: int | None = None

    @property
    def spec(self) -> FigureSpec:
        """The figure's definition."""
        return SPECS[self.key]

    @property
    def meets_target(self) -> bool | None:
        """Whether the seed's target is met (None without a target or a value)."""
        target = self.spec.target
        if target is None or self.value is None:
            return None
        return self.value >= target if self.spec.higher_is_better else self.value <= target


@dataclass(frozen=True)
class Scope:
    """Where and when: a region's subtree, optionally one agency or venue, and a period."""

    region: Region
    start: datetime.date
    end: datetime.date
    agency_id: int | None = None
    venue_id: int | None = None
    today: datetime.date = field(default_factory=timezone.localdate)

    def region_ids(self) -> list[int]:
        """Ids of the region and every region below it."""
        return list(Region.objects.filter(prefix__startswith=self.region.prefix).values_list("pk", flat=True))

    def region_q(self, field: str = "region_id") -> Q:
        """The region condition on ``field``: none for a root region (everything lies below it)."""
        if (
            self.region.parent_id is None
            and not Region.objects.filter(parent__isnull=True).exclude(pk=self.region.pk).exists()
        ):
            return Q()
        return Q(**{f"{field}__in": self.region_ids()})


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The current year to date."""
    today = today or timezone.localdate()
    return datetime.date(today.year, 1, 1), today


def _fig(key: str, num: float | None, den: int | None, *, percent: bool = True) -> Figure:
    if den is None or den == 0 or num is None:
        return Figure(key, None, num, den)
    value = 100.0 * num / den if percent else num / den
    return Figure(key, round(value, 2), num, den)


def _count(key: str, n: int) -> Figure:
    return Figure(key, float(n), n, None)


# --- querysets of each source, scoped ---------------------------------------------------------


def implementations(scope: Scope) -> QuerySet[Implementation]:
    """Implementations of the scope (the catalog has no venues: a venue scope has none)."""
    qs = Implementation.objects.filter(scope.region_q())
    if scope.venue_id is not None:
        return qs.none()
    if scope.agency_id is not None:
        qs = qs.filter(agency_id=scope.agency_id)
    return qs


def cases(scope: Scope) -> QuerySet[Case]:
    """Cases of the scope (any period)."""
    qs = Case.objects.filter(scope.region_q())
    if scope.agency_id is not None:
        qs = qs.filter(agency_id=scope.agency_id)
    if scope.venue_id is not None:
        qs = qs.filter(venue_id=scope.venue_id)
    return qs


def evaluations(scope: Scope) -> QuerySet[Evaluation]:
    """Ratings of the scope made in the period (appeal-excluded ones left out)."""
    qs = Evaluation.objects.filter(
        scope.region_q(), excluded=False, created_on__range=(scope.start, scope.end)
    )
    if scope.agency_id is not None:
        qs = qs.filter(agency_id=scope.agency_id)
    if scope.venue_id is not None:
        qs = qs.filter(venue_id=scope.venue_id)
    return qs


def rectifications(scope: Scope) -> QuerySet[Rectification]:
    """Rectifications of the scope opened in the period."""
    qs = Rectification.objects.filter(scope.region_q(), opened_on__range=(scope.start, scope.end))
    if scope.agency_id is not None:
        qs = qs.filter(agency_id=scope.agency_id)
    if scope.venue_id is not None:
        qs = qs.filter(evaluation__venue_id=scope.venue_id)
    return qs


# --- the figures ------------------------------------------------------------------------------


def catalog_figures(scope: Scope) -> list[Figure]:
    """Tasks 3, 14 and 18 from the catalog: publication, completeness, online depth, visits, instant."""
    qs = implementations(scope).exclude(status=ImplementationStatus.CANCELLED)
    published = Q(status=ImplementationStatus.PUBLISHED)
    row = qs.aggregate(
        total=Count("id"),
        published=Count("id", filter=published),
        online=Count("id", filter=published & Q(online_depth__gte=3)),
        fully=Count("id", filter=published & Q(online_depth=4)),
    )
    versions = ImplementationVersion.objects.filter(pk__in=qs.filter(published).values("current_version_id"))
    complete = Q()
    for k in LOCAL_KEYS:
        complete &= Q(**{f"_{k}__gt": ""})
    content = versions.annotate(
        **{f"_{k}": KT(f"content__{k}") for k in LOCAL_KEYS},
        _kind=KT("content__handling_kind"),
        _visits=Cast(KT("content__visits_required"), IntegerField()),
    ).aggregate(
        complete=Count("id", filter=complete),
        instant=Count("id", filter=Q(_kind="instant")),
        visits=Sum("_visits"),
    )
    pub = row["published"]
    return [
        _fig("guide_publication_rate", row["published"], row["total"]),
        _fig("guide_completeness", content["complete"], pub),
        _fig("online_rate", row["online"], pub),
        _fig("fully_online_rate", row["fully"], pub),
        _fig("avg_visits", content["visits"] or 0, pub, percent=False),
        _fig("instant_item_share", content["instant"], pub),
    ]


CASE_AGGREGATES = {
    "decided": Count("id"),
    "spot": Count("id", filter=Q(concluded_on=F("accepted_on"))),
    "with_due": Count("id", filter=Q(due_date__isnull=False)),
    "on_time": Count("id", filter=Q(due_date__isnull=False, concluded_on__lte=F("due_date"))),
    "timed": Count("id", filter=Q(accepted_on__isnull=False, due_date__isnull=False)),
}


def _decided(scope: Scope) -> QuerySet[Case]:
    return cases(scope).filter(decided_at__isnull=False, concluded_on__range=(scope.start, scope.end))


def _day_sums(qs: QuerySet[Case]) -> tuple[int, int]:
    """Total calendar days acceptance → conclusion and acceptance → due date of timed cases."""
    timed = qs.filter(accepted_on__isnull=False, due_date__isnull=False)
    row = timed.aggregate(
        decide=Sum(F("concluded_on") - F("accepted_on"), output_field=DurationField()),
        promised=Sum(F("due_date") - F("accepted_on"), output_field=DurationField()),
    )
    return _days(row["decide"]), _days(row["promised"])


def _days(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.timedelta):
        return value.days
    return int(value)  # type: ignore[call-overload]


def case_figures(scope: Scope) -> list[Figure]:
    """Tasks 4 and 18 from the cases: on time, overdue, on the spot, days to decide vs promised."""
    decided = _decided(scope)
    row = decided.aggregate(**CASE_AGGREGATES)
    days = _day_sums(decided)
    overdue = cases(scope).filter(state__in=CLOCK_OPEN_STATES, due_date__lt=scope.today).count()
    return [
        _fig("on_the_spot_share", row["spot"], row["decided"]),
        _fig("on_time_rate", row["on_time"], row["with_due"]),
        _count("overdue_cases", overdue),
        _fig("avg_decide_days", days[0], row["timed"], percent=False),
        _fig("avg_promised_days", days[1], row["timed"], percent=False),
    ]


EVALUATION_AGGREGATES = {
    "n": Count("id"),
    "good": Count("id", filter=Q(grade__gte=3)),
}
RECTIFICATION_AGGREGATES = {
    "n": Count("id"),
    "on_time": Count("id", filter=Q(on_time=True)),
    "real": Count("id", filter=Q(real_name=True)),
    "called": Count("id", filter=Q(real_name=True, callback_at__isnull=False)),
}


def rating_figures(scope: Scope) -> list[Figure]:
    """Task 12: good-rating rate, bad ratings rectified on time, call-backs, number of ratings."""
    row = evaluations(scope).aggregate(**EVALUATION_AGGREGATES)
    rect = rectifications(scope).aggregate(**RECTIFICATION_AGGREGATES)
    return [
        _count("ratings", row["n"]),
        _fig("good_rating_rate", row["good"], row["n"]),
        _fig("rectified_on_time_rate", rect["on_time"], rect["n"]),
        _fig("callback_rate", rect["called"], rect["real"]),
    ]


def _related_count(app_model: str, case_path: str, scope: Scope) -> int | None:
    """Cases of the scope accepted in the period that have a row in another context's table."""
    try:
        model = apps.get_model(app_model)
    except LookupError:
        return None
    filters: dict[str, object] = {f"{case_path}__accepted_on__range": (scope.start, scope.end)}
    if scope.agency_id is not None:
        filters[f"{case_path}__agency_id"] = scope.agency_id
    if scope.venue_id is not None:
        filters[f"{case_path}__venue_id"] = scope.venue_id
    return int(model._default_manager.filter(scope.region_q(f"{case_path}__region_id"), **filters).count())


def volume_figures(scope: Scope) -> list[Figure]:
    """Tasks 15 and 16: bundle cases and cross-region (异地代收代办) cases."""
    out = []
    for key, model in (
        ("bundle_cases", "bundles.BundleChild"),
        ("cross_region_cases", "bundles.RemoteIntake"),
    ):
        n = _related_count(model, "case", scope)
        out.append(Figure(key, None) if n is None else _count(key, n))
    return out


def figures(scope: Scope) -> dict[str, Figure]:
    """Every figure of the scope, keyed."""
    out: dict[str, Figure] = {}
    for family in (catalog_figures, case_figures, rating_figures, volume_figures):
        for fig in family(scope):
            out[fig.key] = fig
    return out


# --- the dashboard: one grouped scan of cases and one of ratings ------------------------------

TIMED = Q(accepted_on__isnull=False, due_date__isnull=False)
GROUPED_CASE_AGGREGATES = {
    **CASE_AGGREGATES,
    "decide": Sum(F("concluded_on") - F("accepted_on"), filter=TIMED, output_field=DurationField()),
    "promised": Sum(F("due_date") - F("accepted_on"), filter=TIMED, output_field=DurationField()),
}
COUNTERS = ("decided", "spot", "with_due", "on_time", "timed", "decide", "promised", "ratings", "good")


@dataclass
class Row:
    """Counts of one group (a child region, an agency, a month or the total) and their rates."""

    key: str
    label: str
    decided: int = 0
    spot: int = 0
    with_due: int = 0
    on_time: int = 0
    timed: int = 0
    decide: int = 0
    promised: int = 0
    ratings: int = 0
    good: int = 0

    def add(self, other: Row) -> None:
        """Add another row's counts to this one."""
        for name in COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def on_time_rate(self) -> float | None:
        """Share of decided cases concluded on time, percent."""
        return round(100.0 * self.on_time / self.with_due, 2) if self.with_due else None

    @property
    def good_rating_rate(self) -> float | None:
        """Share of good ratings, percent."""
        return round(100.0 * self.good / self.ratings, 2) if self.ratings else None


@dataclass
class TrendPoint:
    """One month of the trend lines."""

    month: datetime.date
    on_time_rate: float | None
    good_rating_rate: float | None
    decided: int
    ratings: int


@dataclass
class Dashboard:
    """Everything the dashboard page shows for one scope."""

    scope: Scope
    figures: dict[str, Figure]
    regions: list[Row]
    agencies: list[Row]
    trend: list[TrendPoint]


def _as_date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def rolled_months(scope: Scope) -> tuple[datetime.date, datetime.date] | None:
    """The run of whole months inside the period, before the current month, all rolled up
    (first month, first day after the run); None when there is none. Venue scopes never use it."""
    if scope.venue_id is not None:
        return None
    first = _month_start(scope.start) if scope.start.day == 1 else _next_month(scope.start)
    end_is_month_end = _next_month(scope.end) - datetime.timedelta(days=1) == scope.end
    stop = min(
        _month_start(scope.today), _next_month(scope.end) if end_is_month_end else _month_start(scope.end)
    )
    if first >= stop:
        return None
    months, m = [], first
    while m < stop:
        months.append(m)
        m = _next_month(m)
    if StatMonth.objects.filter(month__in=months).count() != len(months):
        return None
    return first, stop


def _live_cells(
    scope: Scope, skip: tuple[datetime.date, datetime.date] | None
) -> dict[tuple[int, datetime.date], Row]:
    cells: dict[tuple[int, datetime.date], Row] = {}

    def cell(agency_id: int, month: object) -> Row:
        key = (agency_id, _as_date(month))
        if key not in cells:
            cells[key] = Row(key=str(agency_id), label="")
        return cells[key]

    decided, rated = _decided(scope), evaluations(scope)
    if skip is not None:
        decided = decided.exclude(concluded_on__gte=skip[0], concluded_on__lt=skip[1])
        rated = rated.exclude(created_on__gte=skip[0], created_on__lt=skip[1])
    for r in (
        decided.annotate(m=TruncMonth("concluded_on"))
        .values("agency_id", "m")
        .annotate(**GROUPED_CASE_AGGREGATES)
    ):
        c = cell(r["agency_id"], r["m"])
        c.decided, c.spot, c.with_due, c.on_time, c.timed = (
            r["decided"],
            r["spot"],
            r["with_due"],
            r["on_time"],
            r["timed"],
        )
        c.decide, c.promised = _days(r["decide"]), _days(r["promised"])
    for r in (
        rated.annotate(m=TruncMonth("created_on")).values("agency_id", "m").annotate(**EVALUATION_AGGREGATES)
    ):
        c = cell(r["agency_id"], r["m"])
        c.ratings, c.good = r["n"], r["good"]
    return cells


def grouped(scope: Scope) -> tuple[dict[int, Row], dict[datetime.date, Row]]:
    """Counts per agency and per month: rolled-up months summed from ``MonthlyStat`` in SQL, the
    rest live (decided cases by conclusion month, ratings by rating month)."""
    run = rolled_months(scope)
    by_agency: dict[int, Row] = {}
    by_month: dict[datetime.date, Row] = {}
    for (agency_id, month), row in _live_cells(scope, run).items():
        by_agency.setdefault(agency_id, Row(key=str(agency_id), label="")).add(row)
        by_month.setdefault(month, Row(key=month.isoformat(), label="")).add(row)
    if run is not None:
        stats = MonthlyStat.objects.filter(scope.region_q(), month__gte=run[0], month__lt=run[1])
        if scope.agency_id is not None:
            stats = stats.filter(agency_id=scope.agency_id)
        sums = {f: Sum(f) for f in ROLLUP_FIELDS}
        for group, target in (("agency_id", by_agency), ("month", by_month)):
            for st in stats.values(group).annotate(**sums).values_list(group, *ROLLUP_FIELDS):
                key = st[0] if group == "agency_id" else _as_date(st[0])
                row = Row(key=str(key), label="", **dict(zip(COUNTERS, st[1:], strict=True)))
                target.setdefault(key, Row(key=str(key), label="")).add(row)  # type: ignore[arg-type]
    return by_agency, by_month


ROLLUP_FIELDS = (
    "decided",
    "spot",
    "with_due",
    "on_time",
    "timed",
    "decide_days",
    "promised_days",
    "ratings",
    "good",
)


def stats_refresh(
    *,
    months: list[datetime.date] | None = None,
    today: datetime.date | None = None,
    only_missing: bool = False,
) -> int:
    """Roll up closed months (all months with data before the current one when ``months`` is
    None; with ``only_missing`` those not rolled up yet) from the raw tables; returns the number
    of months written. Safe to re-run."""
    today = today or timezone.localdate()
    current = _month_start(today)
    if months is None:
        firsts = [
            Case.objects.filter(decided_at__isnull=False)
            .order_by("concluded_on")
            .values_list("concluded_on", flat=True)
            .first(),
            Evaluation.objects.order_by("created_on").values_list("created_on", flat=True).first(),
        ]
        first = min((d for d in firsts if d is not None), default=None)
        months = []
        m = _month_start(first) if first else current
        while m < current:
            months.append(m)
            m = _next_month(m)
    written = 0
    root = Region.objects.filter(parent__isnull=True).order_by("code").first()
    if root is None:
        return 0
    region_of = dict(Agency.objects.values_list("pk", "region_id"))
    done = set(StatMonth.objects.values_list("month", flat=True)) if only_missing else set()
    for month in sorted({_month_start(m) for m in months if _month_start(m) < current} - done):
        end = _next_month(month) - datetime.timedelta(days=1)
        scope = Scope(region=root, start=month, end=end, today=today)
        live = _live_cells(_AllRegions(scope), None)
        with transaction.atomic():
            MonthlyStat.objects.filter(month=month).delete()
            MonthlyStat.objects.bulk_create(
                [
                    MonthlyStat(
                        agency_id=agency_id,
                        region_id=region_of[agency_id],
                        month=month,
                        **{f: getattr(row, c) for f, c in zip(ROLLUP_FIELDS, COUNTERS, strict=True)},
                    )
                    for (agency_id, _m), row in live.items()
                ],
                batch_size=2000,
            )
            StatMonth.objects.update_or_create(month=month, defaults={"refreshed_at": timezone.now()})
        written += 1
    return written


def stats_invalidate(day: datetime.date) -> None:
    """Forget the roll-up of the month of ``day`` (something in it changed)."""
    StatMonth.objects.filter(month=_month_start(day)).delete()


class _AllRegions(Scope):
    """A scope over every region (roll-ups cover agencies of all roots)."""

    def __init__(self, scope: Scope) -> None:
        super().__init__(region=scope.region, start=scope.start, end=scope.end, today=scope.today)

    def region_ids(self) -> list[int]:
        """Every region."""
        return list(Region.objects.values_list("pk", flat=True))


def dashboard(scope: Scope) -> Dashboard:
    """The figures, the rows per child region and agency, and the monthly trend of one scope.

    Cases and ratings are each read once, grouped by agency and month; totals, drill-down rows
    and trend points are sums of those cells, so they always add up."""
    by_agency, by_month = grouped(scope)
    total = Row(key="total", label="")
    for row in by_month.values():
        total.add(row)
    names = dict(Agency.objects.filter(pk__in=list(by_agency)).values_list("pk", "name"))
    region_of = dict(Agency.objects.filter(pk__in=list(by_agency)).values_list("pk", "region__prefix"))
    children = list(Region.objects.filter(parent=scope.region).order_by("code"))
    by_child = {c.pk: Row(key=c.code, label=c.name) for c in children}
    for pk, row in by_agency.items():
        row.label = names.get(pk, str(pk))
        prefix = region_of.get(pk, "")
        child = next((c for c in children if prefix.startswith(c.prefix)), None)
        if child is not None:
            by_child[child.pk].add(row)
    figs: dict[str, Figure] = {f.key: f for f in catalog_figures(scope)}
    overdue = cases(scope).filter(state__in=CLOCK_OPEN_STATES, due_date__lt=scope.today).count()
    rect = rectifications(scope).aggregate(**RECTIFICATION_AGGREGATES)
    for fig in (
        _fig("on_the_spot_share", total.spot, total.decided),
        _fig("on_time_rate", total.on_time, total.with_due),
        _count("overdue_cases", overdue),
        _fig("avg_decide_days", total.decide, total.timed, percent=False),
        _fig("avg_promised_days", total.promised, total.timed, percent=False),
        _count("ratings", total.ratings),
        _fig("good_rating_rate", total.good, total.ratings),
        _fig("rectified_on_time_rate", rect["on_time"], rect["n"]),
        _fig("callback_rate", rect["called"], rect["real"]),
        *volume_figures(scope),
    ):
        figs[fig.key] = fig
    ordered = {key: figs[key] for key in SPECS if key in figs}
    agencies = sorted(by_agency.values(), key=lambda r: (-(r.good_rating_rate or -1), r.label))
    trend = [
        TrendPoint(
            month=m,
            on_time_rate=r.on_time_rate,
            good_rating_rate=r.good_rating_rate,
            decided=r.decided,
            ratings=r.ratings,
        )
        for m, r in sorted(by_month.items())
    ]
    return Dashboard(
        scope=scope, figures=ordered, regions=list(by_child.values()), agencies=agencies, trend=trend
    )
