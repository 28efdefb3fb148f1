"""The public guide (办事指南), generated from one published version (线上线下同源).

A guide is never stored or edited on its own: ``guide_build`` turns an immutable
``ImplementationVersion`` into a read-only view-model, in the order a citizen needs it, with the
enum values of the content already turned into Chinese labels. The HTML page, the print view and
the PDF all render this one view-model, so the three can never disagree.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zwfw.catalog import selectors
from zwfw.catalog.content import (
    CopyKind,
    CrossRegionMode,
    CrossRegionScope,
    HandlingForm,
    HandlingKind,
    ImplementationContent,
    LimitUnitName,
    MaterialForm,
    MaterialSource,
    Necessity,
    ResultType,
    ServiceObject,
    SubjectNature,
)
from zwfw.catalog.models import (
    CatalogFile,
    ExerciseLevel,
    Implementation,
    ImplementationStatus,
    ImplementationVersion,
    ItemType,
    MaterialRequirement,
)
from zwfw.core.errors import NotFound
from zwfw.core.models import Region

# --- labels of the content's enum values ---------------------------------------------------------

NECESSITY_LABELS: dict[str, Promise] = {
    Necessity.REQUIRED: gettext_lazy("Required"),
    Necessity.OPTIONAL: gettext_lazy("Optional"),
    Necessity.DEFICIENCY_ALLOWED: gettext_lazy("May follow after acceptance"),
}
FORM_LABELS: dict[str, Promise] = {
    MaterialForm.PAPER: gettext_lazy("Paper"),
    MaterialForm.ELECTRONIC: gettext_lazy("Electronic"),
    MaterialForm.EITHER: gettext_lazy("Paper or electronic"),
}
COPY_LABELS: dict[str, Promise] = {
    CopyKind.ORIGINAL: gettext_lazy("Original"),
    CopyKind.COPY: gettext_lazy("Photocopy"),
    CopyKind.BOTH: gettext_lazy("Original and photocopy"),
}
SOURCE_LABELS: dict[str, Promise] = {
    MaterialSource.APPLICANT: gettext_lazy("Prepared by the applicant"),
    MaterialSource.AGENCY_ISSUED: gettext_lazy("Issued by a government agency"),
    MaterialSource.E_LICENSE: gettext_lazy("Electronic licence"),
}
SERVICE_OBJECT_LABELS: dict[str, Promise] = {
    ServiceObject.PERSON: gettext_lazy("Natural persons"),
    ServiceObject.LEGAL_PERSON: gettext_lazy("Legal persons and other organisations"),
}
HANDLING_KIND_LABELS: dict[str, Promise] = {
    HandlingKind.INSTANT: gettext_lazy("Instant item (decided on the spot)"),
    HandlingKind.PROMISED: gettext_lazy("Promised item (decided within the promised time limit)"),
}
SUBJECT_NATURE_LABELS: dict[str, Promise] = {
    SubjectNature.STATUTORY: gettext_lazy("Statutory authority"),
    SubjectNature.AUTHORIZED: gettext_lazy("Authorised by law"),
    SubjectNature.ENTRUSTED: gettext_lazy("Entrusted"),
}
HANDLING_FORM_LABELS: dict[str, Promise] = {
    HandlingForm.WINDOW: gettext_lazy("At the service window"),
    HandlingForm.ONLINE: gettext_lazy("Online"),
    HandlingForm.POST: gettext_lazy("By post"),
}
CROSS_REGION_SCOPE_LABELS: dict[str, Promise] = {
    CrossRegionScope.NONE: gettext_lazy("Only in the region of the handling agency"),
    CrossRegionScope.PREFECTURE: gettext_lazy("Anywhere in the prefecture"),
    CrossRegionScope.PROVINCE: gettext_lazy("Anywhere in the province"),
    CrossRegionScope.NATIONAL: gettext_lazy("Across provinces"),
}
CROSS_REGION_MODE_LABELS: dict[str, Promise] = {
    CrossRegionMode.FULL_ONLINE: gettext_lazy("Fully online"),
    CrossRegionMode.PROXY_INTAKE: gettext_lazy("Materials received in another region and forwarded"),
    CrossRegionMode.JOINT_HANDLING: gettext_lazy("Handled jointly by several regions"),
}
RESULT_TYPE_LABELS: dict[str, Promise] = {
    ResultType.CERTIFICATE: gettext_lazy("Certificate or licence"),
    ResultType.APPROVAL_DOCUMENT: gettext_lazy("Approval document"),
    ResultType.OTHER: gettext_lazy("Other"),
}
# 网上办理深度 Ⅰ–Ⅳ: the level's name and what it means for the applicant.
ONLINE_DEPTH_LABELS: dict[int, tuple[str, Promise]] = {
    1: ("Ⅰ", gettext_lazy("Information only: read the guide online, apply in person")),
    2: ("Ⅱ", gettext_lazy("Download forms and book an appointment online")),
    3: ("Ⅲ", gettext_lazy("Apply and have the materials pre-checked online")),
    4: ("Ⅳ", gettext_lazy("Fully online: no visit needed")),
}


def _label(labels: dict[str, Promise], value: str) -> str:
    """The Chinese label of an enum value (the raw value if the table does not know it)."""
    found = labels.get(value)
    return str(found) if found is not None else value


def limit_text(value: int | None, unit: str) -> str:
    """A time limit as a citizen reads it: "即办" for 0, else "N个工作日" / "N个自然日"."""
    if value is None:
        return ""
    if value == 0:
        return _("Instant (decided on the spot)")
    if unit == LimitUnitName.NATURAL_DAYS:
        return _("%(n)d calendar days") % {"n": value}
    return _("%(n)d working days") % {"n": value}


_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"[^0-9+]")


def safe_url(value: str) -> str:
    """The URL if it is a plain http(s) address, else "" (never a ``javascript:`` link)."""
    value = (value or "").strip()
    return value if _SAFE_URL.match(value) else ""


def tel_href(phone: str) -> str:
    """A ``tel:`` link target for a phone number as written (digits and + only), or ""."""
    digits = _PHONE_CHARS.sub("", phone or "")
    return f"tel:{digits}" if len(digits) >= 3 else ""


# --- the view-model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuideFile:
    """A downloadable blank form, sample or result sample."""

    id: int
    name: str
    content_type: str
    size: int
    url: str


@dataclass(frozen=True)
class GuideMaterial:
    """One row of the materials table."""

    key: str
    name: str
    necessity: str
    necessity_label: str
    commitment_allowed: bool
    form_label: str
    copy_label: str
    copies: int
    source: str
    source_label: str
    issuer: str
    blank_form: GuideFile | None
    sample: GuideFile | None
    filling_notes: str
    acceptance_standard: str
    basis: str


@dataclass(frozen=True)
class GuideStep:
    """One step of the procedure."""

    number: int
    name: str
    description: str


@dataclass(frozen=True)
class GuideSpecialProcedure:
    """One 特别程序 with its limit and whether it counts toward the time limit."""

    name: str
    limit: str
    counts_toward_limit: bool
    basis: str


@dataclass(frozen=True)
class GuideFee:
    """One charge."""

    name: str
    standard: str
    amount_yuan: float | None
    basis: str
    reduction: str


@dataclass(frozen=True)
class GuideContact:
    """A phone number (with its ``tel:`` link) and other ways to reach the agency."""

    phone: str
    tel: str
    other: str


@dataclass(frozen=True)
class GuideLink:
    """A labelled outbound link (the 精准跳转 deep links)."""

    label: str
    url: str


@dataclass(frozen=True)
class GuideFaq:
    """One question and its answer."""

    question: str
    answer: str


@dataclass(frozen=True)
class Guide:
    """Everything a citizen needs about one published version, ready to render."""

    implementation_id: int
    version_number: int
    current_number: int | None
    published_at: datetime.datetime
    # who and where
    name: str
    code: str
    base_code: str
    agency: str
    region: str
    region_path: str
    competent_department: str
    subject_nature: str
    entrusting_agency: str
    exercised_levels: list[str]
    # what it is
    item_type: str
    item_type_label: str
    service_objects: list[str]
    handling_kind: str
    handling_kind_label: str
    # conditions, materials, procedure
    acceptance_conditions: str
    materials: list[GuideMaterial]
    steps: list[GuideStep]
    special_procedures: list[GuideSpecialProcedure]
    # time limits
    statutory_limit: str
    statutory_limit_note: str
    promised_limit: str
    promised_limit_note: str
    is_instant: bool
    extension: str
    # fees
    charged: bool
    fee_basis: str
    fees: list[GuideFee]
    # where, when, how
    place: str
    hours: str
    handling_forms: list[str]
    visits_required: int
    visit_reason: str
    express_delivery: bool
    booking: bool
    self_service_terminal: bool
    online_payment: bool
    # online
    online_depth: int
    online_depth_level: str
    online_depth_meaning: str
    apply_links: list[GuideLink]
    # cross-region
    cross_region_scope: str
    cross_region_scope_label: str
    cross_region_modes: list[str]
    # result and others
    result_name: str
    result_type_label: str
    result_sample: GuideFile | None
    intermediaries: list[tuple[str, str]]
    co_handling_agencies: list[str]
    consultation: GuideContact
    complaint: GuideContact
    faq: list[GuideFaq]
    legal_basis: str
    person_themes: list[str]
    legal_person_themes: list[str]
    file_ids: list[int] = field(default_factory=list)

    @property
    def is_current(self) -> bool:
        """True when this is the version new applications are filed under."""
        return self.current_number == self.version_number

    @property
    def has_online_application(self) -> bool:
        """True when there is at least one "apply online" link to show."""
        return bool(self.apply_links)


def _file_id(ref: str) -> int | None:
    """A CatalogFile id from a content reference ("12"), or None for anything else."""
    ref = (ref or "").strip()
    return int(ref) if ref.isdigit() else None


def _region_path(region: Region) -> str:
    """The region under its prefecture, e.g. "西双版纳傣族自治州 景洪市" (the province is implied)."""
    names = []
    node: Region | None = region
    while node is not None and node.level != "province":
        names.append(node.name)
        node = node.parent
    return " ".join(reversed(names)) or region.name


def _files(ids: set[int]) -> dict[int, GuideFile]:
    return {
        f.pk: GuideFile(
            id=f.pk,
            name=f.original_name,
            content_type=f.content_type,
            size=f.size,
            url=reverse("catalog_file", kwargs={"file_id": f.pk}),
        )
        for f in CatalogFile.objects.filter(pk__in=ids)
    }


def guide_build(version: ImplementationVersion, *, current_number: int | None = None) -> Guide:
    """The guide of one published version (``current_number``: the implementation's current one)."""
    implementation = version.implementation
    item = implementation.item
    content = ImplementationContent.model_validate(version.content)
    uniform: dict[str, Any] = version.uniform or {}

    refs = {m.blank_form for m in content.materials} | {m.sample for m in content.materials}
    refs.add(content.result_sample)
    ids = {i for i in (_file_id(r) for r in refs) if i is not None}
    files = _files(ids)

    def file_of(ref: str) -> GuideFile | None:
        found = _file_id(ref)
        return files.get(found) if found is not None else None

    materials = [
        GuideMaterial(
            key=m.key,
            name=m.name,
            necessity=m.necessity,
            necessity_label=_label(NECESSITY_LABELS, m.necessity),
            commitment_allowed=m.commitment_allowed,
            form_label=_label(FORM_LABELS, m.form),
            copy_label=_label(COPY_LABELS, m.copy_kind),
            copies=m.copies,
            source=m.source,
            source_label=_label(SOURCE_LABELS, m.source),
            issuer=m.license_type or m.issuing_agency,
            blank_form=file_of(m.blank_form),
            sample=file_of(m.sample),
            filling_notes=m.filling_notes,
            acceptance_standard=m.acceptance_standard,
            basis=m.basis,
        )
        for m in content.materials
    ]
    links = []
    is_current = current_number is None or current_number == version.number
    if content.online_depth >= 3 and is_current:
        # Depth III/IV: the application can be made on this platform (the form is built from this version).
        links.append(GuideLink(label=_("Apply online here"), url=f"/apply/{implementation.pk}/"))
    pc, mobile = safe_url(content.online_url_pc), safe_url(content.online_url_mobile)
    if pc:
        links.append(GuideLink(label=_("Apply on a computer"), url=pc))
    if mobile:
        links.append(GuideLink(label=_("Apply on a mobile phone"), url=mobile))
    level, meaning = ONLINE_DEPTH_LABELS.get(content.online_depth, (str(content.online_depth), ""))
    item_type = str(uniform.get("item_type", item.item_type))
    try:
        item_type_label = str(ItemType(item_type).label)
    except ValueError:
        item_type_label = item_type
    levels = []
    for value in uniform.get("exercised_levels", item.exercised_levels) or []:
        try:
            levels.append(str(ExerciseLevel(value).label))
        except ValueError:
            levels.append(str(value))
    extension = ""
    if content.extension_allowed:
        extension = (
            _("Can be extended by %(limit)s with approval")
            % {"limit": limit_text(content.extension_limit, content.statutory_limit_unit)}
            if content.extension_limit
            else _("Can be extended with approval")
        )
    return Guide(
        implementation_id=implementation.pk,
        version_number=version.number,
        current_number=current_number,
        published_at=version.published_at,
        name=str(uniform.get("name", item.name)),
        code=implementation.code,
        base_code=str(uniform.get("base_code", item.base_code)),
        agency=implementation.agency.name,
        region=implementation.region.name,
        region_path=_region_path(implementation.region),
        competent_department=str(uniform.get("competent_department", item.competent_department)),
        subject_nature=_label(SUBJECT_NATURE_LABELS, content.subject_nature),
        entrusting_agency=content.entrusting_agency,
        exercised_levels=levels,
        item_type=item_type,
        item_type_label=item_type_label,
        service_objects=[_label(SERVICE_OBJECT_LABELS, s) for s in content.service_objects],
        handling_kind=content.handling_kind,
        handling_kind_label=_label(HANDLING_KIND_LABELS, content.handling_kind),
        acceptance_conditions=content.acceptance_conditions,
        materials=materials,
        steps=[
            GuideStep(number=i, name=s.name, description=s.description)
            for i, s in enumerate(content.steps, start=1)
        ],
        special_procedures=[
            GuideSpecialProcedure(
                name=p.name,
                limit=limit_text(p.limit, p.limit_unit),
                counts_toward_limit=p.counts_toward_limit,
                basis=p.basis,
            )
            for p in content.special_procedures
        ],
        statutory_limit=limit_text(content.statutory_limit, content.statutory_limit_unit),
        statutory_limit_note=content.statutory_limit_note,
        promised_limit=limit_text(content.promised_limit, content.promised_limit_unit),
        promised_limit_note=content.promised_limit_note,
        is_instant=content.promised_limit == 0,
        extension=extension,
        charged=content.charged,
        fee_basis=content.fee_basis,
        fees=[
            GuideFee(
                name=f.name,
                standard=f.standard,
                amount_yuan=f.amount_yuan,
                basis=f.basis,
                reduction=f.reduction,
            )
            for f in content.fees
        ],
        place=content.place,
        hours=content.hours,
        handling_forms=[_label(HANDLING_FORM_LABELS, h) for h in content.handling_forms],
        visits_required=content.visits_required,
        visit_reason=content.visit_reason,
        express_delivery=content.express_delivery,
        booking=content.booking,
        self_service_terminal=content.self_service_terminal,
        online_payment=content.online_payment,
        online_depth=content.online_depth,
        online_depth_level=level,
        online_depth_meaning=str(meaning),
        apply_links=links,
        cross_region_scope=content.cross_region_scope,
        cross_region_scope_label=_label(CROSS_REGION_SCOPE_LABELS, content.cross_region_scope),
        cross_region_modes=[_label(CROSS_REGION_MODE_LABELS, m) for m in content.cross_region_modes],
        result_name=content.result_name,
        result_type_label=_label(RESULT_TYPE_LABELS, content.result_type),
        result_sample=file_of(content.result_sample),
        intermediaries=[(i.name, i.basis) for i in content.intermediaries],
        co_handling_agencies=list(content.co_handling_agencies),
        consultation=GuideContact(
            phone=content.consultation_phone,
            tel=tel_href(content.consultation_phone),
            other=content.consultation_other,
        ),
        complaint=GuideContact(
            phone=content.complaint_phone,
            tel=tel_href(content.complaint_phone),
            other=content.complaint_other,
        ),
        faq=[GuideFaq(question=q.question, answer=q.answer) for q in content.faq],
        legal_basis=str(uniform.get("legal_basis", item.legal_basis)),
        person_themes=list(content.person_themes),
        legal_person_themes=list(content.legal_person_themes),
        file_ids=sorted(files),
    )


# --- URLs and public access ---------------------------------------------------------------------


def published_version(*, implementation_id: int, number: int | None = None) -> ImplementationVersion:
    """The current version (``number`` None) or one exact version of a published implementation.

    Raises ``NotFound`` for unknown, draft or cancelled implementations and unknown numbers;
    superseded versions of a published implementation stay readable.
    """
    implementation = selectors.published_get(implementation_id=implementation_id)
    current = implementation.current_version
    if current is None:  # published_get guarantees one; this keeps the type checker honest
        raise NotFound("catalog.guide_not_found", _("This guide does not exist or is no longer published."))
    if number is None or number == current.number:
        version = current
    else:
        version = selectors.version_get(implementation_id=implementation_id, number=number)
    version.implementation = implementation
    return version


def guide_url(implementation: Implementation) -> str:
    """The path of an implementation's public guide (always its current version)."""
    return reverse("guide", kwargs={"implementation_id": implementation.pk})


def guide_version_url(version: ImplementationVersion) -> str:
    """The path of the guide of one exact version (stays valid after it is superseded)."""
    return reverse(
        "guide_version", kwargs={"implementation_id": version.implementation_id, "number": version.number}
    )


def file_is_public(file_id: int) -> bool:
    """True when a published guide (current or superseded version) offers this file."""
    ref = str(file_id)
    public = Q(implementation__status=ImplementationStatus.PUBLISHED)
    in_materials = MaterialRequirement.objects.filter(
        Q(details__blank_form=ref) | Q(details__sample=ref),
        version__implementation__status=ImplementationStatus.PUBLISHED,
    ).exists()
    return in_materials or ImplementationVersion.objects.filter(public, content__result_sample=ref).exists()
