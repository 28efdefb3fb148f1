"""Import, catalog items: rows naming an existing item must agree with it; new items are defined once.

Also ``Standards``: the province's standard of an item for a region (``services.standard_for``),
looked up in bulk so that the publication-check codes of many drafts cost no query each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from zwfw.catalog import checks
from zwfw.catalog.content import ImplementationContent
from zwfw.catalog.excel import cells, layout
from zwfw.catalog.excel.sheets import MainRow, chunks
from zwfw.catalog.models import Implementation, ItemLayer, ItemType, ServiceItem
from zwfw.core.models import Region

Fail = Callable[[int, str, str, str], None]
ITEM_FIELDS = ("name", "item_type", "competent_department", "exercised_levels", "legal_basis")


@dataclass
class NewItem:
    """A catalog entry the import creates (the first row naming the base code defines it)."""

    base_code: str
    name: str
    item_type: str
    legal_basis: str
    competent_department: str
    exercised_levels: list[str]
    layer: str
    parent_code: str
    situation: str
    region: Region
    row: int


def compare_item(r: MainRow, item: ServiceItem, fail: Fail) -> None:
    """A row naming an existing item may repeat its uniform elements, never change them."""
    text = cells.text_of
    expected: dict[str, Any] = {
        "name": text(item.name),
        "item_type": item.item_type,
        "competent_department": text(item.competent_department),
        "exercised_levels": sorted(item.exercised_levels),
        "legal_basis": text(item.legal_basis),
        "layer": item.layer,
        "parent": item.parent.base_code if item.parent else "",
        "situation": text(item.situation),
    }
    for key, value in expected.items():
        given = r.item.get(key)
        if given is None:
            continue
        if key == "exercised_levels":
            given = sorted(given)
        if given != value:
            column = layout.MAIN.column_for(f"item.{key}")
            assert column is not None
            r.ok = False
            shown = cells.format_cell(column, item.exercised_levels if key == "exercised_levels" else value)
            fail(
                r.row,
                column.header,
                "excel.item_mismatch",
                _("Differs from the catalog entry %(code)s, which has “%(value)s” (五级十二同).")
                % {"code": item.base_code, "value": str(shown or "")[:80]},
            )


def compare_new_item(r: MainRow, spec: NewItem, fail: Fail) -> None:
    """Rows sharing a new base code must describe the item the same way."""
    for key in (*ITEM_FIELDS, "layer", "situation"):
        given = r.item.get(key)
        ours = getattr(spec, key)
        if given is None:
            continue
        if key == "exercised_levels":
            given, ours = sorted(given), sorted(ours)
        if given != ours:
            column = layout.MAIN.column_for(f"item.{key}")
            assert column is not None
            r.ok = False
            fail(
                r.row,
                column.header,
                "excel.item_inconsistent",
                _("Row %(row)d describes the new item %(code)s differently.")
                % {"row": spec.row, "code": spec.base_code},
            )


def new_item(r: MainRow, region: Region, fail: Fail) -> NewItem | None:
    """The catalog entry a row defines; missing uniform elements are row errors."""
    item = r.item
    ok = True
    levels = item.get("exercised_levels") or []
    if not levels:
        ok = False
        fail(r.row, "行使层级", "excel.required", _("A new catalog item needs its exercised levels."))
    item_type = item.get("item_type", "")
    if not item.get("legal_basis") and item_type and item_type != ItemType.PUBLIC_SERVICE:
        ok = False
        fail(r.row, "设定依据", "excel.required", _("A new administrative power item needs its legal basis."))
    layer = item.get("layer", ItemLayer.MAIN)
    if layer != ItemLayer.MAIN and not item.get("parent"):
        ok = False
        fail(
            r.row,
            "上级事项基本编码",
            "excel.required",
            _("A sub-item or handling item needs its parent item."),
        )
    if not ok or not item.get("name") or not item_type:
        r.ok = False
        return None
    return NewItem(
        base_code=item["base_code"],
        name=item["name"],
        item_type=item_type,
        legal_basis=item.get("legal_basis", ""),
        competent_department=item.get("competent_department", ""),
        exercised_levels=list(levels),
        layer=layer,
        parent_code=item.get("parent", "") if layer != ItemLayer.MAIN else "",
        situation=item.get("situation", ""),
        region=region,
        row=r.row,
    )


def order_new_items(
    new_items: dict[str, NewItem],
    existing: dict[str, ServiceItem],
    main_rows: list[MainRow],
    fail: Fail,
) -> list[NewItem]:
    """New items with parents first; unknown parents and cycles are errors."""
    ordered: list[NewItem] = []
    placed: set[str] = set()
    pending = dict(new_items)
    while pending:
        progress = False
        for code, spec in list(pending.items()):
            parent = spec.parent_code
            if not parent or parent in existing or parent in placed:
                ordered.append(spec)
                placed.add(code)
                del pending[code]
                progress = True
        if not progress:
            for spec in pending.values():
                known = spec.parent_code in new_items
                fail(
                    spec.row,
                    "上级事项基本编码",
                    "excel.parent_unknown",
                    _("The parent item forms a cycle.")
                    if known
                    else _("There is no catalog item with base code “%(code)s”.")
                    % {"code": spec.parent_code},
                )
                for r in main_rows:
                    if r.item.get("base_code") == spec.base_code:
                        r.ok = False
            break
    return ordered


class Standards:
    """The province's standard of each item for a region, looked up in bulk (``services.standard_for``)."""

    def __init__(self, item_ids: Iterable[int]) -> None:
        self._content: dict[tuple[int, int], dict[str, Any]] = {}
        self._parsed: dict[tuple[int, int], ImplementationContent] = {}
        self._parents: dict[int, Region | None] = {}
        ids = sorted(set(item_ids))
        for chunk in chunks(ids):
            rows = (
                Implementation.objects.filter(item_id__in=chunk, current_version__isnull=False)
                .order_by("region__code", "code")
                .values_list("item_id", "region_id", "current_version__content")
            )
            for item_id, region_id, content in rows:
                self._content.setdefault((item_id, region_id), content)

    def _parent(self, region: Region) -> Region | None:
        if region.pk not in self._parents:
            self._parents[region.pk] = region.parent
        return self._parents[region.pk]

    def standard(self, item_id: int | None, region: Region) -> ImplementationContent | None:
        """The published content of the item in the nearest region above ``region``."""
        if item_id is None or not self._content:
            return None
        node = self._parent(region)
        while node is not None:
            key = (item_id, node.pk)
            if key in self._content:
                if key not in self._parsed:
                    self._parsed[key] = ImplementationContent.model_validate(self._content[key])
                return self._parsed[key]
            node = self._parent(node)
        return None

    def failures(
        self, content: ImplementationContent, *, item_type: str, item_id: int | None, region: Region
    ) -> list[str]:
        """The same codes as ``services.implementation_failures`` for this content."""
        found = checks.publication_failures(content, item_type=item_type)
        standard = self.standard(item_id, region)
        if standard is not None:
            found += checks.consistency_failures(content, standard=standard)
        return [f.code for f in found]
