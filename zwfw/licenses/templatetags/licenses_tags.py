"""Template tags of e-licenses: the 免证办 choice shown under a material of an application."""

from __future__ import annotations

from typing import Any

from django import template

from zwfw.licenses import selectors

register = template.Library()


@register.inclusion_tag("licenses/_material_licenses.html", takes_context=True)
def license_choices(context: template.Context, requirement: Any, case: Any) -> dict[str, Any]:
    """The licenses the signed-in applicant holds of the type ``requirement`` asks for, each with
    a one-click attach button (``formaction`` to the attach page: no nested form), or a note
    that a copy may be uploaded instead (trust level C, checked by a clerk)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    source = getattr(requirement, "source", "")
    held = (
        selectors.licenses_for_material(user=user, license_type=requirement.license_type)
        if source == "e_license"
        else []
    )
    return {
        "requirement": requirement,
        "case": case,
        "held": held,
        "is_e_license": source == "e_license",
        "csrf_token": context.get("csrf_token"),
    }
