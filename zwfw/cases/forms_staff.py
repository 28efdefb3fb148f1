"""Forms of the staff case workbench: queue filters, front-desk intake and one form per action.

Forms only check the shape of the input (present, a date, a number); every rule of the domain is
checked by ``zwfw.cases.services``, whose errors are put back next to the input they concern.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _

from zwfw.cases.models import Case, CaseMaterial, DeliveryMethod, MaterialKind, PauseKind
from zwfw.catalog.models import Implementation, MaterialRequirement
from zwfw.core.errors import DomainError
from zwfw.core.models import Agency, Venue, Window

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffForm(forms.Form):
    """A workbench form whose errors are tied to their inputs (aria-invalid, aria-describedby)."""

    error_css_class = "field--error"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Point every input with a hint at its hint."""
        kwargs.setdefault("error_class", ErrorList)
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                self._describe(name, f"{self[name].auto_id}_helptext")

    def _describe(self, name: str, element_id: str) -> None:
        """Add an element id to the input's aria-describedby."""
        attrs = self.fields[name].widget.attrs
        ids = [i for i in str(attrs.get("aria-describedby", "")).split() if i]
        if element_id not in ids:
            ids.append(element_id)
        attrs["aria-describedby"] = " ".join(ids)

    def add_error(self, field: str | None, error: Any) -> None:
        """Record the error and mark the input as invalid for assistive technology."""
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"
                self._describe(name, f"{self[name].auto_id}_error")

    def apply_domain_error(self, exc: DomainError, *, key_fields: tuple[str, ...] = ()) -> None:
        """Show a service's error next to the input its details name (else above the form).

        ``key_fields`` are prefixes of per-material inputs (``note_`` → ``note_<key>``): a detail
        ``{"key": "licence"}`` then points at ``note_licence``.
        """
        message = str(exc.message)
        details = exc.details if isinstance(exc.details, list) else []
        for detail in details:
            if not isinstance(detail, dict):
                continue
            key = str(detail.get("key", ""))
            for prefix in key_fields:
                if key and f"{prefix}{key}" in self.fields:
                    self.add_error(f"{prefix}{key}", message)
                    return
            name = str(detail.get("field", ""))
            if name in self.fields:
                self.add_error(name, message)
                return
        self.add_error(None, message)


# --- queues ------------------------------------------------------------------------------------


