"""Forms of the applicant's pages: the status lookup, the withdrawal, and the materials form
(one row per requirement of the case's version, with what is on file and what was refused, and
the parsing of the files and commitments that the apply, correction and supply forms send).

Forms check shapes only (lengths, digits, a ticked box); every rule about materials is the
services' (``case_material_add`` checks the file by its content and the state of the case).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zwfw.cases import services
from zwfw.cases.models import Case, CaseMaterial
from zwfw.catalog.models import MaterialRequirement
from zwfw.core.errors import DomainError

FILE_PREFIX = "file-"
COMMIT_PREFIX = "commit-"


class LookupForm(forms.Form):
    """Case number plus the six-digit code printed on the acceptance notice."""

    number = forms.CharField(
        label=_("Case number"),
        max_length=40,
        help_text=_("As printed on your notice, for example 532801-20260105-00042."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}),
    )
    code = forms.RegexField(
        label=_("Query code"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("The 6 digits printed on your acceptance notice."),
        error_messages={"invalid": _("Enter the 6 digits of the query code.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "6", "pattern": "[0-9]*"}
        ),
    )

    def clean_number(self) -> str:
        """Spaces a person may type around or inside the number do not count."""
        return re.sub(r"\s+", "", self.cleaned_data["number"])

    def clean_code(self) -> str:
        """The six digits without surrounding spaces."""
        return str(self.cleaned_data["code"]).strip()


class WithdrawForm(forms.Form):
    """Withdrawing an application: a reason and an explicit confirmation."""

    reason = forms.CharField(
        label=_("Why do you withdraw the application?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: I applied for the wrong item, or I no longer need it."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that a withdrawn application cannot be continued."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


@dataclass(frozen=True)
class MaterialInput:
    """One material the applicant sent: a file to upload or a commitment to sign."""

    key: str
    kind: str  # "upload" or "commitment"
    content: bytes = b""
    filename: str = ""


def upload_limit() -> int:
    """The largest file accepted, in bytes (the same setting ``check_upload`` enforces)."""
    return int(getattr(settings, "ZWFW_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def material_inputs(request: HttpRequest) -> list[MaterialInput]:
    """The files (``file-<key>``) and ticked commitments (``commit-<key>``) of a request.

    A file is read up to one byte past the size limit, never more: ``check_upload`` then refuses
    an oversized file with its own message without the server holding all of it in memory.
    A key that is not a well-formed requirement key is passed on too, so that the service
    answers it with ``case.unknown_material`` instead of the field being silently dropped.
    """
    found: list[MaterialInput] = []
    limit = upload_limit()
    for name in request.FILES:
        if not name.startswith(FILE_PREFIX):
            continue
        upload = request.FILES.get(name)
        if upload is None or not upload.name:
            continue
        key = name[len(FILE_PREFIX) :][:40]
        found.append(
            MaterialInput(key=key, kind="upload", content=upload.read(limit + 1), filename=upload.name or "")
        )
    sent_files = {m.key for m in found}
    for name, value in request.POST.items():
        if name.startswith(COMMIT_PREFIX) and value == "1":
            key = name[len(COMMIT_PREFIX) :][:40]
            if key not in sent_files:
                found.append(MaterialInput(key=key, kind="commitment"))
    return found


# --- the materials form: one row per requirement, with what is on file and what went wrong ---


def _necessity_label(necessity: str) -> str:
    return {
        "required": gettext("Required"),
        "optional": gettext("Optional"),
        "deficiency_allowed": gettext("Deficiency allowed"),
    }.get(necessity, necessity)


def _form_label(form: str) -> str:
    return {
        "paper": gettext("Paper"),
        "electronic": gettext("Electronic"),
        "either": gettext("Paper or electronic"),
    }.get(form, form)


def _copy_label(copy_kind: str) -> str:
    return {
        "original": gettext("Original"),
        "copy": gettext("Photocopy"),
        "both": gettext("Original and photocopy"),
    }.get(copy_kind, copy_kind)


def commitment_text(requirement: MaterialRequirement) -> str:
    """The commitment an applicant signs instead of providing the material (告知承诺)."""
    return gettext(
        "I promise that I meet the conditions that “%(name)s” would prove and that everything I have "
        "stated is true. I know that a false promise has legal consequences and is recorded in my "
        "credit file."
    ) % {"name": requirement.name}


def named_url(name: str, kwargs: dict[str, int], fallback: str) -> str:
    """A named URL of another helper's pages, or its agreed path while the name is not registered."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return fallback


