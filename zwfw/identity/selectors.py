"""Reads of identity, every list scoped by the actor.

A clerk sees their agency and venue, an administrator their region and every region below,
an applicant only themself (and their enterprise). Staff outside a scope get an empty list,
and a single object outside it is reported as not found.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zwfw.core.errors import NotFound
from zwfw.core.identifiers import id_number_lookup_hash, parse_id_number
from zwfw.core.models import Agency, Region
from zwfw.identity.models import REGION_ROLES, Enterprise, Person, Role, StaffMembership, User

Actor = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class ActorScope:
    """What one user may see: their roles with the agencies, venues and regions they cover."""

    user_id: int | None = None
    is_superuser: bool = False
    roles: frozenset[str] = frozenset()
    agency_ids: frozenset[int] = frozenset()
    venue_ids: frozenset[int] = frozenset()
    region_prefixes: frozenset[str] = frozenset()  # from region-wide roles
    person_id: int | None = None
    enterprise_id: int | None = None
    roles_by_agency: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles) or self.is_superuser

    def covers_region(self, region: Region) -> bool:
        """True when a region-wide role of this actor reaches the region."""
        return self.is_superuser or any(region.prefix.startswith(p) for p in self.region_prefixes)

    def has_role(self, role: str, *, agency: Agency | None = None, region: Region | None = None) -> bool:
        """True when the actor holds ``role`` for this agency (or over this region)."""
        if self.is_superuser:
            return True
        if role not in self.roles:
            return False
        if agency is not None and role not in REGION_ROLES:
            return role in self.roles_by_agency.get(agency.pk, frozenset())
        target = region or (agency.region if agency is not None else None)
        if target is not None and role in REGION_ROLES and self.user_id is not None:
            return any(
                target.prefix.startswith(m.agency.region.prefix)
                for m in StaffMembership.objects.filter(user_id=self.user_id, role=role).select_related(
                    "agency__region"
                )
            )
        return True


def actor_scope(actor: Actor | None) -> ActorScope:
    """Compute (and cache on the user object) what the actor may see."""
    if not getattr(actor, "is_authenticated", False) or not isinstance(actor, User):
        return ActorScope()
    cached = getattr(actor, "_zwfw_scope", None)
    if isinstance(cached, ActorScope):
        return cached
    memberships = list(StaffMembership.objects.filter(user=actor).select_related("agency__region"))
    by_agency: dict[int, set[str]] = {}
    for m in memberships:
        by_agency.setdefault(m.agency_id, set()).add(m.role)
    scope = ActorScope(
        user_id=actor.pk,
        is_superuser=actor.is_superuser,
        roles=frozenset(m.role for m in memberships),
        agency_ids=frozenset(m.agency_id for m in memberships),
        venue_ids=frozenset(m.venue_id for m in memberships if m.venue_id),
        region_prefixes=frozenset(m.agency.region.prefix for m in memberships if m.role in REGION_ROLES),
        person_id=actor.person_id,
        enterprise_id=actor.enterprise_id,
        roles_by_agency={k: frozenset(v) for k, v in by_agency.items()},
    )
    actor._zwfw_scope = scope  # type: ignore[attr-defined]
    return scope


def _region_q(prefixes: frozenset[str], lookup: str) -> Q:
    q = Q(pk__in=[])
    for p in prefixes:
        q |= Q(**{f"{lookup}__startswith": p})
    return q


def person_list(*, actor: Actor) -> QuerySet[Person]:
    """Persons the actor may list: own record; region admins those of their regions."""
    scope = actor_scope(actor)
    if scope.is_superuser:
        return Person.objects.all()
    q = Q(pk=scope.person_id) if scope.person_id else Q(pk__in=[])
    if scope.region_prefixes:
        q |= _region_q(scope.region_prefixes, "region__prefix")
    return Person.objects.filter(q)


def person_get(*, actor: Actor, person_id: int) -> Person:
    """One person within the actor's scope, or NotFound (never revealing that it exists)."""
    person = person_list(actor=actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("identity.person_not_found", _("Person not found."))
    return person


def person_find_by_id_number(*, id_number: str) -> Person | None:
    """Exact lookup by ID number through the keyed hash (no plaintext is ever compared)."""
    checked = parse_id_number(id_number)
    return Person.objects.filter(id_number_hash=id_number_lookup_hash(checked.value)).first()


def enterprise_list(*, actor: Actor) -> QuerySet[Enterprise]:
    """Enterprises the actor may list: their own; region admins those of their regions."""
    scope = actor_scope(actor)
    if scope.is_superuser:
        return Enterprise.objects.all()
    q = Q(pk=scope.enterprise_id) if scope.enterprise_id else Q(pk__in=[])
    if scope.person_id:
        q |= Q(legal_representative_person_id=scope.person_id)
    if scope.region_prefixes:
        q |= _region_q(scope.region_prefixes, "region__prefix")
    return Enterprise.objects.filter(q)


def staff_membership_list(*, actor: Actor) -> QuerySet[StaffMembership]:
    """Memberships the actor may see: a clerk those of their agency and venue, admins their regions."""
    scope = actor_scope(actor)
    qs = StaffMembership.objects.select_related("user", "agency", "venue")
    if scope.is_superuser:
        return qs
    if not scope.roles:
        return qs.none()
    q = Q(agency_id__in=scope.agency_ids) | Q(venue_id__in=scope.venue_ids)
    if scope.region_prefixes:
        q |= _region_q(scope.region_prefixes, "agency__region__prefix")
    return qs.filter(q)


def roles_of(*, actor: Actor) -> list[str]:
    """The role names the actor holds anywhere (for menus)."""
    return sorted(actor_scope(actor).roles)


__all__ = [
    "ActorScope",
    "Role",
    "actor_scope",
    "enterprise_list",
    "person_find_by_id_number",
    "person_get",
    "person_list",
    "roles_of",
    "staff_membership_list",
]


def role_region_prefixes(*, actor: Actor | None, role: str, agency_kind: str | None = None) -> set[str]:
    """Region prefixes where the actor holds ``role`` (optionally only in agencies of one kind)."""
    scope = actor_scope(actor)
    if scope.user_id is None:
        return set()
    qs = StaffMembership.objects.filter(user_id=scope.user_id, role=role)
    if agency_kind:
        qs = qs.filter(agency__kind=agency_kind)
    return set(qs.values_list("agency__region__prefix", flat=True))
