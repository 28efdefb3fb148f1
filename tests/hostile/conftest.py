"""Hostile-input fixtures: the demo data loaded once per module, and a logged-in session per role.

The demo is loaded inside one transaction that is rolled back when the module ends, so the
other tests of the run never see it; each test still runs in its own savepoint (``db``), so
whatever a test changes is undone before the next one. The sessions are real: the schemathesis
run sends their cookies and CSRF token through the WSGI application as a browser would.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.test import Client
from django.utils import translation
from django.utils.crypto import get_random_string

# Fixtures of the apps' own tests, for the upload tests: a published item with an applicant and
# its staff (desk), a published 一件事 and a parent who applies for it (newborn, parent).
from zwfw.bundles.tests.conftest import newborn, parent  # noqa: F401
from zwfw.cases.tests.conftest import desk  # noqa: F401

# The roles every hostile test runs as: anonymous plus one account of each kind (demo usernames).
ROLES = {
    "anonymous": "",
    "citizen": "citizen1",
    "enterprise": "enterprise",
    "window_clerk": "clerk",
    "catalog_admin": "catalog",
    "supervisor": "supervisor",
}


@dataclass(frozen=True)
class Session:
    """A logged-in browser: its session cookie and its CSRF token (empty for anonymous)."""

    role: str
    session_id: str
    csrf_token: str

    def cookies(self) -> dict[str, str]:
        """The session and CSRF cookies a browser holds."""
        cookies = {settings.CSRF_COOKIE_NAME: self.csrf_token}
        if self.session_id:
            cookies[settings.SESSION_COOKIE_NAME] = self.session_id
        return cookies

    def headers(self, method: str = "GET") -> dict[str, str]:
        """For an unsafe method, the CSRF header a page's script sends."""
        if method.upper() in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return {}
        return {"X-CSRFToken": self.csrf_token}


@dataclass
class Seeded:
    """The loaded demo: a session per role and the ids of real objects, by kind."""

    sessions: dict[str, Session]
    ids: dict[str, list[object]] = field(default_factory=dict)


def chinese(msgid: str) -> str:
    """The Chinese a user reads for ``msgid`` (and proof that the catalog has it)."""
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    assert text != msgid and any("\u4e00" <= ch <= "\u9fff" for ch in text), msgid
    return text


def _session(role: str, username: str) -> Session:
    from zwfw.identity.models import User

    token = get_random_string(32, CSRF_ALLOWED_CHARS)
    if not username:
        return Session(role=role, session_id="", csrf_token=token)
    client = Client()
    client.force_login(User.objects.get(username=username))
    return Session(role=role, session_id=client.cookies[settings.SESSION_COOKIE_NAME].value, csrf_token=token)


def _extra_cases() -> None:
    """Cases in early states (a draft and a submitted one per citizen), so transitions have targets."""
    from zwfw.cases import services as case_services
    from zwfw.catalog.models import Implementation, ImplementationStatus
    from zwfw.core.errors import DomainError
    from zwfw.identity.models import User

    implementations = Implementation.objects.filter(
        status=ImplementationStatus.PUBLISHED, region__code="532801"
    ).order_by("pk")[:3]
    for username in ("citizen1", "enterprise"):
        actor = User.objects.get(username=username)
        for index, implementation in enumerate(implementations):
            try:
                with transaction.atomic():
                    case = case_services.case_create(
                        actor=actor, implementation=implementation, channel="online"
                    )
                    if index:
                        for requirement in case_services.requirements(case):
                            if requirement.necessity == "required" and requirement.source != "e_license":
                                case_services.case_material_add(
                                    actor=actor,
                                    case=case,
                                    requirement_key=requirement.key,
                                    content=DEMO_PDF,
                                    filename="申请书.pdf",
                                )
                        case_services.case_submit(actor=actor, case=case)
            except DomainError:
                continue


def _ids() -> dict[str, list[object]]:
    from zwfw.bundles.models import Bundle, BundleAdjustment, BundleCase, RemoteIntake
    from zwfw.cases.models import Case
    from zwfw.catalog.models import Adjustment, Implementation
    from zwfw.core.models import Region
    from zwfw.evaluations.models import PlanTask, Rectification
    from zwfw.identity.models import Person
    from zwfw.licenses.models import License, LicenseGrant, StatusList

    def pks(model: type, field_name: str = "pk") -> list[object]:
        return list(model.objects.order_by("pk").values_list(field_name, flat=True)[:50])  # type: ignore[attr-defined]

    return {
        "person_id": pks(Person),
        "implementation_id": pks(Implementation),
        "adjustment_id": pks(Adjustment) + pks(BundleAdjustment),
        "case_id": pks(Case),
        "bundle_case_id": pks(BundleCase),
        "bundle_id": pks(Bundle),
        "code": pks(Bundle, "code"),
        "intake_id": pks(RemoteIntake),
        "license_id": pks(License),
        "license_number": pks(License, "number"),
        "grant_id": pks(LicenseGrant),
        "task_number": pks(PlanTask, "number"),
        "list_id": pks(StatusList),
        "rectification_id": pks(Rectification),
        "region_code": pks(Region, "code"),
    }


DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n97\n%%EOF\n"
)


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: pytest.FixtureDef) -> Iterator[Seeded]:  # type: ignore[type-arg]
    """The full demo (regions, catalog, bundles, licenses, plan) plus early-state cases; rolled back after."""
    # Django's test client does the same: a request must not close the connection that holds
    # the test transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
            call_command("demo_load", stdout=io.StringIO())
            _extra_cases()
            yield Seeded(
                sessions={role: _session(role, username) for role, username in ROLES.items()}, ids=_ids()
            )
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
