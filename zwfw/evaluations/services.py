"""Every write of 好差评: rate a case, run the 差评 rectification loop, invite and escalate.

Rules (DOMAIN.md, "好差评"; GB/T 39734/39735):
- only the applicant rates online (一事一评); at the window (一次一评) the person at the desk
  rates on the clerk's tablet; once per case and enabled stage; a rating is never edited;
- a grade of 2 or 1 opens a ``Rectification`` for the handling agency with a deadline of
  ``ZWFW_RECTIFICATION_DAYS`` working days (calendar service);
- every real-name 差评 is called back before it is classified; nothing closes without its
  record (call-back, finding, plan, explanation, appeal decision, fix and answer);
- the rater rates the rectification once.
"""

from __future__ import annotations

import datetime
import hashlib
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zwfw.cases.models import Case, CaseState, Channel
from zwfw.core.calendar import add_working_days, due_date, is_provisional
from zwfw.core.errors import Conflict, NotAuthenticated, PermissionDenied, ValidationFailed
from zwfw.core.ledger import audit_record
from zwfw.evaluations.models import (
    BAD_GRADES,
    CLOSED_STATUSES,
    OFFLINE_INDICATORS,
    ONLINE_INDICATORS,
    Classification,
    Evaluation,
    EvaluationInvitation,
    RatingChannel,
    Rectification,
    RectificationStatus,
    Stage,
)
from zwfw.identity.models import Role, User
from zwfw.identity.selectors import Actor, actor_scope

DEFAULT_RECTIFICATION_DAYS = 15
DEFAULT_INVITE_DAYS = 3
DEFAULT_DUE_SOON_DAYS = 3
TEXT_LIMIT = 2000
AGENCY_ROLES = (Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER, Role.CHIEF_REPRESENTATIVE)
OVERSIGHT_ROLES = (Role.CENTER_ADMIN, Role.SUPERVISOR)


def setting(name: str, default: Any) -> Any:
    """A setting of this context with its documented default."""
    return getattr(settings, name, default)


def enabled_stages() -> list[str]:
    """The stages the province lets applicants rate (``ZWFW_EVALUATION_STAGES``)."""
    stages = setting("ZWFW_EVALUATION_STAGES", [s.value for s in Stage])
    return [s for s in Stage.values if s in stages]


def stage_reached(case: Case, stage: str) -> bool:
    """True when the case has passed the moment the stage rates."""
    if stage == Stage.INTAKE:
        return case.submitted_at is not None or case.accepted_on is not None
    if stage == Stage.ACCEPTANCE:
        return case.accepted_on is not None or case.state == CaseState.INTAKE_REJECTED
    return case.concluded_on is not None


def _user(actor: Actor | None) -> User:
    if not isinstance(actor, User) or not actor.is_authenticated:
        raise NotAuthenticated("auth.required", _("Please log in first."))
    return actor


def is_applicant(user: User, case: Case) -> bool:
    """True when the user is the case's applicant (themself or their enterprise)."""
    return bool(
        (case.applicant_user_id and case.applicant_user_id == user.pk)
        or (case.applicant_person_id and case.applicant_person_id == user.person_id)
        or (case.applicant_enterprise_id and case.applicant_enterprise_id == user.enterprise_id)
    )


def is_window_clerk(user: User, case: Case) -> bool:
    """True when the user is a window clerk of the case's agency or venue (holds the tablet)."""
    scope = actor_scope(user)
    if Role.WINDOW_CLERK not in scope.roles:
        return False
    return scope.has_role(Role.WINDOW_CLERK, agency=case.agency) or (
        case.venue_id is not None and case.venue_id in scope.venue_ids
    )


def may_handle(user: User, rectification: Rectification) -> bool:
    """Staff of the handling agency (谁办理、谁负责) or an overseer of its region."""
    scope = actor_scope(user)
    if scope.is_superuser:
        return True
    roles = scope.roles_by_agency.get(rectification.agency_id, frozenset())
    return bool(roles & set(AGENCY_ROLES)) or may_oversee(user, rectification)


