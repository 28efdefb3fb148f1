"""The demo catalog of 西双版纳傣族自治州: real, commonly used service items (pure data, no logic).

What is real and what is not
----------------------------
- Item names, item types, legal bases, competent departments, fees and statutory limits are real.
  An article number is cited only where a source was checked (the law's own text as quoted by
  several public pages); otherwise only the law or regulation is named. Where no law fixes an
  agency's processing time but the publication checks require a statutory limit, the value is
  marked in ``statutory_limit_note`` as a demo value ("演示值").
- Item types follow common provincial practice; classifications vary between provinces (居民身份证
  items, for example, are 行政确认 in some catalogs and 公共服务 in others).
- Codes are demo codes (``DEMO-<type>-<number>``); they follow no official numbering and must not
  be mistaken for GB/T 39554.1 codes. Implementation codes are ``<base code>-<region code>``.
- Promised limits, use counts, FAQ answers and the split into prefecture and county versions are
  realistic demo values, not published figures of any real agency.
- Phone numbers are placeholders that cannot reach anyone: after the 0691 area code a local
  number never starts with 0. Complaints go to 0691-12345, the real 12345 government service
  hotline of the prefecture. Online addresses use the reserved ``example.gov.cn`` placeholder
  domain (see ``DEMO_PORTAL``); the real provincial portal is 云南政务服务网.

Sources checked (public pages quoting the texts): 居民身份证法 arts. 3, 7, 8, 12; 临时居民身份证管理
办法 art. 12 (three days); 国家发展改革委、财政部关于居民身份证收费标准及有关问题的通知 (20/40/10
元); 护照法 art. 6 (fifteen days); 发改价格〔2019〕914号 (护照 120 元); 疫苗管理法 art. 47; 母婴保健法
art. 23; 社会救助暂行办法 arts. 9, 11, 14, 16; 护士条例 arts. 7, 8 (twenty working days); 公共场所卫生
管理条例 arts. 4, 8; 城乡规划法 arts. 40, 41; 市场主体登记管理条例 art. 19 (three working days);
药品管理法 art. 51; 社会保险法 arts. 25, 28, 29, 45, 58; 发改价格规〔2016〕2559号 (不动产登记费
80/550 元, 证书工本费 10 元); 土地管理法 art. 14 (2019 text); 发票管理办法 art. 15 (five working days
to confirm the invoices; quoted in its 2010 wording, 领购 later renamed 领用); 住房公积金管理条例
arts. 14, 15 (2019 text: thirty days to register, twenty to open the staff accounts); 契税法 arts. 1,
3, 11 (2020 text; art. 10, declaring before registration, from the law's text as commonly cited).
国发〔1999〕25号 and 国发〔2017〕7号 (公章刻制审批 cancelled, 备案 instead) are named, not quoted.

Shapes
------
``ITEMS``: the catalog, parents (主项) before their handling items (业务办理项). Each item's
``content`` is its province standard (the prefecture's version where the prefecture implements
it); ``implementations`` lists the regions that implement it, prefecture first, each with the
changes it makes, all in the applicant's favour (五级十二同). Local elements (place, hours,
phones, online addresses, result sample) are added per region by the loader from
``DEPARTMENTS``, ``REGION_DIGITS`` and the region's venue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Content = dict[str, Any]

# A placeholder portal on the reserved example domain: demo deep links, not a real address.
DEMO_PORTAL = "https://zwfw.example.gov.cn"
DEMO_SAMPLE = "demo-sample"
HOURS = "周一至周五 9:00-12:00，14:30-18:00（法定节假日除外）"
COMPLAINT_PHONE = "0691-12345"
COMPLAINT_OTHER = "12345政务服务便民热线；政务服务中心“办不成事”反映窗口"

PREFECTURE = "532800"
JINGHONG = "532801"
MENGHAI = "532822"
MENGLA = "532823"


@dataclass(frozen=True)
class Department:
    """A kind of competent agency: how its name ends, its window and its phone digit."""

    suffixes: tuple[str, ...]
    window: str
    digit: str


DEPARTMENTS = {
    "market": Department(("市场监督管理局",), "市场监管综合窗口", "1"),
    "police": Department(("公安局",), "公安综合窗口", "2"),
    "health": Department(("卫生健康局", "卫生健康委员会"), "卫生健康窗口", "3"),
    "hrss": Department(("人力资源和社会保障局",), "人力资源和社会保障窗口", "4"),
    "medical": Department(("医疗保障局",), "医疗保障窗口", "5"),
    "land": Department(("自然资源局",), "不动产登记和规划窗口", "6"),
    "civil": Department(("民政局",), "民政窗口", "7"),
    "disabled": Department(("残疾人联合会",), "残疾人服务窗口", "8"),
    # 税务 is a vertical system: the county bureau is 国家税务总局<county>税务局.
    "tax": Department(("税务局",), "税务综合窗口", "9"),
    # 住房公积金 is managed by the prefecture's centre (a public institution); a county is served by
    # the centre's 管理部 there, whose name ends in 管理部.
    "fund": Department(("住房公积金管理中心", "管理部"), "住房公积金窗口", "0"),
}

REGION_DIGITS = {PREFECTURE: "1", JINGHONG: "2", MENGHAI: "3", MENGLA: "4"}

# Agencies the demo needs beyond ``zwfw.core.demo_regions.AGENCIES``, as (name, AgencyKind value).
# Every name is formed by the usual national pattern and was not checked against a source:
# - every county has a 残疾人联合会, which issues the 残疾人证;
# - tax bureaus are vertical (国家税务总局 + the full name of the region + 税务局); the county
#   bureau is the 主管税务机关 for 发票领用 and 契税;
# - the 住房公积金管理中心 of an autonomous prefecture carries its full name (the short form
#   西双版纳州… is also in use) and is a public institution (事业单位) directly under the
#   prefecture government; it serves 景洪市 through its 景洪管理部.
EXTRA_AGENCIES: dict[str, list[tuple[str, str]]] = {
    PREFECTURE: [("西双版纳傣族自治州住房公积金管理中心", "public_institution")],
    JINGHONG: [
        ("景洪市残疾人联合会", "department"),
        ("国家税务总局景洪市税务局", "department"),
        ("西双版纳傣族自治州住房公积金管理中心景洪管理部", "public_institution"),
    ],
}

# 新生儿出生一件事 (DOMAIN.md "Bundles"): the member items of the demo (科学育儿登记, a
# Guangdong item, has no Yunnan counterpart here).
BUNDLE_NEWBORN = (
    "DEMO-GG-0002",  # 生育登记
    "DEMO-GG-0001",  # 出生医学证明办理
    "DEMO-GG-0003",  # 预防接种证办理
    "DEMO-QR-0004",  # 户口登记（出生登记）
    "DEMO-GG-0004",  # 城乡居民基本医疗保险参保登记
    "DEMO-GG-0008",  # 社会保障卡申领
    "DEMO-GG-0005",  # 城乡居民基本医疗保险缴费
    "DEMO-GG-0006",  # 生育医疗费用报销
)

# 企业开办一件事: the five member items of the national 企业开办 reform.
BUNDLE_BUSINESS = (
    "DEMO-XK-0009",  # 企业设立登记
    "DEMO-BA-0003",  # 公章刻制备案
    "DEMO-GG-0017",  # 发票领用
    "DEMO-GG-0009",  # 职工参保登记
    "DEMO-GG-0019",  # 住房公积金单位缴存登记
)

# 不动产登记一件事 (交易登记): 契税 before the 转移登记 (水电气过户 are utility companies' services,
# not government items: see docs/bundles.md).
BUNDLE_PROPERTY = (
    "DEMO-GG-0018",  # 契税申报
    "DEMO-QR-0008-02",  # 不动产登记（转移登记）
)


@dataclass(frozen=True)
class DemoImplementation:
    """One region's implementation of a demo item; every change favours the applicant."""

    region: str
    use_count: int
    changes: Content = field(default_factory=dict)
    drop_materials: tuple[str, ...] = ()
    relax_materials: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DemoItem:
    """One 基本目录 entry with its standard elements and the regions implementing it."""

    base_code: str
    name: str
    item_type: str
    legal_basis: str
    competent_department: str
    exercised_levels: tuple[str, ...]
    department: str
    content: Content
    implementations: tuple[DemoImplementation, ...] = ()
    layer: str = "main"
    parent: str = ""
    situation: str = ""


# --- building blocks ---------------------------------------------------------------------------


def material(key: str, name: str, **extra: Any) -> Content:
    """A material the applicant provides (defaults of the schema apply to the rest)."""
    return {"key": key, "name": name, **extra}


def e_license(key: str, name: str, license_type: str, issuer: str, **extra: Any) -> Content:
    """A material fetched from the e-license store (免证办): never asked for again on paper."""
    return {
        "key": key,
        "name": name,
        "source": "e_license",
        "license_type": license_type,
        "issuing_agency": issuer,
        "form": "electronic",
        "acceptance_standard": "电子证照在有效期内，信息与申请人一致。",
        **extra,
    }


def faq(question: str, answer: str) -> Content:
    """One 常见问题."""
    return {"question": question, "answer": answer}


ID_CARD = e_license("id-card", "居民身份证", "居民身份证", "公安机关")
HOUSEHOLD = e_license("household", "居民户口簿", "居民户口簿", "公安机关")
BUSINESS_LICENSE = e_license("business-license", "营业执照", "营业执照", "市场监督管理部门")
BIRTH_CERTIFICATE = e_license("birth-certificate", "出生医学证明", "出生医学证明", "助产机构")
SOCIAL_CARD = e_license(
    "social-card", "社会保障卡（用于待遇发放）", "社会保障卡", "人力资源和社会保障部门", necessity="optional"
)
MARRIAGE_CERTIFICATE = e_license("marriage-certificate", "结婚证", "结婚证", "民政部门（婚姻登记机关）")
PROPERTY_CERTIFICATE = e_license("property-certificate", "不动产权证书", "不动产权证书", "不动产登记机构")

LICENSING_STEPS = [
    {
        "name": "受理",
        "description": "窗口或网上收件；材料齐全、符合法定形式的当场受理，不齐全的一次性告知需补正的全部内容。",
    },
    {"name": "审查", "description": "审查申请材料；需要核实实质内容的，依法进行现场核查。"},
    {
        "name": "决定",
        "description": "作出准予或者不予行政许可的书面决定；不予许可的说明理由，并告知申请行政复议、提起行政诉讼的权利。",
    },
    {"name": "送达", "description": "窗口领取、邮寄送达，或在网上下载电子证照。"},
]
CONFIRMATION_STEPS = [
    {"name": "受理", "description": "核验申请人身份和申请材料，材料齐全的当场受理。"},
    {"name": "审核", "description": "审核申请材料，需要时调查核实。"},
    {"name": "办结", "description": "作出确认决定，制发或送达结果。"},
]
SERVICE_STEPS = [
    {"name": "申请", "description": "在窗口、网上或掌上提交申请。"},
    {"name": "受理", "description": "核对申请信息，材料齐全的当场受理。"},
    {"name": "办结", "description": "办理完成，结果当场或在网上送达。"},
]
BENEFIT_STEPS = [
    {"name": "申请", "description": "向户籍所在地乡镇人民政府（街道办事处）提出书面申请。"},
    {"name": "受理", "description": "乡镇人民政府（街道办事处）受理，材料不全的一次性告知。"},
    {"name": "审核", "description": "入户调查、家庭经济状况核对，提出审核意见并公示。"},
    {"name": "决定", "description": "县级民政部门作出决定；不予确认的书面说明理由。"},
    {"name": "办结", "description": "按月发放或送达决定。"},
]

