"""Completeness and consistency reports of the catalog (task 3: every implementation carries a guide).

For every implementation in a region and below, one scan works out:

- its publication status: ``required`` (every implementation that is not cancelled must carry a
  guide) and ``published`` (it has a current version);
- ``missing_local``: the content the public sees (the current version; the draft while never
  published) lacks one of the local elements (place, hours, consultation and complaint phones);
- ``failing_checks``: the working draft fails a publication check (it could not be approved as is);
- ``consistency``: the public content is stricter for the applicant than the province's standard
  (the published implementation of the same item in the nearest region above, as in
  ``services.standard_for``);
- ``missing_link``: a power item without its 权责清单 entry (``lists.implementations_missing_links``).

Speed (a province of 200,000 implementations in a few seconds): the scan reads a handful of
columns with ``values_list(...).iterator()``, never a model instance. The check codes saved with
every draft (``Implementation.draft_failures``) are reused whenever they still describe the public
content and the current standard: the draft was not edited after the current version was
published, and the standard was published before the draft was saved. Only the other rows are
recomputed, reading just the elements the checks need, with one parsed standard per item cached
and identical contents judged once.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, QuerySet, TextField, When
from django.db.models.functions import Cast

from zwfw.catalog import checks, lists
from zwfw.catalog.content import ImplementationContent
from zwfw.catalog.models import Implementation, ImplementationStatus
from zwfw.core.models import Agency, Region

CHUNK = 5000
# Publication-check codes of the local elements (task 3).
LOCAL_CODES = frozenset(
    {
        "catalog.check.place_missing",
        "catalog.check.hours_missing",
        "catalog.check.consultation_missing",
        "catalog.check.complaint_missing",
    }
)
CHECK_PREFIX = "catalog.check."
CONSISTENCY_PREFIX = "catalog.consistency."
# The elements of a province's standard that the consistency rules compare.
CONSISTENCY_KEYS = (
    "materials",
    "promised_limit",
    "promised_limit_unit",
    "statutory_limit",
    "statutory_limit_unit",
    "visits_required",
    "steps",
    "fees",
    "intermediaries",
)


@dataclass
class Row:
    """One line of the completeness report (an agency, a region's subtree, or the total)."""

    kind: str  # "total", "own" (the region's own level), "region" (a child's subtree), "agency"
    key: str  # region code or agency id
    label: str
    required: int = 0
    published: int = 0
    missing_local: int = 0
    failing_checks: int = 0
    missing_links: int = 0
    consistency_failures: int = 0

    @property
    def publication_rate(self) -> float | None:
        """Guides published per implementation required (None when nothing is required)."""
        return self.published / self.required if self.required else None

    @property
    def unpublished(self) -> int:
        """Implementations still without a guide."""
        return self.required - self.published

    def add(self, finding: Finding) -> None:
        """Count one implementation."""
        self.required += 1
        self.published += finding.published
        self.missing_local += bool(finding.missing_local)
        self.failing_checks += bool(finding.failing_checks)
        self.missing_links += finding.missing_link
        self.consistency_failures += bool(finding.consistency)


@dataclass
class Finding:
    """What the report found about one (not cancelled) implementation."""

    implementation_id: int
    agency_id: int
    region_id: int
    published: bool
    missing_local: list[str] = field(default_factory=list)
    failing_checks: list[str] = field(default_factory=list)
    consistency: list[str] = field(default_factory=list)
    missing_link: bool = False
    recomputed: bool = False


# --- the scan ---------------------------------------------------------------------------------------


@dataclass
class _Standards:
    """Published implementations by (item, region), to find each one's nearest standard above."""

    by_item_region: dict[tuple[int, int], tuple[int, datetime]]
    parents: Mapping[int, int | None]
    cache: dict[tuple[int, int], tuple[int, datetime] | None] = field(default_factory=dict)

    def nearest(self, item_id: int, region_id: int) -> tuple[int, datetime] | None:
        """(standard implementation id, its publication time) in the nearest region above."""
        key = (item_id, region_id)
        if key not in self.cache:
            found = None
            node = self.parents.get(region_id)
            while node is not None:
                found = self.by_item_region.get((item_id, node))
                if found is not None:
                    break
                node = self.parents.get(node)
            self.cache[key] = found
        return self.cache[key]


def _ancestors(region: Region) -> list[Region]:
    out, node = [], region.parent
    while node is not None:
        out.append(node)
        node = node.parent
    return out


def _standards(region: Region) -> _Standards:
    """Every possible standard for the region's implementations: published implementations in a
    region above one that has implementations (in the subtree or above it; leaves are skipped)."""
    parents = dict(
        Region.objects.filter(
            Q(prefix__startswith=region.prefix) | Q(pk__in=[r.pk for r in _ancestors(region)])
        ).values_list("pk", "parent_id")
    )
    used = _in_region(region)
    above: set[int] = set()
    for region_id in used.values_list("region_id", flat=True).distinct():
        node = parents.get(region_id)
        while node is not None and node not in above:
            above.add(node)
            node = parents.get(node)
    by_item_region: dict[tuple[int, int], tuple[int, datetime]] = {}
    rows = (
        Implementation.objects.filter(region_id__in=above, current_version__isnull=False)
        .order_by("-region__code", "-code")  # the first by (region code, code) wins, as in standard_for
        .values_list("item_id", "region_id", "pk", "current_version__published_at")
    )
    for item_id, region_id, pk, published_at in rows.iterator(chunk_size=CHUNK):
        by_item_region[(item_id, region_id)] = (pk, published_at)
    return _Standards(by_item_region=by_item_region, parents=parents)


class _Judge:
    """Recomputes local-element and consistency failures, with each standard parsed once."""

    def __init__(self) -> None:
        self.standards: dict[int, ImplementationContent] = {}

    def load_standards(self, ids: set[int]) -> None:
        missing = list(ids - set(self.standards))
        for start in range(0, len(missing), CHUNK):
            rows = Implementation.objects.filter(pk__in=missing[start : start + CHUNK]).values_list(
                "pk", Cast("current_version__content", TextField())
            )
            for pk, text in rows:
                data = json.loads(text)
                self.standards[pk] = ImplementationContent.model_validate(
                    {k: data[k] for k in CONSISTENCY_KEYS if k in data}
                )

    def judge(
        self, data: dict[str, Any], *, item_type: str, standard_id: int | None
    ) -> tuple[list[str], list[str]]:
        """(local-element codes, consistency codes) of one stored content, as the checks judge it."""
        content = ImplementationContent.model_validate(data)
        local = [
            f.code for f in checks.publication_failures(content, item_type=item_type) if f.code in LOCAL_CODES
        ]
        standard = self.standards.get(standard_id) if standard_id is not None else None
        consistency = (
            [f.code for f in checks.consistency_failures(content, standard=standard)] if standard else []
        )
        return local, consistency


def _in_region(region: Region) -> QuerySet[Implementation]:
    """Implementations of the region and below (a subquery on regions, no join per row)."""
    regions = Region.objects.filter(prefix__startswith=region.prefix).values("pk")
    return Implementation.objects.filter(region_id__in=regions).order_by()


def scan(region: Region) -> Iterator[Finding]:
    """A finding for every implementation in ``region`` and below that is not cancelled."""
    standards = _standards(region)
    implementations = _in_region(region).exclude(status=ImplementationStatus.CANCELLED)
    missing_links = set(lists.implementations_missing_links(implementations).values_list("pk", flat=True))
    rows = implementations.annotate(
        # The draft is what the public sees: never published, or not edited since publication.
        draft_is_public=ExpressionWrapper(
            Q(draft_updated_at__isnull=False)
            & (Q(current_version__isnull=True) | Q(current_version__published_at__gte=F("draft_updated_at"))),
            output_field=BooleanField(),
        ),
        codes=Cast("draft_failures", TextField()),  # parsed only when not empty
    ).values_list(
        "pk",
        "agency_id",
        "region_id",
        "item_id",
        "current_version_id",
        "draft_is_public",
        "draft_updated_at",
        "codes",
    )
    stale: list[tuple[Finding, int | None]] = []
    for pk, agency_id, region_id, item_id, version_id, draft_is_public, saved_at, text in rows.iterator(
        chunk_size=CHUNK
    ):
        codes: list[str] = [str(c) for c in json.loads(text)] if text and text != "[]" else []
        finding = Finding(
            implementation_id=pk,
            agency_id=agency_id,
            region_id=region_id,
            published=version_id is not None,
            failing_checks=[c for c in codes if c.startswith(CHECK_PREFIX)],
            missing_link=pk in missing_links,
        )
        standard = standards.nearest(item_id, region_id)
        standard_unchanged = standard is None or (saved_at is not None and standard[1] <= saved_at)
        if draft_is_public and standard_unchanged:
            if codes:
                finding.missing_local = [c for c in codes if c in LOCAL_CODES]
                finding.consistency = (
                    [c for c in codes if c.startswith(CONSISTENCY_PREFIX)] if standard else []
                )
            yield finding
        else:
            stale.append((finding, standard[0] if standard else None))
    yield from _recompute(stale)


def _recompute(stale: list[tuple[Finding, int | None]]) -> Iterator[Finding]:
    """Judge again the rows whose saved codes no longer describe the public content."""
    if not stale:
        return
    judge = _Judge()
    judge.load_standards({s for _f, s in stale if s is not None})
    public = Case(
        When(current_version__isnull=False, then=Cast("current_version__content", TextField())),
        default=Cast("draft", TextField()),
    )
    for start in range(0, len(stale), CHUNK):
        chunk = {f.implementation_id: (f, s) for f, s in stale[start : start + CHUNK]}
        rows = (
            Implementation.objects.filter(pk__in=list(chunk))
            .annotate(public=public)
            .values_list("pk", "item__item_type", "public")
        )
        for pk, item_type, text in rows:
            finding, standard_id = chunk[pk]
            finding.missing_local, finding.consistency = judge.judge(
                json.loads(text), item_type=item_type, standard_id=standard_id
            )
            finding.recomputed = True
            yield finding


# --- the reports ------------------------------------------------------------------------------------


class _RegionRows:
    """The total, the region's own level and one row per child region's subtree."""

    def __init__(self, region: Region) -> None:
        children = list(Region.objects.filter(parent=region).order_by("code"))
        self.total = Row(kind="total", key=region.code, label=region.name)
        self.own = Row(kind="own", key=region.code, label=region.name)
        self.children = {c.pk: Row(kind="region", key=c.code, label=c.name) for c in children}
        self._prefixes = [(c.prefix, c.pk) for c in children]
        self._region_prefix = dict(
            Region.objects.filter(prefix__startswith=region.prefix).values_list("pk", "prefix")
        )
        self._region_pk = region.pk
        self._row_of: dict[int, Row] = {}

    def row_for(self, region_id: int) -> Row:
        """The row counting implementations of this region (its child's subtree, or the own level)."""
        found = self._row_of.get(region_id)
        if found is None:
            prefix = self._region_prefix.get(region_id, "")
            child = next(
                (pk for p, pk in self._prefixes if prefix.startswith(p) and region_id != self._region_pk),
                None,
            )
            found = self._row_of[region_id] = self.children[child] if child is not None else self.own
        return found

    def add(self, finding: Finding) -> None:
        self.total.add(finding)
        self.row_for(finding.region_id).add(finding)


def completeness_report(*, region: Region) -> list[Row]:
    """Rows for the dashboard: the total, the region's own level, each child region's subtree,
    and each agency of the region itself."""
    rows = _RegionRows(region)
    by_agency = {
        a.pk: Row(kind="agency", key=str(a.pk), label=a.name)
        for a in Agency.objects.filter(region=region).order_by("name")
    }
    for finding in scan(region):
        rows.add(finding)
        agency_row = by_agency.get(finding.agency_id)
        if agency_row is not None:
            agency_row.add(finding)
    return [rows.total, rows.own, *rows.children.values(), *by_agency.values()]


def province_report(region: Region) -> dict[str, Any]:
    """The consistency and completeness report of a whole region (a province) and below.

    Returns the totals, the same counts for the region's own level and each child region's
    subtree, the ids of implementations without a guide or without their 权责清单 link, and
    the findings of every implementation whose content has a problem (missing local elements,
    failing checks, inconsistency with the standard).
    """
    started = time.perf_counter()
    rows = _RegionRows(region)
    problems: dict[int, dict[str, list[str]]] = {}
    unpublished: list[int] = []
    missing_link: list[int] = []
    recomputed = 0
    for finding in scan(region):
        rows.add(finding)
        recomputed += finding.recomputed
        if not finding.published:
            unpublished.append(finding.implementation_id)
        if finding.missing_link:
            missing_link.append(finding.implementation_id)
        if finding.missing_local or finding.failing_checks or finding.consistency:
            problems[finding.implementation_id] = {
                "missing_local": finding.missing_local,
                "failing_checks": finding.failing_checks,
                "consistency": finding.consistency,
            }
    by_region = {row.key: _counts(row) for row in rows.children.values()}
    by_region[region.code] = _counts(rows.own)
    return {
        "region": region.code,
        **_counts(rows.total),
        "by_region": by_region,
        "unpublished": unpublished,
        "missing_link": missing_link,
        "problems": problems,
        "recomputed": recomputed,
        "seconds": round(time.perf_counter() - started, 3),
    }


def _counts(row: Row) -> dict[str, Any]:
    return {
        "required": row.required,
        "published": row.published,
        "publication_rate": row.publication_rate,
        "missing_local": row.missing_local,
        "failing_checks": row.failing_checks,
        "missing_links": row.missing_links,
        "consistency_failures": row.consistency_failures,
    }
