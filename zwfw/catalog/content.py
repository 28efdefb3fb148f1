"""The elements of one implementation (实施清单), as a typed document.

A draft and every published ``ImplementationVersion`` hold one ``ImplementationContent`` as JSON.
The schema rejects shapes (wrong types, unknown enum values, overlong text); the publication
checks in ``checks.py`` judge the content as a whole. The six uniform elements of 五级十二同
(name, code, type, competent department, levels, legal basis) are not part of the content: they
are read from the ``ServiceItem`` and copied into each version when it is published.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Key = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]


class HandlingKind(StrEnum):
    """即办件 (decided on the spot) or 承诺件 (within the promised limit)."""

    INSTANT = "instant"
    PROMISED = "promised"


class LimitUnitName(StrEnum):
    """Units of a time limit (the calendar's ``LimitUnit`` values)."""

    WORKING_DAYS = "working_days"
    NATURAL_DAYS = "natural_days"


class SubjectNature(StrEnum):
    """实施主体性质: 法定 / 授权 / 受委托."""

    STATUTORY = "statutory"
    AUTHORIZED = "authorized"
    ENTRUSTED = "entrusted"


class ServiceObject(StrEnum):
    """服务对象: 自然人 / 法人 (and other organisations)."""

    PERSON = "person"
    LEGAL_PERSON = "legal_person"


class HandlingForm(StrEnum):
    """办理形式."""

    WINDOW = "window"
    ONLINE = "online"
    POST = "post"


class CrossRegionScope(StrEnum):
    """通办范围."""

    NONE = "none"
    PREFECTURE = "prefecture"  # 全市(州)通办
    PROVINCE = "province"  # 全省通办
    NATIONAL = "national"  # 跨省通办


class CrossRegionMode(StrEnum):
    """跨省通办模式."""

    FULL_ONLINE = "full_online"  # 全程网办
    PROXY_INTAKE = "proxy_intake"  # 异地代收代办
    JOINT_HANDLING = "joint_handling"  # 多地联办


class Necessity(StrEnum):
    """Whether a material must be provided: 必要 / 非必要 / 容缺 (may follow after acceptance)."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    DEFICIENCY_ALLOWED = "deficiency_allowed"


class MaterialForm(StrEnum):
    """纸质 / 电子 / 纸质或电子."""

    PAPER = "paper"
    ELECTRONIC = "electronic"
    EITHER = "either"


class CopyKind(StrEnum):
    """原件 / 复印件 / 原件和复印件."""

    ORIGINAL = "original"
    COPY = "copy"
    BOTH = "both"


class MaterialSource(StrEnum):
    """来源渠道: 申请人自备 / 政府部门核发 / 电子证照."""

    APPLICANT = "applicant"
    AGENCY_ISSUED = "agency_issued"
    E_LICENSE = "e_license"


class ResultType(StrEnum):
    """审批结果类型."""

    CERTIFICATE = "certificate"  # 证照
    APPROVAL_DOCUMENT = "approval_document"  # 批文
    OTHER = "other"


class _Element(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Step(_Element):
    """One step of the procedure (办理流程)."""

    name: Short
    description: Text = ""


class SpecialProcedure(_Element):
    """特别程序: its time does not count toward the limit unless ``counts_toward_limit``."""

    name: Short
    limit: int = Field(ge=0, le=3650)
    limit_unit: LimitUnitName = LimitUnitName.WORKING_DAYS
    basis: Text = ""
    counts_toward_limit: bool = False


class Fee(_Element):
    """One charge (收费项目)."""

    name: Short
    standard: Short  # e.g. "每件10元"
    amount_yuan: float | None = Field(default=None, ge=0)
    basis: Text = ""
    reduction: Text = ""


class Intermediary(_Element):
    """A catalogued intermediary service the applicant needs (中介服务)."""

    name: Short
    basis: Text = ""


class Faq(_Element):
    """常见问题."""

    question: Text
    answer: Text


class Material(_Element):
    """申请材料: one document the applicant provides (or the platform fetches)."""

    key: Key
    name: Short
    necessity: Necessity = Necessity.REQUIRED
    commitment_allowed: bool = False
    form: MaterialForm = MaterialForm.EITHER
    copy_kind: CopyKind = CopyKind.ORIGINAL
    copies: int = Field(default=1, ge=0, le=99)
    source: MaterialSource = MaterialSource.APPLICANT
    license_type: Short = ""
    issuing_agency: Short = ""
    blank_form: Short = ""  # CatalogFile id
    sample: Short = ""  # CatalogFile id
    filling_notes: Text = ""
    acceptance_standard: Text = ""
    basis: Text = ""


class ImplementationContent(_Element):
    """Every non-uniform element of a 实施清单 entry (DOMAIN.md, "A 实施清单 entry")."""

    subject_nature: SubjectNature = SubjectNature.STATUTORY
    entrusting_agency: Short = ""
    service_objects: list[ServiceObject] = Field(default_factory=lambda: [ServiceObject.PERSON])
    handling_kind: HandlingKind = HandlingKind.PROMISED
    acceptance_conditions: Text = ""
    statutory_limit: int | None = Field(default=None, ge=0, le=3650)
    statutory_limit_unit: LimitUnitName = LimitUnitName.WORKING_DAYS
    statutory_limit_note: Text = ""
    promised_limit: int | None = Field(default=None, ge=0, le=3650)
    promised_limit_unit: LimitUnitName = LimitUnitName.WORKING_DAYS
    promised_limit_note: Text = ""
    steps: list[Step] = Field(default_factory=list, max_length=50)
    special_procedures: list[SpecialProcedure] = Field(default_factory=list, max_length=20)
    handling_forms: list[HandlingForm] = Field(default_factory=lambda: [HandlingForm.WINDOW])
    visits_required: int = Field(default=1, ge=0, le=10)
    visit_reason: Text = ""
    charged: bool = False
    fee_basis: Text = ""
    fees: list[Fee] = Field(default_factory=list, max_length=50)
    place: Text = ""
    hours: Short = ""
    consultation_phone: Short = ""
    consultation_other: Short = ""
    complaint_phone: Short = ""
    complaint_other: Short = ""
    online_depth: int = Field(default=1, ge=1, le=4)
    online_url_pc: Url = ""
    online_url_mobile: Url = ""
    online_payment: bool = False
    express_delivery: bool = False
    booking: bool = False
    self_service_terminal: bool = False
    cross_region_scope: CrossRegionScope = CrossRegionScope.NONE
    cross_region_modes: list[CrossRegionMode] = Field(default_factory=list)
    result_name: Short = ""
    result_type: ResultType = ResultType.CERTIFICATE
    result_sample: Short = ""  # CatalogFile id
    intermediaries: list[Intermediary] = Field(default_factory=list, max_length=20)
    co_handling_agencies: list[Short] = Field(default_factory=list, max_length=20)
    person_themes: list[Short] = Field(default_factory=list, max_length=20)
    legal_person_themes: list[Short] = Field(default_factory=list, max_length=20)
    faq: list[Faq] = Field(default_factory=list, max_length=50)
    materials: list[Material] = Field(default_factory=list, max_length=100)
    extension_allowed: bool = False
    extension_limit: int | None = Field(default=None, ge=0, le=3650)