ONLINE_FULL: Content = {
    "online_depth": 4,
    "visits_required": 0,
    "handling_forms": ["online", "window"],
}
ID_FEE_BASIS = "《国家发展改革委、财政部关于居民身份证收费标准及有关问题的通知》"
ID_FEE_REDUCTION = (
    "城乡最低生活保障对象、领取国家定期抚恤补助金的优抚对象初次申领和换领居民身份证，凭乡镇人民政府"
    "（街道办事处）出具的证明免收工本费；生活确有困难的减半收取。"
)
ADMIN_LICENSING_LIMIT_NOTE = "《中华人民共和国行政许可法》第四十二条：自受理申请之日起二十日内作出决定。"


def _j(region: str, use: int, **changes: Any) -> DemoImplementation:
    """Shorthand for an implementation without material changes."""
    return DemoImplementation(region=region, use_count=use, changes=changes)


# --- the catalog -------------------------------------------------------------------------------

ITEMS: tuple[DemoItem, ...] = (
    # ------------------------------------------------------------------ 公安 (police)
    DemoItem(
        base_code="DEMO-QR-0001",
        name="居民身份证换领",
        item_type="confirmation",
        legal_basis="《中华人民共和国居民身份证法》第八条、第十二条",
        competent_department="公安机关",
        exercised_levels=("county",),
        department="police",
        content={
            "service_objects": ["person"],
            "acceptance_conditions": "居民身份证有效期满、登记项目变更或证件严重损坏不能辨认的中国公民。",
            "statutory_limit": 60,
            "statutory_limit_unit": "natural_days",
            "statutory_limit_note": "《中华人民共和国居民身份证法》第十二条：交通不便的地区可适当延长，但延长时间不得超过三十日。",
            "promised_limit": 20,
            "promised_limit_unit": "natural_days",
            "promised_limit_note": "选择邮寄送达的，另加邮寄时间。",
            "steps": [
                {"name": "受理", "description": "交验原证和户口簿，现场采集人像和指纹信息，缴纳工本费。"},
                {"name": "审核", "description": "户籍地县级公安机关审核签发。"},
                {"name": "制证", "description": "制作居民身份证。"},
                {"name": "发证", "description": "窗口领取或邮寄送达，领取新证时交回原证。"},
            ],
            "handling_forms": ["window"],
            "visits_required": 1,
            "visit_reason": "现场采集人像和指纹信息（《中华人民共和国居民身份证法》第三条）。",
            "charged": True,
            "fee_basis": ID_FEE_BASIS,
            "fees": [
                {
                    "name": "居民身份证工本费（有效期满换领）",
                    "standard": "每证20元",
                    "amount_yuan": 20,
                    "basis": ID_FEE_BASIS,
                    "reduction": ID_FEE_REDUCTION,
                },
                {
                    "name": "居民身份证工本费（损坏换领）",
                    "standard": "每证40元",
                    "amount_yuan": 40,
                    "basis": ID_FEE_BASIS,
                },
            ],
            "online_depth": 2,
            "booking": True,
            "express_delivery": True,
            "self_service_terminal": True,
            "cross_region_scope": "national",
            "cross_region_modes": ["proxy_intake"],
            "result_name": "中华人民共和国居民身份证",
            "result_type": "certificate",
            "person_themes": ["证件办理", "户籍"],
            "faq": [
                faq(
                    "在外地工作，能不能在居住地换领？",
                    "可以。持原居民身份证到居住地公安机关的居民身份证异地受理点申请，由户籍地公安机关审核签发。",
                ),
                faq("换领期间急需用证怎么办？", "可以向户籍所在地公安机关申请临时居民身份证。"),
            ],
            "materials": [
                material(
                    "old-id-card",
                    "原居民身份证",
                    source="agency_issued",
                    issuing_agency="公安机关",
                    form="paper",
                    acceptance_standard="领取新证时交回原证。",
                ),
                HOUSEHOLD,
            ],
        },
        implementations=(
            DemoImplementation(JINGHONG, 186000),
            DemoImplementation(MENGHAI, 92000, changes={"promised_limit": 15}),
            DemoImplementation(MENGLA, 71000),
        ),
    ),
    DemoItem(
        base_code="DEMO-QR-0002",
        name="居民身份证首次申领",
        item_type="confirmation",
        legal_basis="《中华人民共和国居民身份证法》第七条、第八条、第十二条",
        competent_department="公安机关",
        exercised_levels=("county",),
        department="police",
        content={
            "service_objects": ["person"],
            "acceptance_conditions": "年满十六周岁的中国公民应当自年满十六周岁之日起三个月内申领；未满十六周岁的可自愿申领，由监护人代为申请。",
            "statutory_limit": 60,
            "statutory_limit_unit": "natural_days",
            "statutory_limit_note": "《中华人民共和国居民身份证法》第十二条。",
            "promised_limit": 20,
            "promised_limit_unit": "natural_days",
            "steps": [
                {"name": "受理", "description": "交验户口簿，现场采集人像和指纹信息，缴纳工本费。"},
                {"name": "审核", "description": "县级公安机关审核签发。"},
                {"name": "制证", "description": "制作居民身份证。"},
                {"name": "发证", "description": "窗口领取或邮寄送达。"},
            ],
            "handling_forms": ["window"],
            "visits_required": 1,
            "visit_reason": "现场采集人像和指纹信息（《中华人民共和国居民身份证法》第三条）。",
            "charged": True,
            "fee_basis": ID_FEE_BASIS,
            "fees": [
                {
                    "name": "居民身份证工本费",
                    "standard": "每证20元",
                    "amount_yuan": 20,
                    "basis": ID_FEE_BASIS,
                    "reduction": ID_FEE_REDUCTION,
                }
            ],
            "online_depth": 2,
            "booking": True,
            "express_delivery": True,
            "result_name": "中华人民共和国居民身份证",
            "person_themes": ["证件办理", "户籍"],
            "faq": [
                faq(
                    "孩子未满十六周岁可以办身份证吗？",
                    "可以自愿申领，由监护人陪同并代为申请，发给有效期五年的居民身份证。",
                )
            ],
            "materials": [
                HOUSEHOLD,
                e_license(
                    "guardian-id",
                    "监护人居民身份证（未满十六周岁的申请人）",
                    "居民身份证",
                    "公安机关",
                    necessity="optional",
                ),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 38000),),
    ),
    DemoItem(
        base_code="DEMO-QR-0003",
        name="临时居民身份证申领",
        item_type="confirmation",
        legal_basis="《中华人民共和国居民身份证法》第十二条；《中华人民共和国临时居民身份证管理办法》第十二条",
        competent_department="公安机关",
        exercised_levels=("county",),
        department="police",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "在申请领取、换领、补领居民身份证期间急需使用居民身份证的中国公民。",
            "statutory_limit": 3,
            "statutory_limit_unit": "natural_days",
            "statutory_limit_note": "《中华人民共和国临时居民身份证管理办法》第十二条：收到申请后三日内发给。",
            "promised_limit": 0,
            "promised_limit_unit": "natural_days",
            "promised_limit_note": "材料齐全的当场制发。",
            "steps": CONFIRMATION_STEPS,
            "handling_forms": ["window"],
            "visits_required": 1,
            "visit_reason": "在户籍所在地公安机关现场核验身份并领取证件。",
            "charged": True,
            "fee_basis": ID_FEE_BASIS,
            "fees": [
                {
                    "name": "临时居民身份证工本费",
                    "standard": "每证10元",
                    "amount_yuan": 10,
                    "basis": ID_FEE_BASIS,
                }
            ],
            "online_depth": 1,
            "result_name": "中华人民共和国临时居民身份证",
            "person_themes": ["证件办理"],
            "place": "户籍所在地公安派出所户籍窗口；{venue}（公安综合窗口）",
            "faq": [faq("临时居民身份证有效期多长？", "三个月，自签发之日起计算。")],
            "materials": [HOUSEHOLD, material("photo", "本人近期一寸免冠相片", copies=1, form="paper")],
        },
        implementations=(DemoImplementation(JINGHONG, 9000),),
    ),
    DemoItem(
        base_code="DEMO-QR-0004",
        name="户口登记（出生登记）",
        item_type="confirmation",
        legal_basis="《中华人民共和国户口登记条例》第七条",
        competent_department="公安机关",
        exercised_levels=("county",),
        department="police",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报出生登记。",
            "statutory_limit": 10,
            "statutory_limit_note": "演示值：法律、行政法规未规定户口登记机关的办理时限。",
            "promised_limit": 0,
            "promised_limit_note": "材料齐全的当场办结。",
            "steps": CONFIRMATION_STEPS,
            "handling_forms": ["window", "online"],
            "visits_required": 1,
            "visit_reason": "在户口登记机关现场核对出生医学证明原件并在户口簿上登记。",
            "online_depth": 3,
            "booking": True,
            "result_name": "居民户口簿（新增出生人员户口页）",
            "co_handling_agencies": ["卫生健康部门", "医疗保障部门", "人力资源和社会保障部门"],
            "person_themes": ["出生", "户籍"],
            "faq": [
                faq(
                    "父母未办理结婚登记，孩子能落户吗？",
                    "可以。凭出生医学证明和父母一方的户口簿、居民身份证申请，随父或随母落户。",
                )
            ],
            "materials": [
                BIRTH_CERTIFICATE,
                HOUSEHOLD,
                e_license("parents-id", "父母双方居民身份证", "居民身份证", "公安机关"),
                {**MARRIAGE_CERTIFICATE, "necessity": "optional"},
            ],
        },
        implementations=(
            DemoImplementation(JINGHONG, 24000),
            DemoImplementation(MENGHAI, 11000),
        ),
    ),
    DemoItem(
        base_code="DEMO-XK-0001",
        name="机动车驾驶证换证",
        item_type="licensing",
        legal_basis="《中华人民共和国道路交通安全法》第十九条；《机动车驾驶证申领和使用规定》",
        competent_department="公安机关交通管理部门",
        exercised_levels=("prefecture", "county"),
        department="police",
        content={
            "service_objects": ["person"],
            "acceptance_conditions": "机动车驾驶证有效期满、记载信息变更或损毁无法辨认，且身体条件符合驾驶许可条件。",
            "statutory_limit": 20,
            "statutory_limit_note": ADMIN_LICENSING_LIMIT_NOTE,
            "promised_limit": 1,
            "steps": LICENSING_STEPS,
            **ONLINE_FULL,
            "handling_forms": ["online", "window", "post"],
            "charged": True,
            "fee_basis": "《中华人民共和国道路交通安全法》第八十一条（执行国务院价格主管部门核定的收费标准）",
            "fees": [
                {
                    "name": "机动车驾驶证工本费",
                    "standard": "每证10元",
                    "amount_yuan": 10,
                    "basis": "国务院价格主管部门核定的收费标准",
                }
            ],
            "online_payment": True,
            "express_delivery": True,
            "cross_region_scope": "national",
            "cross_region_modes": ["full_online"],
            "result_name": "中华人民共和国机动车驾驶证",
            "person_themes": ["交通出行", "证件办理"],
            "faq": [
                faq("可以在网上换证吗？", "可以。通过“交管12123”提交申请并上传身体条件证明，新证邮寄到家。"),
                faq(
                    "驾驶证过期了还能换吗？",
                    "超过有效期不满一年的，可以换证；超过一年的须按规定恢复驾驶资格。",
                ),
            ],
            "materials": [
                ID_CARD,
                e_license("driving-licence", "原机动车驾驶证", "机动车驾驶证", "公安机关交通管理部门"),
                material(
                    "health-certificate",
                    "机动车驾驶人身体条件证明",
                    form="electronic",
                    filling_notes="由医疗机构出具，已联网的医疗机构电子证明无需再交。",
                ),
                material("photo", "近期免冠照片（电子）", form="electronic", necessity="optional"),
            ],
        },
        implementations=(
            DemoImplementation(PREFECTURE, 21000),
            DemoImplementation(JINGHONG, 33000),
        ),
    ),
    DemoItem(
        base_code="DEMO-XK-0002",
        name="普通护照签发",
        item_type="licensing",
        legal_basis="《中华人民共和国护照法》第六条",
        competent_department="公安机关出入境管理机构",
        exercised_levels=("prefecture", "county"),
        department="police",
        content={
            "service_objects": ["person"],
            "acceptance_conditions": "因前往外国定居、探亲、学习、就业、旅行、从事商务活动等非公务原因出国的中国公民。",
            "statutory_limit": 15,
            "statutory_limit_unit": "natural_days",
            "statutory_limit_note": "《中华人民共和国护照法》第六条：偏远地区、交通不便地区或特殊情况经批准可延长至三十日。",
            "promised_limit": 10,
            "promised_limit_unit": "natural_days",
            "steps": LICENSING_STEPS,
            "handling_forms": ["window"],
            "visits_required": 1,
            "visit_reason": "现场采集出入境证件电子照和指纹信息。",
            "charged": True,
            "fee_basis": "《国家发展改革委、财政部关于降低部分行政事业性收费标准的通知》（发改价格〔2019〕914号）",
            "fees": [{"name": "普通护照", "standard": "每本120元", "amount_yuan": 120}],
            "online_depth": 2,
            "booking": True,
            "express_delivery": True,
            "cross_region_scope": "national",
            "cross_region_modes": ["proxy_intake"],
            "result_name": "中华人民共和国普通护照",
            "person_themes": ["出境入境", "证件办理"],
            "faq": [faq("必须回户籍地办理吗？", "不必。普通护照实行全国通办，可在任一出入境管理窗口申请。")],
            "materials": [
                ID_CARD,
                material(
                    "application-form",
                    "中国公民出入境证件申请表",
                    form="paper",
                    filling_notes="窗口现场填写或打印。",
                ),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 12000),),
    ),
    DemoItem(
        # Since 国发〔2017〕7号 (公章刻制审批 cancelled) an engraving company cuts the seals and
        # the seals are filed with the public security organ; the 企业开办 reform took the filing
        # into the one-window bundle. No statute fixes a processing time (demo value below).
        base_code="DEMO-BA-0003",
        name="公章刻制备案",
        item_type="filing",
        legal_basis=(
            "《印铸刻字业暂行管理规则》；《国务院关于国家行政机关和企业事业单位社会团体印章管理的规定》"
            "（国发〔1999〕25号）；《国务院关于第三批取消中央指定地方实施行政许可事项的决定》（国发〔2017〕7号）"
        ),
        competent_department="公安机关",
        exercised_levels=("county",),
        department="police",
        content={
            "service_objects": ["legal_person"],
            "handling_kind": "instant",
            "acceptance_conditions": (
                "依法设立的企业等用章单位刻制公章（单位名称章）、财务专用章、发票专用章、合同专用章等，"
                "由用章单位选择公章刻制企业刻制，刻制信息报公安机关备案。"
            ),
            "statutory_limit": 1,
            "statutory_limit_note": "演示值：公章刻制备案无法定办理时限，以公安机关公章治安管理规定为准。",
            "promised_limit": 0,
            "promised_limit_note": "企业开办“一件事”中，营业执照核发后当日刻制、备案。",
            "steps": [
                {"name": "申请", "description": "选择公章刻制企业，在线提交刻制申请。"},
                {"name": "刻制", "description": "刻制企业核对营业执照和法定代表人身份后刻制印章。"},
                {"name": "备案", "description": "刻制信息和印模报公安机关备案。"},
                {"name": "领取", "description": "窗口领取或免费寄递印章。"},
            ],
            "handling_forms": ["online", "window", "post"],
            "visits_required": 0,
            "online_depth": 3,
            "express_delivery": True,
            "result_name": "公章刻制备案信息（印章及印模）",
            "result_type": "other",
            "legal_person_themes": ["开办企业"],
            "faq": [
                faq(
                    "刻章要收费吗？",
                    "公安机关备案不收费；印章制作费用由所选的刻制企业收取，"
                    "部分地方为新开办企业免费刻制首套印章，以当地公布的政策为准。",
                ),
                faq("可以自己选刻章企业吗？", "可以。用章单位自主选择公章刻制企业，任何单位不得指定。"),
            ],
            "materials": [
                BUSINESS_LICENSE,
                e_license("representative-id", "法定代表人居民身份证", "居民身份证", "公安机关"),
                e_license(
                    "agent-id",
                    "经办人居民身份证",
                    "居民身份证",
                    "公安机关",
                    necessity="optional",
                    filling_notes="法定代表人本人办理的无需提供。",
                ),
                material(
                    "seal-list",
                    "刻制印章清单",
                    form="electronic",
                    filling_notes="列明刻制的印章种类（单位名称章、财务专用章、发票专用章、合同专用章等）。",
                ),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 2600),),
    ),
    # ------------------------------------------------------------------ 卫生健康 (health)
    DemoItem(
        base_code="DEMO-GG-0001",
        name="出生医学证明办理",
        item_type="public_service",
        legal_basis="《中华人民共和国母婴保健法》第二十三条",
        competent_department="卫生健康主管部门",
        exercised_levels=("county",),
        department="health",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "在本行政区域内出生的新生儿（首次签发在助产机构办理；换发、补发在卫生健康窗口办理）。",
            "promised_limit": 0,
            "steps": SERVICE_STEPS,
            "handling_forms": ["window"],
            "visits_required": 1,
            "visit_reason": "助产机构现场核对新生儿和父母的身份信息。",
            "online_depth": 2,
            "result_name": "出生医学证明",
            "co_handling_agencies": ["公安机关（出生登记）"],
            "person_themes": ["出生"],
            "place": "{region}各助产机构出生医学证明签发点；{venue}（卫生健康窗口，换发和补发）",
            "faq": [faq("出生医学证明丢了怎么办？", "到卫生健康窗口申请补发，补发的证明注明“补发”字样。")],
            "materials": [
                e_license("mother-id", "母亲居民身份证", "居民身份证", "公安机关"),
                e_license("father-id", "父亲居民身份证", "居民身份证", "公安机关", necessity="optional"),
                material(
                    "birth-record", "新生儿出生信息登记表", source="agency_issued", issuing_agency="助产机构"
                ),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 6800),),
    ),
    DemoItem(
        base_code="DEMO-GG-0002",
        name="生育登记",
        item_type="public_service",
        legal_basis="《中华人民共和国人口与计划生育法》；《云南省人口与计划生育条例》",
        competent_department="卫生健康主管部门",
        exercised_levels=("county", "township"),
        department="health",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "夫妻双方或一方户籍在本地，或在本地居住的育龄夫妻。",
            "promised_limit": 0,
            "steps": SERVICE_STEPS,
            **ONLINE_FULL,
            "result_name": "生育登记服务单",
            "result_type": "other",
            "person_themes": ["出生", "婚姻"],
            "faq": [
                faq("生育登记需要到现场吗？", "不需要。通过云南政务服务网或“一部手机办事通”在线登记即可。")
            ],
            "materials": [
                e_license("couple-id", "夫妻双方居民身份证", "居民身份证", "公安机关"),
                {**MARRIAGE_CERTIFICATE, "necessity": "optional"},
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 8900),),
    ),
    DemoItem(
        base_code="DEMO-GG-0003",
        name="预防接种证办理",
        item_type="public_service",
        legal_basis="《中华人民共和国疫苗管理法》第四十七条",
        competent_department="卫生健康主管部门",
        exercised_levels=("county",),
        department="health",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "儿童出生后一个月内，由监护人到儿童居住地承担预防接种工作的接种单位或出生医院办理。",
            "promised_limit": 0,
            "steps": SERVICE_STEPS,
            "handling_forms": ["window"],
            "visits_required": 1,
            "visit_reason": "接种单位现场建立预防接种档案并发放接种证。",
            "online_depth": 2,
            "booking": True,
            "result_name": "预防接种证",
            "person_themes": ["出生", "医疗"],
            "place": "{region}各承担预防接种工作的接种单位或出生医院",
            "faq": [
                faq(
                    "孩子随父母到外地居住怎么接种？",
                    "预防接种实行居住地管理，持预防接种证到现居住地接种单位接种。",
                )
            ],
            "materials": [
                BIRTH_CERTIFICATE,
                e_license("guardian-id", "监护人居民身份证", "居民身份证", "公安机关"),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 7200),),
    ),
    DemoItem(
        base_code="DEMO-XK-0003",
        name="公共场所卫生许可",
        item_type="licensing",
        legal_basis="《公共场所卫生管理条例》第四条、第八条；《公共场所卫生管理条例实施细则》",
        competent_department="卫生健康主管部门",
        exercised_levels=("prefecture", "county"),
        department="health",
        content={
            "service_objects": ["legal_person", "person"],
            "acceptance_conditions": "经营宾馆、旅店、理发店、美容店、游泳场（馆）等公共场所，卫生条件符合国家卫生标准和要求。",
            "statutory_limit": 20,
            "statutory_limit_note": ADMIN_LICENSING_LIMIT_NOTE,
            "promised_limit": 5,
            "steps": LICENSING_STEPS,
            "special_procedures": [
                {
                    "name": "现场审查",
                    "limit": 5,
                    "basis": "《公共场所卫生管理条例实施细则》",
                    "counts_toward_limit": False,
                }
            ],
            "handling_forms": ["window", "online"],
            "visits_required": 1,
            "visit_reason": "实行告知承诺的，现场签署告知承诺书并核验原件。",
            "online_depth": 3,
            "express_delivery": True,
            "result_name": "公共场所卫生许可证",
            "legal_person_themes": ["经营许可"],
            "person_themes": ["经营许可"],
            "faq": [
                faq(
                    "卫生检测报告一定要先做吗？",
                    "实行告知承诺的，可以先承诺后补交，在承诺期限内补交符合要求的检测报告。",
                )
            ],
            "materials": [
                material("application", "公共场所卫生许可申请表"),
                BUSINESS_LICENSE,
                e_license("representative-id", "法定代表人或负责人居民身份证", "居民身份证", "公安机关"),
                material(
                    "floor-plan",
                    "公共场所地址方位示意图、平面图和卫生设施平面布局图",
                    necessity="deficiency_allowed",
                ),
                material(
                    "hygiene-report",
                    "公共场所卫生检测或者评价报告",
                    commitment_allowed=True,
                    filling_notes="可告知承诺后补交。",
                ),
                material("rules", "公共场所卫生管理制度", necessity="optional"),
            ],
        },
        implementations=(
            DemoImplementation(PREFECTURE, 300),
            DemoImplementation(JINGHONG, 2600, changes={"promised_limit": 3}),
            DemoImplementation(
                MENGHAI,
                900,
                changes={"promised_limit": 3, "visits_required": 0, "handling_forms": ["online", "post"]},
                relax_materials=(("floor-plan", "optional"),),
            ),
        ),
    ),
    DemoItem(
        base_code="DEMO-XK-0004",
        name="医师执业注册",
        item_type="licensing",
        legal_basis="《中华人民共和国医师法》；《医师执业注册管理办法》",
        competent_department="卫生健康主管部门",
        exercised_levels=("province", "prefecture", "county"),
        department="health",
        content={
            "service_objects": ["person"],
            "acceptance_conditions": "取得医师资格，拟在本行政区域内医疗卫生机构执业。",
            "statutory_limit": 20,
            "statutory_limit_note": "《中华人民共和国医师法》规定的注册审查时限（自受理申请之日起二十个工作日）。",
            "promised_limit": 5,
            "steps": LICENSING_STEPS,
            **ONLINE_FULL,
            "result_name": "医师执业证书（电子证照）",
            "person_themes": ["职业资格", "就业"],
            "faq": [faq("注册需要到窗口吗？", "不需要。通过医师电子化注册系统在线申请，电子证照在线送达。")],
            "materials": [
                material("application", "医师执业注册申请审核表", form="electronic"),
                material(
                    "qualification",
                    "医师资格证书",
                    source="agency_issued",
                    issuing_agency="卫生健康主管部门",
                    form="electronic",
                ),
                material("health", "近6个月内的健康体检证明", form="electronic"),
                material("employment", "医疗卫生机构拟聘用证明", form="electronic"),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 900),),
    ),
    DemoItem(
        base_code="DEMO-XK-0005",
        name="护士执业注册",
        item_type="licensing",
        legal_basis="《护士条例》第七条、第八条",
        competent_department="卫生健康主管部门",
        exercised_levels=("province", "prefecture", "county"),
        department="health",
        content={
            "service_objects": ["person"],
            "acceptance_conditions": "具有完全民事行为能力，取得相应学历证书，通过护士执业资格考试，符合健康标准。",
            "statutory_limit": 20,
            "statutory_limit_note": "《护士条例》第八条：自收到申请之日起20个工作日内作出决定。",
            "promised_limit": 5,
            "steps": LICENSING_STEPS,
            **ONLINE_FULL,
            "result_name": "护士执业证书（电子证照）",
            "person_themes": ["职业资格", "就业"],
            "faq": [
                faq(
                    "通过考试多久内要注册？",
                    "应当自通过护士执业资格考试之日起3年内提出；逾期的须接受3个月临床护理培训并考核合格。",
                )
            ],
            "materials": [
                material("application", "护士执业注册申请审核表", form="electronic"),
                ID_CARD,
                material("diploma", "学历证书及临床实习证明", form="electronic"),
                material("exam", "护士执业资格考试成绩合格证明", source="agency_issued", form="electronic"),
                material("health", "近6个月内的健康体检证明", form="electronic"),
                material("employment", "医疗卫生机构拟聘用证明", form="electronic"),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 1100),),
    ),
    DemoItem(
        base_code="DEMO-BA-0001",
        name="诊所备案",
        item_type="filing",
        legal_basis="《医疗机构管理条例》",
        competent_department="卫生健康主管部门",
        exercised_levels=("county",),
        department="health",
        content={
            "service_objects": ["legal_person", "person"],
            "handling_kind": "instant",
            "acceptance_conditions": "举办诊所，诊所负责人和执业人员具备相应执业资格，房屋和设备符合诊所基本标准。",
            "statutory_limit": 5,
            "statutory_limit_note": "演示值：以《医疗机构管理条例》及国家卫生健康委诊所备案规定为准。",
            "promised_limit": 0,
            "promised_limit_note": "材料齐全的当场备案。",
            "steps": CONFIRMATION_STEPS,
            "handling_forms": ["window", "online"],
            "visits_required": 1,
            "visit_reason": "现场核验诊所负责人的医师执业证书原件。",
            "online_depth": 3,
            "result_name": "诊所备案凭证",
            "result_type": "other",
            "legal_person_themes": ["开办企业", "医疗卫生"],
            "faq": [
                faq(
                    "备案后多久可以执业？",
                    "取得诊所备案凭证后即可执业，卫生健康主管部门将在备案后开展现场核查。",
                )
            ],
            "materials": [
                material("form", "诊所备案信息表"),
                material(
                    "doctor-licence",
                    "诊所负责人医师执业证书",
                    source="agency_issued",
                    issuing_agency="卫生健康主管部门",
                ),
                material("premises", "诊所房屋产权证明或者租赁合同", commitment_allowed=True),
                material("rules", "诊所规章制度"),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 60),),
    ),
    DemoItem(
        base_code="DEMO-GG-0013",
        name="老年人优待证办理",
        item_type="public_service",
        legal_basis="《中华人民共和国老年人权益保障法》",
        competent_department="卫生健康主管部门（老龄工作）",
        exercised_levels=("county",),
        department="health",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "六十周岁以上的本地户籍老年人，以及在本地常住的外地老年人。",
            "promised_limit": 0,
            "steps": SERVICE_STEPS,
            "handling_forms": ["window", "online", "post"],
            "visits_required": 0,
            "online_depth": 3,
            "express_delivery": True,
            "result_name": "老年人优待证",
            "person_themes": ["养老"],
            "faq": [faq("行动不便能不能不来现场？", "可以在网上申请，证件邮寄到家；也可由家属代办。")],
            "materials": [ID_CARD, material("photo", "近期免冠彩色照片（电子）", form="electronic")],
        },
        implementations=(DemoImplementation(JINGHONG, 5100),),
    ),
    # ------------------------------------------------------------------ 医疗保障 (medical)
    DemoItem(
        base_code="DEMO-GG-0004",
        name="城乡居民基本医疗保险参保登记",
        item_type="public_service",
        legal_basis="《中华人民共和国社会保险法》第二十五条",
        competent_department="医疗保障部门",
        exercised_levels=("prefecture", "county"),
        department="medical",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "未参加职工基本医疗保险的城乡居民（含新生儿、在校学生）。",
            "promised_limit": 0,
            "steps": SERVICE_STEPS,
            **ONLINE_FULL,
            "result_name": "参保登记信息（电子凭证）",
            "result_type": "other",
            "person_themes": ["医疗", "出生", "社保"],
            "faq": [
                faq(
                    "新生儿什么时候参保？",
                    "出生后可随出生登记一并参保，出生当年参保缴费的自出生之日起享受待遇。",
                )
            ],
            "materials": [ID_CARD, {**HOUSEHOLD, "necessity": "optional"}],
        },
        implementations=(
            DemoImplementation(PREFECTURE, 3000),
            DemoImplementation(JINGHONG, 52000),
            DemoImplementation(MENGHAI, 31000),
        ),
    ),
    DemoItem(
        base_code="DEMO-GG-0005",
        name="城乡居民基本医疗保险缴费",
        item_type="public_service",
        legal_basis="《中华人民共和国社会保险法》第二十五条",
        competent_department="医疗保障部门",
        exercised_levels=("county",),
        department="medical",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "已参加城乡居民基本医疗保险的人员，在集中缴费期内缴纳下一年度个人缴费。",
            "promised_limit": 0,
            "steps": SERVICE_STEPS,
            **ONLINE_FULL,
            "result_name": "缴费记录（电子票据）",
            "result_type": "other",
            "person_themes": ["医疗", "社保"],
            "faq": [
                faq(
                    "在哪里缴费？",
                    "可以通过云南医保、银行渠道在线缴纳；个人缴费是医疗保险费，不是行政事业性收费。",
                )
            ],
            "materials": [ID_CARD],
        },
        implementations=(DemoImplementation(JINGHONG, 61000),),
    ),
    DemoItem(
        base_code="DEMO-GG-0006",
        name="生育医疗费用报销",
        item_type="public_service",
        legal_basis="《中华人民共和国社会保险法》第五十四条",
        competent_department="医疗保障部门",
        exercised_levels=("county",),
        department="medical",
        content={
            "service_objects": ["person"],
            "acceptance_conditions": "参保人员在非联网结算的医疗机构发生的符合规定的生育医疗费用。",
            "promised_limit": 15,
            "steps": [
                {"name": "申请", "description": "提交票据和病历资料。"},
                {"name": "受理", "description": "核对材料，齐全的受理。"},
                {"name": "审核", "description": "审核费用明细，核定报销金额。"},
                {"name": "支付", "description": "报销款支付到本人社会保障卡或银行账户。"},
            ],
            "handling_forms": ["window", "online", "post"],
            "visits_required": 0,
            "online_depth": 3,
            "result_name": "生育医疗费用报销结算单",
            "result_type": "other",
            "person_themes": ["出生", "医疗"],
            "faq": [
                faq(
                    "联网医院生孩子还要报销吗？", "在联网定点医疗机构分娩的，出院时直接结算，无需再申请报销。"
                )
            ],
            "materials": [
                ID_CARD,
                material("invoices", "医疗费用票据"),
                material("details", "费用明细清单"),
                material("discharge", "出院记录或诊断证明"),
                SOCIAL_CARD,
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 2400),),
    ),
    DemoItem(
        base_code="DEMO-GG-0007",
        name="基本医疗保险参保人员异地就医备案",
        item_type="public_service",
        legal_basis="《中华人民共和国社会保险法》第二十九条",
        competent_department="医疗保障部门",
        exercised_levels=("prefecture", "county"),
        department="medical",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "异地长期居住、异地工作、异地转诊或临时外出就医的参保人员。",
            "promised_limit": 0,
            "steps": SERVICE_STEPS,
            **ONLINE_FULL,
            "cross_region_scope": "national",
            "cross_region_modes": ["full_online"],
            "result_name": "异地就医备案信息",
            "result_type": "other",
            "person_themes": ["医疗"],
            "faq": [
                faq(
                    "备案后能直接刷卡结算吗？",
                    "可以。在备案就医地的联网定点医疗机构持医保电子凭证或社会保障卡直接结算。",
                )
            ],
            "materials": [
                ID_CARD,
                material("commitment", "异地就医备案个人承诺书", form="electronic", commitment_allowed=True),
            ],
        },
        implementations=(
            DemoImplementation(PREFECTURE, 1500),
            DemoImplementation(JINGHONG, 18000),
        ),
    ),
    DemoItem(
        base_code="DEMO-GG-0016",
        name="基本医疗保险医疗费用零星报销",
        item_type="public_service",
        legal_basis="《中华人民共和国社会保险法》第二十八条、第二十九条",
        competent_department="医疗保障部门",
        exercised_levels=("county",),
        department="medical",
        content={
            "service_objects": ["person"],
            "acceptance_conditions": "参保人员因急诊、未联网等原因未能直接结算的符合规定的医疗费用。",
            "promised_limit": 20,
            "steps": [
                {"name": "申请", "description": "提交票据和病历资料。"},
                {"name": "受理", "description": "核对材料，齐全的受理。"},
                {"name": "审核", "description": "审核费用明细，核定报销金额。"},
                {"name": "支付", "description": "报销款支付到本人社会保障卡或银行账户。"},
            ],
            "handling_forms": ["window", "online", "post"],
            "visits_required": 0,
            "online_depth": 3,
            "result_name": "医疗费用报销结算单",
            "result_type": "other",
            "person_themes": ["医疗"],
            "faq": [faq("报销材料可以邮寄吗？", "可以，邮寄到医疗保障窗口，结算结果以短信告知。")],
            "materials": [
                ID_CARD,
                material("invoices", "医疗费用票据"),
                material("details", "费用明细清单"),
                material("records", "门诊病历或出院记录"),
                SOCIAL_CARD,
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 3600),),
    ),
    # ------------------------------------------------------------------ 人力资源和社会保障 (hrss)
    DemoItem(
        base_code="DEMO-GG-0008",
        name="社会保障卡申领",
        item_type="public_service",
        legal_basis="《中华人民共和国社会保险法》",
        competent_department="人力资源和社会保障部门",
        exercised_levels=("prefecture", "county"),
        department="hrss",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "参加社会保险的人员，或需要办理社会保障卡的城乡居民（含新生儿）。",
            "promised_limit": 0,
            "promised_limit_note": "即时制卡网点当场制卡。",
            "steps": SERVICE_STEPS,
            "handling_forms": ["window", "online"],
            "visits_required": 1,
            "visit_reason": "在即时制卡网点现场采集照片并领取社会保障卡。",
            "online_depth": 3,
            "express_delivery": True,
            "self_service_terminal": True,
            "result_name": "社会保障卡",
            "person_themes": ["社保", "出生"],
            "faq": [faq("首次申领要收费吗？", "首次申领不收费。")],
            "materials": [
                ID_CARD,
                material("photo", "近期免冠彩色照片", necessity="optional", form="electronic"),
            ],
        },
        implementations=(
            DemoImplementation(PREFECTURE, 2000),
            DemoImplementation(JINGHONG, 68000),
            DemoImplementation(MENGHAI, 40000),
            DemoImplementation(
                MENGLA, 33000, changes={"visits_required": 0, "handling_forms": ["window", "online", "post"]}
            ),
        ),
    ),
    DemoItem(
        base_code="DEMO-GG-0009",
        name="职工参保登记",
        item_type="public_service",
        legal_basis="《中华人民共和国社会保险法》第五十八条",
        competent_department="人力资源和社会保障部门",
        exercised_levels=("prefecture", "county"),
        department="hrss",
        content={
            "service_objects": ["legal_person"],
            "handling_kind": "instant",
            "acceptance_conditions": "用人单位自用工之日起三十日内为其职工申请办理社会保险登记。",
            "promised_limit": 0,
            "steps": SERVICE_STEPS,
            **ONLINE_FULL,
            "result_name": "职工参保登记信息",
            "result_type": "other",
            "legal_person_themes": ["人力资源", "开办企业"],
            "faq": [faq("新招职工多久内要参保？", "应当自用工之日起三十日内办理。")],
            "materials": [
                BUSINESS_LICENSE,
                material("contract", "劳动合同", necessity="optional", form="electronic"),
            ],
        },
        implementations=(
            DemoImplementation(PREFECTURE, 800),
            DemoImplementation(JINGHONG, 9500),
        ),
    ),
    DemoItem(
        base_code="DEMO-GG-0010",
        name="失业保险金申领",
        item_type="public_service",
        legal_basis="《中华人民共和国社会保险法》第四十五条；《失业保险条例》",
        competent_department="人力资源和社会保障部门",
        exercised_levels=("county",),
        department="hrss",
        content={
            "service_objects": ["person"],
            "acceptance_conditions": "失业前用人单位和本人已缴纳失业保险费满一年，非因本人意愿中断就业，已进行失业登记并有求职要求。",
            "promised_limit": 5,
            "steps": [
                {"name": "申请", "description": "在线或窗口提交申请。"},
                {"name": "受理", "description": "核对参保和失业登记信息。"},
                {"name": "审核", "description": "核定领取期限和标准。"},
                {"name": "发放", "description": "按月发放到本人社会保障卡。"},
            ],
            **ONLINE_FULL,
            "result_name": "失业保险待遇核定结果",
            "result_type": "other",
            "person_themes": ["就业", "社保"],
            "faq": [faq("领取失业保险金期间还能参加医保吗？", "领取期间由失业保险基金代缴基本医疗保险费。")],
            "materials": [
                ID_CARD,
                material(
                    "termination",
                    "解除或者终止劳动关系的证明",
                    form="electronic",
                    filling_notes="已通过数据共享获取的，无需提交。",
                ),
                SOCIAL_CARD,
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 3200),),
    ),
    DemoItem(
        base_code="DEMO-GG-0011",
        name="就业创业证申领",
        item_type="public_service",
        legal_basis="《中华人民共和国就业促进法》；《就业服务与就业管理规定》",
        competent_department="人力资源和社会保障部门",
        exercised_levels=("county", "township"),
        department="hrss",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "法定劳动年龄内、有劳动能力的城乡劳动者。",
            "promised_limit": 0,
            "steps": SERVICE_STEPS,
            **ONLINE_FULL,
            "result_name": "就业创业证（电子证）",
            "person_themes": ["就业"],
            "faq": [faq("就业创业证有什么用？", "用于记录就业失业状况，享受就业创业扶持政策。")],
            "materials": [ID_CARD],
        },
        implementations=(DemoImplementation(JINGHONG, 5400),),
    ),
    DemoItem(
        base_code="DEMO-GG-0015",
        name="失业登记",
        item_type="public_service",
        legal_basis="《中华人民共和国就业促进法》；《就业服务与就业管理规定》",
        competent_department="人力资源和社会保障部门",
        exercised_levels=("county", "township"),
        department="hrss",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "法定劳动年龄内、有劳动能力、有就业要求、处于无业状态的城乡劳动者。",
            "promised_limit": 0,
            "steps": SERVICE_STEPS,
            **ONLINE_FULL,
            "result_name": "失业登记信息",
            "result_type": "other",
            "person_themes": ["就业"],
            "faq": [faq("可以在常住地登记吗？", "可以，在常住地公共就业服务机构办理失业登记。")],
            "materials": [ID_CARD],
        },
        implementations=(DemoImplementation(JINGHONG, 2600),),
    ),
    DemoItem(
        base_code="DEMO-GG-0012",
        name="城乡居民基本养老保险参保登记",
        item_type="public_service",
        legal_basis="《中华人民共和国社会保险法》",
        competent_department="人力资源和社会保障部门",
        exercised_levels=("county", "township"),
        department="hrss",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "年满16周岁（不含在校学生），非国家机关和事业单位工作人员，不属于职工基本养老保险覆盖范围的城乡居民。",
            "promised_limit": 0,
            "steps": SERVICE_STEPS,
            **ONLINE_FULL,
            "result_name": "参保登记信息",
            "result_type": "other",
            "person_themes": ["养老", "社保"],
            "faq": [faq("缴费档次可以改吗？", "每年可以选择一次缴费档次。")],
            "materials": [ID_CARD],
        },
        implementations=(DemoImplementation(JINGHONG, 15000),),
    ),
    # ------------------------------------------------------------------ 民政 (civil affairs)
    DemoItem(
        base_code="DEMO-QR-0005",
        name="结婚登记",
        item_type="confirmation",
        legal_basis="《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》",
        competent_department="民政部门",
        exercised_levels=("county",),
        department="civil",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "男女双方完全自愿，达到法定婚龄，双方均无配偶，且没有禁止结婚的亲属关系。",
            "statutory_limit": 0,
            "statutory_limit_note": "符合结婚条件的，婚姻登记机关当场予以登记，发给结婚证。",
            "promised_limit": 0,
            "steps": CONFIRMATION_STEPS,
            "handling_forms": ["window"],
            "visits_required": 1,
            "visit_reason": "男女双方应当亲自到婚姻登记机关申请（《中华人民共和国民法典》第一千零四十九条）。",
            "online_depth": 2,
            "booking": True,
            "result_name": "结婚证",
            "person_themes": ["婚姻"],
            "place": "{region}民政局婚姻登记处",
            "hours": "周一至周五 9:00-12:00，14:30-17:30（法定节假日除外，特殊纪念日可预约）",
            "faq": [faq("一定要预约吗？", "不必。可以网上预约，未预约的也可以现场取号办理。")],
            "materials": [
                e_license("couple-id", "男女双方居民身份证", "居民身份证", "公安机关"),
                e_license("couple-household", "男女双方居民户口簿", "居民户口簿", "公安机关"),
                material("photo", "双方近期半身免冠合影照片", copies=3, form="paper"),
                material(
                    "declaration",
                    "本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明",
                    form="paper",
                    filling_notes="在婚姻登记员面前签署。",
                ),
            ],
        },
        implementations=(
            DemoImplementation(JINGHONG, 6400),
            DemoImplementation(MENGLA, 2900),
        ),
    ),
    DemoItem(
        base_code="DEMO-QR-0006",
        name="离婚登记",
        item_type="confirmation",
        legal_basis="《中华人民共和国民法典》第一千零七十六条、第一千零七十七条；《婚姻登记条例》",
        competent_department="民政部门",
        exercised_levels=("county",),
        department="civil",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "夫妻双方自愿离婚，签订书面离婚协议，并对子女抚养、财产以及债务处理等事项协商一致。",
            "statutory_limit": 0,
            "statutory_limit_note": "离婚冷静期届满后三十日内双方亲自到场申请发给离婚证的，符合条件的当场予以登记。",
            "promised_limit": 0,
            "steps": CONFIRMATION_STEPS,
            "special_procedures": [
                {
                    "name": "离婚冷静期",
                    "limit": 30,
                    "limit_unit": "natural_days",
                    "basis": "《中华人民共和国民法典》第一千零七十七条",
                    "counts_toward_limit": False,
                }
            ],
            "handling_forms": ["window"],
            "visits_required": 2,
            "visit_reason": "双方须亲自到场申请，并于冷静期届满后三十日内共同到场申请发给离婚证。",
            "online_depth": 2,
            "booking": True,
            "result_name": "离婚证",
            "person_themes": ["婚姻"],
            "place": "{region}民政局婚姻登记处",
            "hours": "周一至周五 9:00-12:00，14:30-17:30（法定节假日除外）",
            "faq": [
                faq(
                    "冷静期内可以撤回吗？",
                    "自婚姻登记机关收到申请之日起三十日内，任何一方不愿意离婚的，可以撤回申请。",
                )
            ],
            "materials": [
                e_license("couple-id", "双方居民身份证", "居民身份证", "公安机关"),
                e_license("couple-household", "双方居民户口簿", "居民户口簿", "公安机关"),
                MARRIAGE_CERTIFICATE,
                material("agreement", "双方共同签署的离婚协议书", copies=3, form="paper"),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 1800),),
    ),
    DemoItem(
        base_code="DEMO-GF-0001",
        name="最低生活保障申请",
        item_type="benefit",
        legal_basis="《社会救助暂行办法》第九条、第十一条；《最低生活保障审核确认办法》",
        competent_department="民政部门",
        exercised_levels=("county", "township"),
        department="civil",
        content={
            "service_objects": ["person"],
            "acceptance_conditions": "共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合当地最低生活保障家庭财产状况规定。",
            "statutory_limit": 30,
            "statutory_limit_note": "《最低生活保障审核确认办法》规定的审核确认时限。",
            "promised_limit": 20,
            "steps": BENEFIT_STEPS,
            "special_procedures": [
                {
                    "name": "审核结果公示",
                    "limit": 7,
                    "limit_unit": "natural_days",
                    "basis": "《最低生活保障审核确认办法》",
                    "counts_toward_limit": False,
                }
            ],
            "handling_forms": ["window"],
            "visits_required": 1,
            "visit_reason": "签署家庭经济状况核对授权书；行动不便的可由村（居）民委员会代为申请。",
            "online_depth": 2,
            "result_name": "最低生活保障审核确认决定",
            "result_type": "approval_document",
            "person_themes": ["社会救助"],
            "place": "户籍所在地乡镇人民政府（街道办事处）为民服务中心社会救助窗口；{venue}（民政窗口）",
            "faq": [
                faq(
                    "不符合条件会怎样？",
                    "不予确认的，书面说明理由；对决定不服的，可以依法申请行政复议或者提起行政诉讼。",
                )
            ],
            "materials": [
                material("application", "最低生活保障申请书"),
                ID_CARD,
                HOUSEHOLD,
                material("authorization", "家庭经济状况核对授权书", form="paper"),
                material("income", "家庭收入和财产状况说明", commitment_allowed=True),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 4100),),
    ),
    DemoItem(
        base_code="DEMO-QR-0007",
        name="特困人员认定",
        item_type="confirmation",
        legal_basis="《社会救助暂行办法》第十四条、第十六条；《特困人员认定办法》",
        competent_department="民政部门",
        exercised_levels=("county", "township"),
        department="civil",
        content={
            "service_objects": ["person"],
            "acceptance_conditions": "无劳动能力、无生活来源且无法定赡养、抚养、扶养义务人或者其义务人无履行能力的老年人、残疾人以及未满16周岁的未成年人。",
            "statutory_limit": 20,
            "statutory_limit_note": "《特困人员认定办法》：县级民政部门自收到初审意见之日起20个工作日内作出决定。",
            "promised_limit": 15,
            "steps": BENEFIT_STEPS,
            "handling_forms": ["window"],
            "visits_required": 1,
            "visit_reason": "提交书面申请；本人申请有困难的，可以委托村（居）民委员会代为提出。",
            "online_depth": 2,
            "result_name": "特困人员认定决定",
            "result_type": "approval_document",
            "person_themes": ["社会救助", "养老", "残疾"],
            "place": "户籍所在地乡镇人民政府（街道办事处）为民服务中心社会救助窗口",
            "faq": [
                faq(
                    "认定后有哪些供养内容？",
                    "提供基本生活条件、对生活不能自理的给予照料、提供疾病治疗、办理丧葬事宜。",
                )
            ],
            "materials": [
                material("application", "特困人员救助供养申请书"),
                ID_CARD,
                HOUSEHOLD,
                material(
                    "statement",
                    "劳动能力、生活来源以及赡养、抚养、扶养情况的书面说明",
                    commitment_allowed=True,
                ),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 600),),
    ),
    DemoItem(
        base_code="DEMO-GF-0002",
        name="高龄津贴申领",
        item_type="benefit",
        legal_basis="《中华人民共和国老年人权益保障法》",
        competent_department="民政部门",
        exercised_levels=("county", "township"),
        department="civil",
        content={
            "service_objects": ["person"],
            "acceptance_conditions": "具有本地户籍、年满八十周岁的老年人。",
            "statutory_limit": 20,
            "statutory_limit_note": "演示值：法律、行政法规未规定具体时限，以本省高龄津贴发放办法为准。",
            "promised_limit": 10,
            "steps": [
                {"name": "申请", "description": "本人或家属在线或窗口申请。"},
                {"name": "审核", "description": "核对户籍和年龄信息。"},
                {"name": "发放", "description": "按月发放到本人社会保障卡或银行账户。"},
            ],
            "handling_forms": ["online", "window", "post"],
            "visits_required": 0,
            "online_depth": 3,
            "result_name": "高龄津贴发放确认",
            "result_type": "other",
            "person_themes": ["养老"],
            "faq": [faq("老人行动不便怎么申请？", "家属可在网上代为申请，无需老人到场。")],
            "materials": [ID_CARD, SOCIAL_CARD],
        },
        implementations=(DemoImplementation(JINGHONG, 7600),),
    ),
    # ------------------------------------------------------------------ 残疾人联合会 (disabled)
    DemoItem(
        base_code="DEMO-GG-0014",
        name="残疾人证申领",
        item_type="public_service",
        legal_basis="《中华人民共和国残疾人保障法》；《中华人民共和国残疾人证管理办法》",
        competent_department="残疾人联合会",
        exercised_levels=("county",),
        department="disabled",
        content={
            "service_objects": ["person"],
            "acceptance_conditions": "符合残疾标准的本地户籍居民。",
            "promised_limit": 15,
            "steps": [
                {"name": "申请", "description": "提交申请表和身份证明。"},
                {"name": "评定", "description": "到指定医疗机构进行残疾评定。"},
                {"name": "审核", "description": "县级残疾人联合会审核评定结果。"},
                {"name": "发证", "description": "制发残疾人证。"},
            ],
            "special_procedures": [
                {
                    "name": "残疾评定",
                    "limit": 10,
                    "basis": "《中华人民共和国残疾人证管理办法》",
                    "counts_toward_limit": False,
                }
            ],
            "handling_forms": ["window", "online"],
            "visits_required": 1,
            "visit_reason": "到指定医疗机构进行残疾评定（行动不便的可申请上门评定）。",
            "online_depth": 3,
            "express_delivery": True,
            "result_name": "中华人民共和国残疾人证",
            "person_themes": ["残疾"],
            "faq": [faq("评定要收费吗？", "残疾评定费用按当地规定执行，符合条件的困难群众可申请减免。")],
            "materials": [
                material("application", "残疾人证申请表"),
                ID_CARD,
                HOUSEHOLD,
                material("photo", "近期免冠彩色照片", copies=3, form="paper"),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 1300),),
    ),
    # ------------------------------------------------------------------ 市场监管 (market)
    DemoItem(
        base_code="DEMO-XK-0006",
        name="食品经营许可",
        item_type="licensing",
        legal_basis="《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        competent_department="市场监督管理部门",
        exercised_levels=("prefecture", "county"),
        department="market",
        content={
            "service_objects": ["legal_person", "person"],
            "acceptance_conditions": "具有与经营的食品品种、数量相适应的经营场所、设备设施、食品安全管理人员和规章制度。",
            "statutory_limit": 10,
            "statutory_limit_note": "以《食品经营许可和备案管理办法》规定的审查时限为准。",
            "promised_limit": 5,
            "steps": LICENSING_STEPS,
            "special_procedures": [
                {
                    "name": "现场核查",
                    "limit": 5,
                    "basis": "《食品经营许可和备案管理办法》",
                    "counts_toward_limit": False,
                }
            ],
            "handling_forms": ["window", "online"],
            "visits_required": 1,
            "visit_reason": "实行告知承诺的，现场签署告知承诺书并核验原件。",
            "online_depth": 3,
            "express_delivery": True,
            "result_name": "食品经营许可证",
            "legal_person_themes": ["开办企业", "经营许可"],
            "person_themes": ["经营许可"],
            "faq": [
                faq("只卖预包装食品也要许可吗？", "仅销售预包装食品的不需要取得许可，办理食品经营备案即可。"),
                faq("许可证有效期多久？", "食品经营许可证有效期为五年。"),
            ],
            "materials": [
                material("application", "食品经营许可申请书"),
                BUSINESS_LICENSE,
                e_license("representative-id", "法定代表人（负责人）居民身份证", "居民身份证", "公安机关"),
                material(
                    "layout",
                    "与食品经营相适应的主要设备设施、经营布局、操作流程等文件",
                    necessity="deficiency_allowed",
                ),
                material("rules", "保证食品安全的规章制度", commitment_allowed=True),
                material("manager", "食品安全管理人员基本情况", necessity="optional"),
            ],
        },
        implementations=(
            DemoImplementation(PREFECTURE, 600),
            DemoImplementation(
                JINGHONG,
                8700,
                changes={
                    "promised_limit": 3,
                    "visits_required": 0,
                    "handling_forms": ["window", "online", "post"],
                },
            ),
            DemoImplementation(
                MENGHAI, 3900, changes={"promised_limit": 3}, relax_materials=(("layout", "optional"),)
            ),
            DemoImplementation(MENGLA, 3100, drop_materials=("manager",)),
        ),
    ),
    DemoItem(
        base_code="DEMO-BA-0002",
        name="食品经营备案（仅销售预包装食品）",
        item_type="filing",
        legal_basis="《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        competent_department="市场监督管理部门",
        exercised_levels=("county",),
        department="market",
        content={
            "service_objects": ["legal_person", "person"],
            "handling_kind": "instant",
            "acceptance_conditions": "仅销售预包装食品的食品经营者。",
            "statutory_limit": 5,
            "statutory_limit_note": "演示值：以《食品经营许可和备案管理办法》规定为准。",
            "promised_limit": 0,
            "promised_limit_note": "材料齐全的当场备案。",
            "steps": CONFIRMATION_STEPS,
            **ONLINE_FULL,
            "result_name": "食品经营备案信息（备案编号）",
            "result_type": "other",
            "legal_person_themes": ["开办企业", "经营许可"],
            "person_themes": ["经营许可"],
            "faq": [
                faq(
                    "备案后还要办许可证吗？",
                    "仅销售预包装食品的无需许可；增加其他经营项目的，应当申请食品经营许可。",
                )
            ],
            "materials": [material("form", "食品经营备案信息采集表", form="electronic"), BUSINESS_LICENSE],
        },
        implementations=(DemoImplementation(JINGHONG, 2100),),
    ),
    DemoItem(
        base_code="DEMO-XK-0007",
        name="个体工商户登记",
        item_type="licensing",
        legal_basis="《中华人民共和国市场主体登记管理条例》第十九条；《促进个体工商户发展条例》",
        competent_department="市场监督管理部门",
        exercised_levels=("county",),
        department="market",
        content={},
    ),
    DemoItem(
        base_code="DEMO-XK-0007-01",
        name="个体工商户登记（设立）",
        item_type="licensing",
        layer="handling",
        parent="DEMO-XK-0007",
        situation="设立",
        legal_basis="《中华人民共和国市场主体登记管理条例》第十九条；《促进个体工商户发展条例》",
        competent_department="市场监督管理部门",
        exercised_levels=("county",),
        department="market",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "有经营能力的自然人，经营场所符合要求。",
            "statutory_limit": 3,
            "statutory_limit_note": "《中华人民共和国市场主体登记管理条例》第十九条：不能当场登记的，3个工作日内予以登记；情形复杂的经批准可再延长3个工作日。",
            "promised_limit": 0,
            "promised_limit_note": "材料齐全、符合法定形式的当场登记。",
            "steps": LICENSING_STEPS,
            **ONLINE_FULL,
            "handling_forms": ["online", "window", "post"],
            "express_delivery": True,
            "result_name": "营业执照（含电子营业执照）",
            "person_themes": ["创业", "开办企业"],
            "legal_person_themes": ["开办企业"],
            "faq": [
                faq(
                    "可以用住宅做经营场所吗？",
                    "按本地住所（经营场所）登记规定办理，可以承诺经营场所合法有效。",
                ),
                faq("需要刻章吗？", "个体工商户可根据需要自愿刻制印章。"),
            ],
            "materials": [
                material("application", "个体工商户登记（备案）申请书", form="electronic"),
                e_license("operator-id", "经营者居民身份证", "居民身份证", "公安机关"),
                material("premises", "经营场所使用相关文件", commitment_allowed=True, form="electronic"),
            ],
        },
        implementations=(
            DemoImplementation(JINGHONG, 14000),
            DemoImplementation(MENGHAI, 7800),
            DemoImplementation(MENGLA, 6900),
        ),
    ),
    DemoItem(
        base_code="DEMO-XK-0007-02",
        name="个体工商户登记（注销）",
        item_type="licensing",
        layer="handling",
        parent="DEMO-XK-0007",
        situation="注销",
        legal_basis="《中华人民共和国市场主体登记管理条例》第十九条；《促进个体工商户发展条例》",
        competent_department="市场监督管理部门",
        exercised_levels=("county",),
        department="market",
        content={
            "service_objects": ["person"],
            "handling_kind": "instant",
            "acceptance_conditions": "个体工商户停止经营；未发生债权债务或已清偿完结的，可按简易程序注销。",
            "statutory_limit": 3,
            "statutory_limit_note": "《中华人民共和国市场主体登记管理条例》第十九条。",
            "promised_limit": 0,
            "steps": LICENSING_STEPS,
            **ONLINE_FULL,
            "result_name": "准予注销登记通知书",
            "result_type": "approval_document",
            "person_themes": ["创业"],
            "legal_person_themes": ["注销企业"],
            "faq": [faq("个体工商户简易注销需要公示吗？", "个体工商户按简易程序办理注销登记的，无需公示。")],
            "materials": [
                material("application", "个体工商户注销登记申请书", form="electronic"),
                e_license("operator-id", "经营者居民身份证", "居民身份证", "公安机关"),
                material(
                    "commitment",
                    "全体投资人书面承诺（简易注销）",
                    commitment_allowed=True,
                    necessity="optional",
                ),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 3800),),
    ),
    DemoItem(
        base_code="DEMO-XK-0009",
        name="企业设立登记",
        item_type="licensing",
        legal_basis="《中华人民共和国公司法》；《中华人民共和国市场主体登记管理条例》第十九条",
        competent_department="市场监督管理部门",
        exercised_levels=("prefecture", "county"),
        department="market",
        content={
            "service_objects": ["legal_person"],
            "acceptance_conditions": "名称、住所、经营范围、出资等登记事项符合法律、行政法规规定。",
            "statutory_limit": 3,
            "statutory_limit_note": "《中华人民共和国市场主体登记管理条例》第十九条。",
            "promised_limit": 1,
            "steps": LICENSING_STEPS,
            **ONLINE_FULL,
            "handling_forms": ["online", "window", "post"],
            "express_delivery": True,
            "co_handling_agencies": [
                "公安机关（印章刻制）",
                "税务部门（发票申领）",
                "人力资源和社会保障部门（参保登记）",
            ],
            "result_name": "营业执照（含电子营业执照）",
            "legal_person_themes": ["开办企业"],
            "faq": [
                faq("企业开办要跑几次？", "通过企业开办“一网通办”平台全程网上办理，营业执照可邮寄，不用跑。"),
                faq(
                    "可以同时办理刻章和发票吗？",
                    "可以，企业开办一件事一次办理营业执照、印章、发票和社保登记。",
                ),
            ],
            "materials": [
                material("application", "公司登记（备案）申请书", form="electronic"),
                material("articles", "公司章程", form="electronic"),
                e_license("shareholder-id", "股东的主体资格证明或者自然人身份证明", "居民身份证", "公安机关"),
                material(
                    "appointment",
                    "法定代表人、董事、监事和经理的任职文件",
                    form="electronic",
                    necessity="deficiency_allowed",
                ),
                material("premises", "住所使用相关文件", commitment_allowed=True, form="electronic"),
            ],
        },
        implementations=(
            DemoImplementation(PREFECTURE, 700),
            DemoImplementation(JINGHONG, 5200),
            DemoImplementation(
                MENGLA,
                1400,
                changes={"handling_kind": "instant", "promised_limit": 0},
                relax_materials=(("appointment", "optional"),),
            ),
        ),
    ),
    DemoItem(
        base_code="DEMO-XK-0010",
        name="药品零售经营许可",
        item_type="licensing",
        legal_basis="《中华人民共和国药品管理法》第五十一条；《药品经营和使用质量监督管理办法》",
        competent_department="药品监督管理部门（市场监督管理部门）",
        exercised_levels=("prefecture", "county"),
        department="market",
        content={
            "service_objects": ["legal_person"],
            "acceptance_conditions": "有依法经过资格认定的药师或者其他药学技术人员，有相适应的营业场所、设备、仓储设施和质量管理制度。",
            "statutory_limit": 20,
            "statutory_limit_note": ADMIN_LICENSING_LIMIT_NOTE,
            "promised_limit": 10,
            "steps": LICENSING_STEPS,
            "special_procedures": [
                {
                    "name": "现场检查",
                    "limit": 10,
                    "basis": "《药品经营和使用质量监督管理办法》",
                    "counts_toward_limit": False,
                }
            ],
            "handling_forms": ["window", "online"],
            "visits_required": 1,
            "visit_reason": "现场核验执业药师资格证书等原件。",
            "online_depth": 3,
            "result_name": "药品经营许可证",
            "legal_person_themes": ["开办企业", "经营许可", "医疗卫生"],
            "faq": [faq("药品经营许可证有效期多久？", "药品经营许可证有效期为五年，到期重新审查发证。")],
            "materials": [
                material("application", "药品经营许可证申请表"),
                BUSINESS_LICENSE,
                material(
                    "pharmacist",
                    "执业药师资格证书及注册证明",
                    source="agency_issued",
                    issuing_agency="药品监督管理部门",
                ),
                material("layout", "经营场所和仓库平面布置图", necessity="deficiency_allowed"),
                material("quality", "药品质量管理文件", commitment_allowed=True),
            ],
        },
        implementations=(
            DemoImplementation(PREFECTURE, 60),
            DemoImplementation(JINGHONG, 180, changes={"promised_limit": 8}),
        ),
    ),
    # ------------------------------------------------------------------ 自然资源 (land)
    DemoItem(
        base_code="DEMO-QR-0008",
        name="不动产登记",
        item_type="confirmation",
        legal_basis="《中华人民共和国民法典》第二百一十条；《不动产登记暂行条例》第二十条",
        competent_department="自然资源主管部门（不动产登记机构）",
        exercised_levels=("county",),
        department="land",
        content={},
    ),
    DemoItem(
        base_code="DEMO-QR-0008-01",
        name="不动产登记（首次登记）",
        item_type="confirmation",
        layer="handling",
        parent="DEMO-QR-0008",
        situation="首次登记",
        legal_basis="《中华人民共和国民法典》第二百一十条；《不动产登记暂行条例》第二十条；《不动产登记暂行条例实施细则》",
        competent_department="自然资源主管部门（不动产登记机构）",
        exercised_levels=("county",),
        department="land",
        content={
            "service_objects": ["person", "legal_person"],
            "acceptance_conditions": "不动产首次申请登记，权属来源合法，已竣工并符合规划。",
            "statutory_limit": 30,
            "statutory_limit_note": "《不动产登记暂行条例》第二十条：自受理登记申请之日起30个工作日内办结。",
            "promised_limit": 5,
            "steps": CONFIRMATION_STEPS,
            "special_procedures": [
                {
                    "name": "首次登记公告",
                    "limit": 15,
                    "basis": "《不动产登记暂行条例实施细则》",
                    "counts_toward_limit": False,
                }
            ],
            "handling_forms": ["window", "online"],
            "visits_required": 1,
            "visit_reason": "现场核验权利人身份和权属来源材料原件。",
            "charged": True,
            "fee_basis": "《国家发展改革委、财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
            "fees": [
                {"name": "不动产登记费（住宅类）", "standard": "每件80元", "amount_yuan": 80},
                {"name": "不动产登记费（非住宅类）", "standard": "每件550元", "amount_yuan": 550},
                {
                    "name": "不动产权属证书工本费",
                    "standard": "每增加一本10元",
                    "amount_yuan": 10,
                    "reduction": "核发一本证书的不收取工本费。",
                },
            ],
            "online_payment": True,
            "online_depth": 3,
            "booking": True,
            "express_delivery": True,
            "intermediaries": [{"name": "不动产测绘", "basis": "《不动产登记暂行条例实施细则》"}],
            "result_name": "不动产权证书",
            "person_themes": ["住房"],
            "legal_person_themes": ["工程建设"],
            "place": "{region}不动产登记中心窗口（{venue}）",
            "faq": [
                faq(
                    "首次登记为什么要公告？",
                    "为保护利害关系人的权利，首次登记前公告，公告期间不计入办理时限。",
                )
            ],
            "materials": [
                material("application", "不动产登记申请书"),
                ID_CARD,
                material(
                    "land-title",
                    "土地权属来源证明或者不动产权属证书",
                    source="agency_issued",
                    issuing_agency="不动产登记机构",
                ),
                material(
                    "planning",
                    "建设工程符合规划的材料",
                    source="agency_issued",
                    issuing_agency="自然资源主管部门",
                ),
                material("completion", "房屋已经竣工的材料", source="agency_issued"),
                material("survey", "房地产调查或者测绘报告"),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 4200),),
    ),
    DemoItem(
        base_code="DEMO-QR-0008-02",
        name="不动产登记（转移登记）",
        item_type="confirmation",
        layer="handling",
        parent="DEMO-QR-0008",
        situation="转移登记",
        legal_basis="《中华人民共和国民法典》第二百一十条；《不动产登记暂行条例》第二十条",
        competent_department="自然资源主管部门（不动产登记机构）",
        exercised_levels=("county",),
        department="land",
        content={
            "service_objects": ["person", "legal_person"],
            "acceptance_conditions": "不动产因买卖、赠与、继承等发生权利转移。",
            "statutory_limit": 30,
            "statutory_limit_note": "《不动产登记暂行条例》第二十条。",
            "promised_limit": 5,
            "steps": CONFIRMATION_STEPS,
            "handling_forms": ["window", "online"],
            "visits_required": 1,
            "visit_reason": "转让双方现场签署申请并核验身份（可预约办理）。",
            "charged": True,
            "fee_basis": "《国家发展改革委、财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
            "fees": [
                {"name": "不动产登记费（住宅类）", "standard": "每件80元", "amount_yuan": 80},
                {"name": "不动产登记费（非住宅类）", "standard": "每件550元", "amount_yuan": 550},
            ],
            "online_payment": True,
            "online_depth": 3,
            "booking": True,
            "express_delivery": True,
            "co_handling_agencies": ["税务部门（契税缴纳）", "住房和城乡建设部门（合同网签备案）"],
            "result_name": "不动产权证书",
            "person_themes": ["住房"],
            "legal_person_themes": ["工程建设"],
            "place": "{region}不动产登记中心窗口（{venue}）",
            "faq": [faq("买房后要跑几个窗口？", "交易、缴税和登记在一个综合窗口一次办理，不用分别跑。")],
            "materials": [
                material("application", "不动产登记申请书"),
                e_license("parties-id", "转让方和受让方居民身份证", "居民身份证", "公安机关"),
                PROPERTY_CERTIFICATE,
                material(
                    "contract",
                    "不动产买卖合同",
                    necessity="optional",
                    filling_notes="已网签备案的通过数据共享获取，无需提交。",
                ),
                material(
                    "tax",
                    "完税凭证",
                    source="agency_issued",
                    issuing_agency="税务部门",
                    necessity="optional",
                    filling_notes="通过数据共享获取的无需提交。",
                ),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 16000),),
    ),
    DemoItem(
        base_code="DEMO-XK-0011",
        name="建设用地规划许可",
        item_type="licensing",
        legal_basis="《中华人民共和国城乡规划法》第三十七条、第三十八条",
        competent_department="自然资源主管部门",
        exercised_levels=("county",),
        department="land",
        content={
            "service_objects": ["legal_person"],
            "acceptance_conditions": "在城市、镇规划区内以划拨或出让方式取得国有建设用地使用权的建设项目。",
            "statutory_limit": 20,
            "statutory_limit_note": ADMIN_LICENSING_LIMIT_NOTE,
            "promised_limit": 7,
            "steps": LICENSING_STEPS,
            "handling_forms": ["online", "window", "post"],
            "visits_required": 0,
            "online_depth": 3,
            "result_name": "建设用地规划许可证",
            "legal_person_themes": ["工程建设"],
            "faq": [faq("在哪里申请？", "通过工程建设项目审批管理系统在线申请，结果可邮寄。")],
            "materials": [
                material("application", "建设用地规划许可申请表", form="electronic"),
                material(
                    "project-approval",
                    "建设项目批准、核准或者备案文件",
                    source="agency_issued",
                    issuing_agency="发展改革部门",
                    form="electronic",
                ),
                material(
                    "transfer-contract",
                    "国有建设用地使用权出让合同（出让方式）",
                    necessity="optional",
                    form="electronic",
                ),
                material("map", "标注用地范围的地形图", form="electronic"),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 40),),
    ),
    DemoItem(
        base_code="DEMO-XK-0012",
        name="建设工程规划许可",
        item_type="licensing",
        legal_basis="《中华人民共和国城乡规划法》第四十条",
        competent_department="自然资源主管部门",
        exercised_levels=("county",),
        department="land",
        content={
            "service_objects": ["legal_person", "person"],
            "acceptance_conditions": "在城市、镇规划区内进行建筑物、构筑物、道路、管线和其他工程建设。",
            "statutory_limit": 20,
            "statutory_limit_note": ADMIN_LICENSING_LIMIT_NOTE,
            "promised_limit": 10,
            "steps": LICENSING_STEPS,
            "special_procedures": [
                {
                    "name": "设计方案专家评审",
                    "limit": 10,
                    "basis": "依项目复杂程度组织，时间不计入办理时限。",
                    "counts_toward_limit": False,
                }
            ],
            "handling_forms": ["online", "window", "post"],
            "visits_required": 0,
            "online_depth": 3,
            "intermediaries": [
                {"name": "建设工程设计方案编制", "basis": "《中华人民共和国城乡规划法》第四十条"}
            ],
            "result_name": "建设工程规划许可证",
            "legal_person_themes": ["工程建设"],
            "faq": [faq("取得许可后多久要开工？", "应按许可证载明期限开工，逾期未开工的依规定办理延期。")],
            "materials": [
                material("application", "建设工程规划许可申请表", form="electronic"),
                {**PROPERTY_CERTIFICATE, "name": "使用土地的有关证明文件（不动产权证书）"},
                material("design", "建设工程设计方案", form="electronic"),
                material(
                    "detailed-plan",
                    "修建性详细规划（需要编制的建设项目）",
                    necessity="optional",
                    form="electronic",
                ),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 90),),
    ),
    DemoItem(
        base_code="DEMO-XK-0013",
        name="乡村建设规划许可",
        item_type="licensing",
        legal_basis="《中华人民共和国城乡规划法》第四十一条",
        competent_department="自然资源主管部门",
        exercised_levels=("county", "township"),
        department="land",
        content={
            "service_objects": ["person", "legal_person"],
            "acceptance_conditions": "在乡、村庄规划区内进行乡镇企业、乡村公共设施和公益事业建设以及农村村民住宅建设。",
            "statutory_limit": 20,
            "statutory_limit_note": ADMIN_LICENSING_LIMIT_NOTE,
            "promised_limit": 10,
            "steps": LICENSING_STEPS,
            "handling_forms": ["window"],
            "visits_required": 1,
            "visit_reason": "向乡、镇人民政府提交申请，由乡镇人民政府报县级自然资源主管部门核发。",
            "online_depth": 2,
            "result_name": "乡村建设规划许可证",
            "person_themes": ["住房"],
            "legal_person_themes": ["工程建设"],
            "place": "建设项目所在地乡镇人民政府为民服务中心；{venue}（不动产登记和规划窗口）",
            "faq": [faq("农村建房要先办什么？", "先取得宅基地批准，再申请乡村建设规划许可。")],
            "materials": [
                material("application", "乡村建设规划许可申请表"),
                ID_CARD,
                material("village-opinion", "村民委员会意见"),
                material("land", "宅基地批准文件或者不动产权证书", source="agency_issued"),
                material("drawing", "建设方案图", necessity="deficiency_allowed"),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 260),),
    ),
    DemoItem(
        base_code="DEMO-CJ-0001",
        name="土地权属争议调处",
        item_type="adjudication",
        legal_basis="《中华人民共和国土地管理法》第十四条；《土地权属争议调查处理办法》",
        competent_department="县级以上人民政府（自然资源主管部门承办）",
        exercised_levels=("county", "township"),
        department="land",
        content={
            "service_objects": ["person", "legal_person"],
            "acceptance_conditions": "土地所有权或者使用权归属争议，当事人协商不成。",
            "statutory_limit": 180,
            "statutory_limit_unit": "natural_days",
            "statutory_limit_note": "演示值：以《土地权属争议调查处理办法》规定为准。",
            "promised_limit": 120,
            "promised_limit_unit": "natural_days",
            "steps": [
                {"name": "受理", "description": "审查申请，符合条件的受理并通知对方当事人。"},
                {"name": "调查", "description": "调查取证、现场勘验。"},
                {"name": "调解", "description": "先行调解，达成协议的制作调解书。"},
                {"name": "决定", "description": "调解不成的拟定处理意见，报人民政府作出处理决定。"},
                {"name": "送达", "description": "送达调解书或者处理决定书。"},
            ],
            "special_procedures": [
                {
                    "name": "现场勘验",
                    "limit": 15,
                    "basis": "《土地权属争议调查处理办法》",
                    "counts_toward_limit": False,
                }
            ],
            "handling_forms": ["window"],
            "visits_required": 1,
            "visit_reason": "提交书面申请并参加调查、调解。",
            "online_depth": 1,
            "result_name": "土地权属争议调解书或者处理决定书",
            "result_type": "approval_document",
            "person_themes": ["住房"],
            "legal_person_themes": ["工程建设"],
            "faq": [faq("对处理决定不服怎么办？", "可以自接到处理决定通知之日起三十日内向人民法院起诉。")],
            "materials": [
                material("application", "土地权属争议调查处理申请书", copies=2),
                ID_CARD,
                material("evidence", "土地权属来源证明等证据材料"),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 30),),
    ),
    # ------------------------------------------------------------------ 税务 (tax)
    # 办税事项 are not powers of the 税务行政权力清单; like most provincial catalogs the demo lists
    # them as public services (classifications vary between provinces).
    DemoItem(
        base_code="DEMO-GG-0017",
        name="发票领用",
        item_type="public_service",
        legal_basis="《中华人民共和国发票管理办法》第十五条；《中华人民共和国发票管理办法实施细则》",
        competent_department="税务机关",
        exercised_levels=("county",),
        department="tax",
        content={
            "service_objects": ["legal_person", "person"],
            "handling_kind": "instant",
            "acceptance_conditions": (
                "依法办理设立登记（“多证合一”营业执照即税务登记证件）、需要领用发票的单位和个人，"
                "向主管税务机关办理发票领用手续。"
            ),
            "statutory_limit": 5,
            "statutory_limit_note": (
                "《中华人民共和国发票管理办法》第十五条：主管税务机关在5个工作日内确认领用发票的种类、数量以及领用方式。"
            ),
            "promised_limit": 0,
            "promised_limit_note": "新办纳税人首次申领发票，材料齐全的当日办结。",
            "steps": SERVICE_STEPS,
            **ONLINE_FULL,
            "handling_forms": ["online", "window", "post"],
            "express_delivery": True,
            "result_name": "发票领用结果（发票种类、数量和领用方式）",
            "result_type": "other",
            "legal_person_themes": ["开办企业", "税费办理"],
            "faq": [
                faq(
                    "新办企业还要单独办税务登记吗？",
                    "不用。营业执照核发后登记信息共享到税务部门，首次办税时确认信息即可。",
                ),
                faq(
                    "领用数电发票要盖发票专用章吗？",
                    "数电发票无需加盖发票专用章；领用纸质发票的才需提供发票专用章印模。",
                ),
            ],
            "materials": [
                BUSINESS_LICENSE,
                e_license("agent-id", "经办人居民身份证", "居民身份证", "公安机关"),
                material(
                    "invoice-seal",
                    "发票专用章印模",
                    necessity="optional",
                    form="electronic",
                    filling_notes="领用纸质发票的提供；只领用数电发票的无需提供。",
                    basis="《中华人民共和国发票管理办法》第十五条",
                ),
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 3100),),
    ),
    DemoItem(
        base_code="DEMO-GG-0018",
        name="契税申报",
        item_type="public_service",
        legal_basis="《中华人民共和国契税法》第十条、第十一条",
        competent_department="税务机关",
        exercised_levels=("county",),
        department="tax",
        content={
            "service_objects": ["person", "legal_person"],
            "handling_kind": "instant",
            "acceptance_conditions": (
                "在境内转移土地、房屋权属，承受的单位和个人为契税的纳税人，"
                "应当在依法办理土地、房屋权属登记手续前申报缴纳契税。"
            ),
            "promised_limit": 0,
            "promised_limit_note": "资料齐全的当场办结，开具契税完税凭证。",
            "steps": [
                {"name": "申报", "description": "承受方在线或在不动产登记综合窗口申报。"},
                {"name": "核定", "description": "税务机关核定计税依据和应纳税额。"},
                {"name": "缴纳", "description": "在线或窗口缴纳税款。"},
                {"name": "开具凭证", "description": "开具契税完税凭证，信息共享给不动产登记机构。"},
            ],
            # 全程网办; the tax is paid online too, but it is a tax, not a fee (no 收费 elements)
            **ONLINE_FULL,
            "co_handling_agencies": ["不动产登记机构（转移登记）"],
            "result_name": "契税完税凭证",
            "result_type": "other",
            "person_themes": ["住房", "税费办理"],
            "legal_person_themes": ["税费办理"],
            "faq": [
                faq(
                    "契税税率是多少？",
                    "契税税率为百分之三至百分之五，适用税率由省、自治区、直辖市人民政府提出、"
                    "同级人民代表大会常务委员会决定（《中华人民共和国契税法》第三条）。",
                ),
                faq(
                    "不交契税能办过户吗？",
                    "不能。不动产登记机构查验契税完税、减免税凭证或者有关信息，未按规定缴纳契税的不予办理权属登记"
                    "（《中华人民共和国契税法》第十一条）。",
                ),
            ],
            "materials": [
                material("contract", "土地、房屋权属转移合同（不动产买卖合同）"),
                e_license("buyer-id", "承受方居民身份证", "居民身份证", "公安机关"),
                {**PROPERTY_CERTIFICATE, "name": "转让方不动产权证书（存量房）"},
            ],
        },
        implementations=(DemoImplementation(JINGHONG, 14000),),
    ),
    # ------------------------------------------------------------------ 住房公积金 (housing fund)
    DemoItem(
        base_code="DEMO-GG-0019",
        name="住房公积金单位缴存登记",
        item_type="public_service",
        legal_basis="《住房公积金管理条例》第十四条、第十五条",
        competent_department="住房公积金管理中心",
        # the prefecture's centre; 景洪市 is served by its 景洪管理部
        exercised_levels=("prefecture",),
        department="fund",
        content={
            "service_objects": ["legal_person"],
            "handling_kind": "instant",
            "acceptance_conditions": (
                "新设立的单位自设立之日起30日内向住房公积金管理中心办理缴存登记，并自登记之日起20日内"
                "为本单位职工办理住房公积金账户设立手续；单位录用职工的，自录用之日起30日内办理缴存登记。"
            ),
            "promised_limit": 0,
            "promised_limit_note": "材料齐全的当场办结。",
            "steps": SERVICE_STEPS,
            **ONLINE_FULL,
            "result_name": "住房公积金单位缴存登记信息（单位住房公积金账号）",
            "result_type": "other",
            "legal_person_themes": ["开办企业", "人力资源"],
            "faq": [
                faq(
                    "新开办的企业什么时候要办公积金缴存登记？",
                    "自设立之日起30日内（《住房公积金管理条例》第十四条），可以在企业开办时一并办理。",
                )
            ],
            "materials": [
                BUSINESS_LICENSE,
                material("registration-form", "住房公积金单位缴存登记表", form="electronic"),
                e_license("agent-id", "经办人居民身份证", "居民身份证", "公安机关"),
            ],
        },
        implementations=(DemoImplementation(PREFECTURE, 300), DemoImplementation(JINGHONG, 2100)),
    ),
)