def may_oversee(user: User, rectification: Rectification) -> bool:
    """A 政务服务部门 administrator or supervisor whose region covers the rectification."""
    scope = actor_scope(user)
    return any(
        scope.has_role(r, region=rectification.region) for r in OVERSIGHT_ROLES if r in scope.roles
    ) or (scope.is_superuser)


def _text(value: str, field: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(
            f"evaluation.{field}_required", _("This record is required."), [{"field": field}]
        )
    return value[:TEXT_LIMIT]


def _check_indicators(channel: str, indicators: dict[str, int] | None) -> dict[str, int]:
    allowed = ONLINE_INDICATORS if channel == RatingChannel.ONLINE else OFFLINE_INDICATORS
    clean: dict[str, int] = {}
    problems = []
    for key, value in (indicators or {}).items():
        if key not in allowed or not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            problems.append({"field": f"indicators.{key}"})
        else:
            clean[key] = value
    if problems:
        raise ValidationFailed("evaluation.bad_indicator", _("Each indicator is rated 1 to 5."), problems)
    return clean


def rating_key(case: Case, stage: str) -> str:
    """The idempotency key of the rating of one case at one stage (also sent to the nation)."""
    return hashlib.sha256(f"zwfw-evaluation|{case.number}|{stage}".encode()).hexdigest()


@transaction.atomic
def evaluation_submit(
    *,
    actor: Actor | None,
    case: Case,
    stage: str,
    grade: int,
    channel: str = RatingChannel.ONLINE,
    indicators: dict[str, int] | None = None,
    comment: str = "",
    anonymous: bool = False,
) -> Evaluation:
    """Rate a case once at one stage; a 差评 opens its rectification; the push is enqueued."""
    user = _user(actor)
    case = Case.objects.select_for_update().select_related("agency", "region").get(pk=case.pk)
    if channel == RatingChannel.ONLINE:
        if not is_applicant(user, case):
            raise PermissionDenied("evaluation.not_applicant", _("Only the applicant can rate this case."))
    elif channel == RatingChannel.WINDOW:
        if not is_window_clerk(user, case) or case.channel == Channel.ONLINE:
            raise PermissionDenied(
                "evaluation.not_at_window", _("Only the person served at this window can rate the visit.")
            )
    else:
        raise ValidationFailed("evaluation.bad_channel", _("Unknown rating channel."), [{"field": "channel"}])
    if stage not in enabled_stages():
        raise ValidationFailed("evaluation.bad_stage", _("This stage cannot be rated."), [{"field": "stage"}])
    if not isinstance(grade, int) or isinstance(grade, bool) or not 1 <= grade <= 5:
        raise ValidationFailed("evaluation.bad_grade", _("Choose a grade from 1 to 5."), [{"field": "grade"}])
    clean = _check_indicators(channel, indicators)
    if not stage_reached(case, stage):
        raise Conflict("evaluation.not_ready", _("This stage of the case has not been reached yet."))
    if Evaluation.objects.filter(case=case, stage=stage).exists():
        raise Conflict("evaluation.already_rated", _("This case has already been rated at this stage."))
    today = timezone.localdate()
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                case=case,
                stage=stage,
                channel=channel,
                grade=grade,
                indicators=clean,
                comment=_text(comment, "comment", required=False),
                real_name=not anonymous,
                rater=user if channel == RatingChannel.ONLINE else None,
                clerk=user if channel == RatingChannel.WINDOW else None,
                agency=case.agency,
                region=case.region,
                venue_id=case.venue_id,
                created_on=today,
                idempotency_key=rating_key(case, stage),
            )
    except IntegrityError as exc:  # a concurrent rating of the same stage won the race
        raise Conflict(
            "evaluation.already_rated", _("This case has already been rated at this stage.")
        ) from exc
    audit_record(
        actor=user,
        object_type="evaluation",
        object_id=evaluation.pk,
        action="rated",
        payload={
            "case": case.number,
            "stage": stage,
            "grade": grade,
            "channel": channel,
            "real_name": not anonymous,
        },
        new_object=True,
    )
    if grade in BAD_GRADES:
        _open_rectification(evaluation, today)
    from zwfw.evaluations.tasks import enqueue_rating_push

    enqueue_rating_push(evaluation=evaluation)
    return evaluation


