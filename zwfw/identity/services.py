"""Writes of identity: registering persons and enterprises, accounts, staff roles."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zwfw.core.errors import Conflict, PermissionDenied, ValidationFailed
from zwfw.core.identifiers import (
    decrypt_id_number,
    encrypt_id_number,
    id_number_lookup_hash,
    parse_id_number,
    parse_uscc,
)
from zwfw.core.ledger import audit_record
from zwfw.core.models import Agency, Region, Venue
from zwfw.identity.models import REGION_ROLES, Enterprise, Person, Role, StaffMembership, User
from zwfw.identity.selectors import actor_scope

Actor = AbstractBaseUser | AnonymousUser | None

# Who may register an applicant in person (real-name registration at a window).
_REGISTRARS = (Role.WINDOW_CLERK, Role.CENTER_ADMIN)


def _check_name(name: str, *, field: str = "name", limit: int = 60) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(
            "identity.name_required", _("Please enter the name."), details=[{"field": field}]
        )
    if len(name) > limit:
        raise ValidationFailed(
            "identity.name_too_long",
            _("The name may have at most %(n)d characters.") % {"n": limit},
            details=[{"field": field}],
        )
    return name


@transaction.atomic
def person_register(
    *,
    name: str,
    id_number: str,
    phone: str = "",
    region: Region | None = None,
    actor: Actor = None,
    system: bool = False,
) -> Person:
    """Register a natural person; the ID number is checked, encrypted and never logged in clear.

    Staff may register applicants (window real-name registration); a citizen registers
    themself through ``citizen_signup``; ``system`` is for imports and demo data.
    """
    if not system:
        scope = actor_scope(actor) if actor is not None else None
        if scope is None or not (scope.is_superuser or any(r in scope.roles for r in _REGISTRARS)):
            raise PermissionDenied("identity.forbidden", _("Only window staff may register applicants."))
    name = _check_name(name)
    checked = parse_id_number(id_number)
    lookup = id_number_lookup_hash(checked.value)
    if Person.objects.filter(id_number_hash=lookup).exists():
        raise Conflict(
            "identity.person_exists",
            _("A person with this ID number is already registered."),
            details=[{"field": "id_number"}],
        )
    try:
        with transaction.atomic():
            person = Person.objects.create(
                name=name,
                id_number_encrypted=encrypt_id_number(checked.value),
                id_number_hash=lookup,
                id_number_masked=checked.masked,
                birth_date=checked.birth_date,
                sex=checked.sex,
                phone=phone,
                region=region,
            )
    except IntegrityError as exc:  # a concurrent registration of the same number won the race
        raise Conflict(
            "identity.person_exists",
            _("A person with this ID number is already registered."),
            details=[{"field": "id_number"}],
        ) from exc
    audit_record(
        actor=actor,
        object_type="person",
        object_id=person.pk,
        action="registered",
        payload={"id_number": checked.masked, "region": region.code if region else None},
    )
    return person


@transaction.atomic
def person_reveal_id_number(*, person: Person, actor: Actor, purpose: str) -> str:
    """Return the full ID number for a stated purpose; the access itself is on the ledger."""
    scope = actor_scope(actor) if actor is not None else None
    allowed = scope is not None and (
        scope.is_superuser or scope.person_id == person.pk or any(r in scope.roles for r in _REGISTRARS)
    )
    if not allowed:
        raise PermissionDenied("identity.forbidden", _("You may not see this ID number in full."))
    audit_record(
        actor=actor,
        object_type="person",
        object_id=person.pk,
        action="id_number_revealed",
        payload={"purpose": purpose[:200]},
    )
    return decrypt_id_number(person.id_number_encrypted)


@transaction.atomic
def enterprise_register(
    *,
    name: str,
    uscc: str,
    legal_representative: str,
    region: Region | None = None,
    legal_representative_person: Person | None = None,
    address: str = "",
    actor: Actor = None,
) -> Enterprise:
    """Register a legal person by its checked unified social credit code."""
    name = _check_name(name, limit=200)
    legal_representative = _check_name(legal_representative, field="legal_representative")
    code = parse_uscc(uscc)
    if Enterprise.objects.filter(uscc=code).exists():
        raise Conflict(
            "identity.enterprise_exists",
            _("An enterprise with this credit code is already registered."),
            details=[{"field": "uscc"}],
        )
    enterprise = Enterprise.objects.create(
        name=name,
        uscc=code,
        legal_representative=legal_representative,
        region=region,
        legal_representative_person=legal_representative_person,
        address=address,
    )
    audit_record(
        actor=actor,
        object_type="enterprise",
        object_id=enterprise.pk,
        action="registered",
        payload={"uscc": code, "name": name},
    )
    return enterprise


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    display_name: str = "",
    person: Person | None = None,
    enterprise: Enterprise | None = None,
    home_region: Region | None = None,
    actor: Actor = None,
) -> User:
    """Create a login account (staff, citizen linked to a person, or an enterprise account)."""
    if User.objects.filter(username=username).exists():
        raise Conflict(
            "identity.username_taken", _("This user name is already taken."), details=[{"field": "username"}]
        )
    user = User(
        username=username,
        display_name=display_name,
        person=person,
        enterprise=enterprise,
        home_region=home_region,
    )
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        object_type="user",
        object_id=user.pk,
        action="created",
        payload={
            "username": username,
            "person": person.pk if person else None,
            "enterprise": enterprise.pk if enterprise else None,
        },
    )
    return user


@transaction.atomic
def staff_membership_grant(
    *,
    user: User,
    agency: Agency,
    role: str,
    venue: Venue | None = None,
    actor: Actor = None,
    system: bool = False,
) -> StaffMembership:
    """Give a user a role in an agency; only a center administrator over that region may do it."""
    role = Role(role)
    if not system and not actor_scope(actor).has_role(Role.CENTER_ADMIN, region=agency.region):
        raise PermissionDenied(
            "identity.forbidden", _("Only a service center administrator may grant roles.")
        )
    if (
        venue is not None
        and not venue.region.is_within(agency.region)
        and not venue.agencies.filter(pk=agency.pk).exists()
    ):
        raise ValidationFailed(
            "identity.venue_outside_agency",
            _("The venue is neither in the agency's region nor hosting the agency."),
            details=[{"field": "venue"}],
        )
    if role in REGION_ROLES and venue is not None:
        venue = None  # region-wide roles are not tied to a hall
    membership, created = StaffMembership.objects.get_or_create(
        user=user, agency=agency, venue=venue, role=role
    )
    if created:
        audit_record(
            actor=actor,
            object_type="user",
            object_id=user.pk,
            action="role_granted",
            payload={"agency": agency.pk, "venue": venue.pk if venue else None, "role": role},
        )
    return membership


@transaction.atomic
def staff_membership_revoke(*, membership: StaffMembership, actor: Actor) -> None:
    """Take a role away; only a center administrator over the agency's region may do it."""
    if not actor_scope(actor).has_role(Role.CENTER_ADMIN, region=membership.agency.region):
        raise PermissionDenied(
            "identity.forbidden", _("Only a service center administrator may revoke roles.")
        )
    audit_record(
        actor=actor,
        object_type="user",
        object_id=membership.user_id,
        action="role_revoked",
        payload={"agency": membership.agency_id, "venue": membership.venue_id, "role": membership.role},
    )
    membership.delete()
