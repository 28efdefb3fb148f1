"""Identity API: who am I, and the persons an actor may see (ID numbers always masked)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from zwfw.identity import selectors, services
from zwfw.identity.models import Person

router = Router(tags=["identity"])


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    person_id: int | None
    enterprise_id: int | None


class PersonOut(Schema):
    id: int
    name: str
    id_number: str  # masked
    birth_date: datetime.date
    sex: str

    @staticmethod
    def of(person: Person) -> PersonOut:
        return PersonOut(
            id=person.pk,
            name=person.name,
            id_number=person.id_number_masked,
            birth_date=person.birth_date,
            sex=person.sex,
        )


class PersonRegisterIn(Schema):
    name: str
    id_number: str
    phone: str = ""


@router.get("/me", response=MeOut, auth=django_auth)
def me(request: HttpRequest) -> MeOut:
    """The logged-in user and their roles."""
    user = request.user
    return MeOut(
        username=user.get_username(),
        display_name=getattr(user, "display_name", ""),
        roles=selectors.roles_of(actor=user),
        person_id=getattr(user, "person_id", None),
        enterprise_id=getattr(user, "enterprise_id", None),
    )


@router.get("/persons", response=list[PersonOut], auth=django_auth)
def persons(request: HttpRequest) -> list[PersonOut]:
    """Persons within the actor's scope."""
    return [PersonOut.of(p) for p in selectors.person_list(actor=request.user)[:500]]


@router.get("/persons/{person_id}", response=PersonOut, auth=django_auth)
def person(request: HttpRequest, person_id: int) -> PersonOut:
    """One person within the actor's scope (404 otherwise)."""
    return PersonOut.of(selectors.person_get(actor=request.user, person_id=person_id))


@router.post("/persons", response={201: PersonOut}, auth=django_auth)
def person_register(request: HttpRequest, payload: PersonRegisterIn) -> Status:
    """Real-name registration of an applicant at a window."""
    created = services.person_register(
        name=payload.name, id_number=payload.id_number, phone=payload.phone, actor=request.user
    )
    return Status(201, PersonOut.of(created))
