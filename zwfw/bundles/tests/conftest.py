"""Fixtures of bundle tests: the newborn bundle and a parent who applies."""

from __future__ import annotations

import pytest

from conftest import make_id_number
from zwfw.bundles.tests.factories import Newborn, make_newborn
from zwfw.cases.tests.conftest import desk  # noqa: F401  (the case engine's fixture)
from zwfw.identity import services as identity_services
from zwfw.identity.models import User


@pytest.fixture
def newborn(world) -> Newborn:
    """The published five-item newborn bundle of 景洪市."""
    return make_newborn(world)


@pytest.fixture
def parent(world) -> User:
    """A mother with an account."""
    person = identity_services.person_register(
        name="玉香", id_number=make_id_number(seq="202"), region=world.jinghong, system=True
    )
    return identity_services.user_create(username="parent", password="pw", person=person)
