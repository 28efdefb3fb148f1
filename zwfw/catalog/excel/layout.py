"""The Excel layout of the 实施清单, after the national reporting tables (DOMAIN.md).

One workbook, one sheet per table: "实施清单" (one row per implementation) and four detail
sheets keyed by 实施编码 ("申请材料", "特别程序", "收费项目", "常见问题"); the template adds
"说明" (every column documented) and a hidden "选项" sheet feeding the drop-down lists.

Headers and the Chinese labels of enumerated values are part of the file format (the national
tables are in Chinese), so they are constants here, not translated text. ``CHOICES`` is the one
table mapping labels to the enum values of ``content.py`` / ``models.py``; ``cells.parse_cell``
and ``cells.format_cell`` convert one cell in each direction, so export and import cannot drift
apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

CellValue = str | int | float | bool | None

MAIN_SHEET = "实施清单"
MATERIAL_SHEET = "申请材料"
PROCEDURE_SHEET = "特别程序"
FEE_SHEET = "收费项目"
FAQ_SHEET = "常见问题"
HELP_SHEET = "说明"
OPTIONS_SHEET = "选项"
CODE_HEADER = "实施编码"


class Kind(StrEnum):
    """How a cell is read and written."""

    TEXT = "text"  # free text (newlines kept)
    INT = "int"  # a whole number
    DECIMAL = "decimal"  # a number, decimals allowed
    BOOL = "bool"  # 是 / 否
    ENUM = "enum"  # one label of a ``CHOICES`` list
    ENUM_LIST = "enum_list"  # several labels, separated by 、
    NAMES = "names"  # several short names, separated by 、 or one per line
    LINES = "lines"  # one entry per line: "名称：说明"
    DEPTH = "depth"  # online depth Ⅰ–Ⅳ (or 1–4)


@dataclass(frozen=True)
class Choice:
    """One allowed value of an enumerated column: the stored value, its label and accepted aliases."""

    value: str
    label: str
    aliases: tuple[str, ...] = ()


def _c(value: str, label: str, *aliases: str) -> Choice:
    return Choice(value, label, aliases)


# The one table of Chinese labels <-> stored values (first label of each value is written on export).
CHOICES: dict[str, tuple[Choice, ...]] = {
    "item_type": (
        _c("licensing", "行政许可"),
        _c("confirmation", "行政确认"),
        _c("adjudication", "行政裁决"),
        _c("benefit", "行政给付"),
        _c("reward", "行政奖励"),
        _c("filing", "行政备案"),
        _c("other_power", "其他行政权力"),
        _c("public_service", "公共服务"),
    ),
    "item_layer": (
        _c("main", "主项"),
        _c("sub", "子项"),
        _c("handling", "业务办理项", "办理项"),
    ),
    "exercise_level": (
        _c("national", "国家级", "国家"),
        _c("province", "省级", "省"),
        _c("prefecture", "市级", "市", "州", "州级", "市（州）级", "市(州)级", "设区的市级"),
        _c("county", "县级", "县", "县（市、区）级", "县(市、区)级"),
        _c("township", "乡镇级", "乡镇街道", "乡镇（街道）级", "镇（乡、街道）级", "乡级"),
        _c("village", "村级", "村社区", "村（社区）级"),
    ),
    "subject_nature": (
        _c("statutory", "法定", "法定机关"),
        _c("authorized", "授权", "授权组织", "法律法规授权组织"),
        _c("entrusted", "受委托", "受委托组织"),
    ),
    "service_object": (
        _c("person", "自然人"),
        _c("legal_person", "法人", "法人和其他组织", "企业法人"),
    ),
    "handling_kind": (
        _c("instant", "即办件"),
        _c("promised", "承诺件"),
    ),
    "limit_unit": (
        _c("working_days", "工作日"),
        _c("natural_days", "自然日"),
    ),
    "handling_form": (
        _c("window", "窗口办理", "窗口"),
        _c("online", "网上办理", "网上", "网办"),
        _c("post", "邮寄办理", "邮寄", "快递"),
    ),
    "cross_region_scope": (
        _c("none", "不通办", "无"),
        _c("prefecture", "全市通办", "全州通办", "全市（州）通办"),
        _c("province", "全省通办"),
        _c("national", "跨省通办"),
    ),
    "cross_region_mode": (
        _c("full_online", "全程网办"),
        _c("proxy_intake", "异地代收代办"),
        _c("joint_handling", "多地联办"),
    ),
    "result_type": (
        _c("certificate", "证照"),
        _c("approval_document", "批文"),
        _c("other", "其他"),
    ),
    "necessity": (
        _c("required", "必要"),
        _c("optional", "非必要"),
        _c("deficiency_allowed", "容缺", "容缺后补"),
    ),
    "material_form": (
        _c("paper", "纸质"),
        _c("electronic", "电子"),
        _c("either", "纸质或电子", "纸质/电子", "纸质和电子"),
    ),
    "copy_kind": (
        _c("original", "原件"),
        _c("copy", "复印件"),
        _c("both", "原件和复印件", "原件及复印件"),
    ),
    "material_source": (
        _c("applicant", "申请人自备"),
        _c("agency_issued", "政府部门核发"),
        _c("e_license", "电子证照"),
    ),
}
YES, NO = "是", "否"
DEPTH_LABELS = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ")
LABEL_OF: dict[str, dict[str, str]] = {
    name: {choice.value: choice.label for choice in choices} for name, choices in CHOICES.items()
}


def labels(choices: str) -> list[str]:
    """The canonical labels of one choice list, in order."""
    return [c.label for c in CHOICES[choices]]


@dataclass(frozen=True)
class Column:
    """One column: its header, where its value goes, how a cell is read and what it means."""

    header: str
    target: str  # "impl.<x>", "item.<x>", "content.<field>" (main sheet) or an element field
    kind: Kind = Kind.TEXT
    choices: str = ""
    required: bool = False
    max_length: int = 0  # checked here for values outside the pydantic content
    parts: tuple[str, str] = ("name", "description")  # Kind.LINES: the two fields of a line
    help: str | Promise = ""
    blank: str | Promise = ""  # what an empty cell means
    example: CellValue = None
    width: int = 16

    @property
    def field(self) -> str:
        """The attribute name the column fills."""
        return self.target.split(".", 1)[-1]


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name and columns; detail sheets fill one list of the content."""

    name: str
    columns: tuple[Column, ...]
    content_list: str = ""  # detail sheets: "materials", "fees", ...
    by_header: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_header", {c.header: c for c in self.columns})

    def column_for(self, target: str) -> Column | None:
        """The column that fills ``target`` (e.g. "content.place" or "copies")."""
        for column in self.columns:
            if column.target == target or column.field == target:
                return column
        return None


