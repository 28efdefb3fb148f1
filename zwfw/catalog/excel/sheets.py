"""Import, reading: every sheet's header row located, every row read and every cell checked.

Problems are collected, never raised, so that one import reports every bad cell at once; the
``Problems`` list locates each one by sheet, row and column. Schema errors of the content
(pydantic) are mapped back to their cell here too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from zwfw.catalog.excel import cells, layout
from zwfw.catalog.excel.cells import CellError, column_letter
from zwfw.catalog.excel.layout import CellValue, Column, Kind, Sheet
from zwfw.catalog.excel.reader import FileRefused, Workbook, max_rows
from zwfw.core.errors import schema_error_message

Progress = Callable[[str, int, int], None]
CHUNK = 900  # ids per IN (...) query: below SQLite's variable limit on every version
DEFAULT_MAX_ERRORS = 10_000


def chunks(values: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """``values`` in slices of ``size`` (for IN (...) queries)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True)
class Problem:
    """One reason the file is refused, located as precisely as possible."""

    sheet: str
    row: int | None
    column: str  # letter, "" when the problem concerns a whole row or file
    header: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "code": self.code,
            "message": self.message,
        }


class Problems:
    """Every problem found, kept up to ``ZWFW_IMPORT_MAX_ERRORS`` (the rest are counted)."""

    def __init__(self) -> None:
        self.limit = int(getattr(settings, "ZWFW_IMPORT_MAX_ERRORS", DEFAULT_MAX_ERRORS))
        self.items: list[Problem] = []
        self.total = 0

    def add(self, sheet: str, row: int | None, letter: str, header: str, code: str, message: str) -> None:
        self.total += 1
        if len(self.items) < self.limit:
            self.items.append(Problem(sheet, row, letter, header, code, message))

    def details(self) -> list[dict[str, Any]]:
        """The problems as dicts, in reading order: sheet, row, column."""
        order = {name: i for i, name in enumerate(["", *layout.SHEET_BY_NAME])}

        def key(p: Problem) -> tuple[int, int, int, str]:
            return (order.get(p.sheet, len(order)), p.row or 0, len(p.column), p.column)

        out = [p.as_dict() for p in sorted(self.items, key=key)]
        if self.total > len(self.items):
            out.append(
                Problem(
                    "",
                    None,
                    "",
                    "",
                    "excel.more_errors",
                    _("%(n)d more problems are not listed; fix these and import again.")
                    % {"n": self.total - len(self.items)},
                ).as_dict()
            )
        return out

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass
class Located:
    """A sheet's header map: which column of the file holds which layout column."""

    sheet: Sheet
    columns: list[tuple[int, Column]]
    letter_of: dict[str, str]  # layout header -> column letter in the file
    required: list[tuple[str, str, str]] = field(default_factory=list)  # (target, header, letter)
    exact: dict[str, dict[str, Any]] = field(default_factory=dict)  # target -> fast-path values

    def __post_init__(self) -> None:
        self.exact = {c.target: cells.exact_values(c) for _i, c in self.columns}
        self.required = [
            (c.target, c.header, self.letter_of[c.header])
            for c in self.sheet.columns
            if c.required and c.header in self.letter_of
        ]

    def where(self, header: str) -> tuple[str, str]:
        return self.letter_of.get(header, ""), header


@dataclass
class MainRow:
    """One 实施清单 row, its cells parsed (blank cells absent)."""

    row: int
    impl: dict[str, Any] = field(default_factory=dict)
    item: dict[str, Any] = field(default_factory=dict)
    content: dict[str, Any] = field(default_factory=dict)
    ok: bool = True


@dataclass
class DetailRow:
    """One row of a detail sheet (material, special procedure, fee, FAQ)."""

    row: int
    values: dict[str, Any]
    ok: bool = True


@dataclass
class Sheets:
    """What was read: header maps by sheet, 实施清单 rows, detail rows by 实施编码 and list."""

    located: dict[str, Located]
    main_rows: list[MainRow]
    details: dict[str, dict[str, list[DetailRow]]]


