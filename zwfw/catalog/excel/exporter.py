"""Export of a region's or an agency's catalog, and the blank template, in the import layout.

Both are written with openpyxl's write-only mode (rows streamed to disk, constant memory). Every
sheet starts with the header row (required headers in red, each with a comment explaining it);
enumerated columns get drop-down lists fed by the hidden sheet "选项"; "说明" documents every
column. Cell text that Excel would take as a formula (starting with "=") is written as text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from zwfw.catalog import selectors, services
from zwfw.catalog.content import ImplementationContent
from zwfw.catalog.excel import layout
from zwfw.catalog.excel.cells import column_letter, format_cell
from zwfw.catalog.excel.layout import CellValue, Column, Kind, Sheet
from zwfw.catalog.excel.service import require_importer
from zwfw.catalog.excel.sheets import Progress
from zwfw.catalog.models import Implementation, ImplementationStatus
from zwfw.core.errors import NotFound
from zwfw.core.models import Agency, Region
from zwfw.identity.selectors import Actor

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_REQUIRED_FILL = PatternFill("solid", fgColor="9C0006")
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOOL_CHOICES = (layout.YES, layout.NO)
_LAST_ROW = 1048576


def _options(column: Column) -> list[str]:
    if column.kind is Kind.ENUM:
        return layout.labels(column.choices)
    if column.kind is Kind.BOOL:
        return list(_BOOL_CHOICES)
    if column.kind is Kind.DEPTH:
        return list(layout.DEPTH_LABELS)
    return []


def _option_lists() -> dict[str, list[str]]:
    """Every drop-down list by name, in the order of the hidden options sheet."""
    lists: dict[str, list[str]] = {}
    for sheet in layout.SHEETS:
        for column in sheet.columns:
            values = _options(column)
            if values:
                lists.setdefault(column.choices or column.kind.value, values)
    return lists


def _safe(value: CellValue, ws: Any) -> Any:
    """A cell value Excel will show as written: no illegal characters, no formulas from text."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        if text.startswith("="):
            cell = WriteOnlyCell(ws, value=text)
            cell.data_type = "s"
            return cell
        return text
    return value