def _open_rectification(evaluation: Evaluation, today: datetime.date) -> Rectification:
    days = int(setting("ZWFW_RECTIFICATION_DAYS", DEFAULT_RECTIFICATION_DAYS))
    due = due_date(today, days)
    rectification = Rectification.objects.create(
        evaluation=evaluation,
        agency=evaluation.agency,
        region=evaluation.region,
        real_name=evaluation.real_name,
        opened_on=today,
        due_date=due.due,
        provisional=due.provisional,
    )
    audit_record(
        actor=None,
        object_type="rectification",
        object_id=rectification.pk,
        action="opened",
        payload={"evaluation": evaluation.pk, "due_date": due.due.isoformat(), "working_days": days},
        new_object=True,
    )
    return rectification


def _lock(rectification: Rectification) -> Rectification:
    return Rectification.objects.select_for_update().select_related("evaluation").get(pk=rectification.pk)


def _handler(actor: Actor | None, rectification: Rectification) -> User:
    user = _user(actor)
    if not may_handle(user, rectification):
        raise PermissionDenied("rectification.forbidden", _("Only the handling agency can act on this."))
    return user


def _require(rectification: Rectification, *statuses: str) -> None:
    if rectification.status not in statuses:
        raise Conflict(
            "rectification.wrong_status",
            _("This step is not possible at this point of the rectification."),
            {"status": rectification.status},
        )


def _log(user: User | None, rectification: Rectification, action: str, payload: dict[str, Any]) -> None:
    audit_record(
        actor=user, object_type="rectification", object_id=rectification.pk, action=action, payload=payload
    )


@transaction.atomic
def rectification_callback(
    *, actor: Actor | None, rectification: Rectification, reached: bool, note: str
) -> Rectification:
    """Record the call-back to the rater (every real-name 差评 gets one)."""
    rectification = _lock(rectification)
    user = _handler(actor, rectification)
    _require(rectification, RectificationStatus.OPEN, RectificationStatus.CALLED_BACK)
    if not rectification.evaluation.real_name:
        raise Conflict("rectification.anonymous", _("An anonymous rating cannot be called back."))
    rectification.callback_note = _text(note, "callback_note", required=True)
    rectification.callback_reached = bool(reached)
    rectification.callback_at = timezone.now()
    rectification.callback_by = user
    rectification.status = RectificationStatus.CALLED_BACK
    rectification.save()
    _log(user, rectification, "called_back", {"reached": bool(reached)})
    return rectification


@transaction.atomic
def rectification_classify(
    *,
    actor: Actor | None,
    rectification: Rectification,
    classification: str,
    finding: str,
    plan_text: str = "",
    plan_due: datetime.date | None = None,
    appeal_reason: str = "",
) -> Rectification:
    """Record the verification: fix at once, a dated plan, an explanation, or an appeal."""
    rectification = _lock(rectification)
    user = _handler(actor, rectification)
    if rectification.evaluation.real_name and rectification.callback_at is None:
        raise Conflict("rectification.callback_required", _("Record the call-back to the rater first."))
    _require(
        rectification,
        RectificationStatus.OPEN,
        RectificationStatus.CALLED_BACK,
        RectificationStatus.CLASSIFIED,
    )
    if classification not in Classification.values:
        raise ValidationFailed(
            "rectification.bad_classification",
            _("Choose what the verification found."),
            [{"field": "classification"}],
        )
    if classification == Classification.APPEAL and rectification.appeal_upheld is False:
        raise Conflict("rectification.appeal_decided", _("The appeal was already decided."))
    rectification.finding = _text(finding, "finding", required=True)
    if classification == Classification.PLAN:
        rectification.plan_text = _text(plan_text, "plan_text", required=True)
        if plan_due is None or plan_due < timezone.localdate():
            raise ValidationFailed(
                "rectification.plan_due_required",
                _("A plan states a future completion date."),
                [{"field": "plan_due"}],
            )
        rectification.plan_due = plan_due
    if classification == Classification.APPEAL:
        rectification.appeal_reason = _text(appeal_reason, "appeal_reason", required=True)
        rectification.status = RectificationStatus.APPEALED
    else:
        rectification.status = RectificationStatus.CLASSIFIED
    rectification.classification = classification
    rectification.save()
    _log(user, rectification, "classified", {"classification": classification, "plan_due": plan_due})
    return rectification


