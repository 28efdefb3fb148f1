"""Tables of 好差评: ratings, their invitations, the 差评 rectification loop and the plan tracker.

State changes happen only through ``zwfw.evaluations.services`` (ratings and rectifications)
and ``zwfw.evaluations.plan`` (plan tasks and progress reports).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zwfw.cases.models import Case
from zwfw.core.models import Agency, Region, Venue


class Grade(models.IntegerChoices):
    """The five grades of GB/T 39734 with their fixed labels; 2 and 1 are 差评."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    FAIRLY_SATISFIED = 3, _("Fairly satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


BAD_GRADES = frozenset({2, 1})
GOOD_GRADES = frozenset({5, 4, 3})


class Stage(models.TextChoices):
    """The moments of a case that can be rated."""

    INTAKE = "intake", _("Intake")
    ACCEPTANCE = "acceptance", _("Acceptance")
    CONCLUSION = "conclusion", _("Conclusion")


class RatingChannel(models.TextChoices):
    """一事一评 online (the whole matter) or 一次一评 at the window (this visit and this clerk)."""

    ONLINE = "online", _("Online (per matter)")
    WINDOW = "window", _("At the window (per visit)")


# Indicator questions (DOMAIN.md, 好差评): key -> label.
ONLINE_INDICATORS: dict[str, str | Promise] = {
    "overall": _("Overall satisfaction"),
    "efficiency": _("Efficiency"),
    "guide_accuracy": _("Accuracy of the guide"),
    "convenience": _("Convenience"),
    "usability": _("Ease of use of the platform"),
}
OFFLINE_INDICATORS: dict[str, str | Promise] = {
    "overall": _("Overall satisfaction"),
    "service_efficiency": _("Speed of service"),
    "service_level": _("Quality of service"),
    "attitude": _("Attitude"),
}


class Evaluation(models.Model):
    """One rating of one case at one stage (once, never edited)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evaluations")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=RatingChannel.choices)
    grade = models.PositiveSmallIntegerField(_("grade"), choices=Grade.choices)
    indicators = models.JSONField(default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    real_name = models.BooleanField(_("real name"), default=True)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Copied from the case so the dashboard aggregates without joining the case table.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    excluded = models.BooleanField(default=False)  # an upheld appeal (mis-rating or malice)
    created_at = models.DateTimeField(auto_now_add=True)
    created_on = models.DateField()
    idempotency_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.UniqueConstraint(fields=["case", "stage"], name="evaluation_once_per_stage")]
        indexes = [
            models.Index(fields=["region", "created_on"], name="evaluation_region_day_idx"),
            models.Index(fields=["created_on"], name="evaluation_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.stage}: {self.grade}"

    @property
    def is_bad(self) -> bool:
        """True for 差评 (grades 2 and 1)."""
        return self.grade in BAD_GRADES


class EvaluationInvitation(models.Model):
    """The one invitation an unrated concluded case receives (SMS / notice)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="evaluation_invitation")
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("rating invitation")
        verbose_name_plural = _("rating invitations")

    def __str__(self) -> str:
        return f"{self.case_id}"


class RectificationStatus(models.TextChoices):
    """Where a 差评 stands in its loop."""

    OPEN = "open", _("Awaiting call-back")
    CALLED_BACK = "called_back", _("Called back")
    CLASSIFIED = "classified", _("Verified and classified")
    APPEALED = "appealed", _("Appeal under review")
    ANSWERED = "answered", _("Fixed and answered")
    DISMISSED = "dismissed", _("Appeal upheld (rating excluded)")


class Classification(models.TextChoices):
    """What verification found (GB/T 39735)."""

    FIX_NOW = "fix_now", _("Clear and reasonable: fixed at once")
    PLAN = "plan", _("Complex: dated rectification plan")
    EXPLAIN = "explain", _("No legal basis: explanation")
    APPEAL = "appeal", _("Mis-rating or malice: appeal")


CLOSED_STATUSES = frozenset({RectificationStatus.ANSWERED, RectificationStatus.DISMISSED})


