"""Forms of the bundle editor (catalog administrators): the bundle's basics, its situation
questions, and per member item the implementation, when it applies, what it waits for, its
fields mapped to shared fields (concepts) and its materials mapped to merged uploads.

The forms check the shape of each input (keys, lengths, numbers) and say what is wrong next to
it; ``zwfw.bundles.content`` validates the assembled definition again and ``zwfw.bundles.checks``
judges it as a whole. Rows are Django formsets: an empty extra row is ignored, a row marked for
deletion is dropped.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

KEY_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,39}$"
key_validator = RegexValidator(
    KEY_PATTERN,
    message=_("Use up to 40 lowercase letters, digits, “_”, “.” or “-”, starting with a letter or digit."),
)
CHOICE_SPLIT = re.compile(r"[、,，;；\n\r]+")

FIELD_TYPES = [
    ("text", _("Text")),
    ("date", _("Date")),
    ("number", _("A number")),
    ("id_number", _("Citizen ID number")),
    ("phone", _("Phone number")),
    ("choice", _("One of a list of options")),
]
SUBJECTS = [("person", _("Natural persons")), ("legal_person", _("Enterprises and other organisations"))]
LIMIT_UNITS = [("working_days", _("Working days")), ("natural_days", _("Natural days"))]
DELIVERY = [
    ("together", _("Together, once every item has concluded")),
    ("as_ready", _("Each one as soon as it is ready")),
]
ANSWERS = [("yes", _("Yes")), ("no", _("No"))]


def _posted(form: forms.Form, name: str) -> bool:
    """Whether the bound form's data holds a non-blank value for field ``name``."""
    return bool(form.is_bound and str(form.data.get(form.add_prefix(name), "")).strip())


class _Rows(forms.Form):
    """A form of a formset row whose options depend on the bundle."""

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


def _key_field(label: Any, **extra: Any) -> forms.CharField:
    attrs = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none", **extra.pop("attrs", {})}
    return forms.CharField(
        label=label,
        max_length=40,
        validators=[key_validator],
        widget=forms.TextInput(attrs=attrs),
        **extra,
    )


