"""Import, checking: resolve regions, agencies, permissions, catalog items and existing
implementations for every row read, validate each draft, and build the plan of writes.

Nothing here writes. ``build_plan`` returns the plan together with every problem found (cell,
row and permission errors, unknown regions and agencies, content that the pydantic schema of
``content.py`` rejects, mapped back to its cell); ``writer.py`` carries out a plan that has none.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from zwfw.catalog import services
from zwfw.catalog.content import ImplementationContent
from zwfw.catalog.excel import layout
from zwfw.catalog.excel.items import (
    NewItem,
    Standards,
    compare_item,
    compare_new_item,
    new_item,
    order_new_items,
)
from zwfw.catalog.excel.layout import Kind
from zwfw.catalog.excel.reader import Workbook
from zwfw.catalog.excel.sheets import (
    DetailRow,
    Located,
    MainRow,
    Problems,
    Progress,
    Sources,
    chunks,
    read_sheets,
    report_schema_errors,
)
from zwfw.catalog.models import (
    Adjustment,
    AdjustmentStatus,
    Implementation,
    ImplementationStatus,
    ServiceItem,
)
from zwfw.core.models import Agency, Region
from zwfw.identity.selectors import Actor


@dataclass
class RowPlan:
    """One implementation to create or to update (or found unchanged) and its new draft."""

    row: int
    code: str
    base_code: str
    agency: Agency
    region: Region
    data: dict[str, Any]
    existing_id: int | None
    unchanged: bool
    failures: list[str] | None  # publication-check codes of the new draft (None when unchanged)
    before: dict[str, Any] | None = None  # the existing draft, as checked
    stamp: datetime.datetime | None = None  # its draft_updated_at, to see a change before writing


@dataclass
class ImportPlan:
    """Everything the writer needs, validated."""

    rows: list[RowPlan]
    new_items: list[NewItem]  # parents before children
    items: dict[str, ServiceItem]  # existing items by base code
    file_rows: int


# --- the plan ------------------------------------------------------------------------------------


def _region_key(raw: str) -> list[str]:
    """Codes to look a typed region code up by (12-digit codes of counties end in six zeros)."""
    code = raw.strip()
    keys = [code]
    if len(code) == 12 and code.endswith("000000"):
        keys.append(code[:6])
    return keys


def build_plan(
    *, actor: Actor, book: Workbook, problems: Problems, progress: Progress | None = None
) -> ImportPlan | None:
    """Read and check the whole workbook; None when the main sheet cannot be read at all."""
    report = progress or (lambda stage, done, total: None)
    sheets = read_sheets(book, problems, report)
    if sheets is None:
        return None
    return _resolve(actor, sheets.main_rows, sheets.details, sheets.located, problems, report)


def _resolve(
    actor: Actor,
    main_rows: list[MainRow],
    details: dict[str, dict[str, list[DetailRow]]],
    located: dict[str, Located],
    problems: Problems,
    report: Progress,
) -> ImportPlan:
    main = located[layout.MAIN_SHEET]
    sheet = layout.MAIN_SHEET

    def fail(row: int, header: str, code: str, message: str) -> None:
        letter, head = main.where(header)
        problems.add(sheet, row, letter, head, code, message)

    # duplicates of 实施编码 within the file; details for codes the main sheet lacks
    first_row: dict[str, int] = {}
    for r in main_rows:
        code = r.impl.get("code")
        if not code:
            continue
        if any(ch.isspace() for ch in code):
            r.ok = False
            fail(r.row, layout.CODE_HEADER, "excel.code_format", _("The code must not contain spaces."))
        if code in first_row:
            r.ok = False
            fail(
                r.row,
                layout.CODE_HEADER,
                "excel.duplicate_code",
                _("This implementation code already appears in row %(row)d.") % {"row": first_row[code]},
            )
        else:
            first_row[code] = r.row
    for code, lists in details.items():
        if code in first_row:
            continue
        for list_name, rows in lists.items():
            detail_sheet = next(s for s in layout.DETAIL_SHEETS if s.content_list == list_name)
            letter = located[detail_sheet.name].letter_of.get(layout.CODE_HEADER, "")
            for d in rows:
                problems.add(
                    detail_sheet.name,
                    d.row,
                    letter,
                    layout.CODE_HEADER,
                    "excel.unknown_code",
                    _("Implementation code “%(code)s” is not in the sheet 实施清单.") % {"code": code[:60]},
                )

    # regions, agencies, permissions
    typed_regions = {r.impl["region"] for r in main_rows if r.impl.get("region")}
    lookup_codes = {key for raw in typed_regions for key in _region_key(raw)}
    regions_by_code = {
        reg.code: reg
        for chunk in chunks(sorted(lookup_codes))
        for reg in Region.objects.filter(code__in=chunk)
    }
    region_of: dict[str, Region] = {}
    for raw in typed_regions:
        for key in _region_key(raw):
            if key in regions_by_code:
                region_of[raw] = regions_by_code[key]
                break
    names = {r.impl["agency"] for r in main_rows if r.impl.get("agency")}
    agencies: dict[tuple[int, str], Agency] = {}
    region_ids = list({reg.pk for reg in region_of.values()})
    for ids in chunks(region_ids):
        for name_chunk in chunks(sorted(names)):
            for known in Agency.objects.filter(region_id__in=ids, name__in=name_chunk).select_related(
                "region"
            ):
                agencies[(known.region_id, known.name)] = known
    allowed: dict[int, bool] = {}
    for r in main_rows:
        raw_region, agency_name = r.impl.get("region"), r.impl.get("agency")
        if not raw_region or not agency_name:
            continue
        region = region_of.get(raw_region)
        if region is None:
            r.ok = False
            fail(
                r.row,
                "实施主体所在区划代码",
                "excel.region_unknown",
                _("There is no region with code “%(code)s”.") % {"code": raw_region[:20]},
            )
            continue
        found = agencies.get((region.pk, agency_name))
        if found is None:
            r.ok = False
            fail(
                r.row,
                "实施主体",
                "excel.agency_unknown",
                _("%(region)s has no agency named “%(name)s”.")
                % {"region": region.name, "name": agency_name},
            )
            continue
        if region.pk not in allowed:
            allowed[region.pk] = services.can_edit_catalog(actor, region)
        if not allowed[region.pk]:
            r.ok = False
            fail(
                r.row,
                "实施主体所在区划代码",
                "excel.forbidden",
                _("You are not a catalog administrator of %(region)s; this row cannot be imported.")
                % {"region": region.name},
            )
            continue
        r.impl["agency_obj"] = found

    # catalog items: existing ones must agree; new ones are defined once
    codes = sorted({r.item["base_code"] for r in main_rows if r.item.get("base_code")})
    parent_codes = sorted({r.item["parent"] for r in main_rows if r.item.get("parent")})
    items: dict[str, ServiceItem] = {}
    for chunk in chunks(sorted(set(codes) | set(parent_codes))):
        for entry in ServiceItem.objects.filter(base_code__in=chunk).select_related("parent"):
            items[entry.base_code] = entry
    new_items: dict[str, NewItem] = {}
    for r in main_rows:
        base_code = r.item.get("base_code")
        agency = r.impl.get("agency_obj")
        if not base_code:
            continue
        if base_code in items:
            compare_item(r, items[base_code], fail)
        elif base_code in new_items:
            compare_new_item(r, new_items[base_code], fail)
            if agency is not None and len(agency.region.prefix) < len(new_items[base_code].region.prefix):
                new_items[base_code].region = agency.region  # the highest region of its rows
        elif agency is not None and r.ok:
            spec = new_item(r, agency.region, fail)
            if spec is not None:
                new_items[base_code] = spec
    ordered_new = order_new_items(new_items, items, main_rows, fail)

    # existing implementations: by code, and by (item, agency) for new codes
    by_code: dict[str, dict[str, Any]] = {}
    for chunk in chunks(sorted(first_row)):
        for values in Implementation.objects.filter(code__in=chunk).values(
            "id",
            "code",
            "item_id",
            "agency_id",
            "region_id",
            "status",
            "draft",
            "draft_updated_at",
            "agency__name",
        ):
            by_code[values["code"]] = dict(values)
    pair_taken: dict[tuple[int, int], str] = {}
    existing_item_ids = sorted({items[c].pk for c in codes if c in items})
    agency_ids = sorted({r.impl["agency_obj"].pk for r in main_rows if "agency_obj" in r.impl})
    for chunk in chunks(existing_item_ids, 450):
        for agency_chunk in chunks(agency_ids, 450):
            for item_id, agency_id, code in Implementation.objects.filter(
                item_id__in=chunk, agency_id__in=agency_chunk
            ).values_list("item_id", "agency_id", "code"):
                pair_taken[(item_id, agency_id)] = code
    under_review: set[int] = set()
    existing_ids = [v["id"] for v in by_code.values()]
    for chunk in chunks(existing_ids):
        under_review.update(
            Adjustment.objects.filter(
                implementation_id__in=chunk,
                status__in=[AdjustmentStatus.SUBMITTED, AdjustmentStatus.APPROVED],
            ).values_list("implementation_id", flat=True)
        )

    standards = Standards([items[c].pk for c in codes if c in items])
    empty_lists: dict[str, list[Any]] = {
        c.field: []
        for c in layout.MAIN.columns
        if c.kind in (Kind.ENUM_LIST, Kind.NAMES, Kind.LINES) and c.target.startswith("content.")
    }
    plans: list[RowPlan] = []
    pair_row: dict[tuple[str, int], int] = {}
    total = len(main_rows)
    for done, r in enumerate(main_rows, start=1):
        if done % 2000 == 0:
            report("validate", done, total)
        code, base_code = r.impl.get("code"), r.item.get("base_code")
        agency = r.impl.get("agency_obj")
        sources = Sources(main_row=r.row)
        content = {**empty_lists, **r.content}
        for list_name, rows in (details.get(code, {}) if code else {}).items():
            entries = []
            for position, d in enumerate(rows, start=1):
                if not d.ok:  # its cells are reported already; the schema would repeat them
                    r.ok = False
                    continue
                element = dict(d.values)
                if list_name == "materials" and not element.get("key"):
                    element["key"] = f"m{position}"
                entries.append(element)
            content[list_name] = entries
            sources.details[list_name] = [d.row for d in rows if d.ok]
        try:
            parsed = ImplementationContent.model_validate(content)
        except SchemaError as exc:
            r.ok = False
            report_schema_errors(exc, sources, located, problems)
            continue
        if not (r.ok and code and base_code and agency is not None):
            continue
        pair = (base_code, agency.pk)
        if pair in pair_row:
            fail(
                r.row,
                "实施主体",
                "excel.duplicate_implementation",
                _("Row %(row)d already imports this item for the same agency.") % {"row": pair_row[pair]},
            )
            continue
        pair_row[pair] = r.row
        existing = by_code.get(code)
        item = items.get(base_code)
        if item is None and base_code not in new_items:
            continue  # its catalog entry could not be defined: reported with the row that defines it
        if existing is not None:
            if (
                existing["agency_id"] != agency.pk
                or existing["region_id"] != agency.region_id
                or item is None
                or existing["item_id"] != item.pk
            ):
                fail(
                    r.row,
                    layout.CODE_HEADER,
                    "excel.code_taken",
                    _("Implementation code %(code)s belongs to another item or agency (%(agency)s).")
                    % {"code": code, "agency": existing["agency__name"]},
                )
                continue
            if existing["status"] == ImplementationStatus.CANCELLED:
                fail(
                    r.row,
                    layout.CODE_HEADER,
                    "excel.cancelled",
                    _("This implementation is cancelled and cannot be edited."),
                )
                continue
        elif item is not None and (item.pk, agency.pk) in pair_taken:
            fail(
                r.row,
                layout.CODE_HEADER,
                "excel.implementation_exists",
                _("%(agency)s already implements this item under code %(code)s.")
                % {"agency": agency.name, "code": pair_taken[(item.pk, agency.pk)]},
            )
            continue
        data = services.content_dump(parsed)
        unchanged = existing is not None and existing["draft"] == data
        if existing is not None and not unchanged and existing["id"] in under_review:
            fail(
                r.row,
                layout.CODE_HEADER,
                "excel.under_review",
                _("The draft is under review; withdraw the adjustment before importing a new draft."),
            )
            continue
        failures = None
        if not unchanged:
            item_type = item.item_type if item is not None else new_items[base_code].item_type
            failures = standards.failures(
                parsed,
                item_type=item_type,
                item_id=item.pk if item is not None else None,
                region=agency.region,
            )
        plans.append(
            RowPlan(
                row=r.row,
                code=code,
                base_code=base_code,
                agency=agency,
                region=agency.region,
                data=data,
                existing_id=existing["id"] if existing else None,
                before=existing["draft"] if existing else None,
                stamp=existing["draft_updated_at"] if existing else None,
                unchanged=unchanged,
                failures=failures,
            )
        )
    report("validate", total, total)
    return ImportPlan(rows=plans, new_items=ordered_new, items=items, file_rows=total)
