"""Completeness and consistency reports: right counts on a small world, the saved check codes
reused only while they still hold, and the same answers as judging every implementation afresh."""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone

from zwfw.catalog import checks, reports, services
from zwfw.catalog.content import ImplementationContent
from zwfw.catalog.models import (
    Implementation,
    ImplementationStatus,
    ItemType,
    LinkedList,
    LinkedListKind,
    ListEntry,
    ServiceItem,
)
from zwfw.catalog.tests.factories import make_implementation, make_item, publishable_content
from zwfw.core import services as core_services
from zwfw.core.models import AgencyKind
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role

pytestmark = pytest.mark.django_db


def _admin(username, agency):
    user = identity_services.user_create(username=username, password="pw")
    identity_services.staff_membership_grant(user=user, agency=agency, role=Role.CATALOG_ADMIN, system=True)
    return user


@pytest.fixture
def people(world):
    """Catalog admins and reviewers for the prefecture and 景洪市."""
    jh_bureau = core_services.agency_create(
        name="景洪市政务服务管理局", region=world.jinghong, kind=AgencyKind.SERVICE_ADMINISTRATION
    )
    pref_market = core_services.agency_create(name="西双版纳州市场监督管理局", region=world.prefecture)
    return {
        "jh_reviewer": _admin("jh_reviewer", jh_bureau),
        "pref_admin": _admin("pref_admin", world.pref_service),
        "pref_reviewer": _admin("pref_reviewer", world.pref_service),
        "pref_market": pref_market,
    }


def _publish(impl, author, reviewer, kind="add"):
    adjustment = services.adjustment_submit(actor=author, implementation=impl, kind=kind, reason="发布")
    services.adjustment_approve(actor=reviewer, adjustment=adjustment)
    return services.adjustment_publish(actor=reviewer, adjustment=adjustment)


def _fresh_judgement(impl: Implementation) -> tuple[list[str], list[str]]:
    """Local-element and consistency codes judged from scratch with the services (the reference)."""
    impl.refresh_from_db()
    data = impl.current_version.content if impl.current_version else impl.draft
    content = ImplementationContent.model_validate(data)
    local = [
        f.code
        for f in checks.publication_failures(content, item_type=impl.item.item_type)
        if f.code in reports.LOCAL_CODES
    ]
    standard = services.standard_for(impl)
    consistency = (
        [f.code for f in checks.consistency_failures(content, standard=standard)] if standard else []
    )
    return local, consistency


@pytest.fixture
def catalog(world, people):
    """A small catalog: a prefecture standard, county implementations in every state."""
    jh = world.catalog_admin_jh
    food = make_item(world)
    shop = make_item(world, base_code="X-SHOP", name="个体工商户登记", item_type=ItemType.CONFIRMATION)
    road = make_item(world, base_code="X-ROAD", name="道路挖掘许可")
    # 景洪市 publishes food before the prefecture has a standard…
    early = _publish(make_implementation(world, item=food), jh, people["jh_reviewer"])
    # …then the prefecture publishes a stricter-for-the-county standard (one material fewer).
    standard = services.implementation_create(
        actor=people["pref_admin"],
        item=food,
        agency=people["pref_market"],
        draft=publishable_content(materials=publishable_content()["materials"][:2], promised_limit=8),
    )
    _publish(standard, people["pref_admin"], people["pref_reviewer"])
    # A draft never published, missing the handling place.
    draft = make_implementation(world, item=shop, place="")
    # Published, then its draft edited to lose the hours (the public guide still has them).
    edited = _publish(make_implementation(world, item=road), jh, people["jh_reviewer"])
    services.implementation_update_draft(actor=jh, implementation=edited, draft=publishable_content(hours=""))
    # A cancelled one does not count.
    cancelled = services.implementation_create(
        actor=jh, item=shop, agency=world.jh_police, draft=publishable_content()
    )
    _publish(cancelled, jh, people["jh_reviewer"])
    _publish(cancelled, jh, people["jh_reviewer"], kind="cancel")
    # 勐海县: a published implementation consistent with the standard.
    mh_admin = _admin("mh_admin", world.mh_market)
    mh_bureau = core_services.agency_create(
        name="勐海县政务服务管理局", region=world.menghai, kind=AgencyKind.SERVICE_ADMINISTRATION
    )
    menghai = services.implementation_create(
        actor=mh_admin,
        item=food,
        agency=world.mh_market,
        draft=publishable_content(materials=publishable_content()["materials"][:1], promised_limit=5),
    )
    _publish(menghai, mh_admin, _admin("mh_reviewer", mh_bureau))
    # Every one but the draft is linked to its 权责清单 entry.
    power_list = LinkedList.objects.create(
        kind=LinkedListKind.POWER_RESPONSIBILITY, region=world.prefecture, name="权责清单"
    )
    entry = ListEntry.objects.create(linked_list=power_list, code="QZ-0001", name="食品经营许可")
    entry.implementations.add(early, standard, edited, menghai)
    return {
        "early": early,
        "standard": standard,
        "draft": draft,
        "edited": edited,
        "cancelled": cancelled,
        "menghai": menghai,
    }


