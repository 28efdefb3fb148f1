"""Bundle definitions: the publication checks and the review cycle (four eyes)."""

from __future__ import annotations

import copy

import pytest

from zwfw.bundles import services
from zwfw.bundles.checks import bundle_failures
from zwfw.bundles.content import BundleContent
from zwfw.bundles.models import BundleAdjustmentStatus, BundleStatus
from zwfw.bundles.tests.factories import catalog_reviewer, field, newborn_content
from zwfw.core.errors import Conflict, PermissionDenied, ValidationFailed


def _codes(content: dict) -> set[str]:
    return {f.code for f in bundle_failures(BundleContent.model_validate(content))}


def test_published_newborn_has_a_version(newborn):
    bundle = newborn.bundle
    assert bundle.status == BundleStatus.PUBLISHED
    assert bundle.current_version.number == 1
    assert set(bundle.current_version.implementations) == {
        "birth",
        "household",
        "insurance",
        "vaccine",
        "card",
    }


def test_conflicting_field_types_cannot_be_published_and_the_message_names_the_fields(world, newborn):
    content = newborn_content(newborn.impls)
    content["items"][1]["fields"][0] = field("name", "child.name", "新生儿姓名", "date")
    bundle = services.bundle_create(
        actor=world.catalog_admin_jh, region=world.jinghong, code="BAD", draft=content
    )
    assert "bundles.field_conflict" in bundle.draft_failures
    adjustment = services.bundle_adjustment_submit(actor=world.catalog_admin_jh, bundle=bundle, reason="新增")
    with pytest.raises(ValidationFailed) as exc:
        services.bundle_adjustment_approve(actor=catalog_reviewer(world), adjustment=adjustment)
    assert exc.value.code == "bundles.checks_failed"
    conflict = next(d for d in exc.value.details if d["code"] == "bundles.field_conflict")
    named = {(d["item"], d["field"]) for d in conflict["details"]}
    assert ("household", "name") in named and ("birth", "child_name") in named
    assert "household.name" in str(exc.value.message) and "birth.child_name" in str(exc.value.message)
    bundle.refresh_from_db()
    assert bundle.current_version is None


def test_one_concept_asked_twice_is_refused(newborn):
    content = newborn_content(newborn.impls)
    # the same question under two concepts
    content["items"][2]["fields"][0] = field("insured_name", "insured.name", "新生儿姓名")
    assert "bundles.field_twice" in _codes(content)
    # the same concept twice within one item
    twice = newborn_content(newborn.impls)
    twice["items"][0]["fields"].append(field("baby", "child.name", "宝宝姓名"))
    assert "bundles.field_twice" in _codes(twice)


def test_order_and_references_are_checked(newborn):
    content = newborn_content(newborn.impls)
    content["items"][0]["depends_on"] = [{"item": "household"}]
    assert "bundles.dependency_cycle" in _codes(content)
    content = newborn_content(newborn.impls)
    content["items"][1]["depends_on"] = [{"item": "nowhere"}]
    content["items"][1]["applies_when"] = [{"question": "unknown"}]
    content["items"][2]["material_map"] = {"no-such": "x"}
    content["items"][3]["implementation"] = "NOT-PUBLISHED"
    assert {
        "bundles.unknown_dependency",
        "bundles.unknown_question",
        "bundles.unknown_material",
        "bundles.item_not_published",
    } <= _codes(content)
    content = newborn_content(newborn.impls)
    content["promised_limit"] = 1  # birth (1) then household (1) need 2
    assert "bundles.limit_too_short" in _codes(content)
    content = newborn_content(newborn.impls)
    content["items"][0]["applies_when"] = [{"question": "need-card"}]  # household may apply without it
    assert "bundles.dependency_may_not_apply" in _codes(content)
    assert _codes(newborn_content(newborn.impls)) == set()


def test_review_needs_a_second_catalog_admin(world, newborn):
    bundle = newborn.bundle
    draft = copy.deepcopy(bundle.draft)
    draft["promised_limit"] = 4
    services.bundle_update_draft(actor=world.catalog_admin_jh, bundle=bundle, draft=draft)
    adjustment = services.bundle_adjustment_submit(
        actor=world.catalog_admin_jh, bundle=bundle, reason="缩短时限"
    )
    with pytest.raises(PermissionDenied) as exc:
        services.bundle_adjustment_approve(actor=world.catalog_admin_jh, adjustment=adjustment)
    assert exc.value.code == "bundles.forbidden"  # a department admin does not review
    reviewer = catalog_reviewer(world)
    with pytest.raises(Conflict):
        services.bundle_update_draft(actor=world.catalog_admin_jh, bundle=bundle, draft=draft)
    version = services.bundle_adjustment_approve(actor=reviewer, adjustment=adjustment)
    assert version.number == 2 and version.content["promised_limit"] == 4
    assert bundle.versions.get(number=1).content["promised_limit"] == 5  # old versions stay


def test_author_cannot_review_own_adjustment(world, newborn):
    reviewer = catalog_reviewer(world)
    adjustment = services.bundle_adjustment_submit(actor=reviewer, bundle=newborn.bundle, reason="自审")
    with pytest.raises(PermissionDenied) as exc:
        services.bundle_adjustment_approve(actor=reviewer, adjustment=adjustment)
    assert exc.value.code == "bundles.four_eyes"


def test_reject_and_withdraw(world, newborn):
    reviewer = catalog_reviewer(world)
    adjustment = services.bundle_adjustment_submit(
        actor=world.catalog_admin_jh, bundle=newborn.bundle, reason="x"
    )
    with pytest.raises(ValidationFailed):
        services.bundle_adjustment_reject(actor=reviewer, adjustment=adjustment, comment=" ")
    assert services.bundle_adjustment_reject(
        actor=reviewer, adjustment=adjustment, comment="补充说明"
    ).status == (BundleAdjustmentStatus.REJECTED)
    again = services.bundle_adjustment_submit(actor=world.catalog_admin_jh, bundle=newborn.bundle, reason="y")
    assert services.bundle_adjustment_withdraw(actor=world.catalog_admin_jh, adjustment=again).status == (
        BundleAdjustmentStatus.WITHDRAWN
    )


def test_only_catalog_admins_edit(world, newborn, parent):
    with pytest.raises(PermissionDenied):
        services.bundle_create(actor=parent, region=world.jinghong, code="X", draft={"name": "x"})
    with pytest.raises(PermissionDenied):
        services.bundle_create(actor=world.clerk_jh, region=world.jinghong, code="X", draft={"name": "x"})
    with pytest.raises(ValidationFailed) as exc:
        services.bundle_create(
            actor=world.catalog_admin_jh, region=world.jinghong, code="X", draft={"items": 3}
        )
    assert exc.value.code == "bundles.invalid"
    with pytest.raises(Conflict):
        services.bundle_create(
            actor=world.catalog_admin_jh, region=world.jinghong, code="NEWBORN", draft={"name": "x"}
        )


@pytest.mark.smoke
def test_schema_rejects_bad_shapes():
    with pytest.raises(ValueError):
        BundleContent.model_validate({"name": "x", "items": [{"key": "Bad Key", "implementation": "c"}]})
    assert "bundles.too_few_items" in _codes({"name": "x"})
