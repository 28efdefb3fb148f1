"""Catalog services: drafts, adjustments, review with checks, immutable versions, the ledger."""

from __future__ import annotations

import pytest

from zwfw.catalog import services
from zwfw.catalog.models import (
    AdjustmentStatus,
    ImplementationStatus,
    ImplementationVersion,
    MaterialRequirement,
)
from zwfw.catalog.tests.factories import make_implementation, make_item, publishable_content
from zwfw.core.errors import Conflict, PermissionDenied, ValidationFailed
from zwfw.core.ledger import ledger_verify
from zwfw.core.models import AgencyKind, AuditEvent
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(world):
    """A catalog admin of 景洪市's 政务服务管理局 (the region's 政务服务部门)."""
    from zwfw.core import services as core_services

    bureau = core_services.agency_create(
        name="景洪市政务服务管理局", region=world.jinghong, kind=AgencyKind.SERVICE_ADMINISTRATION
    )
    user = identity_services.user_create(username="catalog_reviewer", password="pw")
    identity_services.staff_membership_grant(user=user, agency=bureau, role=Role.CATALOG_ADMIN, system=True)
    return user


def _publish(world, reviewer, implementation, kind="add"):
    adjustment = services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=implementation, kind=kind, reason="新增事项"
    )
    services.adjustment_approve(actor=reviewer, adjustment=adjustment)
    return services.adjustment_publish(actor=reviewer, adjustment=adjustment)


def test_full_cycle_publishes_an_immutable_version(world, reviewer):
    implementation = make_implementation(world)
    published = _publish(world, reviewer, implementation)
    assert published.status == ImplementationStatus.PUBLISHED
    v1 = published.current_version
    assert v1.number == 1 and v1.uniform["name"] == "食品经营许可"
    assert list(MaterialRequirement.objects.filter(version=v1).values_list("key", flat=True)) == [
        "application",
        "id-card",
        "floor-plan",
    ]

    services.implementation_update_draft(
        actor=world.catalog_admin_jh, implementation=published, draft=publishable_content(promised_limit=5)
    )
    published.refresh_from_db()
    assert published.current_version == v1  # the draft does not touch the public version
    republished = _publish(world, reviewer, published, kind="change")
    v2 = republished.current_version
    assert v2.number == 2 and v2.content["promised_limit"] == 5
    assert ImplementationVersion.objects.get(pk=v1.pk).content["promised_limit"] == 10
    actions = list(
        AuditEvent.objects.filter(chain=f"implementation:{implementation.pk}").values_list(
            "action", flat=True
        )
    )
    assert actions.count("published") == 2 and "adjustment_approved" in actions
    assert list(ledger_verify()) == []


def test_failing_checks_block_approval_and_are_all_listed(world, reviewer):
    implementation = make_implementation(world, complaint_phone="", faq=[], online_depth=4, visits_required=1)
    adjustment = services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=implementation, kind="add", reason="新增"
    )
    codes = {f["code"] for f in adjustment.failures}
    assert {
        "catalog.check.complaint_missing",
        "catalog.check.faq_missing",
        "catalog.check.depth4_visits",
    } <= codes
    with pytest.raises(ValidationFailed) as err:
        services.adjustment_approve(actor=reviewer, adjustment=adjustment)
    assert {d["field"] for d in err.value.details} >= {"complaint_phone", "faq", "visits_required"}
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.SUBMITTED


def test_author_cannot_review_and_other_roles_are_refused(world, reviewer):
    implementation = make_implementation(world)
    adjustment = services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=implementation, kind="add", reason="新增"
    )
    with pytest.raises(PermissionDenied):
        services.adjustment_approve(actor=world.catalog_admin_jh, adjustment=adjustment)
    with pytest.raises(PermissionDenied):
        services.adjustment_approve(actor=world.clerk_jh, adjustment=adjustment)
    with pytest.raises(PermissionDenied):
        services.implementation_create(
            actor=world.clerk_jh, item=make_item(world, base_code="X-2"), agency=world.jh_market
        )


def test_draft_is_locked_while_under_review_and_one_open_adjustment_at_a_time(world, reviewer):
    implementation = make_implementation(world)
    services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=implementation, kind="add", reason="新增"
    )
    with pytest.raises(Conflict):
        services.implementation_update_draft(
            actor=world.catalog_admin_jh, implementation=implementation, draft=publishable_content()
        )
    with pytest.raises(Conflict):
        services.adjustment_submit(
            actor=world.catalog_admin_jh, implementation=implementation, kind="add", reason="again"
        )


def test_bad_shapes_are_reported_per_field_and_change_nothing(world):
    implementation = make_implementation(world)
    before = dict(implementation.draft)
    with pytest.raises(ValidationFailed) as err:
        services.implementation_update_draft(
            actor=world.catalog_admin_jh,
            implementation=implementation,
            draft=publishable_content(online_depth=7, handling_kind="sometimes"),
        )
    assert {d["field"] for d in err.value.details} == {"online_depth", "handling_kind"}
    implementation.refresh_from_db()
    assert implementation.draft == before


def test_county_may_only_differ_in_the_applicants_favour(world, reviewer):
    from zwfw.core import services as core_services

    item = make_item(world)
    pref_market = core_services.agency_create(name="西双版纳州市场监督管理局", region=world.prefecture)
    pref_admin = identity_services.user_create(username="pref_catalog", password="pw")
    identity_services.staff_membership_grant(
        user=pref_admin, agency=world.pref_service, role=Role.CATALOG_ADMIN, system=True
    )
    standard = services.implementation_create(
        actor=pref_admin, item=item, agency=pref_market, draft=publishable_content()
    )
    adj = services.adjustment_submit(actor=pref_admin, implementation=standard, kind="add", reason="州级标准")
    other = identity_services.user_create(username="pref_reviewer", password="pw")
    identity_services.staff_membership_grant(
        user=other, agency=world.pref_service, role=Role.CATALOG_ADMIN, system=True
    )
    services.adjustment_approve(actor=other, adjustment=adj)
    services.adjustment_publish(actor=other, adjustment=adj)

    stricter = publishable_content(
        promised_limit=15,
        materials=publishable_content()["materials"]
        + [{"key": "extra", "name": "额外证明", "necessity": "required"}],
    )
    county = services.implementation_create(
        actor=world.catalog_admin_jh, item=item, agency=world.jh_market, draft=stricter
    )
    codes = set(county.draft_failures)
    assert {"catalog.consistency.material_added", "catalog.consistency.promised_limit_longer"} <= codes
    kinder = publishable_content(promised_limit=3, materials=publishable_content()["materials"][:2])
    failures = services.implementation_update_draft(
        actor=world.catalog_admin_jh, implementation=county, draft=kinder
    )
    assert failures == []