# --- reading -------------------------------------------------------------------------------------


def _locate(sheet: Sheet, header_row: list[CellValue], problems: Problems) -> Located:
    columns: list[tuple[int, Column]] = []
    letters: dict[str, str] = {}
    for index, raw in enumerate(header_row):
        header = cells.text_of(raw).replace("*", "").strip()
        if not header:
            continue
        letter = column_letter(index)
        column = sheet.by_header.get(header)
        if column is None:
            problems.add(
                sheet.name,
                1,
                letter,
                header,
                "excel.unknown_column",
                _("Unknown column “%(header)s”; use the headers of the template.") % {"header": header},
            )
        elif column.header in letters:
            problems.add(
                sheet.name,
                1,
                letter,
                header,
                "excel.duplicate_column",
                _("Column “%(header)s” appears twice.") % {"header": header},
            )
        else:
            columns.append((index, column))
            letters[column.header] = letter
    for column in sheet.columns:
        if column.required and column.header not in letters:
            problems.add(
                sheet.name,
                1,
                "",
                column.header,
                "excel.missing_column",
                _("The required column “%(header)s” is missing.") % {"header": column.header},
            )
    return Located(sheet, columns, letters)


def _sheet_rows(
    book: Workbook, sheet: Sheet, problems: Problems, limit: int
) -> tuple[Located | None, Iterator[tuple[int, list[CellValue]]]]:
    """The header map and the data rows (blank rows skipped) of one sheet, if present."""
    if sheet.name not in book.sheets:
        return None, iter(())
    rows = book.rows(sheet.name)
    header: list[CellValue] = []
    for number, values in rows:
        if number == 1:
            header = values
        break
    if not any(not cells.is_blank(v) for v in header):
        problems.add(
            sheet.name,
            1,
            "",
            "",
            "excel.no_header",
            _("The first row of the sheet must hold the column headers."),
        )
        return None, iter(())
    located = _locate(sheet, header, problems)

    def data() -> Iterator[tuple[int, list[CellValue]]]:
        count = 0
        for number, values in rows:
            for value in values:
                if value is not None and (type(value) is not str or value.strip()):
                    break
            else:
                continue  # a blank row
            count += 1
            if count > limit:
                raise FileRefused(
                    "excel.too_many_rows",
                    _("Sheet “%(sheet)s” has more than %(n)d rows; split the file.")
                    % {"sheet": sheet.name, "n": limit},
                )
            yield number, values

    return located, data()


def _parse_row(
    located: Located, number: int, values: list[CellValue], problems: Problems
) -> tuple[dict[str, Any], bool]:
    """Parsed non-blank cells by column target, and whether every cell (and required cell) was fine."""
    parsed: dict[str, Any] = {}
    failed: set[str] = set()
    width = len(values)
    name = located.sheet.name
    text_kind, int_kind = Kind.TEXT, Kind.INT
    exact = located.exact
    for index, column in located.columns:
        raw = values[index] if index < width else None
        if raw is None:
            continue
        if type(raw) is str:  # the common cases first: plain text, an exact label
            known = exact[column.target]
            if raw in known:
                parsed[column.target] = known[raw]
                continue
            text = raw.strip()
            if not text:
                continue
            if column.kind is text_kind and (not column.max_length or len(text) <= column.max_length):
                parsed[column.target] = (
                    text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
                )
                continue
        elif type(raw) is int and column.kind is int_kind:
            parsed[column.target] = raw
            continue
        try:
            parsed[column.target] = cells.parse_cell(column, raw)
        except CellError as exc:
            failed.add(column.target)
            problems.add(name, number, column_letter(index), column.header, exc.code, exc.message)
    for target, header, letter in located.required:
        if target not in parsed and target not in failed:
            failed.add(target)
            problems.add(name, number, letter, header, "excel.required", _("This cell is required."))
    return parsed, not failed


# --- schema errors -------------------------------------------------------------------------------


