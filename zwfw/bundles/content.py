"""The definition of one bundle (一件事一次办), as a typed document.

A bundle's draft and every published ``BundleVersion`` hold one ``BundleContent`` as JSON. The
schema rejects bad shapes; ``zwfw.bundles.checks`` judges the content as a whole (merged form
conflicts, dependencies, the promised limit) before it may be published.

- ``questions``: situation questions answered yes/no (是否需要办理社保卡 …); an item applies when
  every one of its ``applies_when`` conditions holds (no conditions: always).
- ``items[].fields``: the form fields an item needs, each mapped to a ``concept``: fields of
  several items with the same concept are asked once in the merged form (same concept, same
  answer) and must agree in type and rules.
- ``items[].material_map``: the item's material key → the merged material key (default: the
  same key), so a material needed by several items is uploaded once.
- ``items[].depends_on``: the items whose result this item needs; ``result_as`` names the
  item's material that the predecessor's result provides (the applicant never uploads it).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Key = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9_.-]{0,39}$")]
OptionalKey = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^([a-z0-9][a-z0-9_.-]{0,39})?$")
]


class FieldType(StrEnum):
    """The kinds of answer a merged-form field takes."""

    TEXT = "text"
    DATE = "date"
    NUMBER = "number"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    CHOICE = "choice"


class ResultDelivery(StrEnum):
    """Whether the applicant gets the results together, or each as it comes."""

    TOGETHER = "together"
    AS_READY = "as_ready"


class Subject(StrEnum):
    """Who applies: a natural person or a legal person."""

    PERSON = "person"
    LEGAL_PERSON = "legal_person"


class LimitUnit(StrEnum):
    """Unit of the bundle's promised limit (the calendar's units)."""

    WORKING_DAYS = "working_days"
    NATURAL_DAYS = "natural_days"


class _Element(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Question(_Element):
    """A situation question answered yes or no."""

    key: Key
    text: Short
    help: Text = ""


class Condition(_Element):
    """The answer a question must have for an item to apply."""

    question: Key
    answer: bool = True


class FormField(_Element):
    """One field an item needs, mapped to a concept of the merged form."""

    name: Key  # the item's own field name (what its agency sees in the case's form data)
    concept: Key  # the merged form's field: one concept, asked once
    label: Short
    type: FieldType = FieldType.TEXT
    required: bool = True
    choices: list[Short] = Field(default_factory=list, max_length=50)
    max_length: int = Field(default=200, ge=1, le=2000)
    help: Text = ""


class Dependency(_Element):
    """An item whose result this item needs before it can start."""

    item: Key
    result_as: OptionalKey = ""  # the material of this item that the predecessor's result provides


class BundleItem(_Element):
    """One member item: a published implementation, when it applies, what it needs, its order."""

    key: Key
    implementation: Short  # implementation code (实施编码)
    applies_when: list[Condition] = Field(default_factory=list, max_length=20)
    depends_on: list[Dependency] = Field(default_factory=list, max_length=20)
    fields: list[FormField] = Field(default_factory=list, max_length=100)
    material_map: dict[Key, Key] = Field(default_factory=dict)
    note: Text = ""


class BundleContent(_Element):
    """Every element of one bundle definition."""

    name: Short
    summary: Text = ""
    notice: Text = ""  # what the one-time notice (一次告知) adds to the items' guides
    subject: Subject = Subject.PERSON
    promised_limit: int = Field(default=5, ge=0, le=3650)
    promised_limit_unit: LimitUnit = LimitUnit.WORKING_DAYS
    result_delivery: ResultDelivery = ResultDelivery.AS_READY
    questions: list[Question] = Field(default_factory=list, max_length=30)
    items: list[BundleItem] = Field(default_factory=list, max_length=30)
