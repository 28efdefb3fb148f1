"""Linked official lists (权责清单, 行政许可事项清单 …): import, links and the missing-link report.

A region publishes its lists as spreadsheets; ``linked_list_import`` reads one (CSV or .xlsx, or
rows already parsed), checks every row first and either imports it whole or changes nothing.
Entries are linked to implementations by the implementation code a row gives, or else by the
exact item name (of the item or of its parent item, since lists are often kept at 主项 level)
among the implementations of the list's own region. Catalog administrators add or remove links
one at a time with ``implementation_link`` / ``implementation_unlink``. Task 3 requires every
power item (every type except public services) to be linked to its 权责清单 entry:
``implementations_missing_links`` lists those that are not. See docs/linked-lists.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from zwfw.catalog.models import (
    Implementation,
    ImplementationStatus,
    ItemType,
    LinkedList,
    LinkedListKind,
    ListEntry,
)
from zwfw.catalog.services import Actor, can_edit_catalog
from zwfw.core.errors import Conflict, PermissionDenied, ValidationFailed
from zwfw.core.ledger import audit_record
from zwfw.core.models import Region

# The canonical columns; the import also accepts the Chinese headers of published lists.
REQUIRED_COLUMNS = ("code", "name", "department")
OPTIONAL_COLUMNS = ("implementation_code",)
HEADER_ALIASES = {
    "code": "code",
    "编码": "code",
    "事项编码": "code",
    "权责事项编码": "code",
    "name": "name",
    "名称": "name",
    "事项名称": "name",
    "权责事项名称": "name",
    "department": "department",
    "部门": "department",
    "实施主体": "department",
    "实施部门": "department",
    "implementation_code": "implementation_code",
    "实施编码": "implementation_code",
    "实施清单编码": "implementation_code",
}
# The official Chinese names lists take when the import is not given one.
KIND_NAMES = {
    LinkedListKind.POWER_RESPONSIBILITY: "权责清单",
    LinkedListKind.LICENSING: "行政许可事项清单",
    LinkedListKind.CERTIFICATION: "证明事项清单",
    LinkedListKind.SUPERVISION: "“互联网+监管”事项清单",
    LinkedListKind.INVESTMENT: "投资项目审批事项清单",
    LinkedListKind.CONSTRUCTION: "工程建设项目审批事项清单",
    LinkedListKind.PERMIT_SEPARATION: "“证照分离”改革事项清单",
}
MAX_FILE_BYTES = 20 * 1024 * 1024
_CODE_MAX = ListEntry._meta.get_field("code").max_length or 60
_NAME_MAX = ListEntry._meta.get_field("name").max_length or 200
_DEPARTMENT_MAX = ListEntry._meta.get_field("department").max_length or 120
_IMPLEMENTATION_CODE_MAX = Implementation._meta.get_field("code").max_length or 60
_XLSX_MAGIC = b"PK\x03\x04"

ListSource = Sequence[Mapping[str, object]] | bytes | str | IO[bytes]


@dataclass(frozen=True)
class ListRow:
    """One checked row of a list file (``line`` as the user counts it: the header is line 1)."""

    line: int
    code: str
    name: str
    department: str
    implementation_code: str = ""


@dataclass(frozen=True)
class ListImportResult:
    """What an import changed."""

    linked_list: LinkedList
    created: int
    updated: int
    unchanged: int
    removed: int
    links_added: int
    unlinked_entries: int
    ambiguous: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One translated sentence for the command line and the pages."""
        return _(
            "%(list)s: %(created)d entries added, %(updated)d changed, %(unchanged)d unchanged, "
            "%(removed)d removed; %(links)d links added; %(unlinked)d entries linked to no implementation."
        ) % {
            "list": self.linked_list.name,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "links": self.links_added,
            "unlinked": self.unlinked_entries,
        }


# --- reading a file ----------------------------------------------------------------------------


def _invalid(problems: list[dict[str, object]]) -> ValidationFailed:
    """The one error of a bad list: every problem found, nothing imported."""
    return ValidationFailed(
        "catalog.list_invalid",
        _("Errors in the list: %(count)d. Nothing was imported.") % {"count": len(problems)},
        problems,
    )


