"""Test factories for bundles: published implementations of several 景洪市 agencies, a
newborn-like bundle definition over them, and the staff who handle each child case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zwfw.bundles import services
from zwfw.bundles.models import Bundle
from zwfw.cases.tests.factories import PDF
from zwfw.catalog import services as catalog_services
from zwfw.catalog.models import Implementation
from zwfw.catalog.tests.factories import make_item, publishable_content
from zwfw.core import services as core_services
from zwfw.core.models import Agency, AgencyKind
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role, User


def catalog_reviewer(world: Any) -> User:
    """The second catalog administrator (景洪市政务服务管理局), who reviews and publishes."""
    reviewer = User.objects.filter(username="catalog_reviewer").first()
    if reviewer is None:
        bureau = core_services.agency_create(
            name="景洪市政务服务管理局", region=world.jinghong, kind=AgencyKind.SERVICE_ADMINISTRATION
        )
        reviewer = identity_services.user_create(username="catalog_reviewer", password="pw")
        identity_services.staff_membership_grant(
            user=reviewer, agency=bureau, role=Role.CATALOG_ADMIN, system=True
        )
    return reviewer


def publish_impl(
    world: Any, *, agency: Agency, code: str, name: str, materials: list[dict[str, Any]], **extra: Any
) -> Implementation:
    """Publish an implementation of ``agency`` through the real review cycle."""
    item = make_item(world, base_code=code, name=name)
    content = publishable_content(materials=materials, promised_limit=1, **extra)
    impl = catalog_services.implementation_create(
        actor=world.catalog_admin_jh, item=item, agency=agency, code=f"{code}-IMPL", draft=content
    )
    reviewer = catalog_reviewer(world)
    adjustment = catalog_services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=impl, kind="add", reason="新增"
    )
    catalog_services.adjustment_approve(actor=reviewer, adjustment=adjustment)
    return catalog_services.adjustment_publish(actor=reviewer, adjustment=adjustment)


def agency_staff(agency: Agency, username: str) -> User:
    """A clerk who also reviews and approves (keeps the tests short)."""
    user = identity_services.user_create(username=username, password="pw")
    for role in (Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER):
        identity_services.staff_membership_grant(user=user, agency=agency, role=role, system=True)
    return user


def field(name: str, concept: str, label: str, type_: str = "text", required: bool = True) -> dict[str, Any]:
    """One item field of a bundle definition."""
    return {"name": name, "concept": concept, "label": label, "type": type_, "required": required}


@dataclass
class Newborn:
    """A published five-item bundle and the staff of its four agencies."""

    bundle: Bundle
    impls: dict[str, Implementation]
    staff: dict[str, User]  # item key -> the staff member of its agency


def newborn_content(impls: dict[str, Implementation]) -> dict[str, Any]:
    """Five items: the birth certificate first, household registration after it; a social
    security card only when asked for; shared fields and materials declared once."""
    return {
        "name": "新生儿出生一件事",
        "summary": "出生医学证明、户口登记、医保参保、社保卡一次办。",
        "promised_limit": 5,
        "questions": [{"key": "need-card", "text": "是否需要办理社会保障卡"}],
        "items": [
            {
                "key": "birth",
                "implementation": impls["birth"].code,
                "fields": [
                    field("child_name", "child.name", "新生儿姓名"),
                    field("child_birth", "child.birth_date", "出生日期", "date"),
                    field("hospital", "birth.hospital", "出生医院"),
                ],
            },
            {
                "key": "household",
                "implementation": impls["household"].code,
                "depends_on": [{"item": "birth", "result_as": "birth-certificate"}],
                "fields": [
                    field("name", "child.name", "新生儿姓名"),
                    field("address", "family.address", "户籍地址"),
                ],
            },
            {
                "key": "insurance",
                "implementation": impls["insurance"].code,
                "material_map": {"guardian-id": "mother-id"},
                "fields": [
                    field("insured_name", "child.name", "新生儿姓名"),
                    field("phone", "family.phone", "联系电话", "phone"),
                ],
            },
            {
                "key": "vaccine",
                "implementation": impls["vaccine"].code,
                "fields": [field("child_birth", "child.birth_date", "出生日期", "date")],
            },
            {
                "key": "card",
                "implementation": impls["card"].code,
                "applies_when": [{"question": "need-card", "answer": True}],
                "fields": [field("name", "child.name", "新生儿姓名")],
            },
        ],
    }


def make_newborn(world: Any) -> Newborn:
    """Publish the five implementations and the bundle over them."""
    health = core_services.agency_create(name="景洪市卫生健康局", region=world.jinghong)
    medical = core_services.agency_create(name="景洪市医疗保障局", region=world.jinghong)
    hrss = core_services.agency_create(name="景洪市人力资源和社会保障局", region=world.jinghong)
    agencies = {
        "birth": health,
        "household": world.jh_police,
        "insurance": medical,
        "vaccine": health,
        "card": hrss,
    }
    specs = {
        "birth": (
            "出生医学证明办理",
            [
                {"key": "mother-id", "name": "母亲居民身份证"},
                {"key": "birth-record", "name": "出生信息登记表"},
            ],
        ),
        "household": (
            "户口登记（出生登记）",
            [
                {"key": "birth-certificate", "name": "出生医学证明"},
                {"key": "mother-id", "name": "母亲居民身份证"},
                {"key": "household", "name": "居民户口簿"},
            ],
        ),
        "insurance": ("城乡居民医保参保登记", [{"key": "guardian-id", "name": "监护人居民身份证"}]),
        "vaccine": ("预防接种证办理", [{"key": "birth-record", "name": "出生信息登记表"}]),
        "card": ("社会保障卡申领", [{"key": "photo", "name": "照片", "necessity": "optional"}]),
    }
    impls = {
        key: publish_impl(
            world, agency=agencies[key], code=f"NB-{key.upper()}", name=name, materials=materials
        )
        for key, (name, materials) in specs.items()
    }
    staff: dict[str, User] = {}
    by_agency: dict[int, User] = {}
    for key, agency in agencies.items():
        if agency.pk not in by_agency:
            by_agency[agency.pk] = agency_staff(agency, f"staff_{key}")
        staff[key] = by_agency[agency.pk]
    bundle = services.bundle_create(
        actor=world.catalog_admin_jh, region=world.jinghong, code="NEWBORN", draft=newborn_content(impls)
    )
    adjustment = services.bundle_adjustment_submit(actor=world.catalog_admin_jh, bundle=bundle, reason="新增")
    services.bundle_adjustment_approve(actor=catalog_reviewer(world), adjustment=adjustment)
    bundle.refresh_from_db()
    return Newborn(bundle=bundle, impls=impls, staff=staff)


def form_values() -> dict[str, str]:
    """A complete merged form."""
    return {
        "child.name": "岩罕",
        "child.birth_date": "2026-11-20",
        "birth.hospital": "西双版纳州人民医院",
        "family.address": "景洪市嘎洒镇曼景保村",
        "family.phone": "13800000000",
    }


def uploads() -> dict[str, tuple[bytes, str]]:
    """The merged materials, each once."""
    return {
        "mother-id": (PDF, "id.pdf"),
        "birth-record": (PDF, "record.pdf"),
        "household": (PDF, "household.pdf"),
    }


def decide(case: Any, staff: Any, *, approved: bool = True) -> Any:
    """Accept, review and decide a child case as its agency's staff (approval with a result file,
    or denial with a reason)."""
    from zwfw.cases import services as case_services

    case_services.case_accept(actor=staff, case=case)
    case_services.case_start_review(actor=staff, case=case)
    return case_services.case_decide(
        actor=staff,
        case=case,
        approved=approved,
        reasons="" if approved else "材料不实",
        result_content=PDF if approved else None,
        result_filename="result.pdf",
    )
