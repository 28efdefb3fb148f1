"""Tables of the shared kernel: regions, agencies, venues, windows, holidays, the audit ledger."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    """The five levels of 行政区划."""

    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")


# How many leading digits of the 12-digit code identify a region of each level.
LEVEL_PREFIX_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.PREFECTURE: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}
LEVEL_ORDER = list(LEVEL_PREFIX_LENGTH)


class Region(models.Model):
    """A 行政区划 with its GB/T 2260 code (6 digits; 12 for townships and villages)."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Leading digits shared by this region and everything below it: descendant lookups are
    # one indexed prefix match (``prefix__startswith``).
    prefix = models.CharField(max_length=12, db_index=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def code12(self) -> str:
        """The code padded to the 12-digit statistical form."""
        return self.code.ljust(12, "0")

    def is_within(self, other: Region) -> bool:
        """True when this region is ``other`` or lies below it."""
        return self.prefix.startswith(other.prefix)


class AgencyKind(models.TextChoices):
    """What kind of body an agency is."""

    SERVICE_ADMINISTRATION = "service_administration", _("Government service administration")
    DEPARTMENT = "department", _("Department")
    TOWNSHIP_GOVERNMENT = "township_government", _("Township government")
    VILLAGE_COMMITTEE = "village_committee", _("Village committee")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")


class Agency(models.Model):
    """A 政务服务部门 / 实施机构: a government body that implements service items in one region."""

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("region")
    )
    kind = models.CharField(
        _("kind"), max_length=24, choices=AgencyKind.choices, default=AgencyKind.DEPARTMENT
    )
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="agency_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.name


class VenueKind(models.TextChoices):
    """The three kinds of physical hall, one per level band (task 7)."""

    CENTER = "center", _("Government service center")
    TOWNSHIP_CENTER = "township_center", _("Township service center")
    VILLAGE_STATION = "village_station", _("Village service station")


# The suffix a venue's name must end with, by kind (task 7 of the seed plan).
VENUE_NAME_SUFFIX = {
    VenueKind.CENTER: "政务服务中心",
    VenueKind.TOWNSHIP_CENTER: "为民服务中心",
    VenueKind.VILLAGE_STATION: "为民服务站",
}


class Venue(models.Model):
    """A 政务服务中心 / 为民服务中心 / 为民服务站 where applicants come in person."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="venues", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=VenueKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    agencies = models.ManyToManyField(
        Agency, blank=True, related_name="venues", verbose_name=_("agencies stationed here")
    )

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return self.name


class WindowKind(models.TextChoices):
    """Kinds of counters (窗口) in a venue."""

    GENERAL = "general", _("General window (any item)")
    DOMAIN = "domain", _("Domain window")
    CROSS_REGION = "cross_region", _("Cross-region window")
    CONSULT = "consult", _("Consultation window")
    ASSIST = "assist", _("Assisted-handling window")
    COMPLAINT = "complaint", _("Complaint window")


class Window(models.Model):
    """A counter (窗口) in a venue."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="windows", verbose_name=_("venue")
    )
    number = models.CharField(_("number"), max_length=20)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=WindowKind.choices)
    agencies = models.ManyToManyField(
        Agency, blank=True, related_name="windows", verbose_name=_("agencies served")
    )

    class Meta:
        ordering = ["venue", "number"]
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        constraints = [
            models.UniqueConstraint(fields=["venue", "number"], name="window_unique_number_in_venue")
        ]

    def __str__(self) -> str:
        return f"{self.venue.name} {self.number} {self.name}"


class HolidayKind(models.TextChoices):
    """Whether a listed day is a day off or a make-up working day (调休)."""

    HOLIDAY = "holiday", _("Holiday (day off)")
    WORKDAY = "workday", _("Make-up working day")


class Holiday(models.Model):
    """One day of the State Council's yearly holiday notice; overrides the packaged calendar."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=HolidayKind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    source = models.CharField(_("source notice"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class AuditEvent(models.Model):
    """One append-only ledger row, chained by hash to the previous row of the same object.

    The database refuses UPDATE and DELETE on this table (triggers); ``ledger_verify``
    recomputes every hash and link.
    """

    chain = models.CharField(max_length=120)
    seq = models.PositiveBigIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    occurred_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=60)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="auditevent_unique_chain_seq")]
        indexes = [models.Index(fields=["object_type", "object_id"], name="auditevent_object_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.chain}/{self.seq} {self.action}"


class AuditChainHead(models.Model):
    """The latest row of one chain: the per-object lock and the guard against a cut tail.

    ``checkpoint_id`` is cleared on each append and set when a checkpoint records the head.
    """

    chain = models.CharField(max_length=120, primary_key=True)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    checkpoint_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.chain} @ {self.seq}"


class AuditCheckpoint(models.Model):
    """A periodic, chained record of every chain head that changed since the last checkpoint."""

    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    heads = models.JSONField(default=list)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit checkpoint")

    def __str__(self) -> str:
        return f"checkpoint #{self.pk} ({len(self.heads)} heads)"


class StagedFile(models.Model):
    """An uploaded file's content held in the database until it is written to file storage.

    Online intake stores a submission's files in the same statement as its case (durable with
    that one COMMIT, no file-system sync on the request path); the staged-file flush then writes
    each to storage under its final name, syncs it to disk, and deletes the row
    (``zwfw/core/staging.py``). Until then the storage serves the content from here.
    """

    name = models.CharField(max_length=255, primary_key=True)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staged file")
        verbose_name_plural = _("staged files")

    def __str__(self) -> str:
        return self.name
