"""Publication checks and province-wide consistency (五级十二同).

``publication_failures`` applies every rule of DOMAIN.md "Publication checks" and returns every
failure at once, each pointing at its field. ``consistency_failures`` compares an implementation
with the province's standard (the published implementation of the same item in the nearest
region above it): elements may differ only in the applicant's favour.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from zwfw.catalog.content import (
    CrossRegionScope,
    HandlingForm,
    HandlingKind,
    ImplementationContent,
    Necessity,
)
from zwfw.catalog.models import ItemType

# The uniform elements of 五级十二同 (a setting: provinces publish their own list).
DEFAULT_UNIFORM_ELEMENTS = (
    "name",
    "base_code",
    "item_type",
    "competent_department",
    "exercised_levels",
    "legal_basis",
)

# Step names that a licensing item's procedure must contain (any one spelling per stage).
LICENSING_STAGES = (("受理",), ("审查", "审核"), ("决定",), ("送达", "办结"))


@dataclass(frozen=True)
class CheckFailure:
    """One failed check: the field it points at, a stable code and the message to show."""

    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def uniform_elements() -> tuple[str, ...]:
    """The configured list of uniform elements (``ZWFW_UNIFORM_ELEMENTS``)."""
    return tuple(getattr(settings, "ZWFW_UNIFORM_ELEMENTS", DEFAULT_UNIFORM_ELEMENTS))


def publication_failures(content: ImplementationContent, *, item_type: str) -> list[CheckFailure]:
    """Every publication rule the content breaks (empty when the guide may be published)."""
    c = content
    out: list[CheckFailure] = []

    def fail(field: str, code: str, message: str) -> None:
        out.append(CheckFailure(field, f"catalog.check.{code}", message))

    # 承诺时限 = 即办 ⇔ 即办件; 承诺时限 ≤ 法定时限
    if c.promised_limit is None:
        fail(
            "promised_limit",
            "promised_limit_missing",
            _("Give the promised time limit (0 for an instant item)."),
        )
    elif c.handling_kind == HandlingKind.INSTANT and c.promised_limit != 0:
        fail(
            "promised_limit", "instant_limit", _("An instant item (即办件) has a promised limit of 0 (即办).")
        )
    elif c.handling_kind == HandlingKind.PROMISED and c.promised_limit == 0:
        fail(
            "handling_kind",
            "promised_kind",
            _("A promised limit of 0 (即办) makes this an instant item (即办件)."),
        )
    if c.promised_limit is not None and c.statutory_limit is not None:
        if c.promised_limit_unit != c.statutory_limit_unit:
            fail(
                "promised_limit_unit",
                "limit_units_differ",
                _("Give the promised and the statutory limit in the same unit so that they can be compared."),
            )
        elif c.promised_limit > c.statutory_limit:
            fail(
                "promised_limit",
                "promised_over_statutory",
                _("The promised limit (%(p)d) exceeds the statutory limit (%(s)d).")
                % {"p": c.promised_limit, "s": c.statutory_limit},
            )
    if c.statutory_limit is None and item_type != ItemType.PUBLIC_SERVICE:
        fail(
            "statutory_limit",
            "statutory_limit_missing",
            _("An administrative power item needs its statutory limit."),
        )

    # Visits, depth and forms
    if c.online_depth == 4 and c.visits_required != 0:
        fail("visits_required", "depth4_visits", _("A fully online item (depth IV) requires no visit."))
    if c.visits_required > 0 and not c.visit_reason:
        fail("visit_reason", "visit_reason_missing", _("Say why the applicant must come in person."))
    if c.visits_required == 0 and c.online_depth < 4 and HandlingForm.POST not in c.handling_forms:
        fail(
            "handling_forms",
            "zero_visits_needs_post",
            _("With zero visits and not fully online, the handling forms must include post."),
        )
    if c.online_depth >= 3 and not (c.online_url_pc or c.online_url_mobile):
        fail(
            "online_url_pc",
            "online_url_missing",
            _("An item handled online needs its online handling address."),
        )
    if not c.service_objects:
        fail("service_objects", "service_objects_missing", _("Say who the item serves."))
    if not c.handling_forms:
        fail("handling_forms", "handling_forms_missing", _("Give at least one handling form."))

    # Fees
    if c.charged and not c.fee_basis:
        fail("fee_basis", "fee_basis_missing", _("A charged item needs its fee basis."))
    if c.charged and not c.fees:
        fail("fees", "fees_missing", _("A charged item lists its fee items."))
    if not c.charged and c.online_payment:
        fail("online_payment", "payment_without_fee", _("An item without fees offers no online payment."))
    if not c.charged and c.fees:
        fail("fees", "fees_without_charge", _("Fee items are listed but the item is marked as free."))

    # Licensing procedure and FAQ
    if item_type == ItemType.LICENSING:
        names = " ".join(step.name for step in c.steps)
        missing = [stage[0] for stage in LICENSING_STAGES if not any(word in names for word in stage)]
        if missing:
            fail(
                "steps",
                "licensing_steps",
                _("A licensing item's procedure must include the steps: %(missing)s.")
                % {"missing": "、".join(missing)},
            )
        if not c.faq:
            fail("faq", "faq_missing", _("A licensing item needs at least one frequently asked question."))

    # Result
    if not c.result_name:
        fail("result_name", "result_missing", _("Name the result of the item (certificate or document)."))
    if not c.result_sample:
        fail("result_sample", "result_sample_missing", _("Attach a sample of the result."))

    # Contacts and local elements (task 3)
    if not c.consultation_phone:
        fail("consultation_phone", "consultation_missing", _("Give the consultation phone number."))
    if not c.complaint_phone:
        fail("complaint_phone", "complaint_missing", _("Give the complaint phone number."))
    if c.consultation_phone and c.consultation_phone == c.complaint_phone:
        fail(
            "complaint_phone",
            "contacts_identical",
            _("The complaint number must differ from the consultation number."),
        )
    if not c.place:
        fail("place", "place_missing", _("Give the place where the item is handled."))
    if not c.hours:
        fail("hours", "hours_missing", _("Give the handling hours."))

    # Cross-region handling and materials
    if c.cross_region_scope == CrossRegionScope.NATIONAL and not c.cross_region_modes:
        fail(
            "cross_region_modes",
            "cross_region_mode_missing",
            _("A cross-province item names its mode (fully online, proxy intake or joint handling)."),
        )
    keys = [m.key for m in c.materials]
    if len(keys) != len(set(keys)):
        fail("materials", "material_keys_repeat", _("Two materials share the same key."))
    for index, material in enumerate(c.materials):
        if material.source == "e_license" and not material.license_type:
            fail(
                f"materials.{index}.license_type",
                "license_type_missing",
                _("Material “%(name)s” comes from an e-license: name the license type.")
                % {"name": material.name},
            )
    return out


def consistency_failures(
    content: ImplementationContent, *, standard: ImplementationContent
) -> list[CheckFailure]:
    """Where the content is stricter for the applicant than the province's standard."""
    out: list[CheckFailure] = []

    def fail(field: str, code: str, message: str) -> None:
        out.append(CheckFailure(field, f"catalog.consistency.{code}", message))

    standard_materials = {m.name: m for m in standard.materials}
    rank = {Necessity.OPTIONAL: 0, Necessity.DEFICIENCY_ALLOWED: 1, Necessity.REQUIRED: 2}
    for index, material in enumerate(content.materials):
        std = standard_materials.get(material.name)
        if std is None:
            fail(
                f"materials.{index}.name",
                "material_added",
                _("Material “%(name)s” is not in the province's standard list.") % {"name": material.name},
            )
        elif rank[Necessity(material.necessity)] > rank[Necessity(std.necessity)]:
            fail(
                f"materials.{index}.necessity",
                "material_stricter",
                _("Material “%(name)s” is stricter here than in the province's standard.")
                % {"name": material.name},
            )
    for field in ("promised_limit", "statutory_limit"):
        mine, theirs = getattr(content, field), getattr(standard, field)
        unit_mine, unit_theirs = getattr(content, f"{field}_unit"), getattr(standard, f"{field}_unit")
        if mine is not None and theirs is not None and unit_mine == unit_theirs and mine > theirs:
            fail(
                field,
                f"{field}_longer",
                _("The limit (%(mine)d) is longer than the province's standard (%(theirs)d).")
                % {"mine": mine, "theirs": theirs},
            )
    if content.visits_required > standard.visits_required:
        fail("visits_required", "more_visits", _("More visits are required than in the province's standard."))
    standard_steps = {s.name for s in standard.steps}
    for index, step in enumerate(content.steps):
        if standard.steps and step.name not in standard_steps:
            fail(
                f"steps.{index}.name",
                "step_added",
                _("Step “%(name)s” is not in the province's standard procedure.") % {"name": step.name},
            )
    standard_fees = {f.name: f for f in standard.fees}
    for index, fee in enumerate(content.fees):
        std_fee = standard_fees.get(fee.name)
        if std_fee is None:
            fail(
                f"fees.{index}.name",
                "fee_added",
                _("Fee “%(name)s” is not in the province's standard.") % {"name": fee.name},
            )
        elif (
            fee.amount_yuan is not None
            and std_fee.amount_yuan is not None
            and fee.amount_yuan > std_fee.amount_yuan
        ):
            fail(
                f"fees.{index}.amount_yuan",
                "fee_higher",
                _("Fee “%(name)s” is higher than the province's standard.") % {"name": fee.name},
            )
    standard_intermediaries = {i.name for i in standard.intermediaries}
    for index, intermediary in enumerate(content.intermediaries):
        if intermediary.name not in standard_intermediaries:
            fail(
                f"intermediaries.{index}.name",
                "intermediary_added",
                _("Intermediary service “%(name)s” is not in the province's standard.")
                % {"name": intermediary.name},
            )
    return out
