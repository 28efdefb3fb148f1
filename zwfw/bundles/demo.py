"""Demo bundles built from the demo catalog (``zwfw.catalog.demo_items``).

- 新生儿出生一件事 (景洪市): the ``BUNDLE_NEWBORN`` items that are published in 景洪市, with
  the birth certificate before the household registration and the vaccination certificate,
  insurance after registration, and the social security card, insurance payment and
  reimbursement only when the parents ask for them. Results as they come.
- 企业开办一件事 (景洪市, ``BUNDLE_BUSINESS``): 企业设立登记 first; 公章刻制备案, 发票领用,
  职工参保登记 and 住房公积金单位缴存登记 (each when asked for) start when the business licence
  is issued and receive it as their material. Results together; promised in one working day.
- 不动产登记一件事 (景洪市, ``BUNDLE_PROPERTY``): 契税申报 first, then 不动产转移登记 with the
  tax certificate passed on. 水电气过户 are left out (utility companies, not agencies; see
  docs/bundles.md). Results together.

Items missing from the catalog are left out (with their dependencies). Published through the
same review as any bundle: written by the ``catalog`` account, approved by
``catalog_reviewer``.
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

# 企业开办一件事: the business licence (with its unified social credit code, which exists only
# once the registration is approved) is passed on to every later item, so neither the licence
# nor the code is asked for in the merged form.
COMPANY_NAME = _f("company_name", "company.name", "企业名称")
COMPANY_ADDRESS = _f("address", "company.address", "住所")
REPRESENTATIVE = _f("representative", "company.representative", "法定代表人姓名")
COMPANY_PHONE = _f("phone", "company.phone", "联系电话", "phone")
AGENT_NAME = _f("agent_name", "agent.name", "经办人姓名")
AGENT_ID = _f("agent_id_number", "agent.id_number", "经办人公民身份号码", "id_number")
EMPLOYEES = _f("employees", "company.employees", "职工人数", "number")
AFTER_LICENCE = "营业执照核发后自动开始；营业执照和统一社会信用代码由设立登记结果带入，无需填写或上传。"
LICENCE_PASSED = [{"item": "establishment", "result_as": "business-license"}]

BUSINESS: dict[str, Any] = {
    "code": "YJS-BUSINESS-532801",
    "region": data.JINGHONG,
    "content": {
        "name": "企业开办一件事",
        "summary": "企业设立登记、公章刻制备案、发票领用、职工参保登记和住房公积金单位缴存登记一次申请、一次办好。",
        "notice": (
            "营业执照核发后自动转交公安、税务、人力资源社会保障和住房公积金部门，统一社会信用代码随营业执照带入，"
            "无需再次填写或提交；经办人身份证只需上传一次。全部事项办结后，营业执照、印章、发票等结果一并送达。"
            "承诺时限1个工作日，是企业开办改革的承诺时限，不是法定时限。"
        ),
        "subject": "legal_person",
        "promised_limit": 1,
        "result_delivery": "together",
        "questions": [
            {
                "key": "need-seal",
                "text": "是否需要刻制公章",
                "help": "营业执照核发后，由您选择的公章刻制企业刻制，刻制信息报公安机关备案。",
            },
            {"key": "need-invoice", "text": "是否需要申领发票"},
            {"key": "employees", "text": "是否已招用职工、需要办理职工参保登记"},
            {
                "key": "housing-fund",
                "text": "是否为职工缴存住房公积金",
                "help": "新设立的单位应当自设立之日起30日内办理住房公积金缴存登记（《住房公积金管理条例》第十四条），可以现在一并办理。",
            },
        ],
    },
    "items": [
        {
            "key": "establishment",
            "base": "DEMO-XK-0009",
            "fields": [
                COMPANY_NAME,
                COMPANY_ADDRESS,
                REPRESENTATIVE,
                _f("business_scope", "company.scope", "经营范围", max_length=2000),
                _f("registered_capital", "company.capital", "注册资本（万元）", "number"),
                COMPANY_PHONE,
            ],
        },
        {
            "key": "seal",
            "base": "DEMO-BA-0003",
            "applies_when": [{"question": "need-seal", "answer": True}],
            "depends_on": LICENCE_PASSED,
            "fields": [
                COMPANY_NAME,
                REPRESENTATIVE,
                _f(
                    "seal_kinds",
                    "seal.kinds",
                    "刻制的印章",
                    "choice",
                    choices=[
                        "单位名称章",
                        "单位名称章、财务专用章、发票专用章",
                        "单位名称章、财务专用章、发票专用章、合同专用章",
                    ],
                ),
                _f("engraver", "seal.engraver", "选择的公章刻制企业"),
                AGENT_NAME,
                AGENT_ID,
                COMPANY_PHONE,
            ],
            "note": AFTER_LICENCE,
        },
        {
            "key": "invoice",
            "base": "DEMO-GG-0017",
            "applies_when": [{"question": "need-invoice", "answer": True}],
            "depends_on": LICENCE_PASSED,
            "fields": [
                COMPANY_NAME,
                _f(
                    "invoice_kind",
                    "invoice.kind",
                    "申领的发票种类",
                    "choice",
                    choices=["数电发票（普通发票）", "数电发票（增值税专用发票）", "纸质发票"],
                ),
                AGENT_NAME,
                AGENT_ID,
                COMPANY_PHONE,
            ],
            "note": AFTER_LICENCE,
        },
        {
            "key": "employee-insurance",
            "base": "DEMO-GG-0009",
            "applies_when": [{"question": "employees", "answer": True}],
            "depends_on": LICENCE_PASSED,
            "fields": [COMPANY_NAME, EMPLOYEES, COMPANY_PHONE],
            "note": AFTER_LICENCE,
        },
        {
            "key": "housing-fund",
            "base": "DEMO-GG-0019",
            "applies_when": [{"question": "housing-fund", "answer": True}],
            "depends_on": LICENCE_PASSED,
            "fields": [
                COMPANY_NAME,
                COMPANY_ADDRESS,
                EMPLOYEES,
                _f("deposit_rate", "fund.deposit_rate", "单位缴存比例（%）", "number"),
                AGENT_NAME,
                AGENT_ID,
                COMPANY_PHONE,
            ],
            "note": AFTER_LICENCE,
        },
    ],
}

# 不动产登记一件事 (存量房交易): 契税 is declared and paid before the 转移登记 (契税法 art. 10), and
# the tax certificate is passed on (the registration's "完税凭证" material). 水电气过户 are done by
# utility companies, which the catalog cannot hold as competent agencies: see docs/bundles.md.
BUYER_NAME = _f("buyer_name", "buyer.name", "受让方（买受人）姓名")
BUYER_ID = _f("buyer_id_number", "buyer.id_number", "受让方公民身份号码", "id_number")
SELLER_NAME = _f("seller_name", "seller.name", "转让方（出卖人）姓名")
SELLER_ID = _f("seller_id_number", "seller.id_number", "转让方公民身份号码", "id_number")
LOCATION = _f("location", "property.location", "不动产坐落")
CERTIFICATE = _f("certificate_number", "property.certificate_number", "不动产权证书号")
PRICE = _f("price", "contract.price", "成交价格（元）", "number")
BUYER_PHONE = _f("phone", "buyer.phone", "联系电话", "phone")

PROPERTY: dict[str, Any] = {
    "code": "YJS-PROPERTY-532801",
    "region": data.JINGHONG,
    "content": {
        "name": "不动产登记一件事",
        "summary": "存量房（二手房）买卖的契税申报缴纳和不动产转移登记一次申请、一窗受理。",
        "notice": (
            "契税完税后，完税凭证自动转交不动产登记机构，无需提交；买卖双方身份证、不动产权证书和买卖合同只需上传一次。"
            "水、电、气过户由供水、供电、燃气企业办理，不是政务服务事项，本平台不代为申请，登记完成后请持不动产权证书向各企业申请。"
        ),
        "subject": "person",
        "promised_limit": 5,
        "result_delivery": "together",
        "questions": [],
    },
    "items": [
        {
            "key": "deed-tax",
            "base": "DEMO-GG-0018",
            "fields": [
                BUYER_NAME,
                BUYER_ID,
                LOCATION,
                CERTIFICATE,
                _f("area", "property.area", "建筑面积（平方米）", "number"),
                PRICE,
                BUYER_PHONE,
            ],
            "material_map": {"buyer-id": "parties-id"},
        },
        {
            "key": "transfer",
            "base": "DEMO-QR-0008-02",
            "depends_on": [{"item": "deed-tax", "result_as": "tax"}],
            "fields": [
                SELLER_NAME,
                SELLER_ID,
                BUYER_NAME,
                BUYER_ID,
                LOCATION,
                CERTIFICATE,
                PRICE,
                BUYER_PHONE,
            ],
            "note": "契税完税后自动开始；完税凭证由契税申报结果带入。",
        },
    ],
}

DEMO_BUNDLES = (NEWBORN, BUSINESS, PROPERTY)


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


def _same(bundle: Bundle, content: dict[str, Any]) -> bool:
    """Whether the bundle's published version already holds ``content``."""
    version = bundle.current_version
    return version is not None and version.content == services.content_parse(content).model_dump(mode="json")


