"""Accessibility checks with axe-core (axe-playwright-python): no serious or critical violations."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING_IMPACTS = frozenset({"serious", "critical"})

_axe = Axe()


def axe_violations(
    page: Page, *, context: str | None = None, enhanced_contrast: bool = False
) -> list[dict[str, Any]]:
    """Run axe-core on the page (or a CSS-selected part) and return serious/critical violations.

    ``enhanced_contrast`` also runs the WCAG AAA contrast rule (7:1), which elder mode promises.
    """
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if enhanced_contrast:
        options["rules"] = {"color-contrast-enhanced": {"enabled": True}}
    results = _axe.run(page, context=context, options=options)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def format_violations(violations: list[dict[str, Any]]) -> str:
    """One paragraph per violation: rule id, impact, help text and URL, then every target."""
    lines: list[str] = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}  {summary}")
    return "\n".join(lines)


def assert_no_serious_violations(
    page: Page, *, context: str | None = None, label: str = "", enhanced_contrast: bool = False
) -> None:
    """Fail with a readable report when axe finds serious or critical violations."""
    violations = axe_violations(page, context=context, enhanced_contrast=enhanced_contrast)
    where = label or page.url
    assert not violations, (
        f"axe found {len(violations)} serious/critical violation(s) on {where}:\n"
        + format_violations(violations)
    )
