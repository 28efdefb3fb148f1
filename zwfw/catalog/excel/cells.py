"""Reading and writing one cell of the 实施清单 layout: ``parse_cell`` and its inverse ``format_cell``.

The conventions (lists separated by 、, one step per line as 名称：说明, 是/否, Ⅰ–Ⅳ …) are
documented in docs/catalog-excel.md; labels come from ``layout.CHOICES``.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from zwfw.catalog.excel.layout import (
    CHOICES,
    DEPTH_LABELS,
    LABEL_OF,
    NO,
    YES,
    CellValue,
    Column,
    Kind,
    labels,
)

_TRUE = {"是", "y", "yes", "true", "1", "√"}
_FALSE = {"否", "n", "no", "false", "0", "×"}


def _norm(text: str) -> str:
    return text.strip().replace(" ", "").replace("\u3000", "").casefold()


_DEPTHS = {
    _norm(key): depth
    for i, label in enumerate(DEPTH_LABELS)
    for depth in (i + 1,)
    for key in (label, f"{label}级", ("I", "II", "III", "IV")[i], f"{'一二三四'[i]}级", str(depth))
}


# label, alias or the stored value itself (machine-made files) -> stored value
_LOOKUP: dict[str, dict[str, str]] = {
    name: {
        _norm(key): choice.value
        for choice in choices
        for key in (choice.value, choice.label, *choice.aliases)
    }
    for name, choices in CHOICES.items()
}


def exact_values(column: Column) -> dict[str, Any]:
    """Cell texts that parse without any normalising, for a fast path (enumerations and 是/否)."""
    if column.kind is Kind.ENUM:
        return {key: c.value for c in CHOICES[column.choices] for key in (c.value, c.label, *c.aliases)}
    if column.kind is Kind.BOOL:
        return {YES: True, NO: False}
    if column.kind is Kind.DEPTH:
        return {label: i + 1 for i, label in enumerate(DEPTH_LABELS)}
    return {}


# --- cells ---------------------------------------------------------------------------------------


class CellError(Exception):
    """A cell's value cannot be read: a stable code and the Chinese message for the error table."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_SPLIT_LIST = re.compile(r"[、,，;；\n]+")
_SPLIT_NAMES = re.compile(r"[、;；\n]+")
_LINE_NUMBER = re.compile(r"^\s*(?:\d{1,3}\s*[.、．)）]|[（(]\d{1,3}[)）])\s*")
_INT = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def is_blank(raw: CellValue) -> bool:
    """True for an empty cell (None or only whitespace)."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def text_of(raw: CellValue) -> str:
    """A cell as text: numbers typed into text cells (phones, codes) lose a trailing ``.0``."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(raw, bool):
        return YES if raw else NO
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def _choice(choices: str, text: str) -> str:
    found = _LOOKUP[choices].get(_norm(text))
    if found is None:
        raise CellError(
            "excel.enum",
            _("“%(value)s” is not an allowed value; allowed: %(allowed)s.")
            % {"value": text[:50], "allowed": "、".join(labels(choices))},
        )
    return found


def parse_int(raw: CellValue) -> int:
    """A whole number from a number cell or digits typed as text."""
    if isinstance(raw, bool):
        raise CellError("excel.number", _("Enter a whole number."))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = text_of(raw)
    if _INT.match(text):
        return int(text)
    raise CellError("excel.number", _("“%(value)s” is not a whole number.") % {"value": text[:50]})


def parse_cell(column: Column, raw: CellValue) -> Any:
    """The value of a non-blank cell for its column (raises ``CellError``)."""
    kind = column.kind
    if kind is Kind.TEXT:
        text = text_of(raw)
        if column.max_length and len(text) > column.max_length:
            raise CellError("excel.too_long", _("At most %(n)d characters.") % {"n": column.max_length})
        return text
    if kind is Kind.INT:
        return parse_int(raw)
    if kind is Kind.DECIMAL:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
        text = text_of(raw)
        if _DECIMAL.match(text):
            return float(text)
        raise CellError("excel.number", _("“%(value)s” is not a number.") % {"value": text[:50]})
    if kind is Kind.BOOL:
        if isinstance(raw, bool):
            return raw
        key = _norm(text_of(raw))
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise CellError("excel.enum", _("Enter 是 or 否."))
    if kind is Kind.ENUM:
        return _choice(column.choices, text_of(raw))
    if kind is Kind.ENUM_LIST:
        values: list[str] = []
        for part in _SPLIT_LIST.split(text_of(raw)):
            if part.strip():
                value = _choice(column.choices, part)
                if value not in values:
                    values.append(value)
        return values
    if kind is Kind.NAMES:
        return [part.strip() for part in _SPLIT_NAMES.split(text_of(raw)) if part.strip()]
    if kind is Kind.LINES:
        first, second = column.parts
        entries = []
        for line in text_of(raw).split("\n"):
            line = _LINE_NUMBER.sub("", line).strip()
            if not line:
                continue
            cut = min((i for i in (line.find("："), line.find(":")) if i >= 0), default=-1)
            if cut >= 0:
                entries.append({first: line[:cut].strip(), second: line[cut + 1 :].strip()})
            else:
                entries.append({first: line, second: ""})
        return entries
    if kind is Kind.DEPTH:
        if isinstance(raw, int | float) and not isinstance(raw, bool) and raw in (1, 2, 3, 4):
            return int(raw)
        depth = _DEPTHS.get(_norm(text_of(raw)))
        if depth is None:
            raise CellError("excel.enum", _("Enter the online depth as Ⅰ, Ⅱ, Ⅲ or Ⅳ (or 1–4)."))
        return depth
    raise AssertionError(kind)  # pragma: no cover - every kind is handled above


def format_cell(column: Column, value: Any) -> CellValue:
    """The cell written for a stored value (the inverse of ``parse_cell``)."""
    kind = column.kind
    if value is None:
        return None
    if kind is Kind.TEXT:
        return str(value) if value != "" else None
    if kind in (Kind.INT, Kind.DECIMAL):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value if isinstance(value, int | float) else None
    if kind is Kind.BOOL:
        return YES if value else NO
    if kind is Kind.ENUM:
        return LABEL_OF[column.choices].get(str(value), str(value))
    if kind is Kind.ENUM_LIST:
        return "、".join(LABEL_OF[column.choices].get(v, v) for v in value) or None
    if kind is Kind.NAMES:
        return "、".join(value) or None
    if kind is Kind.LINES:
        first, second = column.parts
        lines = [
            f"{e.get(first, '')}：{e[second]}" if e.get(second) else str(e.get(first, "")) for e in value
        ]
        return "\n".join(lines) or None
    if kind is Kind.DEPTH:
        return DEPTH_LABELS[int(value) - 1] if 1 <= int(value) <= 4 else None
    raise AssertionError(kind)  # pragma: no cover


def column_letter(index: int) -> str:
    """Excel column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
