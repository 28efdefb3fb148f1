"""Helpers shared by the license services: actor checks, the base URL, time stamps."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from zwfw.core.models import Agency
from zwfw.identity.models import Role, User
from zwfw.identity.selectors import Actor, actor_scope

ISSUER_ROLES = (Role.APPROVER, Role.CHIEF_REPRESENTATIVE)


def _user(actor: Actor | None) -> User | None:
    return actor if isinstance(actor, User) else None


def _has_agency_role(actor: Actor | None, agency: Agency | None, roles: tuple[str, ...]) -> bool:
    scope = actor_scope(actor)
    if scope.is_superuser:
        return True
    if agency is None:
        return False
    return bool(set(roles) & scope.roles_by_agency.get(agency.pk, frozenset()))


def _base_url() -> str:
    return str(getattr(settings, "ZWFW_PUBLIC_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


def _iso_now() -> str:
    return timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