@transaction.atomic
def rectification_decide_appeal(
    *, actor: Actor | None, rectification: Rectification, upheld: bool, decision: str
) -> Rectification:
    """The 政务服务部门 decides an appeal: upheld excludes the rating; rejected sends it back."""
    rectification = _lock(rectification)
    user = _user(actor)
    if not may_oversee(user, rectification):
        raise PermissionDenied(
            "rectification.not_overseer", _("Only the government service department decides appeals.")
        )
    _require(rectification, RectificationStatus.APPEALED)
    rectification.appeal_decision = _text(decision, "appeal_decision", required=True)
    rectification.appeal_upheld = bool(upheld)
    rectification.appeal_decided_by = user
    if upheld:
        rectification.status = RectificationStatus.DISMISSED
        rectification.answered_at = timezone.now()
        rectification.answered_on = timezone.localdate()
        rectification.on_time = rectification.answered_on <= rectification.due_date
        Evaluation.objects.filter(pk=rectification.evaluation_id).update(excluded=True)
        from zwfw.evaluations.metrics import stats_invalidate

        stats_invalidate(rectification.evaluation.created_on)
    else:
        rectification.status = RectificationStatus.CLASSIFIED
        rectification.classification = ""
    rectification.save()
    _log(user, rectification, "appeal_decided", {"upheld": bool(upheld)})
    return rectification


@transaction.atomic
def rectification_answer(
    *, actor: Actor | None, rectification: Rectification, fix_text: str, answer_text: str
) -> Rectification:
    """Record what was fixed (or explained) and the answer to the rater; closes the loop."""
    rectification = _lock(rectification)
    user = _handler(actor, rectification)
    if (
        rectification.status == RectificationStatus.CALLED_BACK
        or rectification.status == RectificationStatus.OPEN
    ):
        raise Conflict("rectification.classification_required", _("Record the verification first."))
    _require(rectification, RectificationStatus.CLASSIFIED)
    if not rectification.classification:
        raise Conflict("rectification.classification_required", _("Record the verification first."))
    rectification.fix_text = _text(fix_text, "fix_text", required=True)
    rectification.answer_text = _text(answer_text, "answer_text", required=True)
    rectification.answered_at = timezone.now()
    rectification.answered_on = timezone.localdate()
    rectification.answered_by = user
    rectification.on_time = rectification.answered_on <= rectification.due_date
    rectification.status = RectificationStatus.ANSWERED
    rectification.save()
    _log(user, rectification, "answered", {"on_time": rectification.on_time})
    return rectification


