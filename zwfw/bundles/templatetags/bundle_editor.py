"""Template filters of the bundle editor."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Mapping[str, Any] | None, key: str) -> Any:
    """``mapping[key]``, or the key itself when the mapping does not have it (an item's name by
    its key, a type's label by its value)."""
    if not mapping:
        return key
    return mapping.get(key, key)