def _cell(value: object) -> str:
    """A spreadsheet cell as text (codes typed as numbers lose their ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM) or GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves GB18030/GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _invalid([{"line": 1, "message": _("The file is not UTF-8 or GB18030 text.")}])


def _table_from_bytes(data: bytes) -> list[tuple[int, list[str]]]:
    """Numbered rows of a CSV or .xlsx file, the header first."""
    if len(data) > MAX_FILE_BYTES:
        raise _invalid(
            [{"line": 1, "message": _("The file is larger than %(max)d bytes.") % {"max": MAX_FILE_BYTES}}]
        )
    if data.startswith(_XLSX_MAGIC):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise _invalid([{"line": 1, "message": _("The file is not a readable .xlsx workbook.")}]) from exc
        try:
            sheet = workbook.worksheets[0]
            return [
                (number, [_cell(v) for v in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
        finally:
            workbook.close()
    reader = csv.reader(io.StringIO(_decode(data)))
    return [(reader.line_num, [f.strip() for f in fields]) for fields in reader]


def _columns(header: list[str]) -> list[str]:
    """The canonical column of each header cell; a header without the required ones raises."""
    columns = [HEADER_ALIASES.get(h.strip().lower(), HEADER_ALIASES.get(h.strip(), "")) for h in header]
    while columns and columns[-1] == "" and not header[len(columns) - 1].strip():
        columns.pop()  # trailing empty header cells (spreadsheets)
    if any(c not in columns for c in REQUIRED_COLUMNS) or "" in columns or len(set(columns)) != len(columns):
        message = _(
            "The first line must be the header code,name,department (optionally ,implementation_code); "
            "found: %(header)s."
        )
        raise _invalid([{"line": 1, "message": message % {"header": ",".join(header)}}])
    return columns


@dataclass(frozen=True)
class _Record:
    """One data row before its values are checked (``error``: a shape problem of the row)."""

    line: int
    values: dict[str, str]
    error: str = ""


def _records(source: ListSource) -> list[_Record]:
    """Every data row with its line; errors of the file as a whole raise at once."""
    if isinstance(source, Sequence) and not isinstance(source, str | bytes):
        out = []
        for index, row in enumerate(source):
            values: dict[str, str] = {}
            unknown = []
            for key, value in row.items():
                label = str(key).strip()
                column = HEADER_ALIASES.get(label.lower(), HEADER_ALIASES.get(label))
                if column is None:
                    unknown.append(label)
                else:
                    values[column] = _cell(value)
            error = _("Unknown column “%(column)s”.") % {"column": "、".join(unknown)} if unknown else ""
            out.append(_Record(index + 2, values, error))
        return out
    if isinstance(source, str):
        data = source.encode("utf-8")
    elif isinstance(source, bytes):
        data = source
    else:
        read = source.read()
        data = read.encode("utf-8") if isinstance(read, str) else read
    table = _table_from_bytes(data)
    if not table or not any(table[0][1]):
        raise _invalid([{"line": 1, "message": _("The file is empty.")}])
    columns = _columns(table[0][1])
    records = []
    for line, fields in table[1:]:
        if not any(fields):
            continue
        if any(fields[len(columns) :]):
            records.append(_Record(line, {}, _("The line has more fields than the header.")))
            continue
        padded = fields[: len(columns)] + [""] * (len(columns) - len(fields))
        records.append(_Record(line, dict(zip(columns, padded, strict=True))))
    return records


def list_rows_parse(source: ListSource) -> list[ListRow]:
    """Check every row's shape; raise ValidationFailed listing every bad line (nothing else read).

    ``source`` is a list of dicts (line numbers count from 2, as if under a header), CSV text or
    bytes (UTF-8 or GB18030), .xlsx bytes (first sheet) or a binary file object.
    """
    problems: list[dict[str, object]] = []
    rows: list[ListRow] = []
    seen: dict[str, int] = {}

    def bad(line: int, column: str, message: str) -> None:
        """Record one problem of one line."""
        problems.append({"line": line, "field": column, "message": message})

    for record in _records(source):
        line, values = record.line, record.values
        errors_before = len(problems)
        if record.error:
            bad(line, "", record.error)
            if not values:
                continue
        code = values.get("code", "")
        name = values.get("name", "")
        department = values.get("department", "")
        implementation_code = values.get("implementation_code", "")
        if not code:
            bad(line, "code", _("Give the entry's code."))
        elif len(code) > _CODE_MAX:
            bad(line, "code", _("The code is longer than %(max)d characters.") % {"max": _CODE_MAX})
        elif code in seen:
            bad(
                line,
                "code",
                _("Code %(code)s is already listed on line %(line)d.") % {"code": code, "line": seen[code]},
            )
        else:
            seen[code] = line
        if not name:
            bad(line, "name", _("Give the entry's name."))
        elif len(name) > _NAME_MAX:
            bad(line, "name", _("The name is longer than %(max)d characters.") % {"max": _NAME_MAX})
        if not department:
            bad(line, "department", _("Give the department that exercises the entry."))
        elif len(department) > _DEPARTMENT_MAX:
            bad(
                line,
                "department",
                _("The department is longer than %(max)d characters.") % {"max": _DEPARTMENT_MAX},
            )
        if len(implementation_code) > _IMPLEMENTATION_CODE_MAX:
            bad(
                line,
                "implementation_code",
                _("The implementation code is longer than %(max)d characters.")
                % {"max": _IMPLEMENTATION_CODE_MAX},
            )
        if len(problems) == errors_before:
            rows.append(ListRow(line, code, name, department, implementation_code))
    if not problems and not rows:
        problems.append({"line": 2, "field": "", "message": _("The list has no entries.")})
    if problems:
        raise _invalid(problems)
    return rows


# --- matching entries to implementations -------------------------------------------------------


def _region_implementations(region: Region) -> QuerySet[Implementation]:
    """The region's own implementations that may be linked (not cancelled)."""
    return Implementation.objects.filter(region=region).exclude(status=ImplementationStatus.CANCELLED)