_BLANK_EMPTY = gettext_lazy("Empty: none.")
_BLANK_NO = gettext_lazy("Empty: 否.")
_BLANK_TEXT = gettext_lazy("Empty: not given.")
_CODE = Column(
    CODE_HEADER,
    "impl.code",
    required=True,
    max_length=60,
    help=gettext_lazy("Implementation code (实施编码) of the row in 实施清单 this row belongs to."),
    example="11530000MB0000001-XK-001-532801",
    width=30,
)

MAIN = Sheet(
    MAIN_SHEET,
    (
        Column(
            CODE_HEADER,
            "impl.code",
            required=True,
            max_length=60,
            help=gettext_lazy(
                "Implementation code (GB/T 39554.1): identifies the row; an existing code updates "
                "that implementation's draft, a new code creates one. No spaces."
            ),
            example="11530000MB0000001-XK-001-532801",
            width=30,
        ),
        Column(
            "基本编码",
            "item.base_code",
            required=True,
            max_length=40,
            help=gettext_lazy(
                "Base code of the catalog item (基本目录). An unknown code creates the catalog item "
                "from this row's item columns."
            ),
            example="11530000MB0000001-XK-001",
            width=26,
        ),
        Column(
            "事项名称",
            "item.name",
            required=True,
            max_length=200,
            help=gettext_lazy("Item name; must equal the catalog's name when the item exists (五级十二同)."),
            example="食品经营许可",
            width=24,
        ),
        Column(
            "事项类型",
            "item.item_type",
            Kind.ENUM,
            "item_type",
            required=True,
            help=gettext_lazy("Item type; must equal the catalog's type when the item exists."),
            example="行政许可",
        ),
        Column(
            "实施主体",
            "impl.agency",
            required=True,
            max_length=120,
            help=gettext_lazy("Name of the implementing agency, exactly as registered in its region."),
            example="景洪市市场监督管理局",
            width=24,
        ),
        Column(
            "实施主体所在区划代码",
            "impl.region",
            required=True,
            help=gettext_lazy(
                "GB/T 2260 code of the agency's region (6 digits; 12 for townships and villages)."
            ),
            example="532801",
        ),
        Column(
            "设定依据",
            "item.legal_basis",
            help=gettext_lazy(
                "Laws and regulations that create the item; required for a new item unless it is a "
                "public service. For an existing item, empty or equal to the catalog."
            ),
            blank=gettext_lazy("Empty: taken from the catalog."),
            example="《中华人民共和国食品安全法》第三十五条",
            width=30,
        ),
        Column(
            "主管部门",
            "item.competent_department",
            max_length=120,
            help=gettext_lazy("Competent department of the item (uniform element)."),
            blank=gettext_lazy("Empty: taken from the catalog."),
            example="市场监督管理部门",
        ),
        Column(
            "行使层级",
            "item.exercised_levels",
            Kind.ENUM_LIST,
            "exercise_level",
            help=gettext_lazy("Levels that exercise the item, separated by 、; required for a new item."),
            blank=gettext_lazy("Empty: taken from the catalog."),
            example="县级",
        ),
        Column(
            "事项层级",
            "item.layer",
            Kind.ENUM,
            "item_layer",
            help=gettext_lazy("Layer of a new item: main item, sub-item or handling item."),
            blank=gettext_lazy("Empty: 主项."),
        ),
        Column(
            "上级事项基本编码",
            "item.parent",
            max_length=40,
            help=gettext_lazy(
                "Base code of the parent item, for a sub-item or handling item (in the catalog or "
                "in this file)."
            ),
            blank=_BLANK_EMPTY,
            width=26,
        ),
        Column(
            "办理情形",
            "item.situation",
            max_length=40,
            help=gettext_lazy("Situation of a handling item (新设/变更/延续/注销 …)."),
            blank=_BLANK_EMPTY,
        ),
        Column(
            "实施主体性质",
            "content.subject_nature",
            Kind.ENUM,
            "subject_nature",
            help=gettext_lazy("Nature of the implementing agency."),
            blank=gettext_lazy("Empty: 法定."),
            example="法定",
        ),
        Column(
            "委托部门",
            "content.entrusting_agency",
            help=gettext_lazy("The entrusting agency, when the nature is 受委托."),
            blank=_BLANK_EMPTY,
        ),
        Column(
            "服务对象",
            "content.service_objects",
            Kind.ENUM_LIST,
            "service_object",
            help=gettext_lazy("Who the item serves, separated by 、."),
            blank=_BLANK_EMPTY,
            example="自然人、法人",
        ),
        Column(
            "办件类型",
            "content.handling_kind",
            Kind.ENUM,
            "handling_kind",
            help=gettext_lazy("即办件 (decided on the spot, promised limit 0) or 承诺件."),
            blank=gettext_lazy("Empty: 承诺件."),
            example="承诺件",
        ),
        Column(
            "受理条件",
            "content.acceptance_conditions",
            help=gettext_lazy("Conditions for acceptance."),
            blank=_BLANK_TEXT,
            example="申请人具有完全民事行为能力。",
            width=30,
        ),
        Column(
            "法定办结时限",
            "content.statutory_limit",
            Kind.INT,
            help=gettext_lazy("Statutory time limit, a whole number of days (0–3650)."),
            blank=_BLANK_TEXT,
            example=20,
        ),
        Column(
            "法定时限单位",
            "content.statutory_limit_unit",
            Kind.ENUM,
            "limit_unit",
            help=gettext_lazy("Unit of the statutory limit."),
            blank=gettext_lazy("Empty: 工作日."),
            example="工作日",
        ),
        Column(
            "法定时限说明",
            "content.statutory_limit_note",
            help=gettext_lazy("Note on the statutory limit."),
            blank=_BLANK_TEXT,
        ),
        Column(
            "承诺办结时限",
            "content.promised_limit",
            Kind.INT,
            help=gettext_lazy("Promised time limit, a whole number of days (0 = 即办)."),
            blank=_BLANK_TEXT,
            example=10,
        ),
        Column(
            "承诺时限单位",
            "content.promised_limit_unit",
            Kind.ENUM,
            "limit_unit",
            help=gettext_lazy("Unit of the promised limit."),
            blank=gettext_lazy("Empty: 工作日."),
            example="工作日",
        ),
        Column(
            "承诺时限说明",
            "content.promised_limit_note",
            help=gettext_lazy("Note on the promised limit."),
            blank=_BLANK_TEXT,
        ),
        Column(
            "是否允许延期",
            "content.extension_allowed",
            Kind.BOOL,
            help=gettext_lazy("Whether the limit may be extended."),
            blank=_BLANK_NO,
            example=NO,
        ),
        Column(
            "延期时限",
            "content.extension_limit",
            Kind.INT,
            help=gettext_lazy("Extension, a whole number of days."),
            blank=_BLANK_TEXT,
        ),
        Column(
            "办理流程",
            "content.steps",
            Kind.LINES,
            parts=("name", "description"),
            help=gettext_lazy(
                "Steps of the procedure, one per line, as 步骤名称：说明 (the explanation is optional; "
                "a leading number such as 1. is dropped)."
            ),
            blank=_BLANK_EMPTY,
            example="受理：窗口核对材料\n审查\n决定\n送达",
            width=30,
        ),
        Column(
            "办理形式",
            "content.handling_forms",
            Kind.ENUM_LIST,
            "handling_form",
            help=gettext_lazy("Handling forms, separated by 、."),
            blank=_BLANK_EMPTY,
            example="窗口办理、网上办理、邮寄办理",
        ),
        Column(
            "到办事现场次数",
            "content.visits_required",
            Kind.INT,
            help=gettext_lazy("How many times the applicant must come in person (0–10)."),
            blank=gettext_lazy("Empty: 1."),
            example=1,
        ),
        Column(
            "必须到现场原因",
            "content.visit_reason",
            help=gettext_lazy("Why the applicant must come in person (required when visits > 0)."),
            blank=_BLANK_TEXT,
            example="现场核验身份及原件。",
        ),
        Column(
            "是否收费",
            "content.charged",
            Kind.BOOL,
            help=gettext_lazy("Whether the item is charged; fee items go to the 收费项目 sheet."),
            blank=_BLANK_NO,
            example=NO,
        ),
        Column(
            "收费依据",
            "content.fee_basis",
            help=gettext_lazy("Basis of the fees (required when charged)."),
            blank=_BLANK_TEXT,
        ),
        Column(
            "办理地点",
            "content.place",
            help=gettext_lazy("Where the item is handled."),
            blank=_BLANK_TEXT,
            example="景洪市政务服务中心一楼综合窗口",
            width=30,
        ),
        Column(
            "办理时间",
            "content.hours",
            help=gettext_lazy("Handling hours."),
            blank=_BLANK_TEXT,
            example="周一至周五 9:00-12:00, 14:30-18:00",
            width=24,
        ),
        Column(
            "咨询电话",
            "content.consultation_phone",
            help=gettext_lazy("Consultation phone number."),
            blank=_BLANK_TEXT,
            example="0691-2123456",
        ),
        Column(
            "其他咨询方式",
            "content.consultation_other",
            help=gettext_lazy("Other consultation channels."),
            blank=_BLANK_TEXT,
        ),
        Column(
            "投诉电话",
            "content.complaint_phone",
            help=gettext_lazy("Complaint phone number (must differ from the consultation number)."),
            blank=_BLANK_TEXT,
            example="0691-12345",
        ),
        Column(
            "其他投诉方式",
            "content.complaint_other",
            help=gettext_lazy("Other complaint channels."),
            blank=_BLANK_TEXT,
        ),
        Column(
            "网上办理深度",
            "content.online_depth",
            Kind.DEPTH,
            help=gettext_lazy(
                "Online depth: Ⅰ information, Ⅱ forms and booking, Ⅲ online pre-review/acceptance, "
                "Ⅳ fully online (1–4 also accepted)."
            ),
            blank=gettext_lazy("Empty: Ⅰ."),
            example="Ⅲ",
        ),
        Column(
            "网办地址(PC)",
            "content.online_url_pc",
            help=gettext_lazy("Online handling address for computers."),
            blank=_BLANK_TEXT,
            example="https://zwfw.yn.gov.cn/item/1",
            width=30,
        ),
        Column(
            "网办地址(移动端)",
            "content.online_url_mobile",
            help=gettext_lazy("Deep link for the mobile app (精准跳转)."),
            blank=_BLANK_TEXT,
            width=30,
        ),
        Column(
            "是否支持网上支付",
            "content.online_payment",
            Kind.BOOL,
            help=gettext_lazy("Online payment offered."),
            blank=_BLANK_NO,
            example=NO,
        ),
        Column(
            "是否支持物流快递",
            "content.express_delivery",
            Kind.BOOL,
            help=gettext_lazy("Results sent by post."),
            blank=_BLANK_NO,
            example=YES,
        ),
        Column(
            "是否支持预约办理",
            "content.booking",
            Kind.BOOL,
            help=gettext_lazy("Booking offered."),
            blank=_BLANK_NO,
            example=YES,
        ),
        Column(
            "是否支持自助终端",
            "content.self_service_terminal",
            Kind.BOOL,
            help=gettext_lazy("Self-service terminal offered."),
            blank=_BLANK_NO,
            example=NO,
        ),
        Column(
            "通办范围",
            "content.cross_region_scope",
            Kind.ENUM,
            "cross_region_scope",
            help=gettext_lazy("Cross-region scope."),
            blank=gettext_lazy("Empty: 不通办."),
            example="全省通办",
        ),
        Column(
            "跨省通办模式",
            "content.cross_region_modes",
            Kind.ENUM_LIST,
            "cross_region_mode",
            help=gettext_lazy("Cross-province modes, separated by 、 (required for 跨省通办)."),
            blank=_BLANK_EMPTY,
        ),
        Column(
            "审批结果名称",
            "content.result_name",
            help=gettext_lazy("Name of the result."),
            blank=_BLANK_TEXT,
            example="食品经营许可证",
        ),
        Column(
            "审批结果类型",
            "content.result_type",
            Kind.ENUM,
            "result_type",
            help=gettext_lazy("Type of the result."),
            blank=gettext_lazy("Empty: 证照."),
            example="证照",
        ),
        Column(
            "结果样本",
            "content.result_sample",
            help=gettext_lazy("Identifier of the uploaded result sample file."),
            blank=_BLANK_TEXT,
            example="sample-1",
        ),
        Column(
            "中介服务",
            "content.intermediaries",
            Kind.LINES,
            parts=("name", "basis"),
            help=gettext_lazy("Intermediary services, one per line, as 名称：依据."),
            blank=_BLANK_EMPTY,
            width=24,
        ),
        Column(
            "联办机构",
            "content.co_handling_agencies",
            Kind.NAMES,
            help=gettext_lazy("Co-handling agencies, separated by 、 or one per line."),
            blank=_BLANK_EMPTY,
        ),
        Column(
            "自然人主题",
            "content.person_themes",
            Kind.NAMES,
            help=gettext_lazy("Life-event themes for persons, separated by 、."),
            blank=_BLANK_EMPTY,
        ),
        Column(
            "法人主题",
            "content.legal_person_themes",
            Kind.NAMES,
            help=gettext_lazy("Business-event themes for legal persons, separated by 、."),
            blank=_BLANK_EMPTY,
            example="准营",
        ),
    ),
)

