"""Shared pytest fixtures: a small region tree, agencies, venues and users with roles."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from stdnum.cn import ric

from zwfw.core import services as core_services
from zwfw.core.models import Agency, AgencyKind, Region, Venue
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role, User


def pytest_configure(config: pytest.Config) -> None:
    """Tests hash passwords with a fast hasher; production keeps Django's PBKDF2 default."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_id_number(region: str = "532801", birth: str = "19950101", seq: str = "123") -> str:
    """A valid GB 11643 ID number for tests (the check character computed by python-stdnum)."""
    body = region + birth + seq
    return body + ric.calc_check_digit(body + "0")


@dataclass
class World:
    """A small slice of Yunnan: prefecture, two counties, a township and a village, with staff."""

    province: Region
    prefecture: Region
    jinghong: Region
    menghai: Region
    township: Region
    village: Region
    jh_market: Agency
    jh_police: Agency
    mh_market: Agency
    pref_service: Agency
    jh_center: Venue
    mh_center: Venue
    clerk_jh: User
    clerk_mh: User
    catalog_admin_jh: User
    center_admin_pref: User
    supervisor_pref: User


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The regions, agencies, venues and staff of ``World`` (the fixture, or a module-wide build)."""
    province = core_services.region_create(code="530000", name="云南省", level="province", parent=None)
    prefecture = core_services.region_create(
        code="532800", name="西双版纳傣族自治州", level="prefecture", parent=province
    )
    jinghong = core_services.region_create(code="532801", name="景洪市", level="county", parent=prefecture)
    menghai = core_services.region_create(code="532822", name="勐海县", level="county", parent=prefecture)
    township = core_services.region_create(
        code="532801101000", name="嘎洒镇", level="township", parent=jinghong
    )
    village = core_services.region_create(
        code="532801101001", name="曼景保", level="village", parent=township
    )
    pref_service = core_services.agency_create(
        name="西双版纳州政务服务管理局", region=prefecture, kind=AgencyKind.SERVICE_ADMINISTRATION
    )
    jh_market = core_services.agency_create(name="景洪市市场监督管理局", region=jinghong)
    jh_police = core_services.agency_create(name="景洪市公安局", region=jinghong)
    mh_market = core_services.agency_create(name="勐海县市场监督管理局", region=menghai)
    jh_center = core_services.venue_create(
        name="景洪市政务服务中心", region=jinghong, agencies=[jh_market, jh_police]
    )
    mh_center = core_services.venue_create(name="勐海县政务服务中心", region=menghai, agencies=[mh_market])

    def staff(username: str, agency: Agency, role: str, venue: Venue | None = None) -> User:
        user = identity_services.user_create(username=username, password="pw-" + username)
        identity_services.staff_membership_grant(
            user=user, agency=agency, role=role, venue=venue, system=True
        )
        return user

    return World(
        province=province,
        prefecture=prefecture,
        jinghong=jinghong,
        menghai=menghai,
        township=township,
        village=village,
        jh_market=jh_market,
        jh_police=jh_police,
        mh_market=mh_market,
        pref_service=pref_service,
        jh_center=jh_center,
        mh_center=mh_center,
        clerk_jh=staff("clerk_jh", jh_market, Role.WINDOW_CLERK, jh_center),
        clerk_mh=staff("clerk_mh", mh_market, Role.WINDOW_CLERK, mh_center),
        catalog_admin_jh=staff("catalog_jh", jh_market, Role.CATALOG_ADMIN),
        center_admin_pref=staff("center_pref", pref_service, Role.CENTER_ADMIN),
        supervisor_pref=staff("supervisor_pref", pref_service, Role.SUPERVISOR),
    )


@pytest.fixture(autouse=True)
def _ledger_triggers_on_sqlite(request):
    """Keep the ledger's append-only triggers in place on SQLite test databases.

    A transactional test (live server, threads) ends with a flush, which SQLite does with
    DELETE: the triggers would refuse it. They are dropped just before that flush and put back
    at the start of the next test. PostgreSQL flushes with TRUNCATE, which they do not block.
    """
    from django.db import connection

    from zwfw.core import ledger_triggers

    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if not (marker or names & {"db", "transactional_db", "live_server"}) or connection.vendor != "sqlite":
        yield
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        names & {"transactional_db", "live_server"}
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    ledger_triggers.install(connection)
    yield
    if transactional:
        ledger_triggers.remove(connection)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: throttles (status lookup) count per test, not per run."""
    from django.core.cache import cache

    cache.clear()
    yield
