"""Demo bundles built from the demo catalog (``zwfw.catalog.demo_items``).

- 新生儿出生一件事 (景洪市): the ``BUNDLE_NEWBORN`` items that are published in 景洪市, with
  the birth certificate before the household registration and the vaccination certificate,
  insurance after registration, and the social security card, insurance payment and
  reimbursement only when the parents ask for them.
- 企业开办一件事 (景洪市): 企业设立登记, then 职工参保登记 with the business licence passed on;
  公章刻制备案, 申领发票 and 公积金缴存登记 are not in the demo catalog.
- 不动产登记一件事 needs 水电气过户, which the demo catalog does not have: not built.

Items missing from the catalog are left out (with their dependencies). Published through the
same review as any bundle: written by the ``catalog`` account, approved by
``catalog_reviewer``. Idempotent: a bundle that exists is left as it is.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zwfw.bundles import services
from zwfw.bundles.models import Bundle, BundleAdjustmentStatus
from zwfw.catalog import demo_items as data
from zwfw.catalog.models import Implementation
from zwfw.core.models import Region
from zwfw.identity.models import User


def _f(
    name: str, concept: str, label: str, type_: str = "text", *, required: bool = True, **extra: Any
) -> dict[str, Any]:
    return {"name": name, "concept": concept, "label": label, "type": type_, "required": required, **extra}


CHILD_NAME = _f("child_name", "child.name", "新生儿姓名")
CHILD_SEX = _f("child_sex", "child.sex", "新生儿性别", "choice", choices=["男", "女"])
CHILD_BIRTH = _f("child_birth_date", "child.birth_date", "出生日期", "date")
BIRTH_PLACE = _f("birth_place", "child.birth_place", "出生医院（出生地点）")
MOTHER_NAME = _f("mother_name", "mother.name", "母亲姓名")
MOTHER_ID = _f("mother_id_number", "mother.id_number", "母亲公民身份号码", "id_number")
FATHER_NAME = _f("father_name", "father.name", "父亲姓名", required=False)
FATHER_ID = _f("father_id_number", "father.id_number", "父亲公民身份号码", "id_number", required=False)
ADDRESS = _f("household_address", "family.address", "户籍地址（落户地址）")
PHONE = _f("contact_phone", "family.phone", "联系电话", "phone")
POST_ADDRESS = _f("post_address", "family.post_address", "社保卡邮寄地址", required=False)
BANK = _f("bank_account", "mother.bank_account", "报销款收款账户（社会保障卡或银行卡号）")
IDS = "parents-id"

NEWBORN_ITEMS: list[dict[str, Any]] = [
    {
        "key": "fertility",
        "base": "DEMO-GG-0002",
        "fields": [MOTHER_NAME, MOTHER_ID, FATHER_NAME, FATHER_ID],
        "material_map": {"couple-id": IDS},
    },
    {
        "key": "birth-certificate",
        "base": "DEMO-GG-0001",
        "fields": [
            CHILD_NAME,
            CHILD_SEX,
            CHILD_BIRTH,
            BIRTH_PLACE,
            MOTHER_NAME,
            MOTHER_ID,
            FATHER_NAME,
            FATHER_ID,
        ],
        "material_map": {"mother-id": IDS, "father-id": IDS},
    },
    {
        "key": "vaccination",
        "base": "DEMO-GG-0003",
        "depends_on": [{"item": "birth-certificate", "result_as": "birth-certificate"}],
        "fields": [CHILD_NAME, CHILD_BIRTH, PHONE],
        "material_map": {"guardian-id": IDS},
    },
    {
        "key": "birth-registration",
        "base": "DEMO-QR-0004",
        "depends_on": [{"item": "birth-certificate", "result_as": "birth-certificate"}],
        "fields": [
            CHILD_NAME,
            CHILD_SEX,
            CHILD_BIRTH,
            ADDRESS,
            MOTHER_NAME,
            MOTHER_ID,
            FATHER_NAME,
            FATHER_ID,
        ],
    },
    {
        "key": "insurance",
        "base": "DEMO-GG-0004",
        "depends_on": [{"item": "birth-registration"}],
        "fields": [CHILD_NAME, CHILD_SEX, CHILD_BIRTH, PHONE],
        "material_map": {"id-card": IDS},
    },
    {
        "key": "social-card",
        "base": "DEMO-GG-0008",
        "applies_when": [{"question": "need-card", "answer": True}],
        "depends_on": [{"item": "birth-registration"}],
        "fields": [CHILD_NAME, PHONE, POST_ADDRESS],
        "material_map": {"id-card": IDS},
    },
    {
        "key": "insurance-payment",
        "base": "DEMO-GG-0005",
        "applies_when": [{"question": "pay-now", "answer": True}],
        "depends_on": [{"item": "insurance"}],
        "fields": [CHILD_NAME, PHONE],
        "material_map": {"id-card": IDS},
    },
    {
        "key": "maternity-reimbursement",
        "base": "DEMO-GG-0006",
        "applies_when": [{"question": "reimburse", "answer": True}],
        "fields": [MOTHER_NAME, MOTHER_ID, BANK],
        "material_map": {"id-card": IDS},
    },
]

NEWBORN: dict[str, Any] = {
    "code": "YJS-NEWBORN-532801",
    "region": data.JINGHONG,
    "content": {
        "name": "新生儿出生一件事",
        "summary": "出生医学证明、出生登记（落户）、预防接种证、城乡居民医保参保、社会保障卡等一次申请、一次办好。",
        "notice": "新生儿出生后一个月内申请。父母双方居民身份证只需上传一次；出生医学证明签发后自动转交户籍和预防接种部门，无需再次提交。",
        "subject": "person",
        "promised_limit": 15,
        "result_delivery": "as_ready",
        "questions": [
            {"key": "need-card", "text": "是否需要为新生儿办理社会保障卡"},
            {"key": "pay-now", "text": "是否现在缴纳新生儿城乡居民医保费"},
            {
                "key": "reimburse",
                "text": "是否在非联网结算医院分娩、需要报销生育医疗费用",
                "help": "在联网定点医疗机构分娩的，出院时已直接结算，选“否”。",
            },
        ],
    },
    "items": NEWBORN_ITEMS,
}

BUSINESS: dict[str, Any] = {
    "code": "YJS-BUSINESS-532801",
    "region": data.JINGHONG,
    "content": {
        "name": "企业开办一件事",
        "summary": "企业设立登记和职工参保登记一次申请；营业执照核发后自动转交社保部门。",
        "notice": "公章刻制备案、发票申领和住房公积金缴存登记尚未纳入本平台演示目录，请按各自指南办理。",
        "subject": "legal_person",
        "promised_limit": 3,
        "result_delivery": "together",
        "questions": [{"key": "employees", "text": "是否已招用职工"}],
    },
    "items": [
        {
            "key": "establishment",
            "base": "DEMO-XK-0009",
            "fields": [
                _f("company_name", "company.name", "企业名称"),
                _f("address", "company.address", "住所"),
                _f("representative", "company.representative", "法定代表人姓名"),
                _f("phone", "company.phone", "联系电话", "phone"),
            ],
        },
        {
            "key": "employee-insurance",
            "base": "DEMO-GG-0009",
            "applies_when": [{"question": "employees", "answer": True}],
            "depends_on": [{"item": "establishment", "result_as": "business-license"}],
            "fields": [
                _f("company_name", "company.name", "企业名称"),
                _f("employees", "company.employees", "参保职工人数", "number"),
                _f("phone", "company.phone", "联系电话", "phone"),
            ],
        },
    ],
}


def bundle_definition(spec: dict[str, Any]) -> dict[str, Any]:
    """The content of a demo bundle with the items that exist in the catalog (published in the
    bundle's region), dependencies on missing items dropped."""
    present = []
    for item in spec["items"]:
        code = f"{item['base']}-{spec['region']}"
        if Implementation.objects.filter(code=code, current_version__isnull=False).exists():
            present.append({k: v for k, v in item.items() if k != "base"} | {"implementation": code})
    keys = {i["key"] for i in present}
    for item in present:
        item["depends_on"] = [d for d in item.get("depends_on", []) if d["item"] in keys]
    return {**spec["content"], "items": present}


@transaction.atomic
def bundles_demo_load() -> str:
    """Create and publish the demo bundles (idempotent) and return a one-line summary."""
    author = User.objects.filter(username="catalog").first()
    reviewer = User.objects.filter(username="catalog_reviewer").first()
    if author is None or reviewer is None:
        raise RuntimeError("The demo catalog accounts are missing: run the catalog demo loader first.")
    made = []
    skipped = []
    for spec in (NEWBORN, BUSINESS):
        bundle = Bundle.objects.filter(code=spec["code"]).first()
        if bundle is not None and bundle.current_version_id is not None:
            continue
        content = bundle_definition(spec)
        if len(content["items"]) < 2:
            skipped.append(spec["content"]["name"])
            continue
        region = Region.objects.get(code=spec["region"])
        if bundle is None:
            bundle = services.bundle_create(actor=author, region=region, code=spec["code"], draft=content)
        adjustment = bundle.adjustments.filter(status=BundleAdjustmentStatus.SUBMITTED).first()
        if adjustment is None:
            services.bundle_update_draft(actor=author, bundle=bundle, draft=content)
            adjustment = services.bundle_adjustment_submit(
                actor=author, bundle=bundle, reason="演示数据：新增一件事"
            )
        services.bundle_adjustment_approve(actor=reviewer, adjustment=adjustment, comment="演示数据审核通过")
        made.append(f"{spec['content']['name']}（{len(content['items'])}项）")
    total = Bundle.objects.filter(current_version__isnull=False).count()
    summary = f"demo bundles: {total} published ({'、'.join(made) or 'none new'})"
    if skipped:
        summary += f"; not enough catalogued items for {'、'.join(skipped)}"
    return summary + "; 不动产登记一件事 not built (水电气过户 is not in the demo catalog)"
