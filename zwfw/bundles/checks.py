"""Publication checks of a bundle: a bundle may not be published while one fails.

Every failure is reported at once, with a stable code and the fields or items it concerns:
- ``bundles.too_few_items``: a bundle groups at least two items;
- ``bundles.duplicate_key``: item or question keys repeat;
- ``bundles.item_not_published``: an item's implementation is unknown or not published;
- ``bundles.unknown_question``: a condition names no question;
- ``bundles.unknown_dependency`` / ``bundles.dependency_cycle``: the order is impossible;
- ``bundles.dependency_may_not_apply``: an item may apply while an item it needs does not;
- ``bundles.unknown_material``: ``result_as`` or ``material_map`` names no material of the item;
- ``bundles.field_conflict``: one concept with different types or rules (names every field);
- ``bundles.field_twice``: one concept asked twice (twice in one item, or two concepts with the
  same label);
- ``bundles.subject_mismatch``: an item is not for the bundle's applicants;
- ``bundles.limit_too_short``: the promised limit is shorter than the longest chain of the
  items' promised limits (working days).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import field as dc_field

from django.utils.translation import gettext as _

from zwfw.bundles.content import BundleContent
from zwfw.bundles.merge import field_signature
from zwfw.catalog.models import Implementation, ImplementationStatus


@dataclass(frozen=True)
class BundleFailure:
    """One failing check: code, message, and the items/fields it concerns."""

    code: str
    message: str
    field: str = ""
    details: list[dict[str, str]] = dc_field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """The JSON form kept on drafts and adjustments."""
        return asdict(self)


def resolve_implementations(content: BundleContent) -> dict[str, Implementation]:
    """The published implementation of each item, by item key (unpublished ones are left out)."""
    codes = {i.implementation for i in content.items}
    found = {
        impl.code: impl
        for impl in Implementation.objects.filter(
            code__in=codes, status=ImplementationStatus.PUBLISHED, current_version__isnull=False
        ).select_related("current_version", "agency", "region", "item")
    }
    return {i.key: found[i.implementation] for i in content.items if i.implementation in found}


def _fields_label(pairs: list[tuple[str, str]]) -> str:
    return "、".join(f"{item}.{name}" for item, name in pairs)


def _cycle(content: BundleContent) -> list[str]:
    """The items on a dependency cycle, if any."""
    graph = {i.key: [d.item for d in i.depends_on] for i in content.items}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :]
            if nxt in graph and state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return []

    for key in graph:
        if state.get(key) is None:
            found = visit(key)
            if found:
                return found
    return []


def _field_failures(content: BundleContent) -> list[BundleFailure]:
    failures: list[BundleFailure] = []
    by_concept: dict[str, list[tuple[str, str, tuple[object, ...], str]]] = {}
    for item in content.items:
        seen: dict[str, str] = {}
        for spec in item.fields:
            if spec.concept in seen:
                pairs = [(item.key, seen[spec.concept]), (item.key, spec.name)]
                failures.append(
                    BundleFailure(
                        "bundles.field_twice",
                        _("The merged form would ask “%(concept)s” twice: %(fields)s.")
                        % {"concept": spec.concept, "fields": _fields_label(pairs)},
                        f"items.{item.key}.fields",
                        [{"item": i, "field": n, "concept": spec.concept} for i, n in pairs],
                    )
                )
            seen[spec.concept] = spec.name
            by_concept.setdefault(spec.concept, []).append(
                (item.key, spec.name, field_signature(spec), spec.label)
            )
    for concept, specs in by_concept.items():
        if len({s[2] for s in specs}) > 1:
            pairs = [(s[0], s[1]) for s in specs]
            failures.append(
                BundleFailure(
                    "bundles.field_conflict",
                    _("Fields merged as “%(concept)s” differ in type or rules: %(fields)s.")
                    % {"concept": concept, "fields": _fields_label(pairs)},
                    "items",
                    [
                        {
                            "item": s[0],
                            "field": s[1],
                            "concept": concept,
                            "type": str(s[2][0]),
                        }
                        for s in specs
                    ],
                )
            )
    by_label: dict[str, list[tuple[str, str, str]]] = {}
    for concept, specs in by_concept.items():
        label = "".join(specs[0][3].split())
        by_label.setdefault(label, []).append((concept, specs[0][0], specs[0][1]))
    for label, concepts in by_label.items():
        if len(concepts) > 1:
            pairs = [(c[1], c[2]) for c in concepts]
            failures.append(
                BundleFailure(
                    "bundles.field_twice",
                    _(
                        "The merged form would ask “%(label)s” twice, as %(concepts)s: map %(fields)s to one concept."
                    )
                    % {
                        "label": label,
                        "concepts": "、".join(c[0] for c in concepts),
                        "fields": _fields_label(pairs),
                    },
                    "items",
                    [{"item": c[1], "field": c[2], "concept": c[0]} for c in concepts],
                )
            )
    return failures


def _limit_chain(content: BundleContent, impls: dict[str, Implementation]) -> int:
    """The longest chain of promised working-day limits along the dependencies."""
    items = {i.key: i for i in content.items}
    memo: dict[str, int] = {}

    def cost(key: str, depth: int = 0) -> int:
        if key in memo:
            return memo[key]
        if depth > len(items):
            return 0
        impl = impls.get(key)
        own = 0
        if impl is not None and impl.current_version is not None:
            own = int(impl.current_version.content.get("promised_limit") or 0)
        before = max((cost(d.item, depth + 1) for d in items[key].depends_on if d.item in items), default=0)
        memo[key] = own + before
        return memo[key]

    return max((cost(k) for k in items), default=0)


def bundle_failures(content: BundleContent) -> list[BundleFailure]:
    """Every failing publication check of a bundle's content."""
    failures: list[BundleFailure] = []
    if len(content.items) < 2:
        failures.append(
            BundleFailure("bundles.too_few_items", _("A bundle groups at least two items."), "items")
        )
    for what, keys in (
        ("items", [i.key for i in content.items]),
        ("questions", [q.key for q in content.questions]),
    ):
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            failures.append(
                BundleFailure(
                    "bundles.duplicate_key",
                    _("Keys are repeated: %(keys)s.") % {"keys": "、".join(repeated)},
                    what,
                    [{"key": k} for k in repeated],
                )
            )
    impls = resolve_implementations(content)
    questions = {q.key for q in content.questions}
    items = {i.key: i for i in content.items}
    for item in content.items:
        impl = impls.get(item.key)
        if impl is None:
            failures.append(
                BundleFailure(
                    "bundles.item_not_published",
                    _("Item “%(item)s”: implementation %(code)s is not published.")
                    % {"item": item.key, "code": item.implementation},
                    f"items.{item.key}.implementation",
                )
            )
        for condition in item.applies_when:
            if condition.question not in questions:
                failures.append(
                    BundleFailure(
                        "bundles.unknown_question",
                        _("Item “%(item)s” depends on an unknown question “%(q)s”.")
                        % {"item": item.key, "q": condition.question},
                        f"items.{item.key}.applies_when",
                    )
                )
        material_keys: set[str] = set()
        if impl is not None and impl.current_version is not None:
            material_keys = {m["key"] for m in impl.current_version.content.get("materials", [])}
            objects = impl.current_version.content.get("service_objects") or []
            if objects and content.subject not in objects:
                failures.append(
                    BundleFailure(
                        "bundles.subject_mismatch",
                        _("Item “%(item)s” is not for this bundle's applicants.") % {"item": item.key},
                        f"items.{item.key}.implementation",
                    )
                )
        for dependency in item.depends_on:
            predecessor = items.get(dependency.item)
            if predecessor is None or dependency.item == item.key:
                failures.append(
                    BundleFailure(
                        "bundles.unknown_dependency",
                        _("Item “%(item)s” depends on an unknown item “%(dep)s”.")
                        % {"item": item.key, "dep": dependency.item},
                        f"items.{item.key}.depends_on",
                    )
                )
                continue
            needs = {(c.question, c.answer) for c in predecessor.applies_when}
            has = {(c.question, c.answer) for c in item.applies_when}
            if not needs <= has:
                failures.append(
                    BundleFailure(
                        "bundles.dependency_may_not_apply",
                        _("Item “%(item)s” may apply when “%(dep)s”, whose result it needs, does not.")
                        % {"item": item.key, "dep": dependency.item},
                        f"items.{item.key}.applies_when",
                    )
                )
            if dependency.result_as and impl is not None and dependency.result_as not in material_keys:
                failures.append(
                    BundleFailure(
                        "bundles.unknown_material",
                        _("Item “%(item)s” has no material “%(key)s”.")
                        % {"item": item.key, "key": dependency.result_as},
                        f"items.{item.key}.depends_on",
                    )
                )
        if impl is not None:
            for key in item.material_map:
                if key not in material_keys:
                    failures.append(
                        BundleFailure(
                            "bundles.unknown_material",
                            _("Item “%(item)s” has no material “%(key)s”.") % {"item": item.key, "key": key},
                            f"items.{item.key}.material_map",
                        )
                    )
    cycle = _cycle(content)
    if cycle:
        failures.append(
            BundleFailure(
                "bundles.dependency_cycle",
                _("The items depend on each other in a circle: %(items)s.") % {"items": " → ".join(cycle)},
                "items",
                [{"item": k} for k in cycle],
            )
        )
    failures += _field_failures(content)
    if not cycle and content.promised_limit_unit == "working_days":
        chain = _limit_chain(content, impls)
        if content.promised_limit < chain:
            failures.append(
                BundleFailure(
                    "bundles.limit_too_short",
                    _(
                        "The promised limit (%(limit)d days) is shorter than the items need in order (%(chain)d days)."
                    )
                    % {"limit": content.promised_limit, "chain": chain},
                    "promised_limit",
                )
            )
    return failures