class _Book:
    """A write-only workbook in the import layout: headers, widths, validations, help."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        self.sheets = {sheet.name: self._start(sheet) for sheet in layout.SHEETS}

    def _start(self, sheet: Sheet) -> Any:
        ws = self.wb.create_sheet(sheet.name)
        ws.freeze_panes = "A2"
        lists = _option_lists()
        names = list(lists)
        for index, column in enumerate(sheet.columns):
            letter = column_letter(index)
            ws.column_dimensions[letter].width = column.width
            values = _options(column)
            if values:
                position = column_letter(names.index(column.choices or column.kind.value))
                rng = f"'{layout.OPTIONS_SHEET}'!${position}$2:${position}${len(values) + 1}"
                validation = DataValidation(type="list", formula1=rng, allow_blank=True)
                validation.error = _("Choose a value from the list.")
                validation.add(f"{letter}2:{letter}{_LAST_ROW}")
                ws.data_validations.append(validation)
        headers = []
        with translation.override("zh-hans"):
            for column in sheet.columns:
                cell = WriteOnlyCell(ws, value=column.header)
                cell.font = _HEADER_FONT
                cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
                note = str(column.help)
                if column.blank:
                    note += "\n" + str(column.blank)
                comment = Comment(note, "zwfw")
                comment.width, comment.height = 300, 120
                cell.comment = comment
                headers.append(cell)
        ws.append(headers)
        return ws

    def append(self, sheet: str, values: Iterable[CellValue], wrap: bool = False) -> None:
        ws = self.sheets[sheet]
        if wrap:
            row = []
            for value in values:
                cell = WriteOnlyCell(ws, value=value)
                cell.alignment = _WRAP
                row.append(cell)
            ws.append(row)
        else:
            ws.append([_safe(v, ws) for v in values])

    def finish(self) -> bytes:
        self._help()
        options = self.wb.create_sheet(layout.OPTIONS_SHEET)
        options.sheet_state = "hidden"
        lists = _option_lists()
        options.append(list(lists))
        for i in range(max(len(v) for v in lists.values())):
            options.append([values[i] if i < len(values) else None for values in lists.values()])
        out = io.BytesIO()
        self.wb.save(out)
        return out.getvalue()

    def _help(self) -> None:
        ws = self.wb.create_sheet(layout.HELP_SHEET)
        for letter, width in zip("ABCDEF", (12, 22, 8, 60, 40, 24), strict=True):
            ws.column_dimensions[letter].width = width
        with translation.override("zh-hans"):
            for line in help_notes():
                ws.append([line])
            ws.append([])
            header = [
                _("Sheet"),
                _("Column"),
                _("Required cell"),
                _("Meaning"),
                _("Allowed values"),
                _("When empty"),
            ]
            ws.append([WriteOnlyCell(ws, value=h) for h in header])
            for sheet in layout.SHEETS:
                for column in sheet.columns:
                    allowed = _allowed(column)
                    row = [
                        sheet.name,
                        column.header,
                        layout.YES if column.required else "",
                        str(column.help),
                        allowed,
                        str(column.blank),
                    ]
                    cells = []
                    for value in row:
                        cell = WriteOnlyCell(ws, value=value)
                        cell.alignment = _WRAP
                        cells.append(cell)
                    ws.append(cells)


def _allowed(column: Column) -> str:
    if column.kind in (Kind.ENUM, Kind.ENUM_LIST):
        return "、".join(layout.labels(column.choices)) + (
            _(" (several, separated by 、)") if column.kind is Kind.ENUM_LIST else ""
        )
    texts = {
        Kind.BOOL: "是、否",
        Kind.DEPTH: "Ⅰ、Ⅱ、Ⅲ、Ⅳ（1–4）",
        Kind.INT: _("whole number"),
        Kind.DECIMAL: _("decimal number"),
        Kind.LINES: _("one per line: name：explanation"),
        Kind.NAMES: _("names separated by 、 or one per line"),
    }
    return str(texts.get(column.kind, _("text")))


def help_notes() -> list[str]:
    """The conventions printed at the top of the "说明" sheet (call with zh-hans active)."""
    return [
        _("实施清单 import template: one row per implementation in the sheet 实施清单."),
        _(
            "Materials, special procedures, fees and FAQ go to their own sheets, one row each, "
            "keyed by 实施编码, in the order they should appear."
        ),
        _("Row 2 of each sheet is an example: replace or delete it before importing."),
        _(
            "A row is the whole draft: importing it again replaces the draft; rows whose draft is "
            "unchanged are skipped. Nothing is published by an import."
        ),
        _("Red headers are required. Lists in one cell are separated by 、; steps are one per line."),
    ]


# --- rows ----------------------------------------------------------------------------------------


def _main_values(implementation: Implementation, content: dict[str, Any]) -> list[CellValue]:
    item = implementation.item
    values: list[CellValue] = []
    for column in layout.MAIN.columns:
        area, _sep, name = column.target.partition(".")
        value: Any
        if area == "impl":
            value = {
                "code": implementation.code,
                "agency": implementation.agency.name,
                "region": implementation.region.code,
            }[name]
        elif area == "item":
            value = item.parent.base_code if name == "parent" and item.parent else getattr(item, name, None)
            if name == "parent" and not item.parent:
                value = None
        else:
            value = content.get(name)
        values.append(format_cell(column, value))
    return values


def _detail_values(sheet: Sheet, code: str, entry: dict[str, Any]) -> list[CellValue]:
    return [code, *(format_cell(c, entry.get(c.field)) for c in sheet.columns[1:])]


def _write_implementation(book: _Book, implementation: Implementation, content: dict[str, Any]) -> None:
    book.append(layout.MAIN_SHEET, _main_values(implementation, content))
    for sheet in layout.DETAIL_SHEETS:
        for entry in content.get(sheet.content_list, []):
            book.append(sheet.name, _detail_values(sheet, implementation.code, entry))


def catalog_export(
    *,
    actor: Actor,
    region: Region | None = None,
    agency: Agency | None = None,
    include_drafts: bool = False,
    progress: Progress | None = None,
) -> bytes:
    """The .xlsx of the published implementations of a region (and below) or of one agency.

    Each implementation's current published version is written; with ``include_drafts`` every
    implementation that is not cancelled is written with its draft instead. The file imports back
    unchanged (``catalog_import``). Only catalog administrators export, within their regions.
    """
    require_importer(actor)
    if region is not None and not services.can_edit_catalog(actor, region):
        raise NotFound("catalog.region_not_found", _("Region not found."))
    if agency is not None and not services.can_edit_catalog(actor, agency.region):
        raise NotFound("catalog.agency_not_found", _("Agency not found."))
    qs = selectors.implementation_list(actor=actor).select_related("item__parent")
    if region is not None:
        qs = qs.filter(region__prefix__startswith=region.prefix)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if include_drafts:
        qs = qs.exclude(status=ImplementationStatus.CANCELLED)
    else:
        qs = qs.filter(status=ImplementationStatus.PUBLISHED, current_version__isnull=False)
    qs = qs.order_by("region__code", "code")
    total = qs.count()
    book = _Book()
    for done, implementation in enumerate(_iterate(qs), start=1):
        stored = (
            implementation.draft
            if include_drafts or implementation.current_version is None
            else implementation.current_version.content
        )
        content = services.content_dump(ImplementationContent.model_validate(stored))
        _write_implementation(book, implementation, content)
        if progress is not None and done % 1000 == 0:
            progress("export", done, total)
    if progress is not None:
        progress("export", total, total)
    return book.finish()


def _iterate(qs: Any) -> Iterator[Implementation]:
    yield from qs.iterator(chunk_size=1000)


def template_build() -> bytes:
    """The blank import template: headers, one example implementation, help and drop-down lists."""
    book = _Book()
    for sheet in layout.SHEETS:
        if sheet in (layout.PROCEDURES, layout.FEES):
            continue  # the example item is free and has no special procedure
        example = [c.example for c in sheet.columns]
        book.append(sheet.name, example, wrap=True)
    example_code = layout.MAIN.columns[0].example
    book.append(
        layout.MATERIAL_SHEET,
        [
            example_code,
            "id-card",
            "法定代表人身份证明",
            "必要",
            layout.NO,
            "电子",
            "原件",
            1,
            "电子证照",
            "居民身份证",
        ],
        wrap=True,
    )
    return book.finish()
