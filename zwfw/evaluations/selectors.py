"""Reads of 好差评: what a case may still be rated, the agency's rectification queue, and the
public figures and answers per region and agency (评价公开) with personal data removed."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zwfw.cases.models import Case
from zwfw.core.calendar import add_working_days
from zwfw.core.errors import NotFound
from zwfw.core.models import Agency, Region
from zwfw.evaluations.models import (
    BAD_GRADES,
    CLOSED_STATUSES,
    Evaluation,
    Rectification,
    RectificationStatus,
)
from zwfw.evaluations.services import (
    AGENCY_ROLES,
    DEFAULT_DUE_SOON_DAYS,
    OVERSIGHT_ROLES,
    enabled_stages,
    is_applicant,
    setting,
    stage_reached,
)
from zwfw.identity.models import User
from zwfw.identity.selectors import Actor, actor_scope, role_region_prefixes

RECTIFICATION_QUEUES = ("open", "due_soon", "overdue", "appealed", "closed")
_ID_RE = re.compile(r"\d{17}[\dXx]|\d{15}")
_PHONE_RE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}")


def stages_to_rate(*, case: Case) -> list[str]:
    """Enabled stages the case has reached and nobody has rated yet."""
    done = set(Evaluation.objects.filter(case=case).values_list("stage", flat=True))
    return [s for s in enabled_stages() if s not in done and stage_reached(case, s)]


def rateable_case_get(*, actor: Actor | None, case_id: int) -> Case:
    """A case the actor applied for (NotFound otherwise, never revealing it exists)."""
    case = Case.objects.select_related("agency", "implementation__item").filter(pk=case_id).first()
    if case is None or not isinstance(actor, User) or not is_applicant(actor, case):
        raise NotFound("case.not_found", _("Case not found."))
    return case


def evaluation_list(*, actor: Actor | None) -> QuerySet[Evaluation]:
    """Ratings the actor may see: their own; staff those of their agencies and regions."""
    scope = actor_scope(actor)
    qs = Evaluation.objects.select_related("case", "agency", "region")
    if scope.is_superuser:
        return qs
    if scope.user_id is None:
        return qs.none()
    q = Q(rater_id=scope.user_id)
    if scope.agency_ids:
        q |= Q(agency_id__in=scope.agency_ids)
    for role in OVERSIGHT_ROLES:
        for prefix in role_region_prefixes(actor=actor, role=role):
            q |= Q(region__prefix__startswith=prefix)
    return qs.filter(q)


def rectification_list(*, actor: Actor | None) -> QuerySet[Rectification]:
    """Rectifications the actor handles (agency staff) or oversees (region), or rated (rater)."""
    scope = actor_scope(actor)
    qs = Rectification.objects.select_related("evaluation__case__implementation__item", "agency", "region")
    if scope.is_superuser:
        return qs
    if scope.user_id is None:
        return qs.none()
    q = Q(evaluation__rater_id=scope.user_id)
    handling = [a for a, roles in scope.roles_by_agency.items() if roles & set(AGENCY_ROLES)]
    if handling:
        q |= Q(agency_id__in=handling)
    for role in OVERSIGHT_ROLES:
        for prefix in role_region_prefixes(actor=actor, role=role):
            q |= Q(region__prefix__startswith=prefix)
    return qs.filter(q)


def rectification_get(*, actor: Actor | None, rectification_id: int) -> Rectification:
    """One rectification in the actor's scope; NotFound otherwise."""
    found = rectification_list(actor=actor).filter(pk=rectification_id).first()
    if found is None:
        raise NotFound("rectification.not_found", _("Rectification not found."))
    return found