def test_province_report_counts_every_state(world, catalog):
    report = reports.province_report(world.province)
    assert report["required"] == 5  # the cancelled one is not required
    assert report["published"] == 4
    assert report["publication_rate"] == pytest.approx(4 / 5)
    assert report["unpublished"] == [catalog["draft"].pk]
    problems = report["problems"]
    assert set(problems) == {catalog["early"].pk, catalog["draft"].pk, catalog["edited"].pk}
    assert problems[catalog["draft"].pk]["missing_local"] == ["catalog.check.place_missing"]
    # The published guide still has its hours; the edited draft fails a check.
    assert problems[catalog["edited"].pk]["missing_local"] == []
    assert problems[catalog["edited"].pk]["failing_checks"] == ["catalog.check.hours_missing"]
    # Published before the standard existed, now stricter than it.
    assert problems[catalog["early"].pk]["consistency"] == [
        "catalog.consistency.material_added",
        "catalog.consistency.promised_limit_longer",
    ]
    assert report["consistency_failures"] == 1 and report["missing_local"] == 1
    assert report["failing_checks"] == 2  # the draft (no place) and the edited draft (no hours)
    assert report["by_region"]["532800"]["required"] == 5  # everything lies under the prefecture
    assert report["by_region"]["530000"]["required"] == 0  # nothing at the province's own level


def test_completeness_report_rows_by_region_and_agency(world, catalog, people):
    rows = reports.completeness_report(region=world.prefecture)
    by_key = {(r.kind, r.key): r for r in rows}
    total = by_key[("total", "532800")]
    assert (total.required, total.published, total.unpublished) == (5, 4, 1)
    own = by_key[("own", "532800")]
    assert (own.required, own.published) == (1, 1)  # the prefecture's standard
    jinghong = by_key[("region", "532801")]
    assert (jinghong.required, jinghong.published, jinghong.missing_local) == (3, 2, 1)
    assert jinghong.publication_rate == pytest.approx(2 / 3)
    assert by_key[("region", "532822")].consistency_failures == 0
    assert by_key[("agency", str(people["pref_market"].pk))].required == 1
    assert ("agency", str(world.jh_market.pk)) not in by_key  # county agencies are in the county's report
    county = {(r.kind, r.key): r for r in reports.completeness_report(region=world.jinghong)}
    assert county[("agency", str(world.jh_market.pk))].required == 3
    assert county[("agency", str(world.jh_police.pk))].required == 0  # its only one is cancelled


def test_empty_region_reports_no_rate(world):
    rows = reports.completeness_report(region=world.menghai)
    assert rows[0].kind == "total" and rows[0].required == 0 and rows[0].publication_rate is None


def test_saved_codes_are_reused_only_while_they_hold_and_agree_with_a_fresh_judgement(world, catalog):
    findings = {f.implementation_id: f for f in reports.scan(world.province)}
    # Recomputed: published before its standard, and published with a later-edited draft.
    assert {pk for pk, f in findings.items() if f.recomputed} == {catalog["early"].pk, catalog["edited"].pk}
    for pk, finding in findings.items():
        local, consistency = _fresh_judgement(Implementation.objects.get(pk=pk))
        assert finding.missing_local == local, pk
        assert finding.consistency == consistency, pk


def test_rows_without_saved_codes_are_judged_afresh(world, catalog):
    # As a bulk load without the services would leave them: no save time, no codes.
    Implementation.objects.update(draft_updated_at=None, draft_failures=[])
    findings = {f.implementation_id: f for f in reports.scan(world.province)}
    assert all(f.recomputed for f in findings.values())
    for pk, finding in findings.items():
        local, consistency = _fresh_judgement(Implementation.objects.get(pk=pk))
        assert (finding.missing_local, finding.consistency) == (local, consistency), pk


def test_missing_links_come_from_the_linked_lists(world, catalog):
    report = reports.province_report(world.province)
    assert report["missing_links"] == 1
    assert report["missing_link"] == [catalog["draft"].pk]
    rows = {(r.kind, r.key): r for r in reports.completeness_report(region=world.jinghong)}
    assert rows[("total", "532801")].missing_links == 1


def test_a_few_thousand_rows_in_one_pass(world, people, django_assert_max_num_queries):
    """Loose timing only: the report reads in chunks and never per implementation."""
    items = ServiceItem.objects.bulk_create(
        [
            ServiceItem(
                region=world.prefecture,
                base_code=f"B-{n:03d}",
                name=f"事项{n}",
                item_type=ItemType.LICENSING,
                legal_basis="依据",
                competent_department="部门",
                exercised_levels=["county"],
            )
            for n in range(150)
        ]
    )
    for item in items[:10]:  # the prefecture publishes a standard for the first ten items
        standard = services.implementation_create(
            actor=people["pref_admin"], item=item, agency=people["pref_market"], draft=publishable_content()
        )
        _publish(standard, people["pref_admin"], people["pref_reviewer"])
    base = services.content_dump(ImplementationContent.model_validate(publishable_content()))
    stricter = {**base, "promised_limit": 15}
    agencies = [
        core_services.agency_create(name=f"部门{n}", region=world.jinghong if n % 2 else world.menghai)
        for n in range(20)
    ]
    now = timezone.now() - datetime.timedelta(days=1)
    rows = []
    for n in range(3000):
        agency = agencies[n % 20]
        rows.append(
            Implementation(
                item=items[n // 20],
                agency=agency,
                region=agency.region,
                code=f"BULK-{n}",
                status=ImplementationStatus.DRAFT,
                draft=stricter if n % 5 == 0 else base,
                draft_updated_at=now if n % 2 else None,
                draft_failures=[],
            )
        )
    Implementation.objects.bulk_create(rows, batch_size=1000)
    started = time.perf_counter()
    with django_assert_max_num_queries(40):
        report = reports.province_report(world.province)
    elapsed = time.perf_counter() - started
    print(
        f"report on {report['required']} implementations: {elapsed:.2f} s, {report['recomputed']} recomputed"
    )
    assert report["required"] == 3010 and report["published"] == 10
    # Rows of the first ten items with the longer limit break consistency: their standard was
    # published after they were saved (or they were never saved), so they were judged afresh.
    expected = sum(1 for n in range(200) if n % 5 == 0)
    assert report["consistency_failures"] == expected
    assert report["recomputed"] == 200 + 1500 - 100  # stale by standard, plus unsaved rows elsewhere