class Rectification(models.Model):
    """The handling of one 差评 by the agency that handled the case (谁办理、谁负责)."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="rectification")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    real_name = models.BooleanField(default=True)  # copied from the rating: figures need no join
    status = models.CharField(
        _("status"), max_length=12, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    opened_on = models.DateField()
    due_date = models.DateField()
    provisional = models.BooleanField(default=False)
    callback_at = models.DateTimeField(null=True, blank=True)
    callback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    callback_reached = models.BooleanField(default=False)
    callback_note = models.TextField(blank=True)
    classification = models.CharField(max_length=8, choices=Classification.choices, blank=True)
    finding = models.TextField(blank=True)
    plan_text = models.TextField(blank=True)
    plan_due = models.DateField(null=True, blank=True)
    appeal_reason = models.TextField(blank=True)
    appeal_upheld = models.BooleanField(null=True, blank=True)
    appeal_decision = models.TextField(blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fix_text = models.TextField(blank=True)
    answer_text = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    on_time = models.BooleanField(null=True, blank=True)
    escalation = models.CharField(max_length=8, blank=True)  # "" | due_soon | overdue
    escalated_at = models.DateTimeField(null=True, blank=True)
    rater_grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    rater_comment = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        indexes = [
            models.Index(fields=["agency", "status"], name="rectification_agency_idx"),
            models.Index(fields=["opened_on"], name="rectification_opened_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.status}"

    @property
    def is_closed(self) -> bool:
        """True once answered or dismissed on appeal."""
        return self.status in CLOSED_STATUSES


class ReportStatus(models.TextChoices):
    """How a lead unit reports a plan task for a quarter."""

    DONE = "done", _("Done")
    IN_PROGRESS = "in_progress", _("In progress")
    AT_RISK = "at_risk", _("At risk")


class PlanTask(models.Model):
    """One of the plan's tasks (section 二 of the seed), loaded from data/plan/."""

    number = models.PositiveSmallIntegerField(unique=True)
    section = models.CharField(max_length=60, blank=True)
    title = models.CharField(max_length=120)
    summary = models.TextField(blank=True)
    lead_units = models.JSONField(default=list)
    responsible_units = models.JSONField(default=list)
    deadline_text = models.CharField(max_length=60, blank=True)
    deadline = models.DateField(null=True, blank=True)
    ongoing = models.BooleanField(default=False)  # 持续推进
    figures = models.JSONField(default=list, blank=True)  # dashboard figure keys measuring it

    class Meta:
        ordering = ["number"]
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ProgressReport(models.Model):
    """A lead unit's quarterly report on one task (一季一调度、一季一汇报)."""

    task = models.ForeignKey(PlanTask, on_delete=models.PROTECT, related_name="reports")
    unit = models.CharField(max_length=60)
    quarter = models.CharField(max_length=7)  # e.g. 2026Q4
    status = models.CharField(max_length=12, choices=ReportStatus.choices)
    evidence = models.TextField(blank=True)
    reasons = models.TextField(blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()

    class Meta:
        ordering = ["task__number", "unit"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "quarter"], name="progress_once_per_quarter")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.unit} {self.quarter}"


class MonthlyStat(models.Model):
    """Counts of one agency for one closed month, rolled up from cases and ratings by
    ``metrics.stats_refresh`` so that the province's dashboard does not rescan past months."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    decided = models.PositiveIntegerField(default=0)
    spot = models.PositiveIntegerField(default=0)
    with_due = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    timed = models.PositiveIntegerField(default=0)
    decide_days = models.BigIntegerField(default=0)
    promised_days = models.BigIntegerField(default=0)
    ratings = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("monthly statistic")
        verbose_name_plural = _("monthly statistics")
        constraints = [models.UniqueConstraint(fields=["agency", "month"], name="monthly_stat_unique")]
        indexes = [models.Index(fields=["month", "region"], name="monthly_stat_month_idx")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month}"


class StatMonth(models.Model):
    """A month whose ``MonthlyStat`` rows are complete (the dashboard reads them instead of the raw
    tables); removed when something in that month changes."""

    month = models.DateField(unique=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("rolled-up month")
        verbose_name_plural = _("rolled-up months")

    def __str__(self) -> str:
        return self.month.isoformat()
