"""Fixtures for case tests: a published item, an applicant, and the agency's staff."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import make_id_number
from zwfw.cases.tests.factories import publish, staff
from zwfw.catalog.models import Implementation
from zwfw.identity import services as identity_services
from zwfw.identity.models import Person, Role, User


@dataclass
class Desk:
    """Everyone a case meets."""

    impl: Implementation
    citizen: User
    person: Person
    other_citizen: User
    clerk: User
    reviewer: User
    approver: User
    chief: User
    world: object


@pytest.fixture
def desk(world) -> Desk:
    person = identity_services.person_register(
        name="玉香", id_number=make_id_number(seq="201"), region=world.jinghong, system=True
    )
    citizen = identity_services.user_create(username="yuxiang", password="pw", person=person)
    other = identity_services.person_register(name="岩温", id_number=make_id_number(seq="203"), system=True)
    other_citizen = identity_services.user_create(username="yanwen", password="pw", person=other)
    return Desk(
        impl=publish(world),
        citizen=citizen,
        person=person,
        other_citizen=other_citizen,
        clerk=world.clerk_jh,
        reviewer=staff(world, "reviewer_jh", Role.REVIEWER),
        approver=staff(world, "approver_jh", Role.APPROVER),
        chief=staff(world, "chief_jh", Role.CHIEF_REPRESENTATIVE, world.jh_center),
        world=world,
    )
