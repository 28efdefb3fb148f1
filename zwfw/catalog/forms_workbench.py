"""Forms of the catalog workbench, and how their values become (and come from) a draft.

The draft editor is one main form (the scalar elements of ``ImplementationContent``) and one
formset per list (materials, steps, special procedures, fees, intermediaries, FAQ). The forms only
parse what a browser sends; the content schema (``services.content_parse``) and the publication
checks judge it. ``DraftEditor`` ties them together: initial values from a draft, a draft from the
posted values, and the errors of the schema put back next to the input they belong to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zwfw.catalog.content import ImplementationContent
from zwfw.catalog.models import (
    AdjustmentKind,
    ExerciseLevel,
    ImplementationStatus,
    ItemLayer,
    ItemType,
    ServiceItem,
)
from zwfw.core.models import Agency, Region

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- labels: every element in the clerk's words (English msgids, Chinese in the catalogs) -------------

# The labels of every element, of the uniform elements and of every column of the list rows
# ("materials.copies"). The editor, the review page and the diff all use these.
FIELD_LABELS: dict[str, StrOrPromise] = {
    # uniform elements (五级十二同)
    "name": gettext_lazy("Item name"),
    "base_code": gettext_lazy("Item code"),
    "item_type": gettext_lazy("Item type"),
    "competent_department": gettext_lazy("Competent department"),
    "exercised_levels": gettext_lazy("Exercised levels"),
    "legal_basis": gettext_lazy("Legal basis for setting and implementing"),
    # 基本信息
    "subject_nature": gettext_lazy("Nature of the implementing body"),
    "entrusting_agency": gettext_lazy("Entrusting agency"),
    "service_objects": gettext_lazy("Service objects"),
    "handling_kind": gettext_lazy("Handling kind"),
    "acceptance_conditions": gettext_lazy("Acceptance conditions"),
    # 时限
    "statutory_limit": gettext_lazy("Statutory time limit"),
    "statutory_limit_unit": gettext_lazy("Unit of the statutory limit"),
    "statutory_limit_note": gettext_lazy("Note on the statutory limit"),
    "promised_limit": gettext_lazy("Promised time limit"),
    "promised_limit_unit": gettext_lazy("Unit of the promised limit"),
    "promised_limit_note": gettext_lazy("Note on the promised limit"),
    "extension_allowed": gettext_lazy("The limit may be extended"),
    "extension_limit": gettext_lazy("Longest extension"),
    # 办理流程
    "steps": gettext_lazy("Procedure steps"),
    "special_procedures": gettext_lazy("Special procedures"),
    "handling_forms": gettext_lazy("Handling forms"),
    "visits_required": gettext_lazy("Visits to the hall"),
    "visit_reason": gettext_lazy("Why the applicant must come"),
    # 收费
    "charged": gettext_lazy("The item is charged"),
    "fee_basis": gettext_lazy("Fee basis"),
    "fees": gettext_lazy("Fee items"),
    # 地点、时间与联系方式
    "place": gettext_lazy("Handling place"),
    "hours": gettext_lazy("Handling hours"),
    "consultation_phone": gettext_lazy("Consultation phone"),
    "consultation_other": gettext_lazy("Other consultation channels"),
    "complaint_phone": gettext_lazy("Complaint phone"),
    "complaint_other": gettext_lazy("Other complaint channels"),
    # 网上办理
    "online_depth": gettext_lazy("Online depth"),
    "online_url_pc": gettext_lazy("Online handling address (PC)"),
    "online_url_mobile": gettext_lazy("Online handling address (mobile)"),
    "online_payment": gettext_lazy("Online payment"),
    "express_delivery": gettext_lazy("Delivery by post"),
    "booking": gettext_lazy("Appointments"),
    "self_service_terminal": gettext_lazy("Self-service terminal available"),
    # 通办
    "cross_region_scope": gettext_lazy("Cross-region scope"),
    "cross_region_modes": gettext_lazy("Cross-province modes"),
    # 结果
    "result_name": gettext_lazy("Result name"),
    "result_type": gettext_lazy("Result type"),
    "result_sample": gettext_lazy("Result sample"),
    # 中介与联办、主题、常见问题
    "intermediaries": gettext_lazy("Intermediary services"),
    "co_handling_agencies": gettext_lazy("Co-handling agencies"),
    "person_themes": gettext_lazy("Themes for persons"),
    "legal_person_themes": gettext_lazy("Themes for legal persons"),
    "faq": gettext_lazy("Frequently asked questions"),
    "materials": gettext_lazy("Application materials"),
    # list rows
    "materials.key": gettext_lazy("Material key"),
    "materials.name": gettext_lazy("Material name"),
    "materials.necessity": gettext_lazy("Necessity"),
    "materials.commitment_allowed": gettext_lazy("A signed commitment may replace it"),
    "materials.form": gettext_lazy("Form of the material"),
    "materials.copy_kind": gettext_lazy("Original or copy"),
    "materials.copies": gettext_lazy("Copies"),
    "materials.source": gettext_lazy("Source"),
    "materials.license_type": gettext_lazy("E-license type"),
    "materials.issuing_agency": gettext_lazy("Issuing agency"),
    "materials.blank_form": gettext_lazy("Blank form"),
    "materials.sample": gettext_lazy("Filled-in sample"),
    "materials.filling_notes": gettext_lazy("Filling notes"),
    "materials.acceptance_standard": gettext_lazy("Acceptance standard"),
    "materials.basis": gettext_lazy("Basis"),
    "steps.name": gettext_lazy("Step name"),
    "steps.description": gettext_lazy("What happens in this step"),
    "special_procedures.name": gettext_lazy("Special procedure"),
    "special_procedures.limit": gettext_lazy("Time limit"),
    "special_procedures.limit_unit": gettext_lazy("Unit"),
    "special_procedures.basis": gettext_lazy("Basis"),
    "special_procedures.counts_toward_limit": gettext_lazy("Counts toward the time limit"),
    "fees.name": gettext_lazy("Fee item"),
    "fees.standard": gettext_lazy("Fee standard"),
    "fees.amount_yuan": gettext_lazy("Amount (yuan)"),
    "fees.basis": gettext_lazy("Basis"),
    "fees.reduction": gettext_lazy("Reduction or exemption"),
    "intermediaries.name": gettext_lazy("Intermediary service"),
    "intermediaries.basis": gettext_lazy("Basis"),
    "faq.question": gettext_lazy("Question"),
    "faq.answer": gettext_lazy("Answer"),
}

HELP_TEXTS: dict[str, StrOrPromise] = {
    "entrusting_agency": gettext_lazy("Only when the implementing body acts on another agency's behalf."),
    "handling_kind": gettext_lazy("An instant item is decided on the spot (promised limit 0)."),
    "acceptance_conditions": gettext_lazy(
        "Who may apply and what must be true; add no condition the standard lacks."
    ),
    "visits_required": gettext_lazy(
        "0 to 10. With 0 visits, post must be a handling form unless fully online."
    ),
    "visit_reason": gettext_lazy("Required when at least one visit is needed."),
    "statutory_limit": gettext_lazy("Whole days; required for administrative power items."),
    "promised_limit": gettext_lazy(
        "Whole days, no longer than the statutory limit; 0 means decided on the spot."
    ),
    "extension_limit": gettext_lazy("Days the limit may be extended by, when allowed."),
    "fee_basis": gettext_lazy("Required when the item is charged."),
    "place": gettext_lazy("Hall, floor and window, as the applicant will look for it."),
    "hours": gettext_lazy("For example: Monday to Friday 9:00-12:00, 14:30-18:00."),
    "consultation_phone": gettext_lazy("Required; must differ from the complaint phone."),
    "complaint_phone": gettext_lazy("Required; must differ from the consultation phone."),
    "online_depth": gettext_lazy(
        "Level III or IV needs an online handling address; level IV needs no visit."
    ),
    "online_url_pc": gettext_lazy("The deep link that opens this very item."),
    "online_url_mobile": gettext_lazy("The deep link in the mobile app or mini-program."),
    "online_payment": gettext_lazy("Only for charged items."),
    "cross_region_modes": gettext_lazy("Required for cross-province handling."),
    "result_sample": gettext_lazy("Number of the sample file in the file library, or the sample's name."),
    "co_handling_agencies": gettext_lazy("One agency per line."),
    "person_themes": gettext_lazy("Life events, one per line, e.g. birth, schooling."),
    "legal_person_themes": gettext_lazy("Business events, one per line, e.g. opening a business."),
    "materials": gettext_lazy("Materials the applicant provides, in the order of the guide."),
    "steps": gettext_lazy("A licensing item needs at least: acceptance, review, decision, delivery."),
    "special_procedures": gettext_lazy("On-site inspection, hearing, expert review and the like."),
    "faq": gettext_lazy("A licensing item needs at least one question with its answer."),
    "materials.license_type": gettext_lazy("Required when the source is an e-license."),
    "materials.blank_form": gettext_lazy("File number of the blank form."),
    "materials.sample": gettext_lazy("File number of the sample."),
    "special_procedures.counts_toward_limit": gettext_lazy("Leave unticked when the clock stops during it."),
}

ONLINE_DEPTHS: dict[int, StrOrPromise] = {
    1: gettext_lazy("Level I: information and guide"),
    2: gettext_lazy("Level II: forms and appointments online"),
    3: gettext_lazy("Level III: online pre-check and acceptance"),
    4: gettext_lazy("Level IV: fully online"),
}

# The readable values of every choice, by field (enum values of ``content.py``).
CHOICES: dict[str, dict[Any, StrOrPromise]] = {
    "subject_nature": {
        "statutory": gettext_lazy("Statutory authority"),
        "authorized": gettext_lazy("Organisation authorised by law"),
        "entrusted": gettext_lazy("Entrusted organisation"),
    },
    "service_objects": {
        "person": gettext_lazy("Natural persons"),
        "legal_person": gettext_lazy("Legal persons and organisations"),
    },
    "handling_kind": {
        "instant": gettext_lazy("Instant item"),
        "promised": gettext_lazy("Promised item"),
    },
    "limit_unit": {
        "working_days": gettext_lazy("working days"),
        "natural_days": gettext_lazy("natural days"),
    },
    "handling_forms": {
        "window": gettext_lazy("Handled at the window"),
        "online": gettext_lazy("Handled online"),
        "post": gettext_lazy("Handled by post"),
    },
    "cross_region_scope": {
        "none": gettext_lazy("No cross-region handling"),
        "prefecture": gettext_lazy("Across the prefecture"),
        "province": gettext_lazy("Across the province"),
        "national": gettext_lazy("Across provinces"),
    },
    "cross_region_modes": {
        "full_online": gettext_lazy("Fully online"),
        "proxy_intake": gettext_lazy("Proxy intake in another region"),
        "joint_handling": gettext_lazy("Joint handling by several regions"),
    },
    "necessity": {
        "required": gettext_lazy("Required"),
        "optional": gettext_lazy("Optional"),
        "deficiency_allowed": gettext_lazy("May follow after acceptance"),
    },
    "material_form": {
        "paper": gettext_lazy("Paper"),
        "electronic": gettext_lazy("Electronic"),
        "either": gettext_lazy("Paper or electronic"),
    },
    "copy_kind": {
        "original": gettext_lazy("Original"),
        "copy": gettext_lazy("Copy"),
        "both": gettext_lazy("Original and copy"),
    },
    "source": {
        "applicant": gettext_lazy("Provided by the applicant"),
        "agency_issued": gettext_lazy("Issued by a government agency"),
        "e_license": gettext_lazy("E-license"),
    },
    "result_type": {
        "certificate": gettext_lazy("Certificate"),
        "approval_document": gettext_lazy("Approval document"),
        "other": gettext_lazy("Other"),
    },
    "online_depth": dict(ONLINE_DEPTHS),
}
# Which choice set a field's values come from (for the diff and the read-only blocks).
VALUE_CHOICES = {
    "subject_nature": "subject_nature",
    "service_objects": "service_objects",
    "handling_kind": "handling_kind",
    "statutory_limit_unit": "limit_unit",
    "promised_limit_unit": "limit_unit",
    "handling_forms": "handling_forms",
    "cross_region_scope": "cross_region_scope",
    "cross_region_modes": "cross_region_modes",
    "result_type": "result_type",
    "online_depth": "online_depth",
    "necessity": "necessity",
    "form": "material_form",
    "copy_kind": "copy_kind",
    "source": "source",
    "limit_unit": "limit_unit",
}
EXERCISE_LEVELS = list(ExerciseLevel.choices)

# --- small field helpers ---------------------------------------------------------------------------


def _choices(name: str) -> list[tuple[str, str | StrOrPromise]]:
    return list(CHOICES[name].items())


def _label(name: str) -> str | StrOrPromise:
    return FIELD_LABELS[name]


def _help(name: str) -> str | StrOrPromise:
    return HELP_TEXTS.get(name, "")


def _text(name: str, *, max_length: int = 200, required: bool = False, **attrs: str) -> forms.CharField:
    widget = forms.TextInput(attrs={"maxlength": str(max_length), **attrs})
    return forms.CharField(
        label=_label(name), help_text=_help(name), required=required, max_length=max_length, widget=widget
    )


def _area(name: str, *, rows: int = 3, max_length: int = 4000) -> forms.CharField:
    return forms.CharField(
        label=_label(name),
        help_text=_help(name),
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": str(rows), "maxlength": str(max_length)}),
    )


def _int(name: str, *, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=_label(name),
        help_text=_help(name),
        required=required,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _select(name: str, choice_set: str | None = None) -> forms.ChoiceField:
    return forms.ChoiceField(label=_label(name), help_text=_help(name), choices=_choices(choice_set or name))


def _multi(name: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_label(name),
        help_text=_help(name),
        choices=_choices(name),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _flag(name: str) -> forms.BooleanField:
    return forms.BooleanField(label=_label(name), help_text=_help(name), required=False)


def _lines(name: str) -> forms.CharField:
    return forms.CharField(
        label=_label(name),
        help_text=_help(name),
        required=False,
        widget=forms.Textarea(attrs={"rows": "3"}),
    )


# --- the draft editor: the main form ----------------------------------------------------------------

LINE_LIST_FIELDS = ("co_handling_agencies", "person_themes", "legal_person_themes")


class DraftForm(forms.Form):
    """The scalar elements of an implementation (every element that is not a list of rows)."""

    # 基本信息
    subject_nature = _select("subject_nature")
    entrusting_agency = _text("entrusting_agency")
    service_objects = _multi("service_objects")
    handling_kind = _select("handling_kind")
    # 受理条件
    acceptance_conditions = _area("acceptance_conditions", rows=4)
    # 办理流程
    handling_forms = _multi("handling_forms")
    visits_required = _int("visits_required", required=True)
    visit_reason = _area("visit_reason", rows=2)
    # 时限
    statutory_limit = _int("statutory_limit")
    statutory_limit_unit = _select("statutory_limit_unit", "limit_unit")
    statutory_limit_note = _area("statutory_limit_note", rows=2)
    promised_limit = _int("promised_limit")
    promised_limit_unit = _select("promised_limit_unit", "limit_unit")
    promised_limit_note = _area("promised_limit_note", rows=2)
    extension_allowed = _flag("extension_allowed")
    extension_limit = _int("extension_limit")
    # 收费
    charged = _flag("charged")
    fee_basis = _area("fee_basis", rows=2)
    # 地点、时间与联系方式
    place = _area("place", rows=2)
    hours = _text("hours")
    consultation_phone = _text("consultation_phone", inputmode="tel", autocomplete="off")
    consultation_other = _text("consultation_other")
    complaint_phone = _text("complaint_phone", inputmode="tel", autocomplete="off")
    complaint_other = _text("complaint_other")
    # 网上办理
    online_depth = forms.TypedChoiceField(
        label=_label("online_depth"),
        help_text=_help("online_depth"),
        choices=_choices("online_depth"),
        coerce=int,
    )
    online_url_pc = _text("online_url_pc", max_length=500, inputmode="url")
    online_url_mobile = _text("online_url_mobile", max_length=500, inputmode="url")
    online_payment = _flag("online_payment")
    express_delivery = _flag("express_delivery")
    booking = _flag("booking")
    self_service_terminal = _flag("self_service_terminal")
    # 通办
    cross_region_scope = _select("cross_region_scope")
    cross_region_modes = _multi("cross_region_modes")
    # 结果
    result_name = _text("result_name")
    result_type = _select("result_type")
    result_sample = _text("result_sample")
    # 中介与联办
    co_handling_agencies = _lines("co_handling_agencies")
    # 主题
    person_themes = _lines("person_themes")
    legal_person_themes = _lines("legal_person_themes")


# --- the draft editor: list rows --------------------------------------------------------------------


class _RowForm(forms.Form):
    """A row of a repeatable list; a row whose ``BLANK_WHEN_EMPTY`` fields are empty is skipped."""

    BLANK_WHEN_EMPTY: tuple[str, ...] = ("name",)
    PREFIX = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            key = f"{self.PREFIX}.{name}"
            if name != "DELETE" and key in FIELD_LABELS:
                f.label = FIELD_LABELS[key]
                f.help_text = HELP_TEXTS.get(key, "")

    def is_blank(self) -> bool:
        """True when the row carries nothing (an unused empty row)."""
        data = getattr(self, "cleaned_data", None) or {}
        return not any(str(data.get(name) or "").strip() for name in self.BLANK_WHEN_EMPTY)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = any(
            isinstance(f, forms.CharField) and not isinstance(f.widget, forms.HiddenInput) and data.get(n)
            for n, f in self.fields.items()
        )
        if typed and self.is_blank() and not data.get("DELETE"):
            for name in self.BLANK_WHEN_EMPTY:
                self.add_error(name, _("Fill this in, or tick “remove” to leave the row out."))
        return data


class MaterialRowForm(_RowForm):
    """One 申请材料."""

    PREFIX = "materials"
    PRIMARY = (
        "name",
        "necessity",
        "form",
        "copy_kind",
        "copies",
        "source",
        "license_type",
        "commitment_allowed",
    )
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(required=False, max_length=200)
    necessity = forms.ChoiceField(choices=_choices("necessity"), initial="required")
    commitment_allowed = forms.BooleanField(required=False)
    form = forms.ChoiceField(choices=_choices("material_form"), initial="either")
    copy_kind = forms.ChoiceField(choices=_choices("copy_kind"), initial="original")
    copies = forms.IntegerField(
        required=False, initial=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    source = forms.ChoiceField(choices=_choices("source"), initial="applicant")
    license_type = forms.CharField(required=False, max_length=200)
    issuing_agency = forms.CharField(required=False, max_length=200)
    blank_form = forms.CharField(required=False, max_length=200)
    sample = forms.CharField(required=False, max_length=200)
    filling_notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": "2"}))
    acceptance_standard = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": "2"}))
    basis = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": "2"}))


class StepRowForm(_RowForm):
    """One step of the procedure."""

    PREFIX = "steps"
    name = forms.CharField(required=False, max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": "2"}))


class SpecialProcedureRowForm(_RowForm):
    """One 特别程序."""

    PREFIX = "special_procedures"
    name = forms.CharField(required=False, max_length=200)
    limit = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    limit_unit = forms.ChoiceField(choices=_choices("limit_unit"), initial="working_days")
    basis = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": "2"}))
    counts_toward_limit = forms.BooleanField(required=False)


class FeeRowForm(_RowForm):
    """One 收费项目."""

    PREFIX = "fees"
    PRIMARY = ("name", "standard", "amount_yuan")
    name = forms.CharField(required=False, max_length=200)
    standard = forms.CharField(required=False, max_length=200)
    amount_yuan = forms.DecimalField(
        required=False, decimal_places=2, max_digits=12, widget=forms.NumberInput(attrs={"step": "0.01"})
    )
    basis = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": "2"}))
    reduction = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": "2"}))


class IntermediaryRowForm(_RowForm):
    """One 中介服务."""

    PREFIX = "intermediaries"
    name = forms.CharField(required=False, max_length=200)
    basis = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": "2"}))


class FaqRowForm(_RowForm):
    """One 常见问题."""

    PREFIX = "faq"
    BLANK_WHEN_EMPTY = ("question", "answer")
    question = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": "2"}))
    answer = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": "3"}))

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", None) or {}
        return not any(str(data.get(n) or "").strip() for n in self.BLANK_WHEN_EMPTY)

    def clean(self) -> dict[str, Any]:
        data = forms.Form.clean(self) or {}
        question, answer = str(data.get("question") or "").strip(), str(data.get("answer") or "").strip()
        if bool(question) != bool(answer) and not data.get("DELETE"):
            self.add_error("answer" if question else "question", _("Give both the question and the answer."))
        return data


# prefix -> (row form, number of empty rows offered)
ROW_FORMS: dict[str, type[_RowForm]] = {
    "materials": MaterialRowForm,
    "steps": StepRowForm,
    "special_procedures": SpecialProcedureRowForm,
    "fees": FeeRowForm,
    "intermediaries": IntermediaryRowForm,
    "faq": FaqRowForm,
}
EXTRA_ROWS = {"materials": 2, "steps": 2, "special_procedures": 1, "fees": 1, "intermediaries": 1, "faq": 1}
MAX_ROWS = {
    "materials": 100,
    "steps": 50,
    "special_procedures": 20,
    "fees": 50,
    "intermediaries": 20,
    "faq": 50,
}

# The editor's sections, in the order of the guide. An entry is a main-form field name or a
# list prefix ("@materials"); "#uniform" is the read-only block of the uniform elements.
SECTIONS: list[tuple[str, StrOrPromise, list[str]]] = [
    (
        "basic",
        gettext_lazy("Basic information"),
        ["#uniform", "subject_nature", "entrusting_agency", "service_objects", "handling_kind"],
    ),
    ("conditions", gettext_lazy("Acceptance conditions"), ["acceptance_conditions"]),
    ("materials", gettext_lazy("Application materials"), ["@materials"]),
    (
        "procedure",
        gettext_lazy("Procedure and special procedures"),
        ["@steps", "handling_forms", "visits_required", "visit_reason", "@special_procedures"],
    ),
    (
        "limits",
        gettext_lazy("Time limits"),
        [
            "statutory_limit",
            "statutory_limit_unit",
            "statutory_limit_note",
            "promised_limit",
            "promised_limit_unit",
            "promised_limit_note",
            "extension_allowed",
            "extension_limit",
        ],
    ),
    ("fees", gettext_lazy("Fees and charges"), ["charged", "fee_basis", "@fees"]),
    (
        "contacts",
        gettext_lazy("Place, hours and contacts"),
        ["place", "hours", "consultation_phone", "consultation_other", "complaint_phone", "complaint_other"],
    ),
    (
        "online",
        gettext_lazy("Online handling"),
        [
            "online_depth",
            "online_url_pc",
            "online_url_mobile",
            "online_payment",
            "express_delivery",
            "booking",
            "self_service_terminal",
        ],
    ),
    ("cross_region", gettext_lazy("Cross-region handling"), ["cross_region_scope", "cross_region_modes"]),
    ("result", gettext_lazy("Result of the item"), ["result_name", "result_type", "result_sample"]),
    (
        "intermediaries",
        gettext_lazy("Intermediaries and co-handling"),
        ["@intermediaries", "co_handling_agencies"],
    ),
    ("themes", gettext_lazy("Themes"), ["person_themes", "legal_person_themes"]),
    ("faq", gettext_lazy("Frequently asked questions"), ["@faq"]),
]


@dataclass
class Problem:
    """One message pointing at an input: the anchor to link to, the element's label, the text."""

    anchor: str
    label: str
    message: str
    code: str = ""
    field: str = ""