def _name_candidates(region: Region, rows: list[ListRow]) -> dict[str, list[tuple[int, str]]]:
    """Implementations of the region by the names they answer to: (pk, agency name) per name."""
    names = {row.name for row in rows if not row.implementation_code}
    found: dict[str, list[tuple[int, str]]] = {}
    if not names:
        return found
    qs = _region_implementations(region).filter(
        Q(item__name__in=names) | Q(item__parent__name__in=names) | Q(item__parent__parent__name__in=names)
    )
    for pk, agency, own, parent, grandparent in qs.values_list(
        "pk", "agency__name", "item__name", "item__parent__name", "item__parent__parent__name"
    ):
        for name in {own, parent, grandparent} & names:
            found.setdefault(name, []).append((pk, agency))
    return found


def _match(row: ListRow, candidates: list[tuple[int, str]]) -> tuple[list[int], bool]:
    """The implementations a row links to by name, and whether the match was ambiguous.

    Those of the row's department win; failing that, all candidates if one agency holds them
    (lists often shorten department names); else none, as ambiguous.
    """
    if not candidates:
        return [], False
    same_department = [pk for pk, agency in candidates if agency == row.department]
    if same_department:
        return same_department, False
    if len({agency for _pk, agency in candidates}) == 1:
        return [pk for pk, _agency in candidates], False
    return [], True


def _resolve(region: Region, rows: list[ListRow]) -> tuple[dict[str, list[int]], list[str]]:
    """Implementation pks for each row's code; bad implementation codes raise, listing every line."""
    codes = {row.implementation_code for row in rows if row.implementation_code}
    by_code = dict(
        Implementation.objects.filter(code__in=codes, region__prefix__startswith=region.prefix)
        .exclude(status=ImplementationStatus.CANCELLED)
        .values_list("code", "pk")
    )
    problems: list[dict[str, object]] = []
    links: dict[str, list[int]] = {}
    ambiguous: list[str] = []
    candidates = _name_candidates(region, rows)
    for row in rows:
        if row.implementation_code:
            pk = by_code.get(row.implementation_code)
            if pk is None:
                problems.append(
                    {
                        "line": row.line,
                        "field": "implementation_code",
                        "message": _("No implementation %(code)s in %(region)s or below.")
                        % {"code": row.implementation_code, "region": region.name},
                    }
                )
                continue
            links[row.code] = [pk]
        else:
            pks, unclear = _match(row, candidates.get(row.name, []))
            links[row.code] = pks
            if unclear:
                ambiguous.append(row.code)
    if problems:
        raise _invalid(problems)
    return links, ambiguous


