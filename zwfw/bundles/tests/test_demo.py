"""The demo bundles are built from the demo catalog and published through review."""

from __future__ import annotations

import pytest

from zwfw.bundles import selectors
from zwfw.bundles.checks import bundle_failures
from zwfw.bundles.demo import bundles_demo_load
from zwfw.bundles.models import Bundle
from zwfw.demo.catalog_loader import catalog_demo_load
from zwfw.demo.loader import demo_load


@pytest.mark.django_db
def test_demo_bundles_are_published_and_idempotent():
    demo_load()
    catalog_demo_load()
    summary = bundles_demo_load()
    assert "新生儿出生一件事" in summary
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
    business = Bundle.objects.get(code="YJS-BUSINESS-532801")
    assert business.current_version is not None
    before = Bundle.objects.count()
    bundles_demo_load()
    assert Bundle.objects.count() == before
    assert newborn.versions.count() == 1
