"""The demo loader: real Xishuangbanna regions, one account per role, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.http import HttpRequest

from zwfw.core.ledger import ledger_verify
from zwfw.core.models import Agency, AuditEvent, Region, RegionLevel, Venue, Window
from zwfw.demo.loader import DEMO_PASSWORD, demo_accounts, demo_load
from zwfw.identity.models import Enterprise, Person, Role, StaffMembership, User

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    models = (Region, Agency, Venue, Window, User, Person, Enterprise, StaffMembership, AuditEvent)
    return tuple(m.objects.count() for m in models)


@pytest.mark.smoke
def test_loading_twice_changes_nothing():
    demo_load()
    first = _counts()
    demo_load()
    assert _counts() == first
    assert list(ledger_verify()) == []


def test_the_prefecture_and_its_three_counties_are_there():
    demo_load()
    counties = set(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", "name"))
    assert counties == {("532801", "景洪市"), ("532822", "勐海县"), ("532823", "勐腊县")}
    assert Region.objects.get(code="532800").name == "西双版纳傣族自治州"
    for county in Region.objects.filter(level=RegionLevel.COUNTY):
        townships = Region.objects.filter(parent=county, level=RegionLevel.TOWNSHIP)
        assert townships.count() >= 5, county.name
        assert all(t.code.startswith(county.code) and len(t.code) == 12 for t in townships)


def test_every_role_has_a_demo_account_that_can_log_in(client):
    demo_load()
    roles = set(StaffMembership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for account in demo_accounts():
        assert client.login(request=HttpRequest(), username=account.username, password=DEMO_PASSWORD), (
            account.username
        )
    assert Person.objects.count() >= 2 and Enterprise.objects.count() >= 1


def test_venue_names_follow_their_level():
    demo_load()
    suffix = {"center": "政务服务中心", "township_center": "为民服务中心", "village_station": "为民服务站"}
    venues = list(Venue.objects.all())
    assert {v.kind for v in venues} == set(suffix)
    assert all(v.name.endswith(suffix[v.kind]) for v in venues)


def test_management_commands_print_accounts(capsys):
    call_command("demo_load")
    call_command("demo_accounts")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "clerk" in out and "窗口" in out
