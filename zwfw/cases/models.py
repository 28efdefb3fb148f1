"""Tables of case handling: the case, its materials, notices, clock pauses, extensions, delivery.

State changes happen only through ``zwfw.cases.services``; the allowed transitions are the
``TRANSITIONS`` table in ``zwfw.cases.states``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zwfw.catalog.models import Implementation, ImplementationVersion
from zwfw.core.models import Agency, Region, Venue, Window
from zwfw.core.staging import staged_storage
from zwfw.identity.models import Enterprise, Person


class CaseState(models.TextChoices):
    """Where a case stands (see ``states.TRANSITIONS`` for the allowed moves)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
    RESUBMITTED = "resubmitted", _("Corrected and resubmitted")
    ACCEPTED = "accepted", _("Accepted")
    INTAKE_REJECTED = "intake_rejected", _("Not accepted")
    UNDER_REVIEW = "under_review", _("Under review")
    SUSPENDED = "suspended", _("Suspended (clock paused)")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    DELIVERED = "delivered", _("Result delivered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Channel(models.TextChoices):
    """How the application came in."""

    ONLINE = "online", _("Online")
    WINDOW = "window", _("General window")
    TERMINAL = "terminal", _("Self-service terminal")
    ASSISTED = "assisted", _("Assisted by staff")


class Case(models.Model):
    """One application for one published implementation version, from submission to delivery."""

    # Unique through Meta.constraints: unique=True would add a second, pattern-matching index that
    # no query uses (the clerk's number search is a substring match).
    number = models.CharField(_("case number"), max_length=40)
    implementation = models.ForeignKey(Implementation, on_delete=models.PROTECT, related_name="cases")
    version = models.ForeignKey(ImplementationVersion, on_delete=models.PROTECT, related_name="cases")
    # Indexed by case_agency_state_idx, which leads with it.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cases", db_index=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cases")
    applicant_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    applicant_enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", db_index=False
    )
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=24, choices=CaseState.choices, default=CaseState.DRAFT)
    form_data = models.JSONField(default=dict, blank=True)
    # Indexed by case_venue_state_idx; the nullable references below only where set (Meta).
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", db_index=False
    )
    window = models.ForeignKey(
        Window, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", db_index=False
    )
    first_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first contact"),
        db_index=False,
    )
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    # The clock: kept current by the services (due_date moves with pauses and extensions).
    limit_days = models.PositiveIntegerField(null=True, blank=True)
    limit_unit = models.CharField(max_length=12, blank=True)
    due_date = models.DateField(null=True, blank=True)
    statutory_due_date = models.DateField(null=True, blank=True)
    paused_days = models.PositiveIntegerField(default=0)
    extension_days = models.PositiveIntegerField(default=0)
    provisional = models.BooleanField(default=False)
    # 容缺受理: the date by which the missing materials were promised.
    deficiency_due_date = models.DateField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    decision_reasons = models.TextField(blank=True)
    result_file = models.FileField(upload_to="results/%Y/%m/", blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    idempotency_owner = models.CharField(max_length=64, blank=True)
    lookup_code = models.CharField(max_length=8, blank=True)  # second factor for status lookup

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(fields=["number"], name="case_unique_number"),
            models.UniqueConstraint(
                fields=["idempotency_owner", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="case_unique_idempotency_key",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_date"], name="case_state_due_idx"),
            # The due-soon and overdue queues: only running cases, ordered by due date.
            models.Index(
                fields=["due_date"],
                condition=models.Q(state__in=["accepted", "under_review"]),
                name="case_running_due_idx",
            ),
            models.Index(fields=["agency", "state"], name="case_agency_state_idx"),
            models.Index(fields=["concluded_on"], name="case_concluded_idx"),
            models.Index(fields=["venue", "state"], name="case_venue_state_idx"),
            # References that an online submission leaves empty: indexed only where set, so that
            # writing a case does not add an entry to each for nothing (a lookup by one of them
            # is a lookup of a set value and uses these).
            *(
                models.Index(
                    fields=[name], condition=models.Q(**{f"{name}__isnull": False}), name=f"case_{name}_idx"
                )
                for name in ("applicant_enterprise", "window", "first_contact", "assisted_by", "decided_by")
            ),
        ]

    def __str__(self) -> str:
        return self.number


class MaterialKind(models.TextChoices):
    """How a material requirement was met."""

    UPLOAD = "upload", _("Electronic file")
    PAPER = "paper", _("Paper, checked at the window")
    COMMITMENT = "commitment", _("Signed commitment")
    E_LICENSE = "e_license", _("E-license (fetched by the platform)")


class CaseMaterial(models.Model):
    """A material received for one requirement of the case's version."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="materials")
    requirement_key = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=MaterialKind.choices)
    # Online submissions stage their files in the database first (zwfw/core/staging.py).
    file = models.FileField(upload_to="cases/%Y/%m/", blank=True, storage=staged_storage)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=80, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    commitment_text = models.TextField(blank=True)
    license_reference = models.CharField(max_length=120, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    superseded = models.BooleanField(default=False)

    class Meta:
        ordering = ["case", "requirement_key", "received_at"]
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")
        indexes = [models.Index(fields=["case", "requirement_key"], name="casematerial_case_key_idx")]

    def __str__(self) -> str:
        return f"{self.case.number} {self.name}"


class NoticeKind(models.TextChoices):
    """The written notices a case produces."""

    ACCEPTANCE = "acceptance", _("Acceptance notice")
    INTAKE_REJECTION = "intake_rejection", _("Notice of non-acceptance")
    CORRECTION = "correction", _("One-time notice of corrections")
    DEFICIENCY = "deficiency", _("Deficiency acceptance commitment")
    DECISION = "decision", _("Decision letter")


class CaseNotice(models.Model):
    """A notice issued on a case (its PDF is generated from these fields, never edited)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    sequence = models.PositiveSmallIntegerField(default=1)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    items = models.JSONField(default=list, blank=True)  # e.g. [{key, name, problem, note}]
    reason = models.TextField(blank=True)
    # What the case held when a correction notice was issued (keys of received materials).
    on_file = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["case", "issued_at"]
        verbose_name = _("case notice")
        verbose_name_plural = _("case notices")

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()} #{self.sequence}"


class PauseKind(models.TextChoices):
    """Why the clock stopped."""

    SPECIAL_PROCEDURE = "special_procedure", _("Special procedure")
    CORRECTION = "correction", _("Waiting for supplementary materials")


class CasePause(models.Model):
    """A pause of the clock: started on S, resumed on R, costing the working days in (S, R]."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="pauses")
    kind = models.CharField(max_length=20, choices=PauseKind.choices)
    procedure = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    days = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "started_on"]
        verbose_name = _("clock pause")
        verbose_name_plural = _("clock pauses")

    def __str__(self) -> str:
        return f"{self.case.number} {self.started_on}–{self.ended_on or ''}"


class CaseExtension(models.Model):
    """An approved extension of the limit, with its reason."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extensions")
    days = models.PositiveIntegerField()
    reason = models.TextField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"{self.case.number} +{self.days}"


class DeliveryMethod(models.TextChoices):
    """出件: pickup at a window, by post, or online."""

    WINDOW = "window", _("Pickup at the window")
    POST = "post", _("By post")
    ONLINE = "online", _("Online")


class Delivery(models.Model):
    """How the result (or the denial) reached the applicant."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="delivery")
    method = models.CharField(max_length=8, choices=DeliveryMethod.choices)
    courier = models.CharField(max_length=60, blank=True)
    tracking_number = models.CharField(max_length=60, blank=True)
    address = models.CharField(max_length=300, blank=True)
    recipient = models.CharField(max_length=60, blank=True)
    delivered_at = models.DateTimeField()
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_method_display()}"


class CaseNumberSequence(models.Model):
    """The last sequence number used for one region and day (case numbers are never reused)."""

    region_code = models.CharField(max_length=12)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region_code", "day"], name="case_sequence_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.day} {self.last}"