@dataclass
class EditorSection:
    """One section of the editor as the template walks it."""

    slug: str
    title: str | StrOrPromise
    entries: list[dict[str, Any]] = field(default_factory=list)
    problems: int = 0


class DraftEditor:
    """The main form and the six formsets of one draft, with the translation to and from JSON."""

    def __init__(
        self, *, draft: Mapping[str, Any], data: Mapping[str, Any] | None = None, add_row: str = ""
    ) -> None:
        self.draft = dict(draft)
        initial = {name: self._initial_value(name, self.draft.get(name)) for name in DraftForm.base_fields}
        self.form = DraftForm(data=data, initial=initial)
        self.formsets: dict[str, BaseFormSet[Any]] = {}
        for prefix, row_form in ROW_FORMS.items():
            rows = [self._row_initial(prefix, row) for row in self.draft.get(prefix) or []]
            extra = EXTRA_ROWS[prefix]
            if data is not None and add_row == prefix:
                # The no-JS "more rows" button: keep what was typed and add one empty row.
                data = _with_more_rows(data, prefix)
            factory = formset_factory(
                row_form,
                extra=extra,
                can_delete=True,
                max_num=MAX_ROWS[prefix],
                absolute_max=MAX_ROWS[prefix],
            )
            self.formsets[prefix] = factory(data=data, initial=rows, prefix=prefix)
        self.row_index: dict[str, list[int]] = {}
        self.list_errors: dict[str, list[str]] = {}  # schema errors of a whole list

    @staticmethod
    def _initial_value(name: str, value: Any) -> Any:
        if name in LINE_LIST_FIELDS:
            return "\n".join(str(v) for v in value or [])
        return value

    @staticmethod
    def _row_initial(prefix: str, row: Any) -> dict[str, Any]:
        return dict(row) if isinstance(row, dict) else {}

    def is_valid(self) -> bool:
        """True when every input parses (the schema and the checks come after)."""
        ok = self.form.is_valid()
        for formset in self.formsets.values():
            ok = formset.is_valid() and ok
        return ok

    def to_draft(self) -> dict[str, Any]:
        """The draft the posted values describe (inputs that did not parse are left out)."""
        cleaned = getattr(self.form, "cleaned_data", {})
        out: dict[str, Any] = {}
        for name in DraftForm.base_fields:
            if name in self.form.errors or name not in cleaned:
                continue
            value = cleaned[name]
            if name in LINE_LIST_FIELDS:
                value = [line.strip() for line in str(value or "").splitlines() if line.strip()]
            out[name] = value
        for prefix, formset in self.formsets.items():
            rows, index = [], []
            taken = {str(r.get("key")) for r in self.draft.get(prefix) or [] if isinstance(r, dict)}
            for position, form in enumerate(formset.forms):
                data = getattr(form, "cleaned_data", None)
                if not data or data.get("DELETE") or (isinstance(form, _RowForm) and form.is_blank()):
                    continue
                row = {k: _json_value(v) for k, v in data.items() if k != "DELETE" and v is not None}
                if prefix == "materials":
                    row["key"] = row.get("key") or _new_key(taken)
                    taken.add(row["key"])
                rows.append(row)
                index.append(position)
            out[prefix] = rows
            self.row_index[prefix] = index
        return out

    # -- errors and checks ---------------------------------------------------------------------

    def anchor(self, path: str) -> tuple[str, str]:
        """The input id a field path (``materials.1.copies``) points at, and a readable label."""
        parts = path.split(".")
        head = parts[0]
        if head in self.formsets:
            formset = self.formsets[head]
            section_anchor = f"rows-{head}"
            label = str(FIELD_LABELS.get(head, head))
            if len(parts) >= 2 and parts[1].isdigit():
                position = int(parts[1])
                index = self.row_index.get(head, list(range(len(formset.forms))))
                if position < len(index) and index[position] < len(formset.forms):
                    form = formset.forms[index[position]]
                    row_label = _("%(list)s, row %(n)d") % {"list": label, "n": index[position] + 1}
                    if len(parts) >= 3 and parts[2] in form.fields:
                        bound = form[parts[2]]
                        return _bound_id(bound), f"{row_label} · {bound.label}"
                    return section_anchor, row_label
            return section_anchor, label
        if head in self.form.fields:
            bound = self.form[head]
            return _bound_id(bound), str(bound.label)
        return "editor-top", str(FIELD_LABELS.get(head, head))

    def apply_schema_errors(self, details: Iterable[Mapping[str, Any]]) -> None:
        """Put each error of the content schema next to its input."""
        for detail in details:
            path = str(detail.get("field", ""))
            message = schema_message(str(detail.get("code", "")), str(detail.get("message", "")))
            parts = path.split(".")
            head = parts[0]
            if head in self.formsets and len(parts) >= 2 and parts[1].isdigit():
                index = self.row_index.get(head, [])
                position = int(parts[1])
                if position < len(index):
                    form = self.formsets[head].forms[index[position]]
                    name = parts[2] if len(parts) >= 3 and parts[2] in form.fields else None
                    form.add_error(name, message)
                    continue
            if head in self.formsets:
                self.list_errors.setdefault(head, []).append(message)
            elif head in self.form.fields:
                self.form.add_error(head, message)
            else:
                self.form.add_error(None, message)

    def problems(self) -> list[Problem]:
        """Every error on the page, each with the anchor of its input (for the error summary)."""
        out = [Problem("editor-top", "", str(e)) for e in self.form.non_field_errors()]
        for name, errors in self.form.errors.items():
            if name == "__all__":
                continue
            anchor, label = self.anchor(name)
            out += [Problem(anchor, label, str(e), field=name) for e in errors]
        for prefix, formset in self.formsets.items():
            label = str(FIELD_LABELS.get(prefix, prefix))
            list_errors = [*formset.non_form_errors(), *self.list_errors.get(prefix, [])]
            out += [Problem(f"rows-{prefix}", label, str(e), field=prefix) for e in list_errors]
            for position, form in enumerate(formset.forms):
                for name, errors in form.errors.items():
                    row = _("%(list)s, row %(n)d") % {"list": label, "n": position + 1}
                    if name in form.fields:
                        anchor, text = _bound_id(form[name]), f"{row} · {form[name].label}"
                    else:
                        anchor, text = f"rows-{prefix}", row
                    out += [
                        Problem(anchor, text, str(e), field=f"{prefix}.{position}.{name}") for e in errors
                    ]
        return out

    def check_problems(self, failures: Iterable[Mapping[str, str]]) -> list[Problem]:
        """Publication-check failures, each pointing at its input."""
        out = []
        for failure in failures:
            anchor, label = self.anchor(failure["field"])
            out.append(
                Problem(anchor, label, failure["message"], code=failure["code"], field=failure["field"])
            )
        return sorted(out, key=lambda p: _guide_position(p.field))

    def sections(self, checks: list[Problem]) -> list[EditorSection]:
        """The sections in guide order, each entry a bound field or a formset with its checks."""
        by_anchor: dict[str, list[Problem]] = {}
        for problem in checks:
            by_anchor.setdefault(problem.anchor, []).append(problem)
        result = []
        for slug, title, names in SECTIONS:
            section = EditorSection(slug=slug, title=title)
            for name in names:
                if name == "#uniform":
                    section.entries.append({"uniform": True})
                elif name.startswith("@"):
                    prefix = name[1:]
                    formset = self.formsets[prefix]
                    found = by_anchor.get(f"rows-{prefix}", [])
                    rows = [self._row(form, by_anchor, number=i + 1) for i, form in enumerate(formset.forms)]
                    section.problems += sum(r["problems"] for r in rows)
                    section.problems += len(found) + len(formset.non_form_errors())
                    section.entries.append(
                        {
                            "formset": formset,
                            "prefix": prefix,
                            "label": FIELD_LABELS[prefix],
                            "help": HELP_TEXTS.get(prefix, ""),
                            "rows": rows,
                            "empty": self._row(formset.empty_form, {}, number=0),
                            "checks": found,
                            "errors": [*formset.non_form_errors(), *self.list_errors.get(prefix, [])],
                        }
                    )
                else:
                    bound = self.form[name]
                    found = by_anchor.get(_bound_id(bound), [])
                    if found:
                        ids = [f"{bound.auto_id}_check"]
                        if bound.help_text:
                            ids.insert(0, f"{bound.auto_id}_helptext")
                        bound.field.widget.attrs["aria-describedby"] = " ".join(ids)
                    section.entries.append({"field": bound, "checks": found})
                    section.problems += len(found) + len(bound.errors)
            result.append(section)
        return result

    @staticmethod
    def _row(form: forms.Form, by_anchor: Mapping[str, list[Problem]], *, number: int) -> dict[str, Any]:
        """One row of a list: its main inputs, the rest folded away, and its checks and errors."""
        primary = getattr(form, "PRIMARY", ())
        main: list[dict[str, Any]] = []
        more: list[dict[str, Any]] = []
        hidden: list[forms.BoundField] = []
        problems = len(form.non_field_errors())
        for bound in form:
            if bound.is_hidden:
                hidden.append(bound)
                continue
            found = list(by_anchor.get(_bound_id(bound), []))
            problems += len(found) + len(bound.errors)
            entry = {"field": bound, "checks": found}
            if bound.name == "DELETE":
                bound.label = _("Remove this row")
                continue
            (main if not primary or bound.name in primary else more).append(entry)
        more_open = any(e["checks"] or e["field"].errors for e in more)
        return {
            "form": form,
            "number": number,
            "main": main,
            "more": more,
            "more_open": more_open,
            "hidden": hidden,
            "delete": form["DELETE"] if "DELETE" in form.fields else None,
            "problems": problems,
        }