def rectification_queue(
    queryset: QuerySet[Rectification], queue: str, *, today: datetime.date | None = None
) -> QuerySet[Rectification]:
    """One queue of the rectification desk: open, due soon, overdue, appealed, closed."""
    today = today or timezone.localdate()
    open_qs = queryset.exclude(status__in=CLOSED_STATUSES)
    if queue == "closed":
        return queryset.filter(status__in=CLOSED_STATUSES).order_by("-answered_at")
    if queue == "appealed":
        return open_qs.filter(status=RectificationStatus.APPEALED)
    if queue == "overdue":
        return open_qs.filter(due_date__lt=today)
    if queue == "due_soon":
        soon = add_working_days(
            today, int(setting("ZWFW_RECTIFICATION_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS))
        )
        return open_qs.filter(due_date__gte=today, due_date__lte=soon)
    return open_qs


def redact(text: str, names: list[str]) -> str:
    """The text with ID numbers, phone numbers and the given names replaced by asterisks."""
    text = _ID_RE.sub("******", text or "")
    text = _PHONE_RE.sub("******", text)
    for name in names:
        if name:
            text = text.replace(name, name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*")
    return text


@dataclass(frozen=True)
class PublicAnswer:
    """One published rectification answer (no personal data)."""

    item: str
    agency: str
    grade: int
    answered_on: datetime.date | None
    on_time: bool | None
    answer: str


@dataclass(frozen=True)
class PublicSummary:
    """The published figures of a region (or one agency) as of a day."""

    region: Region
    agency: Agency | None
    as_of: datetime.date
    ratings: int
    good: int
    bad: int
    rectified: int
    rectified_on_time: int
    by_agency: list[dict[str, object]]
    answers: list[PublicAnswer]

    @property
    def good_rate(self) -> float | None:
        """Share of good ratings (grades 5–3) in percent."""
        return round(100 * self.good / self.ratings, 1) if self.ratings else None


def public_summary(*, region: Region, agency: Agency | None = None, limit: int = 20) -> PublicSummary:
    """The public page's figures (ratings excluded on appeal are not counted)."""
    qs = Evaluation.objects.filter(region__prefix__startswith=region.prefix, excluded=False)
    rqs = Rectification.objects.filter(
        region__prefix__startswith=region.prefix, status=RectificationStatus.ANSWERED
    )
    if agency is not None:
        qs, rqs = qs.filter(agency=agency), rqs.filter(agency=agency)
    bad = Q(grade__in=BAD_GRADES)
    totals = qs.aggregate(n=Count("id"), bad=Count("id", filter=bad))
    rect = rqs.aggregate(n=Count("id"), on_time=Count("id", filter=Q(on_time=True)))
    by_agency = list(
        qs.values("agency_id", "agency__name")
        .annotate(n=Count("id"), bad=Count("id", filter=bad))
        .order_by("agency__name")
    )
    answers = []
    for r in rqs.select_related(
        "evaluation__case__implementation__item", "evaluation__case__applicant_person", "agency"
    ).order_by("-answered_at")[:limit]:
        case = r.evaluation.case
        names = [case.applicant_person.name] if case.applicant_person else []
        answers.append(
            PublicAnswer(
                item=case.implementation.item.name,
                agency=r.agency.name,
                grade=r.evaluation.grade,
                answered_on=r.answered_on,
                on_time=r.on_time,
                answer=redact(r.answer_text, names),
            )
        )
    return PublicSummary(
        region=region,
        agency=agency,
        as_of=timezone.localdate(),
        ratings=totals["n"],
        good=totals["n"] - totals["bad"],
        bad=totals["bad"],
        rectified=rect["n"],
        rectified_on_time=rect["on_time"],
        by_agency=[
            {"id": a["agency_id"], "name": a["agency__name"], "ratings": a["n"], "bad": a["bad"]}
            for a in by_agency
        ],
        answers=answers,
    )


def dashboard_regions(*, actor: Actor | None) -> list[str] | None:
    """Region prefixes whose figures the actor may see (None: every region, for superusers).

    Staff see the regions of the agencies they belong to and every region below them.
    """
    scope = actor_scope(actor)
    if scope.is_superuser:
        return None
    prefixes = set(Agency.objects.filter(pk__in=scope.agency_ids).values_list("region__prefix", flat=True))
    return sorted(prefixes, key=len)


def dashboard_region_get(*, actor: Actor | None, code: str | None) -> Region:
    """The region the dashboard shows: the one asked for if the actor may see it, else NotFound;
    without a code, the highest region the actor covers."""
    allowed = dashboard_regions(actor=actor)
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None or (allowed is not None and not any(region.prefix.startswith(p) for p in allowed)):
            raise NotFound("region.not_found", _("Region not found."))
        return region
    if allowed is None:
        found = Region.objects.filter(parent__isnull=True).order_by("code").first()
    else:
        found = Region.objects.filter(prefix__in=allowed[:1]).order_by("code").first() if allowed else None
    if found is None:
        raise NotFound("region.not_found", _("Region not found."))
    return found