@transaction.atomic
def rectification_rate(
    *, actor: Actor | None, rectification: Rectification, grade: int, comment: str = ""
) -> Rectification:
    """The rater rates the rectification, once, after it was answered."""
    rectification = _lock(rectification)
    user = _user(actor)
    evaluation = rectification.evaluation
    if evaluation.rater_id != user.pk and not (
        evaluation.channel == RatingChannel.WINDOW and is_applicant(user, evaluation.case)
    ):
        raise PermissionDenied("evaluation.not_applicant", _("Only the rater can rate the rectification."))
    _require(rectification, RectificationStatus.ANSWERED)
    if rectification.rater_grade is not None:
        raise Conflict("rectification.already_rated", _("The rectification has already been rated."))
    if not isinstance(grade, int) or isinstance(grade, bool) or not 1 <= grade <= 5:
        raise ValidationFailed("evaluation.bad_grade", _("Choose a grade from 1 to 5."), [{"field": "grade"}])
    rectification.rater_grade = grade
    rectification.rater_comment = _text(comment, "comment", required=False)
    rectification.rated_at = timezone.now()
    rectification.save()
    _log(user, rectification, "rated", {"grade": grade})
    return rectification


def rectification_escalate_all(*, today: datetime.date | None = None) -> dict[str, int]:
    """Flag due-soon and overdue open rectifications and escalate each change to the supervisor."""
    today = today or timezone.localdate()
    soon = add_working_days(today, int(setting("ZWFW_RECTIFICATION_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS)))
    counts = {"due_soon": 0, "overdue": 0}
    open_qs = Rectification.objects.exclude(status__in=CLOSED_STATUSES)
    for level, qs in (
        ("overdue", open_qs.filter(due_date__lt=today)),
        ("due_soon", open_qs.filter(due_date__gte=today, due_date__lte=soon)),
    ):
        for pk in qs.exclude(escalation=level).values_list("pk", flat=True):
            with transaction.atomic():
                rectification = Rectification.objects.select_for_update().get(pk=pk)
                rectification.escalation = level
                rectification.escalated_at = timezone.now()
                rectification.save(update_fields=["escalation", "escalated_at"])
                _log(None, rectification, "escalated", {"level": level, "due_date": rectification.due_date})
            counts[level] += 1
    return counts


def invite_unrated(*, today: datetime.date | None = None) -> int:
    """Send the one invitation to every case concluded ``ZWFW_EVALUATION_INVITE_DAYS`` days ago
    (or earlier) that has no conclusion rating and no invitation yet."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=int(setting("ZWFW_EVALUATION_INVITE_DAYS", DEFAULT_INVITE_DAYS)))
    pending = (
        Case.objects.filter(
            concluded_on__isnull=False, concluded_on__lte=cutoff, evaluation_invitation__isnull=True
        )
        .exclude(evaluations__stage=Stage.CONCLUSION)
        .values_list("pk", "number")
    )
    sent = 0
    for pk, number in pending.iterator():
        with transaction.atomic():
            _, created = EvaluationInvitation.objects.get_or_create(
                case_id=pk, defaults={"sent_at": timezone.now()}
            )
            if created:
                audit_record(
                    actor=None,
                    object_type="case",
                    object_id=pk,
                    action="rating_invited",
                    payload={"case": number},
                )
                transaction.on_commit(partial(_send_invitation, pk), robust=True)
                sent += 1
    return sent


def _send_invitation(case_id: int) -> None:
    """Send the invitation by the platform's notification backends (SMS, mail, console)."""
    from django.urls import reverse

    from zwfw.cases import notify

    case = Case.objects.select_related("implementation__item", "agency").get(pk=case_id)
    base = str(setting("ZWFW_PUBLIC_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    link = base + reverse("evaluation_rate", args=[case.pk])
    text = _("Please rate how your application %(number)s (%(item)s) was handled: %(link)s") % {
        "number": case.number,
        "item": case.implementation.item.name,
        "link": link,
    }
    message = notify.Message(
        event="rating_invited",
        case_id=case.pk,
        case_number=case.number,
        subject=_("Please rate the service"),
        text=text,
        link=link,
        params={"number": case.number, "link": link},
    )
    notify.dispatch(message, notify.recipients_resolve(notify.applicant_recipients(case)))


def provisional_due(rectification: Rectification) -> bool:
    """True when the deadline lies in a year whose holiday notice is not loaded."""
    return is_provisional(rectification.due_date)
