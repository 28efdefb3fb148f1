"""What the bundle editor shows and saves, apart from the pages themselves (no database writes).

- ``place_failures``: every failing publication check put where the editor shows it: next to
  the promised limit, the questions, an item (on the overview and on the item's page, next to
  the part concerned: implementation, conditions, order, fields, materials), the field rows it
  names, and the shared field (concept) it concerns.
- ``concept_rows`` and ``material_rows``: the merged form as the overview shows it (every item,
  whatever the answers): each shared field with the item fields mapped to it, each merged upload
  with the item materials it provides.
- ``item_initial`` / ``item_apply``: one member item as form rows, and the rows back into the
  definition (JSON), ready for ``services.bundle_update_draft``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from zwfw.bundles.checks import BundleFailure
from zwfw.bundles.content import BundleContent
from zwfw.bundles.merge import field_signature
from zwfw.catalog.models import Implementation, ImplementationStatus
from zwfw.core.models import Region

ITEM_PARTS = ("implementation", "applies_when", "depends_on", "fields", "material_map")


@dataclass
class Placement:
    """The failing checks, by the place of the editor that shows them."""

    places: dict[str, list[BundleFailure]] = field(default_factory=dict)

    def add(self, place: str, failure: BundleFailure) -> None:
        """Show ``failure`` at ``place`` (once)."""
        found = self.places.setdefault(place, [])
        if failure not in found:
            found.append(failure)

    def at(self, place: str) -> list[BundleFailure]:
        """The failures shown at ``place``."""
        return self.places.get(place, [])


def place_failures(failures: Iterable[BundleFailure]) -> Placement:
    """Put each failure where it belongs (see the module docstring); a failure may be shown at
    several places (an item's page and the overview, every field a conflict names)."""
    placement = Placement()
    for failure in failures:
        parts = failure.field.split(".", 2)
        if parts[0] == "items" and len(parts) == 3 and parts[2] in ITEM_PARTS:
            placement.add(f"item:{parts[1]}", failure)
            placement.add(f"item:{parts[1]}:{parts[2]}", failure)
        elif failure.field == "items" and any(d.get("item") for d in failure.details):
            pass  # shown at each item (and shared field) it names, below
        elif failure.field in ("items", "questions", "promised_limit"):
            placement.add(failure.field, failure)
        else:
            placement.add("general", failure)
        for detail in failure.details:
            item, name, concept = detail.get("item"), detail.get("field"), detail.get("concept")
            if item:
                placement.add(f"item:{item}", failure)
            if item and name:
                placement.add(f"field:{item}:{name}", failure)
                placement.add(f"item:{item}:fields", failure)
            if concept:
                placement.add(f"concept:{concept}", failure)
    return placement


def failure_anchor(failure: BundleFailure) -> tuple[str, str]:
    """Where the list of failing checks links to: (item key or "", anchor on that page)."""
    parts = failure.field.split(".", 2)
    if parts[0] == "items" and len(parts) == 3:
        return parts[1], f"part-{parts[2]}"
    concepts = [d["concept"] for d in failure.details if d.get("concept")]
    if concepts:
        return "", f"concept-{concepts[0]}"
    anchors = {"promised_limit": "id_basics-promised_limit", "questions": "questions"}
    return "", anchors.get(failure.field, "items")


@dataclass(frozen=True)
class MappedField:
    """One item field mapped to a shared field."""

    item: str
    name: str
    label: str
    type: str
    required: bool


@dataclass(frozen=True)
class ConceptRow:
    """A shared field (concept) of the merged form and the item fields mapped to it."""

    concept: str
    label: str
    fields: tuple[MappedField, ...]
    agrees: bool  # same type and rules everywhere (else it cannot be published)


def concept_rows(content: BundleContent) -> list[ConceptRow]:
    """Every shared field of the bundle, in the order the items first ask them."""
    by_concept: dict[str, list[tuple[str, Any]]] = {}
    for item in content.items:
        for spec in item.fields:
            by_concept.setdefault(spec.concept, []).append((item.key, spec))
    return [
        ConceptRow(
            concept=concept,
            label=specs[0][1].label,
            fields=tuple(
                MappedField(item=key, name=s.name, label=s.label, type=str(s.type), required=s.required)
                for key, s in specs
            ),
            agrees=len({field_signature(s) for _key, s in specs}) == 1,
        )
        for concept, specs in by_concept.items()
    ]


@dataclass(frozen=True)
class MaterialRef:
    """One item material, or where it comes from."""

    item: str
    key: str
    name: str
    from_item: str = ""  # the predecessor whose result provides it


@dataclass(frozen=True)
class MergedRow:
    """One merged upload (asked once) and the item materials it answers."""

    key: str
    name: str
    refs: tuple[MaterialRef, ...]


def item_materials(impl: Implementation | None) -> list[tuple[str, str]]:
    """The materials (key, name) of an implementation's published version, in guide order."""
    if impl is None or impl.current_version is None:
        return []
    return [(m["key"], m["name"]) for m in impl.current_version.content.get("materials", [])]


def material_rows(
    content: BundleContent, impls: Mapping[str, Implementation]
) -> tuple[list[MergedRow], list[MaterialRef]]:
    """The merged uploads of every item, and the materials provided by predecessors' results."""
    merged: dict[str, list[MaterialRef]] = {}
    names: dict[str, str] = {}
    passed: list[MaterialRef] = []
    for item in content.items:
        provided = {d.result_as: d.item for d in item.depends_on if d.result_as}
        for key, name in item_materials(impls.get(item.key)):
            if key in provided:
                passed.append(MaterialRef(item=item.key, key=key, name=name, from_item=provided[key]))
                continue
            target = item.material_map.get(key, key)
            merged.setdefault(target, []).append(MaterialRef(item=item.key, key=key, name=name))
            names.setdefault(target, name)
    rows = [MergedRow(key=k, name=names[k], refs=tuple(refs)) for k, refs in merged.items()]
    return rows, passed


def implementation_choices(region: Region, limit: int = 800) -> QuerySet[Implementation]:
    """Published implementations an editor of ``region`` may pick (its own region, the regions
    above it and below it: a bundle may join items of several agencies and levels)."""
    ancestors = []
    node: Region | None = region
    while node is not None:
        ancestors.append(node.pk)
        node = node.parent
    return (
        Implementation.objects.filter(status=ImplementationStatus.PUBLISHED, current_version__isnull=False)
        .filter(Q(region_id__in=ancestors) | Q(region__prefix__startswith=region.prefix))
        .select_related("item", "agency")
        .order_by("code")[:limit]
    )


# --- one member item as form rows and back ---------------------------------------------------


def item_initial(item: Mapping[str, Any], materials: list[tuple[str, str]]) -> dict[str, Any]:
    """The initial rows of the item page's forms."""
    material_map = item.get("material_map") or {}
    return {
        "item": {"implementation": item.get("implementation", ""), "note": item.get("note", "")},
        "conditions": [
            {"question": c["question"], "answer": "yes" if c.get("answer", True) else "no"}
            for c in item.get("applies_when", [])
        ],
        "dependencies": [
            {"item": d["item"], "result_as": d.get("result_as", "")} for d in item.get("depends_on", [])
        ],
        "fields": [
            {
                "name": f["name"],
                "concept": f["concept"],
                "label": f["label"],
                "type": f.get("type", "text"),
                "optional": not f.get("required", True),
                "choices": "、".join(f.get("choices", [])),
                "max_length": f.get("max_length", 200),
            }
            for f in item.get("fields", [])
        ],
        "materials": [{"key": key, "merged": material_map.get(key, key)} for key, _name in materials],
    }


def form_rows(formset: Any) -> list[dict[str, Any]]:
    """The cleaned rows of a valid formset: empty extra rows and deleted rows left out."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append(data)
    return rows


def item_apply(
    draft: Mapping[str, Any],
    key: str,
    *,
    item_form: Any,
    conditions: Any,
    dependencies: Any,
    fields: Any,
    materials: Any,
) -> dict[str, Any]:
    """The definition with member item ``key`` replaced by what the (valid) forms say."""
    content = copy.deepcopy(dict(draft))
    for item in content.get("items", []):
        if item.get("key") != key:
            continue
        helps = {f["name"]: f.get("help", "") for f in item.get("fields", [])}  # not edited here: kept
        item["implementation"] = item_form.cleaned_data["implementation"].strip()
        item["note"] = item_form.cleaned_data.get("note", "")
        item["applies_when"] = [
            {"question": r["question"], "answer": r["answer"] == "yes"} for r in form_rows(conditions)
        ]
        item["depends_on"] = [
            {"item": r["item"], "result_as": r.get("result_as") or ""} for r in form_rows(dependencies)
        ]
        item["fields"] = [
            {
                "name": r["name"],
                "concept": r["concept"],
                "label": r["label"],
                "type": r["type"],
                "required": not r.get("optional"),
                "choices": r.get("choices") or [],
                "max_length": r["max_length"],
                "help": helps.get(r["name"], ""),
            }
            for r in form_rows(fields)
        ]
        item["material_map"] = {
            r["key"]: r["merged"] for r in form_rows(materials) if r.get("merged") and r["merged"] != r["key"]
        }
    return content


def item_remove(draft: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The definition without member item ``key`` (and without the dependencies on it)."""
    content = copy.deepcopy(dict(draft))
    content["items"] = [i for i in content.get("items", []) if i.get("key") != key]
    for item in content["items"]:
        item["depends_on"] = [d for d in item.get("depends_on", []) if d.get("item") != key]
    return content
