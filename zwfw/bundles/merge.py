"""The merged form and material list of a bundle (pure functions, no database writes).

The merge is by declaration: item fields with the same ``concept`` become one field of the
merged form; item materials with the same merged key (``material_map``, default the item's own
key) become one upload. ``zwfw.bundles.checks`` refuses to publish a bundle whose merge would
ask one concept twice or with conflicting types or rules, so at runtime the merge never fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from zwfw.bundles.content import BundleContent, BundleItem, FormField


@dataclass(frozen=True)
class MergedField:
    """One question of the merged form and the item fields it answers."""

    concept: str
    label: str
    type: str
    required: bool
    choices: tuple[str, ...]
    max_length: int
    help: str
    targets: tuple[tuple[str, str], ...]  # (item key, item field name)


@dataclass(frozen=True)
class RequirementRef:
    """One item material answered by a merged material."""

    item: str
    key: str
    name: str
    necessity: str


@dataclass(frozen=True)
class MergedMaterial:
    """One upload of the merged material list and the item materials it provides."""

    key: str
    name: str
    required: bool
    targets: tuple[RequirementRef, ...]


@dataclass
class MergedForm:
    """What the applicant fills in for the applicable items, each thing once."""

    items: list[BundleItem]
    fields: list[MergedField] = field(default_factory=list)
    materials: list[MergedMaterial] = field(default_factory=list)
    from_results: list[RequirementRef] = field(default_factory=list)  # provided by predecessors


def applicable_items(content: BundleContent, answers: Mapping[str, bool]) -> list[BundleItem]:
    """The items whose every condition holds for the answers (an unanswered question fails)."""
    return [
        item for item in content.items if all(answers.get(c.question) is c.answer for c in item.applies_when)
    ]


def item_order(content: BundleContent, keys: Iterable[str] | None = None) -> list[BundleItem]:
    """The items in dependency order (predecessors first, otherwise in definition order)."""
    wanted = set(keys) if keys is not None else {i.key for i in content.items}
    items = [i for i in content.items if i.key in wanted]
    done: list[BundleItem] = []
    placed: set[str] = set()
    while len(done) < len(items):
        progressed = False
        for item in items:
            if item.key in placed:
                continue
            if all(d.item in placed or d.item not in wanted for d in item.depends_on):
                done.append(item)
                placed.add(item.key)
                progressed = True
        if not progressed:  # a cycle (refused at publication): keep definition order
            done += [i for i in items if i.key not in placed]
            break
    return done


def field_signature(spec: FormField) -> tuple[object, ...]:
    """What must agree between fields merged into one concept: the type and the rules (choices,
    length). Whether it is required may differ: the merged field is required when any applicable
    item requires it."""
    return (spec.type, tuple(spec.choices), spec.max_length)


def merge(
    content: BundleContent,
    items: list[BundleItem],
    requirements: Mapping[str, list[tuple[str, str, str]]],
) -> MergedForm:
    """Merge the fields and materials of ``items``.

    ``requirements`` maps each item key to its implementation's materials as (key, name,
    necessity). A field is required when any applicable item requires it; a material when any
    applicable item requires it and no predecessor's result provides it.
    """
    form = MergedForm(items=items)
    by_concept: dict[str, list[tuple[BundleItem, FormField]]] = {}
    for item in items:
        for spec in item.fields:
            by_concept.setdefault(spec.concept, []).append((item, spec))
    for concept, specs in by_concept.items():
        first = specs[0][1]
        form.fields.append(
            MergedField(
                concept=concept,
                label=first.label,
                type=str(first.type),
                required=any(s.required for _i, s in specs),
                choices=tuple(first.choices),
                max_length=first.max_length,
                help=first.help,
                targets=tuple((i.key, s.name) for i, s in specs),
            )
        )
    by_key: dict[str, list[RequirementRef]] = {}
    names: dict[str, str] = {}
    for item in items:
        provided = {d.result_as for d in item.depends_on if d.result_as}
        for key, name, necessity in requirements.get(item.key, []):
            ref = RequirementRef(item=item.key, key=key, name=name, necessity=necessity)
            if key in provided:
                form.from_results.append(ref)
                continue
            merged_key = item.material_map.get(key, key)
            by_key.setdefault(merged_key, []).append(ref)
            names.setdefault(merged_key, name)
    for key, refs in by_key.items():
        form.materials.append(
            MergedMaterial(
                key=key,
                name=names[key],
                required=any(r.necessity == "required" for r in refs),
                targets=tuple(refs),
            )
        )
    return form
