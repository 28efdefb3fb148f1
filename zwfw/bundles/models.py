"""Tables of bundles (一件事一次办) and remote intake (跨省通办/省内通办).

Bundle definitions are versioned like implementations: an editable draft, adjustments reviewed
by a second catalog administrator, immutable ``BundleVersion`` rows. One application of a bundle
is a ``BundleCase`` whose children (``BundleChild``) link ordinary cases of ``zwfw.cases``; a
material uploaded once is a ``BundleMaterial`` whose stored file every child's ``CaseMaterial``
references. A ``RemoteIntake`` is an application received at a cross-region window for an item
decided by an agency of another region. State changes happen only through the services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zwfw.cases.models import Case
from zwfw.catalog.models import Implementation, ImplementationVersion
from zwfw.core.models import Agency, Region, Venue, Window
from zwfw.identity.models import Enterprise, Person


class BundleStatus(models.TextChoices):
    """Where a bundle definition stands."""

    DRAFT = "draft", _("Draft (never published)")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Bundle(models.Model):
    """A bundle definition (一件事): several implementations applied for with one form."""

    code = models.CharField(_("bundle code"), max_length=40, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="bundles")
    status = models.CharField(
        _("status"), max_length=10, choices=BundleStatus.choices, default=BundleStatus.DRAFT
    )
    draft = models.JSONField(_("draft"), default=dict)
    draft_failures = models.JSONField(default=list, blank=True)
    draft_updated_at = models.DateTimeField(null=True, blank=True)
    current_version = models.ForeignKey(
        "BundleVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("bundle")
        verbose_name_plural = _("bundles")

    def __str__(self) -> str:
        return str(self.draft.get("name") or self.code)


class BundleAdjustmentStatus(models.TextChoices):
    """Where a bundle adjustment stands (approval publishes it)."""

    SUBMITTED = "submitted", _("Submitted, awaiting review")
    PUBLISHED = "published", _("Approved and published")
    REJECTED = "rejected", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class BundleAdjustment(models.Model):
    """A request to publish the bundle's draft, reviewed by someone other than its author."""

    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="adjustments")
    status = models.CharField(
        max_length=10, choices=BundleAdjustmentStatus.choices, default=BundleAdjustmentStatus.SUBMITTED
    )
    reason = models.TextField(_("reason"))
    content = models.JSONField(default=dict)
    failures = models.JSONField(default=list, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("bundle adjustment")
        verbose_name_plural = _("bundle adjustments")

    def __str__(self) -> str:
        return f"{self.bundle.code} ({self.get_status_display()})"


class BundleVersion(models.Model):
    """One published state of a bundle. Never changed after it is written."""

    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    # item key -> implementation id, resolved from the codes when the version was published
    implementations = models.JSONField(default=dict)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adjustment = models.ForeignKey(
        BundleAdjustment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["bundle", "number"]
        verbose_name = _("bundle version")
        verbose_name_plural = _("bundle versions")
        constraints = [
            models.UniqueConstraint(fields=["bundle", "number"], name="bundle_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.bundle.code} v{self.number}"


class BundleCase(models.Model):
    """One application of a bundle: one status and one due date over its child cases."""

    number = models.CharField(_("bundle case number"), max_length=40, unique=True)
    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="cases")
    version = models.ForeignKey(BundleVersion, on_delete=models.PROTECT, related_name="cases")
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bundle_cases"
    )
    applicant_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="bundle_cases"
    )
    applicant_enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="bundle_cases"
    )
    answers = models.JSONField(default=dict, blank=True)  # situation question key -> bool
    form_data = models.JSONField(default=dict, blank=True)  # concept -> answer
    contact_phone = models.CharField(max_length=20, blank=True)
    submitted_at = models.DateTimeField()
    submitted_on = models.DateField()
    due_date = models.DateField()
    provisional = models.BooleanField(default=False)
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("bundle case")
        verbose_name_plural = _("bundle cases")

    def __str__(self) -> str:
        return self.number


class BundleChildState(models.TextChoices):
    """Whether a child case has started (been submitted to its agency)."""

    WAITING = "waiting", _("Waiting for the result it needs")
    STARTED = "started", _("Started")
    CANCELLED = "cancelled", _("Cancelled (the result it needed was refused)")