def _file_url(ref: object) -> str:
    text = str(ref or "").strip()
    return (
        named_url("catalog_file", {"file_id": int(text)}, f"/guides/files/{text}/") if text.isdigit() else ""
    )


@dataclass
class MaterialRow:
    """One requirement with what is on file for it, ready for the templates."""

    requirement: MaterialRequirement
    on_file: CaseMaterial | None
    error: str = ""
    error_code: str = ""
    fresh: bool = False  # received after the correction notice being answered
    problem: str = ""  # the correction notice's problem (missing / defective)
    note: str = ""  # the correction notice's note
    in_correction: bool = False  # shown as an item of a correction notice

    @property
    def key(self) -> str:
        """The requirement key (also the suffix of the form field names)."""
        return self.requirement.key

    @property
    def file_field(self) -> str:
        """Name of the file input."""
        return FILE_PREFIX + self.requirement.key

    @property
    def commit_field(self) -> str:
        """Name of the commitment check box."""
        return COMMIT_PREFIX + self.requirement.key

    @property
    def necessity_label(self) -> str:
        """必要 / 非必要 / 容缺."""
        return _necessity_label(self.requirement.necessity)

    @property
    def form_label(self) -> str:
        """纸质 / 电子 / 纸质或电子."""
        return _form_label(self.requirement.form)

    @property
    def copy_label(self) -> str:
        """原件 / 复印件."""
        return _copy_label(self.requirement.copy_kind)

    @property
    def notes(self) -> str:
        """The filling notes of the guide."""
        return str(self.requirement.details.get("filling_notes", "") or "")

    @property
    def blank_form_url(self) -> str:
        """Download link of the blank form, if the guide offers one."""
        return _file_url(self.requirement.details.get("blank_form"))

    @property
    def sample_url(self) -> str:
        """Download link of the filled-in sample, if the guide offers one."""
        return _file_url(self.requirement.details.get("sample"))

    @property
    def e_license(self) -> bool:
        """The platform will fetch this certificate (免证办, a later issue)."""
        return self.requirement.source == "e_license"

    @property
    def commitment(self) -> str:
        """The commitment text, where a signed commitment may replace the material."""
        return commitment_text(self.requirement) if self.requirement.commitment_allowed else ""

    @property
    def received(self) -> bool:
        """Something is on file for this requirement."""
        return self.on_file is not None

    @property
    def answered(self) -> bool:
        """On file, and (when answering a correction notice) received after the notice."""
        return self.on_file is not None and (self.fresh or not self.in_correction)


def material_rows(
    case: Case,
    *,
    errors: dict[str, str] | None = None,
    codes: dict[str, str] | None = None,
    only: Iterable[str] | None = None,
    since: Iterable[int] = (),
    in_correction: bool = False,
) -> list[MaterialRow]:
    """The requirements of the case's version (or ``only`` those keys), in guide order."""
    errors = errors or {}
    codes = codes or {}
    on_file = services.materials_on_file(case)
    before = set(since)
    wanted = list(only) if only is not None else None
    rows = []
    for requirement in services.requirements(case):
        if wanted is not None and requirement.key not in wanted:
            continue
        material = on_file.get(requirement.key)
        rows.append(
            MaterialRow(
                requirement=requirement,
                on_file=material,
                error=errors.get(requirement.key, ""),
                error_code=codes.get(requirement.key, ""),
                fresh=material is not None and material.pk not in before,
                in_correction=in_correction,
            )
        )
    return rows


@dataclass
class Problems:
    """Errors to show: by material key (message and stable code), plus general ones."""

    by_key: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    general_codes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.by_key or self.general)

    def add(self, error: DomainError, key: str = "") -> None:
        """Attach a refusal to its material, or to the page."""
        if key:
            self.by_key[key] = str(error.message)
            self.codes[key] = error.code
        else:
            self.general.append(str(error.message))
            self.general_codes.append(error.code)

    def add_details(self, error: DomainError, per_field: str) -> None:
        """A refusal whose details name materials (``materials.<key>``): one line per material."""
        details = error.details if isinstance(error.details, list) else []
        for detail in details:
            name = str(detail.get("field", "")) if isinstance(detail, dict) else ""
            if name.startswith("materials."):
                key = name.removeprefix("materials.")
                self.by_key.setdefault(key, per_field)
                self.codes.setdefault(key, error.code)
        self.general.append(str(error.message))
        self.general_codes.append(error.code)
