"""Identity services: real-name registration, ID numbers encrypted at rest, roles."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import translation

from conftest import make_id_number
from zwfw.core.errors import Conflict, PermissionDenied, ValidationFailed
from zwfw.core.identifiers import mask_id_number, parse_id_number
from zwfw.core.ledger import ledger_verify
from zwfw.core.models import AuditEvent
from zwfw.identity import selectors, services
from zwfw.identity.models import Person, Role

pytestmark = pytest.mark.django_db


def test_registered_id_number_is_not_stored_in_plaintext(world):
    number = make_id_number("532822", "19850315", "123")
    person = services.person_register(name="玉香", id_number=number, actor=world.clerk_jh)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM identity_person")
        rows = cursor.fetchall()
    flat = " ".join(str(v) for row in rows for v in row)
    assert number not in flat
    assert number[6:14] not in flat.replace("1985-03-15", "")  # not even the digits in another shape
    assert person.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    # the ledger carries the masked form only
    assert number not in " ".join(str(e.payload) for e in AuditEvent.objects.all())


def test_birth_date_and_sex_derive_from_the_number(world):
    woman = services.person_register(name="玉罕", id_number=make_id_number(seq="122"), actor=world.clerk_jh)
    man = services.person_register(name="岩温", id_number=make_id_number(seq="131"), actor=world.clerk_jh)
    assert str(woman.birth_date) == "1995-01-01"
    assert (woman.sex, man.sex) == ("female", "male")


def test_exact_lookup_by_id_number_uses_the_keyed_hash(world):
    number = make_id_number(seq="555")
    person = services.person_register(name="岩罕", id_number=number, actor=world.clerk_jh)
    assert selectors.person_find_by_id_number(id_number=number.lower()) == person
    assert selectors.person_find_by_id_number(id_number=make_id_number(seq="556")) is None


def test_reveal_is_allowed_to_window_staff_and_is_on_the_ledger(world):
    number = make_id_number(seq="777")
    person = services.person_register(name="岩罕", id_number=number, actor=world.clerk_jh)
    assert services.person_reveal_id_number(person=person, actor=world.clerk_jh, purpose="核验") == number
    assert AuditEvent.objects.filter(chain=f"person:{person.pk}", action="id_number_revealed").exists()
    with pytest.raises(PermissionDenied):
        services.person_reveal_id_number(person=person, actor=world.catalog_admin_jh, purpose="x")


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("53280119950101123", "18"),
        ("532801199501011230", "check"),
        (make_id_number(birth="19951301"), "date"),
        (make_id_number(region="999999"), "region"),
        (make_id_number(birth="20990101"), "future"),
        ("53280119950101123Y", "digits"),
    ],
)
def test_bad_id_numbers_are_refused_with_a_clear_reason(world, raw, fragment):
    with pytest.raises(ValidationFailed) as err:
        services.person_register(name="某人", id_number=raw, actor=world.clerk_jh)
    assert err.value.code == "identity.id_number_invalid"
    with translation.override("en"):
        assert fragment in str(err.value.message).lower()
    assert Person.objects.count() == 0


def test_duplicate_registration_conflicts_and_changes_nothing(world):
    number = make_id_number(seq="888")
    services.person_register(name="岩罕", id_number=number, actor=world.clerk_jh)
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict):
        services.person_register(name="别人", id_number=number, actor=world.clerk_mh)
    assert Person.objects.count() == 1 and AuditEvent.objects.count() == events


def test_only_window_staff_register_applicants(world):
    with pytest.raises(PermissionDenied):
        services.person_register(name="岩罕", id_number=make_id_number(), actor=world.catalog_admin_jh)
    with pytest.raises(PermissionDenied):
        services.person_register(name="岩罕", id_number=make_id_number(), actor=None)


def test_enterprise_credit_code_is_checked(world):
    good = services.enterprise_register(
        name="景洪市某某茶叶有限公司", uscc="91110000600037341L", legal_representative="岩罕"
    )
    assert good.uscc == "91110000600037341L"
    with pytest.raises(ValidationFailed) as err:
        services.enterprise_register(name="坏", uscc="91110000600037341A", legal_representative="岩罕")
    assert err.value.code == "identity.uscc_invalid"


def test_granting_roles_needs_a_center_admin_over_the_region(world):
    user = services.user_create(username="newclerk", password="x-long-password")
    with pytest.raises(PermissionDenied):
        services.staff_membership_grant(
            user=user, agency=world.jh_market, role=Role.WINDOW_CLERK, actor=world.clerk_jh
        )
    membership = services.staff_membership_grant(
        user=user,
        agency=world.jh_market,
        role=Role.WINDOW_CLERK,
        venue=world.jh_center,
        actor=world.center_admin_pref,
    )
    assert membership.role == Role.WINDOW_CLERK
    with pytest.raises(ValidationFailed):
        services.staff_membership_grant(
            user=user,
            agency=world.jh_market,
            role=Role.WINDOW_CLERK,
            venue=world.mh_center,
            actor=world.center_admin_pref,
        )
    assert list(ledger_verify()) == []


def test_mask_keeps_four_and_four():
    assert mask_id_number("53280119900101123X") == "5328**********123X"
    assert parse_id_number(make_id_number()).masked == make_id_number()[:4] + "*" * 10 + make_id_number()[-4:]


def test_revoking_a_role_needs_a_center_admin_and_is_on_the_ledger(world):
    membership = world.clerk_jh.memberships.get()
    with pytest.raises(PermissionDenied):
        services.staff_membership_revoke(membership=membership, actor=world.clerk_mh)
    services.staff_membership_revoke(membership=membership, actor=world.center_admin_pref)
    assert not world.clerk_jh.memberships.exists()
    assert AuditEvent.objects.filter(chain=f"user:{world.clerk_jh.pk}", action="role_revoked").exists()
