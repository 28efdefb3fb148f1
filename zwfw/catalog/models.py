"""Tables of the catalog: items (基本目录), implementations (实施清单), versions, adjustments,
linked lists and the files guides offer for download."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zwfw.core.models import Agency, Region


class ItemType(models.TextChoices):
    """The eight kinds of 政务服务事项."""

    LICENSING = "licensing", _("Administrative licensing")
    CONFIRMATION = "confirmation", _("Administrative confirmation")
    ADJUDICATION = "adjudication", _("Administrative adjudication")
    BENEFIT = "benefit", _("Administrative benefit")
    REWARD = "reward", _("Administrative reward")
    FILING = "filing", _("Administrative filing")
    OTHER_POWER = "other_power", _("Other administrative power")
    PUBLIC_SERVICE = "public_service", _("Public service")


class ExerciseLevel(models.TextChoices):
    """行使层级."""

    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")


class ItemLayer(models.TextChoices):
    """主项 → 子项 → 业务办理项."""

    MAIN = "main", _("Main item")
    SUB = "sub", _("Sub-item")
    HANDLING = "handling", _("Handling item")


class ItemStatus(models.TextChoices):
    """事项状态."""

    ACTIVE = "active", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class ServiceItem(models.Model):
    """A 基本目录 entry: the uniform definition of one item, shared by every implementation."""

    base_code = models.CharField(_("base code"), max_length=40, unique=True)
    name = models.CharField(_("item name"), max_length=200)
    item_type = models.CharField(_("item type"), max_length=16, choices=ItemType.choices)
    layer = models.CharField(_("layer"), max_length=10, choices=ItemLayer.choices, default=ItemLayer.MAIN)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent item"),
    )
    situation = models.CharField(_("situation"), max_length=40, blank=True)
    legal_basis = models.TextField(_("legal basis"))
    competent_department = models.CharField(_("competent department"), max_length=120)
    exercised_levels = models.JSONField(_("exercised levels"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.ACTIVE
    )
    catalog_version = models.PositiveIntegerField(_("catalog version"), default=1)
    planned_effective_date = models.DateField(_("planned effective date"), null=True, blank=True)
    planned_cancel_date = models.DateField(_("planned cancellation date"), null=True, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="catalog_items", verbose_name=_("catalog region")
    )

    class Meta:
        ordering = ["base_code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")

    def __str__(self) -> str:
        return f"{self.name} ({self.base_code})"


class ImplementationStatus(models.TextChoices):
    """Where an implementation stands."""

    DRAFT = "draft", _("Draft (never published)")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Implementation(models.Model):
    """A 实施清单 entry: one agency's implementation of one item in one region.

    Its elements live in an editable ``draft`` and in immutable ``ImplementationVersion`` rows;
    ``current_version`` is the one the public guide shows and new cases are filed under.
    """

    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="implementations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="implementations")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="implementations")
    code = models.CharField(_("implementation code"), max_length=60, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImplementationStatus.choices, default=ImplementationStatus.DRAFT
    )
    draft = models.JSONField(_("draft elements"), default=dict)
    draft_updated_at = models.DateTimeField(null=True, blank=True)
    current_version = models.ForeignKey(
        "ImplementationVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Denormalised from the current version for search, filters and ranking.
    search_name = models.CharField(max_length=200, blank=True, db_index=True)
    search_tokens = models.TextField(blank=True)
    search_extra = models.TextField(blank=True)
    item_type = models.CharField(max_length=16, blank=True, db_index=True)
    online_depth = models.PositiveSmallIntegerField(default=1, db_index=True)
    cross_region_scope = models.CharField(max_length=12, blank=True, db_index=True)
    themes = models.JSONField(default=list, blank=True)
    use_count = models.PositiveIntegerField(default=0)
    # Publication-check failures of the draft (codes), refreshed on every save.
    draft_failures = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region__code", "code"]
        verbose_name = _("implementation")
        verbose_name_plural = _("implementations")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "agency", "region"], name="implementation_unique_per_agency"
            ),
        ]
        indexes = [models.Index(fields=["status", "region"], name="impl_status_region_idx")]

    def __str__(self) -> str:
        return f"{self.search_name or self.item.name} · {self.agency.name}"


class ImplementationVersion(models.Model):
    """One published state of an implementation. Never changed after it is written."""

    implementation = models.ForeignKey(Implementation, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    uniform = models.JSONField(default=dict)  # the six uniform elements as they were at publication
    content_hash = models.CharField(max_length=64)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adjustment = models.ForeignKey(
        "Adjustment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["implementation", "number"]
        verbose_name = _("implementation version")
        verbose_name_plural = _("implementation versions")
        constraints = [
            models.UniqueConstraint(fields=["implementation", "number"], name="version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.implementation.code} v{self.number}"


class MaterialRequirement(models.Model):
    """One 申请材料 of one published version (rows written with the version, never changed)."""

    version = models.ForeignKey(ImplementationVersion, on_delete=models.PROTECT, related_name="materials")
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("material name"), max_length=200)
    necessity = models.CharField(_("necessity"), max_length=20)
    commitment_allowed = models.BooleanField(_("commitment allowed"), default=False)
    form = models.CharField(_("form"), max_length=12)
    copy_kind = models.CharField(_("original or copy"), max_length=10)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    source = models.CharField(_("source"), max_length=16)
    license_type = models.CharField(_("license type"), max_length=200, blank=True)
    details = models.JSONField(default=dict)  # notes, standard, basis, file ids

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("material requirement")
        verbose_name_plural = _("material requirements")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="material_unique_key")]

    def __str__(self) -> str:
        return self.name


class AdjustmentKind(models.TextChoices):
    """动态调整: add, change or cancel an implementation."""

    ADD = "add", _("Add")
    CHANGE = "change", _("Change")
    CANCEL = "cancel", _("Cancel")


class AdjustmentStatus(models.TextChoices):
    """Where an adjustment request stands."""

    SUBMITTED = "submitted", _("Submitted, awaiting review")
    APPROVED = "approved", _("Approved, awaiting publication")
    REJECTED = "rejected", _("Returned")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Adjustment(models.Model):
    """A request to add, change or cancel an implementation, reviewed before it takes effect."""

    implementation = models.ForeignKey(Implementation, on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField(_("kind"), max_length=8, choices=AdjustmentKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=AdjustmentStatus.choices, default=AdjustmentStatus.SUBMITTED
    )
    reason = models.TextField(_("reason"))
    content = models.JSONField(default=dict)  # the draft as submitted
    base_version = models.ForeignKey(
        ImplementationVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    failures = models.JSONField(default=list, blank=True)  # publication-check failures at submission
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.implementation.code} ({self.get_status_display()})"


class LinkedListKind(models.TextChoices):
    """Other official lists an implementation is linked to (task 2)."""

    POWER_RESPONSIBILITY = "power_responsibility", _("Power and responsibility list")
    LICENSING = "licensing", _("Administrative licensing list")
    CERTIFICATION = "certification", _("Certification list")
    SUPERVISION = "supervision", _("Internet+ supervision list")
    INVESTMENT = "investment", _("Investment project approval list")
    CONSTRUCTION = "construction", _("Construction project approval list")
    PERMIT_SEPARATION = "permit_separation", _("Permit-license separation list")


class LinkedList(models.Model):
    """One official list (权责清单 …) of one region, imported from its publication."""

    kind = models.CharField(_("kind"), max_length=24, choices=LinkedListKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="linked_lists")
    name = models.CharField(_("name"), max_length=200)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region__code", "kind"]
        verbose_name = _("linked list")
        verbose_name_plural = _("linked lists")
        constraints = [
            models.UniqueConstraint(fields=["kind", "region"], name="linked_list_unique_kind_region")
        ]

    def __str__(self) -> str:
        return self.name


class ListEntry(models.Model):
    """One entry of a linked list."""

    linked_list = models.ForeignKey(LinkedList, on_delete=models.CASCADE, related_name="entries")
    code = models.CharField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    department = models.CharField(_("department"), max_length=120, blank=True)
    implementations = models.ManyToManyField(Implementation, blank=True, related_name="list_entries")

    class Meta:
        ordering = ["linked_list", "code"]
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        constraints = [models.UniqueConstraint(fields=["linked_list", "code"], name="list_entry_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CatalogFile(models.Model):
    """A blank form, a sample or a result sample offered with a guide (checked by content)."""

    file = models.FileField(upload_to="catalog/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("catalog file")
        verbose_name_plural = _("catalog files")

    def __str__(self) -> str:
        return self.original_name
