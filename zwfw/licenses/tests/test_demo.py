"""The demo licenses load through demo cases of the demo catalog, verify, and load once."""

from __future__ import annotations

import pytest

from zwfw.demo.catalog_loader import catalog_demo_load
from zwfw.demo.loader import demo_load
from zwfw.licenses import selectors
from zwfw.licenses.demo import licenses_demo_load
from zwfw.licenses.models import License

pytestmark = pytest.mark.django_db


def test_demo_licenses_load_verify_and_load_once() -> None:
    assert licenses_demo_load().endswith("(load the base demo first)")
    demo_load()
    catalog_demo_load()
    summary = licenses_demo_load()
    names = set(License.objects.values_list("license_type__name", flat=True))
    assert names == {"营业执照", "出生医学证明", "居民户口簿", "社会保障卡", "食品经营许可证"}, summary
    assert License.objects.filter(case__isnull=False).count() == 5, summary  # all through demo cases
    for lic in License.objects.all():
        assert selectors.license_verify(token=lic.token).state == "valid"
    count = License.objects.count()
    licenses_demo_load()
    assert License.objects.count() == count