class BasicsForm(forms.Form):
    """What the guide says about the bundle, who applies, the promised limit and delivery."""

    name = forms.CharField(label=_("Name of the bundle"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    notice = forms.CharField(
        label=_("One-time notice (一次告知)"),
        help_text=_("What the guide tells the applicant beyond the items' own guides."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    subject = forms.ChoiceField(label=_("Who applies for it"), choices=SUBJECTS, widget=forms.RadioSelect)
    promised_limit = forms.IntegerField(
        label=_("Promised limit of the whole bundle"),
        help_text=_("At least as long as the items need one after another."),
        min_value=0,
        max_value=3650,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    promised_limit_unit = forms.ChoiceField(label=_("Unit of the limit"), choices=LIMIT_UNITS)
    result_delivery = forms.ChoiceField(
        label=_("How the applicant gets the results"), choices=DELIVERY, widget=forms.RadioSelect
    )


class QuestionForm(forms.Form):
    """One situation question answered yes or no."""

    key = _key_field(_("Key"))
    text = forms.CharField(label=_("Question (answered yes or no)"), max_length=200)
    help = forms.CharField(label=_("Help for the applicant"), required=False, max_length=4000)


QuestionFormSet = formset_factory(QuestionForm, extra=1, can_delete=True, max_num=30, validate_max=True)


class AddItemForm(forms.Form):
    """Add a member item: its key in the bundle and a published implementation."""

    key = _key_field(
        _("Key of the item in this bundle"), help_text=_("For example: establishment, seal, invoice.")
    )
    implementation = forms.CharField(
        label=_("Implementation code (实施编码)"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"list": "implementations", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class ItemForm(forms.Form):
    """The member item's implementation and its note."""

    implementation = forms.CharField(
        label=_("Implementation code (实施编码)"),
        help_text=_("A published implementation of any agency or level."),
        max_length=200,
        widget=forms.TextInput(
            attrs={"list": "implementations", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    note = forms.CharField(
        label=_("Note for the applicant"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConditionForm(_Rows):
    """The item applies when a situation question has this answer."""

    question = forms.ChoiceField(label=_("Situation question"))
    answer = forms.ChoiceField(label=_("Applies when the answer is"), choices=ANSWERS, initial="yes")

    def __init__(self, *args: Any, questions: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self._choices("question", [("", "—"), *questions])

    def has_changed(self) -> bool:
        """A row without a question is an empty row (whatever answer is preselected)."""
        return bool(self.initial.get("question") or _posted(self, "question"))


class DependencyForm(_Rows):
    """The item starts after another item is granted; that result may provide one material."""

    item = forms.ChoiceField(label=_("Starts after the item"))
    result_as = forms.ChoiceField(label=_("Its result provides the material"), required=False)

    def __init__(
        self,
        *args: Any,
        items: list[tuple[str, str]] = (),  # type: ignore[assignment]
        materials: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choices("item", [("", "—"), *items])
        self._choices("result_as", [("", _("None: it only has to be granted")), *materials])

    def has_changed(self) -> bool:
        """A row without an item is an empty row."""
        return bool(self.initial.get("item") or _posted(self, "item"))


class FieldForm(forms.Form):
    """One field the item's agency needs, mapped to a shared field (concept) of the merged form."""

    name = _key_field(_("Field name at the agency"), help_text=_("What the agency sees in the case."))
    concept = _key_field(
        _("Shared field"),
        help_text=_("Fields of several items with the same shared field are asked once."),
        attrs={"list": "concepts"},
    )
    label = forms.CharField(label=_("Question the applicant reads"), max_length=200)
    type = forms.ChoiceField(label=_("Type of answer"), choices=FIELD_TYPES, initial="text")
    optional = forms.BooleanField(label=_("The applicant may leave it empty"), required=False)
    choices = forms.CharField(
        label=_("Options (for “one of a list”), separated by “、”"), required=False, max_length=4000
    )
    max_length = forms.IntegerField(
        label=_("Longest answer (characters)"),
        min_value=1,
        max_value=2000,
        initial=200,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def has_changed(self) -> bool:
        """A row with neither name, shared field nor question is an empty row (its preselected
        type and length do not count)."""
        return bool(
            self.initial.get("name") or any(_posted(self, n) for n in ("name", "concept", "label", "choices"))
        )

    def clean_choices(self) -> list[str]:
        """The options as a list (empty strings dropped)."""
        raw = self.cleaned_data.get("choices") or ""
        options = [c.strip() for c in CHOICE_SPLIT.split(raw) if c.strip()]
        if any(len(c) > 200 for c in options) or len(options) > 50:
            raise forms.ValidationError(_("At most 50 options of at most 200 characters each."))
        return options

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("type") == "choice" and not data.get("choices"):
            self.add_error("choices", _("Give the options the applicant chooses from."))
        return data


class MaterialMapForm(forms.Form):
    """Which merged upload provides one of the item's materials (default: its own key)."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=40)
    merged = _key_field(_("Uploaded once as"), attrs={"list": "merged-materials"})


QUESTION_ROWS = 30


def condition_formset(**kwargs: Any) -> Any:
    """Rows of conditions (one empty row to add one)."""
    return formset_factory(ConditionForm, extra=1, can_delete=True, max_num=20, validate_max=True)(**kwargs)


def dependency_formset(**kwargs: Any) -> Any:
    """Rows of dependencies (one empty row to add one)."""
    return formset_factory(DependencyForm, extra=1, can_delete=True, max_num=20, validate_max=True)(**kwargs)


def field_formset(**kwargs: Any) -> Any:
    """Rows of fields (one empty row to add one; "add a row" for more)."""
    return formset_factory(FieldForm, extra=1, can_delete=True, max_num=100, validate_max=True)(**kwargs)


def material_formset(**kwargs: Any) -> Any:
    """One row per material of the item's implementation."""
    return formset_factory(MaterialMapForm, extra=0, max_num=100)(**kwargs)
