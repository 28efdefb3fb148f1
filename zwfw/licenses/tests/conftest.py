"""Fixtures for e-license tests: the case desk, license types and an approver who issues."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from zwfw.cases.tests.conftest import Desk, desk  # noqa: F401  (re-exported fixture)
from zwfw.identity.models import Role, User
from zwfw.licenses import services
from zwfw.licenses.models import License, LicenseType, SubjectKind

BUSINESS_FIELDS = [
    {"key": "business_scope", "label": "经营范围", "required": True},
    {"key": "address", "label": "住所", "required": False},
]


@dataclass
class Bureau:
    """The desk plus a person-held license type and the approver of 景洪市市场监督管理局."""

    desk: Desk
    license_type: LicenseType
    approver: User

    def issue(self, **fields: str) -> License:
        """Issue one license of the type to the desk's citizen."""
        return services.license_issue(
            actor=self.approver,
            license_type=self.license_type,
            agency=self.desk.world.jh_market,  # type: ignore[attr-defined]
            holder_person=self.desk.person,
            fields=fields or {"business_scope": "预包装食品销售", "address": "景洪市宣慰大道1号"},
        )


@pytest.fixture
def bureau(desk: Desk) -> Bureau:  # noqa: F811
    license_type = services.license_type_create(
        actor=None,
        code="business-license",
        name="营业执照",
        subject_kind=SubjectKind.PERSON,
        fields=BUSINESS_FIELDS,
        validity_years=5,
        system=True,
    )
    return Bureau(desk=desk, license_type=license_type, approver=desk.approver)


def seal_for(bureau: Bureau, algorithm: str) -> None:
    """Give the bureau's agency a default seal of ``algorithm``."""
    services.seal_create(actor=None, agency=bureau.desk.world.jh_market, algorithm=algorithm, system=True)  # type: ignore[attr-defined]


__all__ = ["Bureau", "Role", "bureau", "desk", "seal_for"]
