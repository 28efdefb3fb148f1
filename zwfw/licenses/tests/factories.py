"""Factories for e-license tests: a 食品经营许可 item that takes the 营业执照 as an e-license,
its license type, and applications walked through the case engine's services."""

from __future__ import annotations

from typing import Any

from zwfw.cases import services as cases_services
from zwfw.cases.models import Case, Channel
from zwfw.cases.tests.factories import PDF, publish
from zwfw.catalog.models import Implementation
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role, User
from zwfw.licenses import services
from zwfw.licenses.models import LicenseType, SubjectKind

FOOD_FIELDS = [
    {"key": "operator", "label": "经营者名称", "required": True},
    {"key": "business_scope", "label": "经营项目", "required": True},
    {"key": "address", "label": "经营场所", "required": False},
]


def publish_food_item(world: Any) -> Implementation:
    """食品经营许可 of 景洪市市场监督管理局 whose 营业执照 material comes from the license store."""
    return publish(
        world,
        base_code="FOOD-EL",
        name="食品经营许可（免证办）",
        materials=[
            {"key": "application", "name": "食品经营许可申请书", "necessity": "required"},
            {
                "key": "business-license",
                "name": "营业执照",
                "necessity": "required",
                "source": "e_license",
                "license_type": "营业执照",
            },
        ],
        result_name="食品经营许可证",
    )


def food_license_type(impl: Implementation) -> LicenseType:
    """食品经营许可证, issued by the item the implementation belongs to (5 years)."""
    return services.license_type_create(
        actor=None,
        code="food-business-license",
        name="食品经营许可证",
        item=impl.item,
        subject_kind=SubjectKind.PERSON,
        fields=FOOD_FIELDS,
        validity_years=5,
        system=True,
    )


FORM = {"operator": "玉香小吃店", "business_scope": "热食类食品制售", "address": "景洪市宣慰大道88号"}


def food_case(impl: Implementation, citizen: User) -> Case:
    """A draft application by ``citizen`` with the application form uploaded."""
    case = cases_services.case_create(
        actor=citizen, implementation=impl, channel=Channel.ONLINE, form_data=FORM
    )
    cases_services.case_material_add(
        actor=citizen, case=case, requirement_key="application", content=PDF, filename="application.pdf"
    )
    return case


def walk_to_review(case: Case, *, citizen: User, clerk: User, reviewer: User) -> Case:
    """Submit, accept and start the review."""
    cases_services.case_submit(actor=citizen, case=case)
    cases_services.case_accept(actor=clerk, case=case)
    return cases_services.case_start_review(actor=reviewer, case=case)


def agency_staff(world: Any, username: str, agency: Any, role: str = Role.REVIEWER) -> User:
    """A staff member of ``agency``."""
    user = identity_services.user_create(username=username, password="pw")
    identity_services.staff_membership_grant(user=user, agency=agency, role=role, system=True)
    return user