def _schema_message(error: Any) -> str:
    """A Chinese message for one pydantic error of ``ImplementationContent``; codes have their
    own rule here (a catalog code is at most 40 characters)."""
    if error.get("type") == "string_pattern_mismatch":
        return _(
            "Use lower-case letters, digits, - and _ only, starting with a letter or digit (at most 40)."
        )
    return schema_error_message(error)


@dataclass
class Sources:
    """Where each part of one implementation's content came from (for locating schema errors)."""

    main_row: int
    details: dict[str, list[int]] = field(default_factory=dict)  # content list -> sheet rows


def report_schema_errors(
    exc: SchemaError,
    sources: Sources,
    located: dict[str, Located],
    problems: Problems,
) -> None:
    main = located[layout.MAIN_SHEET]
    for error in exc.errors():
        loc = list(error["loc"])
        message = _schema_message(error)
        head = str(loc[0]) if loc else ""
        detail_sheet = next((s for s in layout.DETAIL_SHEETS if s.content_list == head), None)
        if detail_sheet is not None and len(loc) >= 2 and isinstance(loc[1], int):
            rows = sources.details.get(head, [])
            sheet_located = located.get(detail_sheet.name)
            row = rows[loc[1]] if loc[1] < len(rows) else sources.main_row
            column = detail_sheet.column_for(str(loc[2])) if len(loc) >= 3 else None
            header = column.header if column else ""
            letter = sheet_located.letter_of.get(header, "") if sheet_located and column else ""
            problems.add(detail_sheet.name, row, letter, header, "excel.content", message)
            continue
        column = layout.MAIN.column_for(f"content.{head}")
        if column is None:
            column = layout.MAIN.by_header[layout.CODE_HEADER]
        if len(loc) >= 2 and isinstance(loc[1], int):
            message = _("Entry %(n)d: %(message)s") % {"n": loc[1] + 1, "message": message}
        letter, header = main.where(column.header)
        problems.add(layout.MAIN_SHEET, sources.main_row, letter, header, "excel.content", message)


def read_sheets(book: Workbook, problems: Problems, report: Progress) -> Sheets | None:
    """Every row of every sheet, cells parsed and checked; None when 实施清单 cannot be read."""
    limit = max_rows()
    if layout.MAIN_SHEET not in book.sheets:
        problems.add(
            layout.MAIN_SHEET,
            None,
            "",
            "",
            "excel.missing_sheet",
            _("The workbook has no sheet named “%(sheet)s”; start from the template.")
            % {"sheet": layout.MAIN_SHEET},
        )
        return None
    located: dict[str, Located] = {}
    main_located, main_rows_iter = _sheet_rows(book, layout.MAIN, problems, limit)
    if main_located is None:
        return None
    located[layout.MAIN_SHEET] = main_located
    main_rows: list[MainRow] = []
    split = {c.target: c.target.partition(".")[::2] for c in layout.MAIN.columns}
    for number, values in main_rows_iter:
        parsed, ok = _parse_row(main_located, number, values, problems)
        row = MainRow(row=number, ok=ok)
        areas = {"impl": row.impl, "item": row.item, "content": row.content}
        for target, value in parsed.items():
            area, name = split[target]
            areas[area][name] = value
        main_rows.append(row)
        if len(main_rows) % 2000 == 0:
            report("read", len(main_rows), 0)
    report("read", len(main_rows), 0)

    # detail sheets, grouped by 实施编码
    details: dict[str, dict[str, list[DetailRow]]] = {}
    for sheet in layout.DETAIL_SHEETS:
        sheet_located, rows_iter = _sheet_rows(book, sheet, problems, limit * 20)
        if sheet_located is None:
            continue
        located[sheet.name] = sheet_located
        for number, values in rows_iter:
            parsed, ok = _parse_row(sheet_located, number, values, problems)
            code = parsed.pop("impl.code", None)
            if code:
                details.setdefault(code, {}).setdefault(sheet.content_list, []).append(
                    DetailRow(number, parsed, ok)
                )
    return Sheets(located=located, main_rows=main_rows, details=details)
