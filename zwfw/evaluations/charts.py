"""Server-side SVG charts (no JavaScript): horizontal bars, a ranking and trend lines.

Each function returns an accessible SVG string (``role="img"`` with a title and description);
the page always shows the same numbers in a table next to the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
BAR_HEIGHT = 26
LABEL_WIDTH = 220
COLORS = ("#1f5fa8", "#b3261e", "#2e7d32", "#8a5a00")


@dataclass(frozen=True)
class Bar:
    """One bar: a label, its value (0–100 for percentages) and an optional target line."""

    label: str
    value: float | None


def _fit(text: str, width_px: int, size_px: int = 12) -> str:
    """The text cut with an ellipsis to fit ``width_px`` (CJK characters count as one em)."""
    used, out = 0.0, list[str]()
    for ch in text:
        used += size_px if ord(ch) > 0x2E80 else size_px * 0.6
        if used > width_px:
            return "".join(out[:-1]) + "…"
        out.append(ch)
    return text


def _svg(height: int, title: str, desc: str, body: str) -> SafeString:
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{escape(title)}-t" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(title)}-t">{escape(desc)}</title>{body}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every text is escaped above  # nosec B308 B703


def bars(
    bars: list[Bar], *, chart_id: str, desc: str, target: float | None = None, maximum: float = 100.0
) -> SafeString:
    """Horizontal bars with their value written at the end and a dashed target line."""
    height = max(1, len(bars)) * BAR_HEIGHT + 24
    span = WIDTH - LABEL_WIDTH - 60
    parts = []
    top = max(maximum, max((b.value or 0) for b in bars) if bars else 0) or 1
    for i, bar in enumerate(bars):
        y = 8 + i * BAR_HEIGHT
        w = 0 if bar.value is None else span * bar.value / top
        text = "—" if bar.value is None else f"{bar.value:g}"
        label = _fit(bar.label, LABEL_WIDTH - 16)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" class="chart__label">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{w:.1f}" height="{BAR_HEIGHT - 8}" fill="{COLORS[0]}" rx="2"/>'
            f'<text x="{LABEL_WIDTH + w + 6:.1f}" y="{y + 17}" class="chart__value">{escape(text)}</text>'
        )
    if target is not None:
        x = LABEL_WIDTH + span * target / top
        parts.append(
            f'<line x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="{height - 18}" stroke="{COLORS[1]}" stroke-dasharray="4 3" stroke-width="2"/>'
            f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle" class="chart__target">{target:g}</text>'
        )
    return _svg(height, chart_id, desc, "".join(parts))


def lines(
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    chart_id: str,
    desc: str,
    maximum: float = 100.0,
) -> SafeString:
    """Trend lines over months (0–maximum), with dots and a legend."""
    height = 240
    left, right, top, bottom = 40, WIDTH - 16, 16, height - 48
    n = max(1, len(labels) - 1)
    parts = [
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#666"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#666"/>'
    ]
    for tick in (0, 50, 100):
        y = bottom - (bottom - top) * tick / maximum
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="chart__label">{tick}</text>'
        )
    for i, label in enumerate(labels):
        x = left + (right - left) * (i / n if len(labels) > 1 else 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" class="chart__label">{escape(label)}</text>'
        )
    for s, (name, values) in enumerate(series):
        color = COLORS[s % len(COLORS)]
        points = []
        for i, v in enumerate(values):
            if v is None:
                continue
            x = left + (right - left) * (i / n if len(labels) > 1 else 0.5)
            y = bottom - (bottom - top) * min(v, maximum) / maximum
            points.append((x, y))
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{color}"/>')
        if len(points) > 1:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="2.5"/>')
        lx = left + s * 200
        parts.append(
            f'<rect x="{lx}" y="{height - 18}" width="14" height="4" fill="{color}"/>'
            f'<text x="{lx + 20}" y="{height - 12}" class="chart__label">{escape(name)}</text>'
        )
    return _svg(height, chart_id, desc, "".join(parts))