def _set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _bound_id(bound: forms.BoundField) -> str:
    """The id to link to: the input itself, or the first box of a group of check boxes."""
    if bound.field.widget.__class__ in (forms.CheckboxSelectMultiple, forms.RadioSelect):
        return f"{bound.auto_id}_0"
    return str(bound.id_for_label or bound.auto_id)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _new_key(taken: set[str]) -> str:
    n = 1
    while f"m{n}" in taken:
        n += 1
    return f"m{n}"


def _with_more_rows(data: Mapping[str, Any], prefix: str) -> Any:
    copy = data.copy() if hasattr(data, "copy") else dict(data)
    total = f"{prefix}-TOTAL_FORMS"
    try:
        count = int(copy.get(total, 0))
    except (TypeError, ValueError):
        count = 0
    copy[total] = str(min(count + 1, MAX_ROWS[prefix]))
    return copy


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def schema_message(code: str, message: str) -> str:
    """A Chinese message for an error of the content schema (pydantic's ``type`` code)."""
    numbers = _NUMBER.findall(message)
    limit = numbers[-1] if numbers else ""
    if code in ("less_than_equal", "less_than") and limit:
        return _("The value may be at most %(limit)s.") % {"limit": limit}
    if code in ("greater_than_equal", "greater_than") and limit:
        return _("The value must be at least %(limit)s.") % {"limit": limit}
    if code == "string_too_long" and limit:
        return _("At most %(limit)s characters.") % {"limit": limit}
    if code == "too_long" and numbers:
        return _("At most %(limit)s entries.") % {"limit": numbers[0]}
    if code in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if code in ("float_parsing", "float_type"):
        return _("Enter a number.")
    if code in ("enum", "literal_error"):
        return _("Choose one of the options offered.")
    if code == "string_pattern_mismatch":
        return _("Use lower-case letters, digits, hyphens or underscores only.")
    if code == "missing":
        return _("This element is required.")
    return _("This value is not valid.")