# --- services ----------------------------------------------------------------------------------


def _rows_digest(rows: list[ListRow]) -> str:
    """A fingerprint of the imported rows, for the ledger."""
    body = [[r.code, r.name, r.department, r.implementation_code] for r in rows]
    return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode()).hexdigest()


@transaction.atomic
def linked_list_import(
    *,
    actor: Actor,
    kind: str,
    region: Region,
    rows: ListSource,
    name: str = "",
    system: bool = False,
) -> ListImportResult:
    """Import one region's list whole, or nothing: upsert entries by code, link them, log once.

    A re-import replaces the list's entries: entries whose code is missing from the new file are
    removed (with their links); entries whose code persists keep their links (manual ones too)
    and gain those the new file gives. ``system`` is for the command line and the demo loader.
    """
    if not system and not can_edit_catalog(actor, region):
        raise PermissionDenied(
            "catalog.forbidden", _("Only a catalog administrator of this region may import its lists.")
        )
    if kind not in LinkedListKind.values:
        raise ValidationFailed(
            "catalog.list_kind",
            _("Unknown list kind “%(kind)s”.") % {"kind": kind},
            [
                {
                    "field": "kind",
                    "message": _("Use one of: %(kinds)s.") % {"kinds": ", ".join(LinkedListKind.values)},
                }
            ],
        )
    parsed = list_rows_parse(rows)
    links, ambiguous = _resolve(region, parsed)

    list_name = (name.strip() or f"{region.name}{KIND_NAMES[LinkedListKind(kind)]}")[:200]
    linked_list = LinkedList.objects.select_for_update().filter(kind=kind, region=region).first()
    if linked_list is None:
        linked_list = LinkedList.objects.create(kind=kind, region=region, name=list_name)
    elif linked_list.name != list_name:
        linked_list.name = list_name
        linked_list.save(update_fields=["name", "imported_at"])
    else:
        linked_list.save(update_fields=["imported_at"])

    existing = {entry.code: entry for entry in linked_list.entries.all()}
    wanted = {row.code for row in parsed}
    removed = [code for code in existing if code not in wanted]
    ListEntry.objects.filter(linked_list=linked_list, code__in=removed).delete()
    created = updated = unchanged = 0
    to_create: list[ListEntry] = []
    for row in parsed:
        entry = existing.get(row.code)
        if entry is None:
            to_create.append(
                ListEntry(linked_list=linked_list, code=row.code, name=row.name, department=row.department)
            )
            created += 1
        elif (entry.name, entry.department) != (row.name, row.department):
            entry.name, entry.department = row.name, row.department
            entry.save(update_fields=["name", "department"])
            updated += 1
        else:
            unchanged += 1
    ListEntry.objects.bulk_create(to_create)

    entries = {entry.code: entry for entry in linked_list.entries.all()}
    through = ListEntry.implementations.through
    current = set(
        through.objects.filter(listentry__linked_list=linked_list).values_list(
            "listentry_id", "implementation_id"
        )
    )
    new_links = sorted({(entries[code].pk, pk) for code, pks in links.items() for pk in pks} - current)
    through.objects.bulk_create([through(listentry_id=e, implementation_id=i) for e, i in new_links])
    linked_entry_ids = set(
        through.objects.filter(listentry__linked_list=linked_list).values_list("listentry_id", flat=True)
    )
    unlinked = sum(1 for entry in entries.values() if entry.pk not in linked_entry_ids)
    result = ListImportResult(
        linked_list=linked_list,
        created=created,
        updated=updated,
        unchanged=unchanged,
        removed=len(removed),
        links_added=len(new_links),
        unlinked_entries=unlinked,
        ambiguous=sorted(ambiguous),
    )
    code_of_entry = {entry.pk: code for code, entry in entries.items()}
    code_of_impl = dict(
        Implementation.objects.filter(pk__in={i for _e, i in new_links}).values_list("pk", "code")
    )
    audit_record(
        actor=actor,
        object_type="linked_list",
        object_id=linked_list.pk,
        action="imported",
        payload={
            "kind": kind,
            "region": region.code,
            "rows_sha256": _rows_digest(parsed),
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
            "removed": sorted(removed),
            "links_added": [[code_of_entry[e], code_of_impl[i]] for e, i in new_links],
            "ambiguous": result.ambiguous,
        },
    )
    return result