MATERIALS = Sheet(
    MATERIAL_SHEET,
    (
        _CODE,
        Column(
            "材料标识",
            "key",
            help=gettext_lazy(
                "Stable key of the material within the implementation: lower-case letters, digits, "
                "- and _ (at most 40)."
            ),
            blank=gettext_lazy("Empty: m1, m2 … by position."),
            example="application",
        ),
        Column(
            "材料名称",
            "name",
            required=True,
            help=gettext_lazy("Material name."),
            example="食品经营许可申请书",
        ),
        Column(
            "必要性",
            "necessity",
            Kind.ENUM,
            "necessity",
            help=gettext_lazy("必要, 非必要 or 容缺 (may follow after acceptance)."),
            blank=gettext_lazy("Empty: 必要."),
            example="必要",
        ),
        Column(
            "是否可告知承诺",
            "commitment_allowed",
            Kind.BOOL,
            help=gettext_lazy("Whether a signed commitment may replace it."),
            blank=_BLANK_NO,
            example=NO,
        ),
        Column(
            "材料形式",
            "form",
            Kind.ENUM,
            "material_form",
            help=gettext_lazy("Paper, electronic, or either."),
            blank=gettext_lazy("Empty: 纸质或电子."),
            example="纸质或电子",
        ),
        Column(
            "原件/复印件",
            "copy_kind",
            Kind.ENUM,
            "copy_kind",
            help=gettext_lazy("Original, copy, or both."),
            blank=gettext_lazy("Empty: 原件."),
            example="原件",
        ),
        Column(
            "份数",
            "copies",
            Kind.INT,
            help=gettext_lazy("Copies (0–99)."),
            blank=gettext_lazy("Empty: 1."),
            example=1,
        ),
        Column(
            "来源渠道",
            "source",
            Kind.ENUM,
            "material_source",
            help=gettext_lazy("Where the material comes from."),
            blank=gettext_lazy("Empty: 申请人自备."),
            example="申请人自备",
        ),
        Column(
            "证照类型",
            "license_type",
            help=gettext_lazy("E-license type (required when the source is 电子证照)."),
            blank=_BLANK_TEXT,
        ),
        Column("出具单位", "issuing_agency", help=gettext_lazy("Issuing agency."), blank=_BLANK_TEXT),
        Column(
            "空白表格",
            "blank_form",
            help=gettext_lazy("Identifier of the blank form file."),
            blank=_BLANK_TEXT,
        ),
        Column("示例样表", "sample", help=gettext_lazy("Identifier of the sample file."), blank=_BLANK_TEXT),
        Column("填报须知", "filling_notes", help=gettext_lazy("Filling notes."), blank=_BLANK_TEXT, width=24),
        Column(
            "受理标准", "acceptance_standard", help=gettext_lazy("Acceptance standard."), blank=_BLANK_TEXT
        ),
        Column("依据", "basis", help=gettext_lazy("Basis."), blank=_BLANK_TEXT),
    ),
    content_list="materials",
)