def content_fields() -> set[str]:
    """Every element of the content (to check that the editor covers them all)."""
    return set(ImplementationContent.model_fields)


# --- other forms ------------------------------------------------------------------------------------


class ImplementationFilterForm(forms.Form):
    """Filters of the implementation list (a GET form); ``apply`` narrows a scoped queryset."""

    q = forms.CharField(label=gettext_lazy("Name or code"), required=False, max_length=100)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    agency = forms.TypedChoiceField(
        label=gettext_lazy("Agency"), required=False, coerce=int, empty_value=None
    )
    item_type = forms.ChoiceField(label=gettext_lazy("Item type"), required=False)
    failing = forms.ChoiceField(label=gettext_lazy("Failing checks"), required=False)

    def __init__(self, *args: Any, agencies: Iterable[Agency] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_choice: list[tuple[Any, Any]] = [("", gettext_lazy("All"))]
        _set_choices(self, "status", any_choice + list(ImplementationStatus.choices))
        _set_choices(self, "agency", any_choice + [(a.pk, f"{a.name}（{a.region.name}）") for a in agencies])
        _set_choices(self, "item_type", any_choice + list(ItemType.choices))
        _set_choices(self, "failing", any_choice + [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))])

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        """The queryset narrowed by every valid filter (invalid ones are ignored)."""
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data.get("q"):
            q = data["q"].strip()
            qs = qs.filter(
                Q(item__name__icontains=q) | Q(code__icontains=q) | Q(item__base_code__icontains=q)
            )
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("agency"):
            qs = qs.filter(agency_id=data["agency"])
        if data.get("item_type"):
            qs = qs.filter(item__item_type=data["item_type"])
        if data.get("failing") == "yes":
            qs = qs.exclude(draft_failures=[])
        elif data.get("failing") == "no":
            qs = qs.filter(draft_failures=[])
        return qs