class BundleChild(models.Model):
    """One child case of a bundle case: one applicable item, routed to its agency."""

    bundle_case = models.ForeignKey(BundleCase, on_delete=models.PROTECT, related_name="children")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="bundle_child")
    item_key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    depends_on = models.JSONField(default=list, blank=True)  # item keys
    state = models.CharField(max_length=10, choices=BundleChildState.choices)
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["bundle_case", "position"]
        verbose_name = _("bundle child case")
        verbose_name_plural = _("bundle child cases")
        constraints = [
            models.UniqueConstraint(fields=["bundle_case", "item_key"], name="bundle_child_unique_item")
        ]

    def __str__(self) -> str:
        return f"{self.bundle_case.number}/{self.item_key}"


class BundleMaterial(models.Model):
    """A material uploaded once for a bundle case; each child needing it references its file."""

    bundle_case = models.ForeignKey(BundleCase, on_delete=models.PROTECT, related_name="materials")
    key = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to="bundles/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["bundle_case", "key"]
        verbose_name = _("bundle material")
        verbose_name_plural = _("bundle materials")
        constraints = [
            models.UniqueConstraint(fields=["bundle_case", "key"], name="bundle_material_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.bundle_case.number} {self.name}"


class RemoteIntakeState(models.TextChoices):
    """The hand-overs of a remote intake, from receipt in region A to the result back in A."""

    RECEIVED = "received", _("Received at the cross-region window")
    FORWARDED = "forwarded", _("Forwarded to the deciding agency")
    ACCEPTED = "accepted", _("Accepted by the deciding agency")
    RETURNED = "returned", _("Returned by the deciding agency")
    RESULT_SENT = "result_sent", _("Result sent")
    RESULT_ARRIVED = "result_arrived", _("Result arrived for pickup")
    COMPLETED = "completed", _("Completed")


class ResultRoute(models.TextChoices):
    """Where the deciding agency sends the result."""

    PICKUP = "pickup", _("Back to the receiving window for pickup")
    POST = "post", _("Posted to the applicant")


class RemoteIntake(models.Model):
    """An application received at a cross-region window of region A for an item decided in B.

    Region A's staff see this record (receipt, materials checklist, hand-overs, result pickup);
    region B's see it once forwarded, and the ``case`` their agency accepted.
    """

    number = models.CharField(_("remote intake number"), max_length=40, unique=True)
    implementation = models.ForeignKey(Implementation, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(ImplementationVersion, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=16)  # proxy_intake (异地代收代办) or joint_handling (多地联办)
    receiving_venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="remote_intakes")
    receiving_window = models.ForeignKey(Window, on_delete=models.PROTECT, related_name="remote_intakes")
    receiving_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    deciding_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="remote_intakes")
    deciding_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="remote_intakes")
    contact_phone = models.CharField(max_length=20, blank=True)
    form_data = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=16, choices=RemoteIntakeState.choices)
    received_at = models.DateTimeField()
    received_on = models.DateField()
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    forwarded_at = models.DateTimeField(null=True, blank=True)
    forward_courier = models.CharField(max_length=60, blank=True)
    forward_tracking = models.CharField(max_length=60, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_reasons = models.TextField(blank=True)
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="remote_intake"
    )
    result_route = models.CharField(max_length=8, choices=ResultRoute.choices, blank=True)
    result_courier = models.CharField(max_length=60, blank=True)
    result_tracking = models.CharField(max_length=60, blank=True)
    result_address = models.CharField(max_length=300, blank=True)
    result_sent_at = models.DateTimeField(null=True, blank=True)
    result_arrived_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    handed_to = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("remote intake")
        verbose_name_plural = _("remote intakes")
        indexes = [
            models.Index(fields=["receiving_venue", "state"], name="remote_receiving_idx"),
            models.Index(fields=["deciding_agency", "state"], name="remote_deciding_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class RemoteMaterialKind(models.TextChoices):
    """How region A received a material: a scan forwarded electronically, or the paper original."""

    UPLOAD = "upload", _("Scanned and forwarded electronically")
    PAPER = "paper", _("Paper original, forwarded by post")


class RemoteIntakeMaterial(models.Model):
    """A material received by region A for the deciding agency's requirement ``requirement_key``."""

    intake = models.ForeignKey(RemoteIntake, on_delete=models.PROTECT, related_name="materials")
    requirement_key = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=RemoteMaterialKind.choices)
    file = models.FileField(upload_to="remote/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=80, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["intake", "requirement_key"]
        verbose_name = _("remote intake material")
        verbose_name_plural = _("remote intake materials")

    def __str__(self) -> str:
        return f"{self.intake.number} {self.name}"