PROCEDURES = Sheet(
    PROCEDURE_SHEET,
    (
        _CODE,
        Column(
            "程序名称",
            "name",
            required=True,
            help=gettext_lazy("Name of the special procedure."),
            example="现场勘验",
        ),
        Column(
            "时限", "limit", Kind.INT, required=True, help=gettext_lazy("Its time limit (days)."), example=10
        ),
        Column(
            "时限单位",
            "limit_unit",
            Kind.ENUM,
            "limit_unit",
            help=gettext_lazy("Unit of its limit."),
            blank=gettext_lazy("Empty: 工作日."),
            example="工作日",
        ),
        Column(
            "是否计入办结时限",
            "counts_toward_limit",
            Kind.BOOL,
            help=gettext_lazy("Whether its time counts toward the limit."),
            blank=_BLANK_NO,
            example=NO,
        ),
        Column("依据", "basis", help=gettext_lazy("Basis."), blank=_BLANK_TEXT),
    ),
    content_list="special_procedures",
)

FEES = Sheet(
    FEE_SHEET,
    (
        _CODE,
        Column(
            "收费项目名称", "name", required=True, help=gettext_lazy("Fee item name."), example="证书工本费"
        ),
        Column(
            "收费标准",
            "standard",
            required=True,
            help=gettext_lazy("Fee standard as text."),
            example="每件10元",
        ),
        Column(
            "金额（元）",
            "amount_yuan",
            Kind.DECIMAL,
            help=gettext_lazy("Amount in yuan, for comparisons."),
            blank=_BLANK_TEXT,
            example=10,
        ),
        Column("收费依据", "basis", help=gettext_lazy("Basis."), blank=_BLANK_TEXT),
        Column("减免政策", "reduction", help=gettext_lazy("Reductions and exemptions."), blank=_BLANK_TEXT),
    ),
    content_list="fees",
)

FAQS = Sheet(
    FAQ_SHEET,
    (
        _CODE,
        Column(
            "问题",
            "question",
            required=True,
            help=gettext_lazy("Question."),
            example="可以网上办理吗？",
            width=30,
        ),
        Column(
            "解答",
            "answer",
            required=True,
            help=gettext_lazy("Answer."),
            example="可以，登录云南政务服务网办理。",
            width=40,
        ),
    ),
    content_list="faq",
)

DETAIL_SHEETS: tuple[Sheet, ...] = (MATERIALS, PROCEDURES, FEES, FAQS)
SHEETS: tuple[Sheet, ...] = (MAIN, *DETAIL_SHEETS)
SHEET_BY_NAME = {s.name: s for s in SHEETS}
# content element lists filled by a main-sheet cell rather than a detail sheet
