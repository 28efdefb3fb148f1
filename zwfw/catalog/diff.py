"""Field-by-field comparison of two versions (or a version and a draft) of an implementation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldChange:
    """One element that differs: its path, the old and the new value."""

    field: str
    old: Any
    new: Any


def _by_key(items: list[Any], key: str) -> dict[str, Any] | None:
    if items and all(isinstance(i, dict) and key in i for i in items):
        return {str(i[key]): i for i in items}
    return None


def content_diff(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[FieldChange]:
    """Every changed element; materials are matched by key, other lists compared whole."""
    changes: list[FieldChange] = []
    for field in sorted(set(old) | set(new)):
        a, b = old.get(field), new.get(field)
        path = f"{prefix}{field}"
        if a == b:
            continue
        if field == "materials" and isinstance(a, list) and isinstance(b, list):
            old_by, new_by = _by_key(a, "key"), _by_key(b, "key")
            if old_by is not None and new_by is not None:
                for key in list(old_by) + [k for k in new_by if k not in old_by]:
                    ma, mb = old_by.get(key), new_by.get(key)
                    if ma is None or mb is None:
                        changes.append(FieldChange(f"{path}[{key}]", ma, mb))
                    else:
                        changes += content_diff(ma, mb, prefix=f"{path}[{key}].")
                continue
        changes.append(FieldChange(path, a, b))
    return changes