def _check_link(actor: Actor, implementation: Implementation, entry: ListEntry) -> None:
    """Refuse a link change the actor may not make or whose list does not cover the implementation."""
    if not can_edit_catalog(actor, implementation.region):
        raise PermissionDenied(
            "catalog.forbidden", _("Only a catalog administrator of this region may change its links.")
        )
    if not implementation.region.is_within(entry.linked_list.region):
        raise ValidationFailed(
            "catalog.link_outside_region",
            _("The list of %(list_region)s does not cover %(region)s.")
            % {"list_region": entry.linked_list.region.name, "region": implementation.region.name},
            [{"field": "entry"}],
        )


@transaction.atomic
def implementation_link(*, actor: Actor, implementation: Implementation, entry: ListEntry) -> ListEntry:
    """Link an implementation to a list entry (its region must lie within the list's region)."""
    entry = ListEntry.objects.select_for_update().select_related("linked_list__region").get(pk=entry.pk)
    _check_link(actor, implementation, entry)
    if implementation.status == ImplementationStatus.CANCELLED:
        raise Conflict("catalog.cancelled", _("The implementation is cancelled."))
    if entry.implementations.filter(pk=implementation.pk).exists():
        raise Conflict("catalog.link_exists", _("The implementation is already linked to this entry."))
    entry.implementations.add(implementation)
    audit_record(
        actor=actor,
        object_type="implementation",
        object_id=implementation.pk,
        action="list_linked",
        payload={"list": entry.linked_list_id, "kind": entry.linked_list.kind, "entry": entry.code},
    )
    return entry


@transaction.atomic
def implementation_unlink(*, actor: Actor, implementation: Implementation, entry: ListEntry) -> ListEntry:
    """Remove the link between an implementation and a list entry."""
    entry = ListEntry.objects.select_for_update().select_related("linked_list__region").get(pk=entry.pk)
    _check_link(actor, implementation, entry)
    if not entry.implementations.filter(pk=implementation.pk).exists():
        raise Conflict("catalog.link_missing", _("The implementation is not linked to this entry."))
    entry.implementations.remove(implementation)
    audit_record(
        actor=actor,
        object_type="implementation",
        object_id=implementation.pk,
        action="list_unlinked",
        payload={"list": entry.linked_list_id, "kind": entry.linked_list.kind, "entry": entry.code},
    )
    return entry


# --- reads -------------------------------------------------------------------------------------


def implementation_list_entries(*, implementation: Implementation) -> QuerySet[ListEntry]:
    """The list entries an implementation is linked to, with their lists."""
    return ListEntry.objects.filter(implementations=implementation).select_related("linked_list__region")


def implementations_missing_links(queryset: QuerySet[Implementation]) -> QuerySet[Implementation]:
    """Implementations of power items (public services exempt) with no 权责清单 entry linked.

    Cancelled implementations need no link and are left out; the caller scopes the queryset.
    """
    linked = ListEntry.objects.filter(
        implementations=OuterRef("pk"), linked_list__kind=LinkedListKind.POWER_RESPONSIBILITY
    )
    return (
        queryset.exclude(item__item_type=ItemType.PUBLIC_SERVICE)
        .exclude(status=ImplementationStatus.CANCELLED)
        .exclude(Exists(linked))
    )
