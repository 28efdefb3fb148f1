"""Template tags showing who is logged in (used by the shared page header)."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise

from zwfw.identity.models import Role
from zwfw.identity.selectors import roles_of

register = template.Library()


@register.simple_tag(takes_context=True)
def actor_roles(context: template.Context) -> list[str | Promise]:
    """The translated names of the logged-in user's staff roles: ``{% actor_roles as roles %}``."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return [Role(code).label for code in roles_of(actor=user)]


@register.simple_tag(takes_context=True)
def actor_role_codes(context: template.Context) -> list[str]:
    """The codes of the logged-in user's staff roles (for choosing menu entries)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return roles_of(actor=user)
