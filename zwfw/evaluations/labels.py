"""Translated labels of figures and indicators (the English msgids live in ``metrics.SPECS``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zwfw.evaluations.metrics import SPECS

UNIT_LABELS = {"%": "%", "days": "days", "visits": "visits", "count": ""}


def figure_label(key: str) -> str:
    """The figure's label in the active language."""
    return _(SPECS[key].label)


def unit_label(unit: str) -> str:
    """The unit's label in the active language."""
    label = UNIT_LABELS.get(unit, unit)
    return _(label) if label and label != "%" else label