@transaction.atomic
def bundles_demo_load() -> str:
    """Create and publish the demo bundles and return a one-line summary.

    Idempotent: a bundle whose published version holds the demo definition is left alone; one
    whose definition changed (an older demo) gets a new version through the same review."""
    author = User.objects.filter(username="catalog").first()
    reviewer = User.objects.filter(username="catalog_reviewer").first()
    if author is None or reviewer is None:
        raise RuntimeError("The demo catalog accounts are missing: run the catalog demo loader first.")
    made = []
    skipped = []
    for spec in DEMO_BUNDLES:
        bundle = Bundle.objects.filter(code=spec["code"]).select_related("current_version").first()
        content = bundle_definition(spec)
        if bundle is not None and _same(bundle, content):
            continue
        if len(content["items"]) < 2:
            skipped.append(spec["content"]["name"])
            continue
        region = Region.objects.get(code=spec["region"])
        if bundle is None:
            bundle = services.bundle_create(actor=author, region=region, code=spec["code"], draft=content)
        adjustment = bundle.adjustments.filter(status=BundleAdjustmentStatus.SUBMITTED).first()
        if adjustment is None:
            services.bundle_update_draft(actor=author, bundle=bundle, draft=content)
            reason = "演示数据：更新一件事" if bundle.current_version_id else "演示数据：新增一件事"
            adjustment = services.bundle_adjustment_submit(actor=author, bundle=bundle, reason=reason)
        services.bundle_adjustment_approve(actor=reviewer, adjustment=adjustment, comment="演示数据审核通过")
        made.append(f"{spec['content']['name']}（{len(content['items'])}项）")
    total = Bundle.objects.filter(current_version__isnull=False).count()
    summary = f"demo bundles: {total} published ({'、'.join(made) or 'none new'})"
    if skipped:
        summary += f"; not enough catalogued items for {'、'.join(skipped)}"
    return summary