class QueueFilterForm(StaffForm):
    """Search by case number and narrow a queue by item, agency and venue."""

    q = forms.CharField(
        label=_("Case number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    implementation = forms.ModelChoiceField(
        label=_("Item"), queryset=Implementation.objects.none(), required=False, empty_label=_("All items")
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False, empty_label=_("All agencies")
    )
    venue = forms.ModelChoiceField(
        label=_("Venue"), queryset=Venue.objects.none(), required=False, empty_label=_("All venues")
    )

    def __init__(
        self,
        *args: Any,
        implementations: QuerySet[Implementation],
        agencies: QuerySet[Agency],
        venues: QuerySet[Venue],
        **kwargs: Any,
    ) -> None:
        """Offer only what is in the actor's scope."""
        super().__init__(*args, **kwargs)
        self.fields["implementation"].queryset = implementations  # type: ignore[attr-defined]
        self.fields["implementation"].label_from_instance = (  # type: ignore[attr-defined]
            lambda impl: f"{impl.item.name} · {impl.agency.name}"
        )
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["venue"].queryset = venues  # type: ignore[attr-defined]

    def apply(self, queryset: QuerySet[Case]) -> QuerySet[Case]:
        """The scoped case list narrowed by the valid filters."""
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.filter(number__icontains=data["q"].strip())
        if data.get("implementation"):
            queryset = queryset.filter(implementation=data["implementation"])
        if data.get("agency"):
            queryset = queryset.filter(agency=data["agency"])
        if data.get("venue"):
            queryset = queryset.filter(venue=data["venue"])
        return queryset

    @property
    def active(self) -> bool:
        """True when any filter narrows the list."""
        return bool(self.is_bound and self.is_valid() and any(self.cleaned_data.values()))


# --- front-desk intake -------------------------------------------------------------------------


class PersonFindForm(StaffForm):
    """Find the applicant by the ID number on the card they hand over."""

    id_number = forms.CharField(
        label=_("ID number of the applicant"),
        max_length=18,
        min_length=15,
        help_text=_("18 characters, as printed on the resident identity card."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )


class PersonRegisterForm(StaffForm):
    """Real-name registration at the window for an applicant who is not registered yet."""

    name = forms.CharField(
        label=_("Name"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        min_length=15,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
    )


HOW_NONE = "none"


def _how_choices(requirement: MaterialRequirement) -> list[tuple[str, Any]]:
    """The ways a requirement can be met at the window."""
    choices: list[tuple[str, Any]] = [
        (HOW_NONE, _("Not provided")),
        (MaterialKind.PAPER, _("Paper original checked at the window")),
        (MaterialKind.UPLOAD, _("Scan uploaded")),
    ]
    if requirement.commitment_allowed:
        choices.append((MaterialKind.COMMITMENT, _("Signed commitment (告知承诺)")))
    if requirement.source == "e_license":
        choices.append((MaterialKind.E_LICENSE, _("E-license fetched by the platform")))
    return choices


def commitment_default(name: str) -> str:
    """The commitment text the applicant signs for one material."""
    return str(
        _(
            "I promise that what I state in place of “%(name)s” is true and complete, and I accept "
            "the legal consequences and the record in my credit file if it is not."
        )
        % {"name": name}
    )


class IntakeMaterialsForm(StaffForm):
    """The checklist of the version's materials: for each, how it was received (or not)."""

    window = forms.ModelChoiceField(
        label=_("Window"), queryset=Window.objects.none(), required=False, empty_label=_("Not recorded")
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
    )

    def __init__(
        self,
        *args: Any,
        requirements: list[MaterialRequirement],
        windows: QuerySet[Window],
        **kwargs: Any,
    ) -> None:
        """One radio group (and file, commitment, e-license inputs) per requirement."""
        super().__init__(*args, **kwargs)
        self.requirements = requirements
        self.fields["window"].queryset = windows  # type: ignore[attr-defined]
        self.fields["window"].label_from_instance = lambda w: f"{w.number} {w.name}"  # type: ignore[attr-defined]
        general = list(windows.filter(kind="general")[:2])
        if len(general) == 1:
            self.fields["window"].initial = general[0].pk
        for requirement in requirements:
            key = requirement.key
            self.fields[f"how_{key}"] = forms.ChoiceField(
                label=requirement.name,
                choices=_how_choices(requirement),
                initial=HOW_NONE,
                widget=forms.RadioSelect,
            )
            self.fields[f"file_{key}"] = forms.FileField(
                label=_("Scan of “%(name)s”") % {"name": requirement.name},
                required=False,
                help_text=_("PDF, JPEG, PNG or OFD."),
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.ofd"}),
            )
            if requirement.commitment_allowed:
                self.fields[f"commitment_{key}"] = forms.CharField(
                    label=_("Commitment text"),
                    required=False,
                    initial=commitment_default(requirement.name),
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            if requirement.source == "e_license":
                self.fields[f"license_{key}"] = forms.CharField(
                    label=_("E-license reference (if known)"), required=False, max_length=120
                )

    def rows(self) -> list[dict[str, Any]]:
        """One entry per requirement with its bound inputs, for the checklist table."""
        out = []
        for requirement in self.requirements:
            key = requirement.key
            out.append(
                {
                    "requirement": requirement,
                    "how": self[f"how_{key}"],
                    "file": self[f"file_{key}"],
                    "commitment": self[f"commitment_{key}"] if f"commitment_{key}" in self.fields else None,
                    "license": self[f"license_{key}"] if f"license_{key}" in self.fields else None,
                }
            )
        return out

    def clean(self) -> dict[str, Any]:
        """A scan chosen needs its file; a commitment needs its text."""
        data = super().clean() or {}
        for requirement in self.requirements:
            key = requirement.key
            how = data.get(f"how_{key}")
            if how == MaterialKind.UPLOAD and not data.get(f"file_{key}"):
                self.add_error(f"file_{key}", _("Choose the scanned file, or say how it was received."))
            if how == MaterialKind.COMMITMENT and not (data.get(f"commitment_{key}") or "").strip():
                self.add_error(f"commitment_{key}", _("The commitment needs its text."))
        return data

    def materials(self) -> list[dict[str, Any]]:
        """The arguments of ``case_material_add`` for every material received."""
        out: list[dict[str, Any]] = []
        for requirement in self.requirements:
            key = requirement.key
            how = self.cleaned_data.get(f"how_{key}")
            if not how or how == HOW_NONE:
                continue
            spec: dict[str, Any] = {"requirement_key": key, "kind": how}
            if how == MaterialKind.UPLOAD:
                upload = self.cleaned_data[f"file_{key}"]
                spec.update(content=upload.read(), filename=upload.name or "")
            elif how == MaterialKind.COMMITMENT:
                spec["commitment_text"] = self.cleaned_data.get(f"commitment_{key}", "")
            elif how == MaterialKind.E_LICENSE:
                spec["license_reference"] = self.cleaned_data.get(f"license_{key}", "")
            out.append(spec)
        return out


# --- actions on a case -------------------------------------------------------------------------


class ConfirmForm(StaffForm):
    """An action that needs nothing but the button (start review, resume, close, resubmit)."""


class AcceptForm(StaffForm):
    """受理; with 容缺 materials missing, the date the applicant promised to bring them."""

    deficiency_due_date = forms.DateField(
        label=_("Date the applicant promises to supply the missing materials"),
        required=False,
        widget=DATE_INPUT,
    )


class CorrectionForm(StaffForm):
    """《一次性告知书》: every defect of the materials on file, at once (missing ones are added)."""

    override_reason = forms.CharField(
        label=_("Reason for raising defects the first notice did not list (supervisors only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, on_file: list[CaseMaterial], supervisor: bool, **kwargs: Any) -> None:
        """A check box and a note for every material on file; the override for supervisors."""
        super().__init__(*args, **kwargs)
        self.on_file = on_file
        if not supervisor:
            del self.fields["override_reason"]
        for material in on_file:
            key = material.requirement_key
            self.fields[f"defect_{key}"] = forms.BooleanField(
                label=_("“%(name)s” is defective") % {"name": material.name}, required=False
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("What is wrong with “%(name)s”") % {"name": material.name},
                required=False,
                max_length=500,
            )

    def rows(self) -> list[dict[str, Any]]:
        """One entry per material on file, with its check box and note."""
        return [
            {
                "material": m,
                "defect": self[f"defect_{m.requirement_key}"],
                "note": self[f"note_{m.requirement_key}"],
            }
            for m in self.on_file
        ]

    def defects(self) -> list[dict[str, str]]:
        """The defects ticked, as ``case_request_correction`` takes them."""
        return [
            {"key": m.requirement_key, "note": self.cleaned_data.get(f"note_{m.requirement_key}", "")}
            for m in self.on_file
            if self.cleaned_data.get(f"defect_{m.requirement_key}")
        ]


class ReasonForm(StaffForm):
    """不予受理: the reason (the notice adds the applicant's rights)."""

    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(StaffForm):
    """Withdrawal at the applicant's request."""

    reason = forms.CharField(
        label=_("The applicant's request, in their words"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SuspendForm(StaffForm):
    """Pause the clock: a special procedure listed in the guide, or waiting for materials."""

    kind = forms.ChoiceField(
        label=_("Why the clock stops"),
        choices=[
            (PauseKind.SPECIAL_PROCEDURE, _("A special procedure outside the time limit")),
            (PauseKind.CORRECTION, _("Waiting for supplementary materials")),
        ],
        initial=PauseKind.SPECIAL_PROCEDURE,
        widget=forms.RadioSelect,
    )
    procedure = forms.ChoiceField(label=_("Special procedure"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, procedures: list[str], **kwargs: Any) -> None:
        """Offer the special procedures the version lists outside the limit."""
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("Choose the procedure"))]
        choices += [(p, p) for p in procedures]
        self.fields["procedure"].choices = choices  # type: ignore[attr-defined]
        if len(procedures) == 1:
            self.fields["procedure"].initial = procedures[0]


class ExtendForm(StaffForm):
    """An approver extends the limit, within the days the item allows."""

    days = forms.IntegerField(label=_("Days to add"), min_value=1, max_value=3650)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(StaffForm):
    """准予 / 不予许可, with the reasons and (when approved) the result document."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("deny", _("Deny"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=2000,
        help_text=_("Required for a denial; the letter adds the applicant's rights."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    result = forms.FileField(
        label=_("Result document (certificate or approval)"),
        required=False,
        help_text=_("PDF, JPEG, PNG or OFD."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.ofd"}),
    )


class DeliverForm(StaffForm):
    """出件: at a window, by post (courier, tracking number, address) or online."""

    method = forms.ChoiceField(
        label=_("How the result is delivered"), choices=DeliveryMethod.choices, widget=forms.RadioSelect
    )
    courier = forms.CharField(label=_("Courier"), required=False, max_length=60)
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    address = forms.CharField(label=_("Postal address"), required=False, max_length=300)
    recipient = forms.CharField(label=_("Recipient"), required=False, max_length=60)


RECEIVED_AS: list[tuple[str, Any]] = [
    (MaterialKind.PAPER, _("Paper original checked at the window")),
    (MaterialKind.UPLOAD, _("Scan uploaded")),
    (MaterialKind.COMMITMENT, _("Signed commitment (告知承诺)")),
]


class MaterialAddForm(StaffForm):
    """Receive one material on an open case (at the window, for the applicant)."""

    requirement_key = forms.ChoiceField(label=_("Material"))
    kind = forms.ChoiceField(
        label=_("Received as"),
        choices=RECEIVED_AS,
        initial=MaterialKind.PAPER,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Scanned file"),
        required=False,
        help_text=_("PDF, JPEG, PNG or OFD."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.ofd"}),
    )
    commitment_text = forms.CharField(
        label=_("Commitment text"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, requirements: list[MaterialRequirement], on_file: set[str], **kwargs: Any
    ) -> None:
        """Offer the requirements that can be received in the case's state, missing ones first."""
        super().__init__(*args, **kwargs)
        self.fields["requirement_key"].choices = [  # type: ignore[attr-defined]
            (
                r.key,
                (_("%(name)s (on file)") if r.key in on_file else _("%(name)s (missing)")) % {"name": r.name},
            )
            for r in requirements
        ]
        missing = [r.key for r in requirements if r.key not in on_file]
        if missing:
            self.fields["requirement_key"].initial = missing[0]
        kind = self.fields["kind"]
        if isinstance(kind, forms.ChoiceField) and not any(r.commitment_allowed for r in requirements):
            kind.choices = [c for c in RECEIVED_AS if c[0] != MaterialKind.COMMITMENT]

    def clean(self) -> dict[str, Any]:
        """A scan needs its file."""
        data = super().clean() or {}
        if data.get("kind") == MaterialKind.UPLOAD and not data.get("file"):
            self.add_error("file", _("Choose the scanned file."))
        return data