class ItemChoiceField(forms.ModelChoiceField):
    """A catalog entry shown with its base code."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.base_code}）"


class AgencyChoiceField(forms.ModelChoiceField):
    """An agency shown with its region."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.region.name}）"


class ImplementationCreateForm(forms.Form):
    """Start an implementation: the catalog entry, the agency and (optionally) its code."""

    item = ItemChoiceField(label=gettext_lazy("Catalog entry"), queryset=ServiceItem.objects.none())
    agency = AgencyChoiceField(label=gettext_lazy("Implementing agency"), queryset=Agency.objects.none())
    code = forms.CharField(
        label=gettext_lazy("Implementation code"),
        required=False,
        max_length=60,
        help_text=gettext_lazy("Leave empty to have one assigned from the base code, region and agency."),
    )

    def __init__(
        self, *args: Any, items: QuerySet[ServiceItem], agencies: QuerySet[Agency], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.set_items(items)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = agencies

    def set_items(self, items: QuerySet[ServiceItem]) -> None:
        """The catalog entries offered (the page narrows them with its search)."""
        item_field = self.fields["item"]
        assert isinstance(item_field, forms.ModelChoiceField)
        item_field.queryset = items


class ServiceItemCreateForm(forms.Form):
    """A new catalog entry (基本目录) with its uniform elements."""

    region = forms.ModelChoiceField(label=gettext_lazy("Catalog region"), queryset=Region.objects.none())
    name = forms.CharField(label=gettext_lazy("Item name"), max_length=200)
    base_code = forms.CharField(
        label=gettext_lazy("Base code"), max_length=40, help_text=gettext_lazy("Per GB/T 39554.1.")
    )
    item_type = forms.ChoiceField(label=gettext_lazy("Item type"), choices=ItemType.choices)
    competent_department = forms.CharField(label=gettext_lazy("Competent department"), max_length=120)
    exercised_levels = forms.MultipleChoiceField(
        label=gettext_lazy("Exercised levels"), choices=EXERCISE_LEVELS, widget=forms.CheckboxSelectMultiple
    )
    legal_basis = forms.CharField(
        label=gettext_lazy("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": "3"})
    )
    layer = forms.ChoiceField(label=gettext_lazy("Layer"), choices=ItemLayer.choices, initial=ItemLayer.MAIN)
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Parent item"), required=False, queryset=ServiceItem.objects.none()
    )
    situation = forms.CharField(
        label=gettext_lazy("Situation"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("For example: new, change, renewal."),
    )
    planned_effective_date = forms.DateField(
        label=gettext_lazy("Planned effective date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(
        self, *args: Any, regions: QuerySet[Region], items: QuerySet[ServiceItem], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = regions
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, forms.ModelChoiceField)
        parent_field.queryset = items


class AdjustmentSubmitForm(forms.Form):
    """Submit the draft (add or change) or a cancellation, with the reason."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of adjustment"), choices=AdjustmentKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": "3"}),
        help_text=gettext_lazy("What changes and why (the reviewer and the ledger keep it)."),
    )

    def __init__(self, *args: Any, published: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = [AdjustmentKind.CHANGE, AdjustmentKind.CANCEL] if published else [AdjustmentKind.ADD]
        _set_choices(self, "kind", [(k.value, k.label) for k in allowed])
        self.fields["kind"].initial = allowed[0].value


class ReviewForm(forms.Form):
    """The reviewer's decision and comment."""

    ACTIONS = ("approve", "approve_publish", "reject", "publish", "withdraw")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], widget=forms.HiddenInput)
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": "3"}),
        help_text=gettext_lazy("Required when returning: say what must be corrected."),
    )


