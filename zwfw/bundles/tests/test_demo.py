"""The demo bundles are built from the demo catalog and published through review."""

from __future__ import annotations

import pytest

from zwfw.bundles import selectors
from zwfw.bundles.checks import bundle_failures
from zwfw.bundles.demo import BUSINESS, bundles_demo_load
from zwfw.bundles.models import Bundle
from zwfw.catalog import demo_items as data
from zwfw.core.models import AuditEvent
from zwfw.demo.catalog_loader import catalog_demo_load
from zwfw.demo.loader import demo_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> str:
    demo_load()
    catalog_demo_load()
    return bundles_demo_load()


def test_demo_bundles_are_published_and_idempotent(loaded):
    assert "新生儿出生一件事" in loaded
    newborn = Bundle.objects.get(code="YJS-NEWBORN-532801")
    version = newborn.current_version
    content = selectors.version_content(version)
    assert bundle_failures(content) == []
    keys = [i.key for i in content.items]
    assert {"birth-certificate", "birth-registration", "insurance", "social-card"} <= set(keys)
    form = selectors.bundle_form(
        version=version, answers={"need-card": True, "pay-now": False, "reimburse": False}
    )
    assert len({f.concept for f in form.fields}) == len(form.fields)
    assert "parents-id" in {m.key for m in form.materials}
    assert {(r.item, r.key) for r in form.from_results} >= {("birth-registration", "birth-certificate")}
    before = (Bundle.objects.count(), AuditEvent.objects.count())
    bundles_demo_load()
    assert (Bundle.objects.count(), AuditEvent.objects.count()) == before
    assert newborn.versions.count() == 1


def test_business_bundle_has_the_five_items_of_the_reform(loaded):
    business = Bundle.objects.get(code="YJS-BUSINESS-532801")
    content = selectors.version_content(business.current_version)
    assert bundle_failures(content) == []
    impls = selectors.version_implementations(business.current_version)
    assert {impl.item.base_code for impl in impls.values()} == set(data.BUNDLE_BUSINESS)
    agencies = {key: impl.agency.name for key, impl in impls.items()}
    assert agencies == {
        "establishment": "景洪市市场监督管理局",
        "seal": "景洪市公安局",
        "invoice": "国家税务总局景洪市税务局",
        "employee-insurance": "景洪市人力资源和社会保障局",
        "housing-fund": "西双版纳傣族自治州住房公积金管理中心景洪管理部",
    }
    assert content.result_delivery == "together" and content.promised_limit == 1
    # every later item waits for the business licence, which provides its licence material
    later = [i for i in content.items if i.key != "establishment"]
    assert all(
        [(d.item, d.result_as) for d in i.depends_on] == [("establishment", "business-license")]
        for i in later
    )
    # everything asked for: the licence and its credit code are never asked, the agent's ID once
    everything = {q.key: True for q in content.questions}
    form = selectors.bundle_form(version=business.current_version, answers=everything)
    concepts = [f.concept for f in form.fields]
    assert len(concepts) == len(set(concepts))
    assert not any("credit" in c or "uscc" in c for c in concepts)
    assert "business-license" not in {m.key for m in form.materials}
    assert {r.item for r in form.from_results if r.key == "business-license"} == {i.key for i in later}
    agent_id = next(m for m in form.materials if m.key == "agent-id")
    assert {t.item for t in agent_id.targets} == {"seal", "invoice", "housing-fund"}
    name = next(f for f in form.fields if f.concept == "company.name")
    assert {item for item, _field in name.targets} == {i.key for i in content.items}
    # nothing asked for: only the registration
    nothing = {q.key: False for q in content.questions}
    form = selectors.bundle_form(version=business.current_version, answers=nothing)
    assert [i.key for i in form.items] == ["establishment"]


def test_property_bundle_pays_the_deed_tax_before_the_transfer(loaded):
    bundle = Bundle.objects.get(code="YJS-PROPERTY-532801")
    version = bundle.current_version
    content = selectors.version_content(version)
    assert bundle_failures(content) == []
    impls = selectors.version_implementations(version)
    assert {impl.item.base_code for impl in impls.values()} == set(data.BUNDLE_PROPERTY)
    assert impls["deed-tax"].agency.name == "国家税务总局景洪市税务局"
    assert impls["transfer"].agency.name == "景洪市自然资源局"
    form = selectors.bundle_form(version=version, answers={})
    assert [i.key for i in form.items] == ["deed-tax", "transfer"]
    assert {(r.item, r.key) for r in form.from_results} == {("transfer", "tax")}
    merged = {m.key: {t.item for t in m.targets} for m in form.materials}
    assert merged["parties-id"] == {"deed-tax", "transfer"}  # the buyer's ID maps onto both IDs
    assert merged["contract"] == {"deed-tax", "transfer"}
    contract = next(m for m in form.materials if m.key == "contract")
    assert contract.required  # optional for the registration, required for the tax
    assert content.result_delivery == "together"


def test_an_older_demo_bundle_is_brought_up_to_date_through_review(loaded, monkeypatch):
    business = Bundle.objects.get(code="YJS-BUSINESS-532801")
    assert business.versions.count() == 1
    stale = dict(BUSINESS, content=dict(BUSINESS["content"], promised_limit=3))
    from zwfw.bundles import demo

    # every demo bundle as it is, the business one as an older demo had it (for this load only)
    with monkeypatch.context() as patched:
        patched.setattr(
            demo, "DEMO_BUNDLES", tuple(stale if b is demo.BUSINESS else b for b in demo.DEMO_BUNDLES)
        )
        bundles_demo_load()
    business.refresh_from_db()
    assert business.current_version.number == 2 and business.current_version.content["promised_limit"] == 3
    adjustment = business.current_version.adjustment
    assert adjustment.reviewed_by_id != adjustment.submitted_by_id  # four eyes, as for any bundle
    bundles_demo_load()
    business.refresh_from_db()
    assert business.current_version.number == 3 and business.current_version.content["promised_limit"] == 1
