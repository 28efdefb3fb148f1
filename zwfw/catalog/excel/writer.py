"""Import, second half: carry out a checked plan in one transaction.

Two paths with the same effects (tested to write the same rows and ledger events):
- up to ``ZWFW_IMPORT_BULK_MIN_ROWS`` writes (default 500) every catalog item, implementation and
  draft goes through ``services.service_item_create`` / ``implementation_create`` /
  ``implementation_update_draft``, one call per row;
- above it, rows are written in batches (``bulk.insert_rows`` / ``bulk.update_rows``: COPY on
  PostgreSQL) and the ledger events (one per catalog item and implementation, exactly those the
  services write) are appended in bulk by ``bulk.ledger_append_many``: per-row service calls cost
  ~10 queries each and would not import 50,000 rows within a minute.
Both end with one summary event on the chain ``catalog_import:<id>``. Rows whose draft is already
identical are skipped: no write, no event.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zwfw.catalog import services
from zwfw.catalog.content import ImplementationContent
from zwfw.catalog.excel import layout
from zwfw.catalog.excel.bulk import BATCH, insert_rows, ledger_append_many, update_rows
from zwfw.catalog.excel.importer import ImportPlan, RowPlan
from zwfw.catalog.excel.items import NewItem
from zwfw.catalog.excel.sheets import Progress, chunks
from zwfw.catalog.models import (
    Adjustment,
    AdjustmentStatus,
    Implementation,
    ServiceItem,
)
from zwfw.core.errors import Conflict, DomainError, ValidationFailed
from zwfw.core.ledger import audit_record
from zwfw.identity.selectors import Actor

DEFAULT_BULK_MIN_ROWS = 500


@dataclass(frozen=True)
class ImportReport:
    """What an import did: counts of implementations created, updated and found unchanged."""

    import_id: str
    rows: int
    created: int
    updated: int
    unchanged: int
    items_created: int
    drafts_failing_checks: int
    path: str  # "none" (nothing to write), "services" or "bulk"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def bulk_min_rows() -> int:
    """Writes from which the bulk path is taken (``ZWFW_IMPORT_BULK_MIN_ROWS``)."""
    return int(getattr(settings, "ZWFW_IMPORT_BULK_MIN_ROWS", DEFAULT_BULK_MIN_ROWS))


def _row_error(row: int, exc: DomainError) -> ValidationFailed:
    return ValidationFailed(
        "catalog.import_invalid",
        _("The file was not imported: fix the listed cells and import it again."),
        [
            {
                "sheet": layout.MAIN_SHEET,
                "row": row,
                "column": "",
                "header": "",
                "code": exc.code,
                "message": str(exc.message),
            }
        ],
    )


def write_plan(
    *,
    actor: Actor,
    plan: ImportPlan,
    import_id: str,
    summary: dict[str, Any],
    progress: Progress | None = None,
    path: str | None = None,
) -> ImportReport:
    """Write the plan in one transaction (refused with ``catalog.import_stale`` if the catalog moved)."""
    report = progress or (lambda stage, done, total: None)
    report("write", 0, sum(1 for p in plan.rows if not p.unchanged))  # seen before the transaction
    with transaction.atomic():
        locked = _lock_and_recheck(plan)
        creates = [p for p in plan.rows if p.existing_id is None]
        updates = [p for p in plan.rows if p.existing_id is not None and not p.unchanged]
        unchanged = len(plan.rows) - len(creates) - len(updates)
        if not creates and not updates and not plan.new_items:
            return ImportReport(import_id, plan.file_rows, 0, 0, unchanged, 0, 0, "none")
        chosen = path or ("bulk" if len(creates) + len(updates) >= bulk_min_rows() else "services")
        if chosen == "bulk":
            failing = _write_bulk(actor, plan, creates, updates, locked, report)
        else:
            failing = _write_services(actor, plan, creates, updates, locked, report)
        result = ImportReport(
            import_id,
            plan.file_rows,
            len(creates),
            len(updates),
            unchanged,
            len(plan.new_items),
            failing,
            chosen,
        )
        audit_record(
            actor=actor,
            object_type="catalog_import",
            object_id=import_id,
            action="imported",
            payload={**summary, **{k: v for k, v in result.as_dict().items() if k != "import_id"}},
        )
    return result


def _lock_and_recheck(plan: ImportPlan) -> dict[str, Implementation]:
    """Lock the implementations the plan touches; refuse if the catalog changed since the check."""
    locked: dict[str, Implementation] = {}
    for chunk in chunks([p.code for p in plan.rows]):
        # the drafts themselves were read by the check; draft_updated_at tells if one moved since
        for row in (
            Implementation.objects.select_for_update()
            .filter(code__in=chunk)
            .only("id", "code", "item", "region", "status", "draft_updated_at")
        ):
            locked[row.code] = row
    stale = Conflict(
        "catalog.import_stale",
        _("The catalog changed while the file was being checked; import the file again."),
    )
    for p in plan.rows:
        impl = locked.get(p.code)
        if (impl.pk if impl else None) != p.existing_id:
            raise stale
        if impl is not None and impl.draft_updated_at != p.stamp:  # edited meanwhile: compare again
            p.before = Implementation.objects.filter(pk=impl.pk).values_list("draft", flat=True).get()
            p.stamp = impl.draft_updated_at
            was_unchanged, p.unchanged = p.unchanged, p.before == p.data
            if was_unchanged and not p.unchanged:
                content = ImplementationContent.model_validate(p.data)
                p.failures = [f["code"] for f in services.implementation_failures(impl, content)]
    changing = [locked[p.code].pk for p in plan.rows if p.existing_id is not None and not p.unchanged]
    for chunk in chunks(changing):
        if Adjustment.objects.filter(
            implementation_id__in=chunk,
            status__in=[AdjustmentStatus.SUBMITTED, AdjustmentStatus.APPROVED],
        ).exists():
            raise stale
    for chunk in chunks([spec.base_code for spec in plan.new_items]):
        if ServiceItem.objects.filter(base_code__in=chunk).exists():
            raise stale
    return locked


def _item_for(p: RowPlan, plan: ImportPlan, created: dict[str, ServiceItem]) -> ServiceItem:
    return plan.items.get(p.base_code) or created[p.base_code]


def _parent_for(spec: NewItem, plan: ImportPlan, created: dict[str, ServiceItem]) -> ServiceItem | None:
    if not spec.parent_code:
        return None
    return created.get(spec.parent_code) or plan.items.get(spec.parent_code)


def _write_services(
    actor: Actor,
    plan: ImportPlan,
    creates: list[RowPlan],
    updates: list[RowPlan],
    locked: dict[str, Implementation],
    report: Progress,
) -> int:
    """One service call per catalog item and per changed row."""
    created: dict[str, ServiceItem] = {}
    for spec in plan.new_items:
        try:
            created[spec.base_code] = services.service_item_create(
                actor=actor,
                region=spec.region,
                base_code=spec.base_code,
                name=spec.name,
                item_type=spec.item_type,
                legal_basis=spec.legal_basis,
                competent_department=spec.competent_department,
                exercised_levels=spec.exercised_levels,
                layer=spec.layer,
                parent=_parent_for(spec, plan, created),
                situation=spec.situation,
            )
        except DomainError as exc:
            raise _row_error(spec.row, exc) from exc
    failing = 0
    total = len(creates) + len(updates)
    done = 0
    for p in plan.rows:
        if p.unchanged:
            continue
        try:
            if p.existing_id is None:
                implementation = services.implementation_create(
                    actor=actor, item=_item_for(p, plan, created), agency=p.agency, code=p.code, draft=p.data
                )
                failing += bool(implementation.draft_failures)
            else:
                failing += bool(
                    services.implementation_update_draft(
                        actor=actor, implementation=locked[p.code], draft=p.data
                    )
                )
        except DomainError as exc:
            raise _row_error(p.row, exc) from exc
        done += 1
        if done % 100 == 0:
            report("write", done, total)
    report("write", total, total)
    return failing


def _write_bulk(
    actor: Actor,
    plan: ImportPlan,
    creates: list[RowPlan],
    updates: list[RowPlan],
    locked: dict[str, Implementation],
    report: Progress,
) -> int:
    """Batched inserts and updates with the same rows and ledger events as the services."""
    events: list[tuple[str, object, str, dict[str, Any]]] = []
    created: dict[str, ServiceItem] = {}
    depth: dict[str, int] = {}
    for spec in plan.new_items:  # parents come first
        depth[spec.base_code] = depth[spec.parent_code] + 1 if spec.parent_code in depth else 0
    for level in sorted(set(depth.values())):
        wave = [
            ServiceItem(
                region=spec.region,
                base_code=spec.base_code.strip(),
                name=spec.name.strip(),
                item_type=spec.item_type,
                legal_basis=spec.legal_basis,
                competent_department=spec.competent_department,
                exercised_levels=spec.exercised_levels,
                layer=spec.layer,
                parent=_parent_for(spec, plan, created),
                situation=spec.situation,
            )
            for spec in plan.new_items
            if depth[spec.base_code] == level
        ]
        insert_rows(wave)
        for item in wave:
            created[item.base_code] = item
            events.append(
                ("service_item", item.pk, "created", {"base_code": item.base_code, "name": item.name})
            )
    now = timezone.now()
    total = len(creates) + len(updates)
    done = 0
    failing = 0
    for batch in chunks(creates, BATCH):
        rows = []
        for p in batch:
            item = _item_for(p, plan, created)
            failures = p.failures or []
            failing += bool(failures)
            rows.append(
                Implementation(
                    item=item,
                    agency=p.agency,
                    region=p.region,
                    code=p.code,
                    draft=p.data,
                    draft_updated_at=now,
                    draft_failures=failures,
                    search_name=item.name,
                    item_type=item.item_type,
                )
            )
        insert_rows(rows)
        for p, implementation in zip(batch, rows, strict=True):
            events.append(
                (
                    "implementation",
                    implementation.pk,
                    "created",
                    {"code": p.code, "item": implementation.item.base_code, "agency": p.agency.pk},
                )
            )
        done += len(batch)
        report("write", done, total)
    for batch in chunks(updates, BATCH):
        changed_rows = []
        for p in batch:
            implementation = locked[p.code]
            before = p.before or {}
            implementation.draft = p.data
            implementation.draft_failures = p.failures or []
            implementation.draft_updated_at = now
            failing += bool(implementation.draft_failures)
            changed_rows.append(implementation)
            changed = sorted(k for k in p.data if before.get(k) != p.data.get(k))
            events.append(("implementation", implementation.pk, "draft_saved", {"changed": changed}))
        update_rows(changed_rows, ["draft", "draft_failures", "draft_updated_at"])
        done += len(batch)
        report("write", done, total)
    report("ledger", 0, len(events))
    ledger_append_many(actor=actor, entries=events)
    report("ledger", len(events), len(events))
    return failing