class CompareForm(forms.Form):
    """Two version numbers to compare."""

    from_version = forms.TypedChoiceField(label=gettext_lazy("Older version"), coerce=int)
    to_version = forms.TypedChoiceField(label=gettext_lazy("Newer version"), coerce=int)

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, f"v{n}") for n in numbers]
        _set_choices(self, "from_version", choices)
        _set_choices(self, "to_version", choices)
        if len(numbers) >= 2:
            self.fields["from_version"].initial = numbers[-2]
            self.fields["to_version"].initial = numbers[-1]


# --- readable values and differences ----------------------------------------------------------------

_PATH = re.compile(r"^(?P<list>[a-z_]+)\[(?P<key>[^\]]+)\](?:\.(?P<field>[a-z_]+))?$")


@dataclass(frozen=True)
class ReadableChange:
    """One changed element as the reviewer reads it: label, old and new value as text."""

    field: str
    label: str
    old: str
    new: str


def readable_value(name: str, value: Any) -> str:
    """A value of element ``name`` in the clerk's words (choices by label, lists one per line)."""
    if value is None or value == "" or value == []:
        return _("(empty)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "item_type":
        return str(ItemType(value).label) if value in ItemType.values else str(value)
    if name == "exercised_levels" and isinstance(value, list):
        levels = dict(ExerciseLevel.choices)
        return "、".join(str(levels.get(v, v)) for v in value)
    choice_set = CHOICES.get(VALUE_CHOICES.get(name, ""), {})
    if isinstance(value, list):
        if all(isinstance(v, dict) for v in value):
            return "\n".join(_row_summary(name, v) for v in value)
        return "、".join(str(choice_set.get(v, v)) for v in value)
    if isinstance(value, dict):
        return _row_summary(name, value)
    return str(choice_set.get(value, value))


def _row_summary(list_name: str, row: Mapping[str, Any]) -> str:
    name = str(row.get("name") or "")
    if list_name == "faq":
        return _("Q: %(q)s A: %(a)s") % {"q": row.get("question", ""), "a": row.get("answer", "")}
    if list_name == "fees":
        return "：".join(p for p in (name, str(row.get("standard") or "")) if p)
    if list_name == "special_procedures":
        unit = CHOICES["limit_unit"].get(row.get("limit_unit", ""), "")
        return f"{name}（{row.get('limit', '')} {unit}）"
    if list_name == "materials":
        necessity = CHOICES["necessity"].get(row.get("necessity", ""), "")
        copy_kind = CHOICES["copy_kind"].get(row.get("copy_kind", ""), "")
        copies = _("%(n)s copies") % {"n": row.get("copies", "")}
        return f"{name}（{necessity}，{copy_kind}，{copies}）"
    return name


def readable_changes(
    changes: Iterable[Any], *, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[ReadableChange]:
    """``diff.content_diff`` output with Chinese labels; materials named, not keyed."""
    names = {
        str(m.get("key")): str(m.get("name") or m.get("key"))
        for content in (old, new)
        for m in content.get("materials") or []
        if isinstance(m, dict)
    }
    out: list[ReadableChange] = []
    for change in changes:
        path = str(change.field)
        match = _PATH.match(path)
        if match:
            list_label = str(FIELD_LABELS.get(match["list"], match["list"]))
            title = f"{list_label}「{names.get(match['key'], match['key'])}」"
            if match["field"]:
                label = f"{title} · {FIELD_LABELS.get(match['list'] + '.' + match['field'], match['field'])}"
                out.append(
                    ReadableChange(
                        path,
                        label,
                        readable_value(match["field"], change.old),
                        readable_value(match["field"], change.new),
                    )
                )
            else:
                out.append(
                    ReadableChange(
                        path,
                        title,
                        readable_value(match["list"], change.old),
                        readable_value(match["list"], change.new),
                    )
                )
            continue
        label = str(FIELD_LABELS.get(path, path))
        before, after = readable_value(path, change.old), readable_value(path, change.new)
        if path in ("statutory_limit", "promised_limit", "extension_limit"):
            unit = "promised_limit_unit" if path == "extension_limit" else f"{path}_unit"
            before = _with_unit(before, change.old, old.get(unit))
            after = _with_unit(after, change.new, new.get(unit))
        out.append(ReadableChange(path, label, before, after))
    return sorted(out, key=lambda c: _guide_position(c.field))


def _with_unit(text: str, value: Any, unit: Any) -> str:
    """A limit with its unit ("10 工作日"), unless it is empty."""
    label = CHOICES["limit_unit"].get(unit)
    return f"{text} {label}" if isinstance(value, int) and label else text


def _guide_position(path: str) -> tuple[int, int]:
    """Where an element (``materials.2.name``, ``materials[key]``) comes in the guide."""
    parts = re.split(r"[.\[\]]+", path)
    row = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    return _GUIDE_ORDER.get(parts[0], len(_GUIDE_ORDER)), row


# Elements in the order of the guide: the uniform ones first, then the editor's sections.
_GUIDE_ORDER = {
    name: position
    for position, name in enumerate(
        ["name", "base_code", "item_type", "competent_department", "exercised_levels", "legal_basis"]
        + [
            entry.lstrip("@")
            for _slug, _title, entries in SECTIONS
            for entry in entries
            if entry != "#uniform"
        ]
    )
}
