"""The demo catalog: real items, published through review, consistent, idempotent, linked."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from django.http import HttpRequest

from zwfw.catalog import checks, lists, services
from zwfw.catalog import demo_items as data
from zwfw.catalog.content import ImplementationContent
from zwfw.catalog.models import (
    Adjustment,
    Implementation,
    ImplementationStatus,
    ImplementationVersion,
    ItemType,
    LinkedList,
    ListEntry,
    MaterialRequirement,
    ServiceItem,
)
from zwfw.core.ledger import ledger_verify
from zwfw.core.models import AuditEvent, Region
from zwfw.demo.catalog_loader import DEMO_LIST_FILE, catalog_demo_accounts, catalog_demo_load
from zwfw.demo.loader import DEMO_PASSWORD, demo_load
from zwfw.identity.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    """The base demo and the demo catalog, loaded once for the test."""
    demo_load()
    catalog_demo_load()


def _counts() -> tuple[int, ...]:
    models = (
        ServiceItem,
        Implementation,
        ImplementationVersion,
        MaterialRequirement,
        Adjustment,
        LinkedList,
        ListEntry,
        User,
        AuditEvent,
    )
    return tuple(m.objects.count() for m in models)


@pytest.mark.smoke
def test_forty_real_items_are_published_and_pass_every_check(loaded):
    published = Implementation.objects.filter(status=ImplementationStatus.PUBLISHED).select_related(
        "item", "current_version"
    )
    assert published.count() >= 40
    assert ServiceItem.objects.filter(implementations__isnull=False).distinct().count() >= 40
    for implementation in published:
        version = implementation.current_version
        content = ImplementationContent.model_validate(version.content)
        assert services.implementation_failures(implementation, content) == [], implementation.code
        assert version.content == implementation.draft
        assert version.uniform["name"] == implementation.item.name
        # every adjustment was reviewed by someone other than its author (four eyes)
        adjustment = Adjustment.objects.get(pk=version.adjustment_id)
        assert adjustment.reviewed_by_id and adjustment.reviewed_by_id != adjustment.submitted_by_id
        # local elements are filled, contacts differ, codes and addresses are demo ones
        assert content.place and content.hours and content.result_sample == data.DEMO_SAMPLE
        assert content.consultation_phone.startswith("0691-0") and content.complaint_phone == "0691-12345"
        assert implementation.item.base_code.startswith("DEMO-")
        assert all(
            url.startswith(data.DEMO_PORTAL)
            for url in (content.online_url_pc, content.online_url_mobile)
            if url
        )
    types = Counter(i.item.item_type for i in published)
    assert {ItemType.LICENSING, ItemType.CONFIRMATION, ItemType.BENEFIT, ItemType.FILING} <= set(types)
    assert types[ItemType.PUBLIC_SERVICE] >= 10
    zero_visit = [
        i for i in published if i.online_depth == 4 and i.current_version.content["visits_required"] == 0
    ]
    assert len(zero_visit) >= 5
    levels = set(published.values_list("region__level", flat=True))
    assert levels == {"prefecture", "county"}
    assert list(ledger_verify()) == []


def test_loading_twice_changes_nothing(loaded):
    first = _counts()
    use_counts = dict(Implementation.objects.values_list("code", "use_count"))
    catalog_demo_load()
    assert _counts() == first
    assert dict(Implementation.objects.values_list("code", "use_count")) == use_counts
    assert list(ledger_verify()) == []


def test_county_versions_differ_from_the_prefecture_standard_only_in_the_applicants_favour(loaded):
    prefecture = Region.objects.get(code=data.PREFECTURE)
    standards = {
        i.item_id: ImplementationContent.model_validate(i.current_version.content)
        for i in Implementation.objects.filter(region=prefecture).select_related("current_version")
    }
    assert len(standards) >= 8
    counties = Implementation.objects.filter(item_id__in=standards, region__parent=prefecture).select_related(
        "current_version", "region"
    )
    checked = differing = 0
    for implementation in counties:
        content = ImplementationContent.model_validate(implementation.current_version.content)
        standard = standards[implementation.item_id]
        assert checks.consistency_failures(content, standard=standard) == [], implementation.code
        checked += 1
        mine = content.model_dump(
            exclude={"place", "consultation_phone", "online_url_pc", "online_url_mobile"}
        )
        theirs = standard.model_dump(
            exclude={"place", "consultation_phone", "online_url_pc", "online_url_mobile"}
        )
        differing += mine != theirs
    assert checked >= 12 and differing >= 5
    # the uniform elements are the catalog entry's, the same in every region
    for base_code in ("DEMO-XK-0006", "DEMO-GG-0008"):
        uniforms = {
            str(sorted(v.items()))
            for v in ImplementationVersion.objects.filter(
                implementation__item__base_code=base_code
            ).values_list("uniform", flat=True)
        }
        assert len(uniforms) == 1

    # a stricter county version would be refused: the check really runs against the standard
    food = Implementation.objects.get(code="DEMO-XK-0006-532822")
    stricter = dict(food.draft, promised_limit=9, visits_required=3, visit_reason="多跑")
    failures = services.implementation_failures(food, services.content_parse(stricter))
    assert {"catalog.consistency.promised_limit_longer", "catalog.consistency.more_visits"} <= {
        f["code"] for f in failures
    }


def test_most_jinghong_power_items_are_linked_to_the_demo_power_list(loaded):
    jinghong = Implementation.objects.filter(region__code=data.JINGHONG)
    power = jinghong.exclude(item__item_type=ItemType.PUBLIC_SERVICE)
    missing = lists.implementations_missing_links(jinghong)
    assert power.count() >= 20
    assert set(missing.values_list("item__name", flat=True)) == {"临时居民身份证申领", "特困人员认定"}
    linked_list = LinkedList.objects.get(region__code=data.JINGHONG)
    assert "演示" in linked_list.name
    # the main-item entry links both handling items; the renamed ID-card entry links by code
    assert set(
        ListEntry.objects.get(code="DEMO-QZ-0016").implementations.values_list("item__name", flat=True)
    ) == {"个体工商户登记（设立）", "个体工商户登记（注销）"}
    assert list(
        ListEntry.objects.get(code="DEMO-QZ-0001").implementations.values_list("code", flat=True)
    ) == ["DEMO-QR-0001-532801"]


def test_demo_data_facts_hold(loaded):
    jinghong = Implementation.objects.filter(region__code=data.JINGHONG)
    top = jinghong.order_by("-use_count").first()
    assert top.item.name == "居民身份证换领"
    fees = {f["name"]: f["amount_yuan"] for f in top.current_version.content["fees"]}
    assert fees == {"居民身份证工本费（有效期满换领）": 20, "居民身份证工本费（损坏换领）": 40}
    # the newborn bundle's items are all published in 景洪市
    bundle = jinghong.filter(item__base_code__in=data.BUNDLE_NEWBORN, status=ImplementationStatus.PUBLISHED)
    assert bundle.count() == len(data.BUNDLE_NEWBORN)
    # so are those of 企业开办一件事 and 不动产登记一件事, with the tax bureau (vertical) and the
    # housing fund centre's branch (a public institution) as their agencies
    for members in (data.BUNDLE_BUSINESS, data.BUNDLE_PROPERTY):
        published = jinghong.filter(item__base_code__in=members, status=ImplementationStatus.PUBLISHED)
        assert published.count() == len(members)
    agencies = dict(
        jinghong.filter(item__base_code__in=("DEMO-GG-0017", "DEMO-GG-0019")).values_list(
            "item__base_code", "agency__name"
        )
    )
    assert agencies == {
        "DEMO-GG-0017": "国家税务总局景洪市税务局",
        "DEMO-GG-0019": "西双版纳傣族自治州住房公积金管理中心景洪管理部",
    }
    fund = Implementation.objects.get(code="DEMO-GG-0019-532801").agency
    assert fund.kind == "public_institution"
    # nothing is charged for the new 企业开办 items; the seal filing is a power with a list entry
    for base_code in ("DEMO-BA-0003", "DEMO-GG-0017", "DEMO-GG-0019"):
        content = Implementation.objects.get(code=f"{base_code}-532801").current_version.content
        assert not content["charged"] and not content["fees"]
    # every entry of the demo 权责清单 is a demo item's name, its parent's, or one of two non-catalog powers
    names = set(ServiceItem.objects.values_list("name", flat=True))
    with DEMO_LIST_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    outside = [r["name"] for r in rows if r["name"] not in names and not r["implementation_code"]]
    assert len(outside) == 2 and all("行政处罚" in n or "监督检查" in n for n in outside)
    assert all(r["code"].startswith("DEMO-") for r in rows)


def test_catalog_demo_accounts_can_log_in(loaded, client):
    accounts = catalog_demo_accounts()
    assert {a.username for a in accounts} >= {"catalog_pref", "catalog_reviewer", "catalog_mh", "catalog_ml"}
    for account in accounts:
        assert client.login(request=HttpRequest(), username=account.username, password=DEMO_PASSWORD), (
            account.username
        )


def test_the_loader_needs_the_base_demo():
    with pytest.raises(RuntimeError):
        catalog_demo_load()
    assert not ServiceItem.objects.exists()
