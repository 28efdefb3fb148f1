"""好差评 API under /api/v1/evaluations: rate a case, the rectification loop, the public figures,
the dashboard figures, the plan tracker, and a local test endpoint standing in for the national
好差评 system. Handlers parse, call one service or selector, and answer."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from zwfw.cases import selectors as case_selectors
from zwfw.core.errors import NotFound, PermissionDenied
from zwfw.core.ledger import audit_record
from zwfw.core.models import AuditEvent, Region
from zwfw.evaluations import metrics, plan, selectors, services
from zwfw.evaluations.models import Evaluation, PlanTask, Rectification
from zwfw.identity.selectors import actor_scope

router = Router(tags=["evaluations"])


class RatingIn(Schema):
    stage: str = Field("conclusion", max_length=12)
    grade: int
    channel: str = Field("online", max_length=8)
    indicators: dict[str, int] = {}
    comment: str = Field("", max_length=services.TEXT_LIMIT)  # longer: 422, never cut silently
    anonymous: bool = False


class RectificationOut(Schema):
    id: int
    evaluation_id: int
    case_number: str
    agency: str
    status: str
    opened_on: datetime.date
    due_date: datetime.date
    escalation: str
    classification: str
    callback_at: datetime.datetime | None
    answer_text: str
    on_time: bool | None
    rater_grade: int | None

    @staticmethod
    def of(r: Rectification) -> RectificationOut:
        """The rectification as the API shows it."""
        return RectificationOut(
            id=r.pk,
            evaluation_id=r.evaluation_id,
            case_number=r.evaluation.case.number,
            agency=r.agency.name,
            status=r.status,
            opened_on=r.opened_on,
            due_date=r.due_date,
            escalation=r.escalation,
            classification=r.classification,
            callback_at=r.callback_at,
            answer_text=r.answer_text,
            on_time=r.on_time,
            rater_grade=r.rater_grade,
        )


class EvaluationOut(Schema):
    id: int
    case_id: int
    stage: str
    channel: str
    grade: int
    indicators: dict[str, int]
    comment: str
    real_name: bool
    created_at: datetime.datetime
    rectification: RectificationOut | None

    @staticmethod
    def of(e: Evaluation) -> EvaluationOut:
        """The rating as the API shows it."""
        rect = Rectification.objects.select_related("evaluation__case", "agency").filter(evaluation=e).first()
        return EvaluationOut(
            id=e.pk,
            case_id=e.case_id,
            stage=e.stage,
            channel=e.channel,
            grade=e.grade,
            indicators=e.indicators,
            comment=e.comment,
            real_name=e.real_name,
            created_at=e.created_at,
            rectification=RectificationOut.of(rect) if rect else None,
        )


@router.post("/cases/{case_id}/ratings", response={201: EvaluationOut}, auth=django_auth)
def rate(request: HttpRequest, case_id: int, payload: RatingIn) -> Status:
    """Rate a case once at one stage (the applicant online; the clerk's tablet at the window).
    404 for a case outside the actor's scope (never revealing that it exists), 403
    ``evaluation.not_applicant`` for staff who see it, 409 ``evaluation.already_rated`` the second time."""
    case = case_selectors.case_get(actor=request.user, case_id=case_id)
    evaluation = services.evaluation_submit(actor=request.user, case=case, **payload.dict())
    return Status(201, EvaluationOut.of(evaluation))


@router.get("/cases/{case_id}/stages", response=list[str], auth=django_auth)
def stages(request: HttpRequest, case_id: int) -> list[str]:
    """The stages of one's own case that can still be rated."""
    return selectors.stages_to_rate(case=selectors.rateable_case_get(actor=request.user, case_id=case_id))


@router.get("/ratings", response=list[EvaluationOut], auth=django_auth)
def ratings(request: HttpRequest) -> list[EvaluationOut]:
    """Ratings in the actor's scope (own; staff their agencies and regions), newest first."""
    return [EvaluationOut.of(e) for e in selectors.evaluation_list(actor=request.user)[:200]]


@router.get("/rectifications", response=list[RectificationOut], auth=django_auth)
def rectifications(request: HttpRequest, queue: str = "open") -> list[RectificationOut]:
    """One queue of the rectification desk (open, due_soon, overdue, appealed, closed)."""
    base = selectors.rectification_list(actor=request.user)
    return [RectificationOut.of(r) for r in selectors.rectification_queue(base, queue)[:200]]


def _rect(request: HttpRequest, rectification_id: int) -> Rectification:
    return selectors.rectification_get(actor=request.user, rectification_id=rectification_id)


@router.get("/rectifications/{rectification_id}", response=RectificationOut, auth=django_auth)
def rectification(request: HttpRequest, rectification_id: int) -> RectificationOut:
    """One rectification in scope."""
    return RectificationOut.of(_rect(request, rectification_id))


class CallbackIn(Schema):
    reached: bool
    note: str


class ClassifyIn(Schema):
    classification: str
    finding: str
    plan_text: str = ""
    plan_due: datetime.date | None = None
    appeal_reason: str = ""


class AnswerIn(Schema):
    fix_text: str
    answer_text: str


class AppealIn(Schema):
    upheld: bool
    decision: str


class GradeIn(Schema):
    grade: int
    comment: str = ""


@router.post("/rectifications/{rectification_id}/callback", response=RectificationOut, auth=django_auth)
def callback(request: HttpRequest, rectification_id: int, payload: CallbackIn) -> RectificationOut:
    """Record the call-back to the rater."""
    r = services.rectification_callback(
        actor=request.user, rectification=_rect(request, rectification_id), **payload.dict()
    )
    return RectificationOut.of(r)


@router.post("/rectifications/{rectification_id}/classify", response=RectificationOut, auth=django_auth)
def classify(request: HttpRequest, rectification_id: int, payload: ClassifyIn) -> RectificationOut:
    """Record the verification and its classification."""
    r = services.rectification_classify(
        actor=request.user, rectification=_rect(request, rectification_id), **payload.dict()
    )
    return RectificationOut.of(r)


@router.post("/rectifications/{rectification_id}/answer", response=RectificationOut, auth=django_auth)
def answer(request: HttpRequest, rectification_id: int, payload: AnswerIn) -> RectificationOut:
    """Record the fix and the answer to the rater."""
    r = services.rectification_answer(
        actor=request.user, rectification=_rect(request, rectification_id), **payload.dict()
    )
    return RectificationOut.of(r)


@router.post(
    "/rectifications/{rectification_id}/appeal-decision", response=RectificationOut, auth=django_auth
)
def appeal_decision(request: HttpRequest, rectification_id: int, payload: AppealIn) -> RectificationOut:
    """The 政务服务部门 decides an appeal."""
    r = services.rectification_decide_appeal(
        actor=request.user, rectification=_rect(request, rectification_id), **payload.dict()
    )
    return RectificationOut.of(r)


@router.post("/rectifications/{rectification_id}/rating", response=RectificationOut, auth=django_auth)
def rate_rectification(request: HttpRequest, rectification_id: int, payload: GradeIn) -> RectificationOut:
    """The rater rates the rectification once."""
    r = services.rectification_rate(
        actor=request.user, rectification=_rect(request, rectification_id), **payload.dict()
    )
    return RectificationOut.of(r)


class PublicAnswerOut(Schema):
    item: str
    agency: str
    grade: int
    answered_on: datetime.date | None
    on_time: bool | None
    answer: str


class PublicOut(Schema):
    region: str
    agency_id: int | None
    as_of: datetime.date
    ratings: int
    good_rate: float | None
    bad: int
    rectified: int
    rectified_on_time: int
    answers: list[PublicAnswerOut]


@router.get("/public/{region_code}", response=PublicOut)
def public(request: HttpRequest, region_code: str, agency: int | None = None) -> PublicOut:
    """评价公开 of a region (optionally one agency): no names, ID numbers or phone numbers."""
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise NotFound("region.not_found", _("Region not found."))
    agency_obj = (
        region.agencies.model.objects.filter(pk=agency, region__prefix__startswith=region.prefix).first()
        if agency
        else None
    )
    s = selectors.public_summary(region=region, agency=agency_obj)
    return PublicOut(
        region=region.code,
        agency_id=agency_obj.pk if agency_obj else None,
        as_of=s.as_of,
        ratings=s.ratings,
        good_rate=s.good_rate,
        bad=s.bad,
        rectified=s.rectified,
        rectified_on_time=s.rectified_on_time,
        answers=[PublicAnswerOut(**a.__dict__) for a in s.answers],
    )


class FigureOut(Schema):
    key: str
    value: float | None
    numerator: float | None
    denominator: int | None
    unit: str
    target: float | None
    task: int | None


def _staff(request: HttpRequest) -> None:
    if not actor_scope(request.user).is_staff_member:
        raise PermissionDenied("auth.forbidden", _("You do not have permission for this action."))


@router.get("/dashboard/{region_code}", response=list[FigureOut], auth=django_auth)
def dashboard(
    request: HttpRequest,
    region_code: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    agency: int | None = None,
    venue: int | None = None,
) -> list[FigureOut]:
    """The dashboard figures of a region (staff)."""
    _staff(request)
    region = selectors.dashboard_region_get(actor=request.user, code=region_code)
    d_start, d_end = metrics.default_period()
    scope = metrics.Scope(
        region=region, start=start or d_start, end=end or d_end, agency_id=agency, venue_id=venue
    )
    return [
        FigureOut(
            key=f.key,
            value=f.value,
            numerator=f.numerator,
            denominator=f.denominator,
            unit=f.spec.unit,
            target=f.spec.target,
            task=f.spec.task,
        )
        for f in metrics.figures(scope).values()
    ]


class ReportIn(Schema):
    unit: str = Field(max_length=60)
    quarter: str = Field(max_length=7)
    status: str = Field(max_length=12)
    evidence: str = ""
    reasons: str = ""


class TaskOut(Schema):
    number: int
    title: str
    lead_units: list[str]
    deadline: datetime.date | None
    ongoing: bool
    flags: list[str]
    missing_units: list[str]


@router.get("/plan/tasks", response=list[TaskOut], auth=django_auth)
def plan_tasks(request: HttpRequest, quarter: str | None = None) -> list[TaskOut]:
    """The plan's tasks for a quarter with their flags (staff)."""
    _staff(request)
    q = quarter or plan.quarter_of(timezone.localdate())
    return [
        TaskOut(
            number=s.task.number,
            title=s.task.title,
            lead_units=s.task.lead_units,
            deadline=s.task.deadline,
            ongoing=s.task.ongoing,
            flags=s.flags,
            missing_units=s.missing_units,
        )
        for s in plan.plan_status(quarter=q, region=None)
    ]


@router.post("/plan/tasks/{number}/reports", response={201: dict[str, str]}, auth=django_auth)
def plan_report(request: HttpRequest, number: int, payload: ReportIn) -> Status:
    """File a lead unit's quarterly progress report on a task."""
    task = PlanTask.objects.filter(number=number).first()
    if task is None:
        raise NotFound("plan.task_not_found", _("Task not found."))
    report = plan.progress_report_file(actor=request.user, task=task, **payload.dict())
    return Status(201, {"quarter": report.quarter, "unit": report.unit, "status": report.status})


@router.post("/national-test", response={200: dict[str, object]})
def national_test(request: HttpRequest) -> dict[str, object]:
    """A local stand-in for the national 好差评 endpoint: records each delivery by its
    Idempotency-Key and reports a repeated key as a duplicate (for benchmarks and tests).

    It appends to the ledger for anyone who calls it, so it answers 404 unless
    ``ZWFW_BENCH_ENDPOINTS`` is on (never in production).
    """
    if not settings.ZWFW_BENCH_ENDPOINTS:
        raise NotFound("not_found", _("Not found."))
    key = request.headers.get("Idempotency-Key", "")[:100]
    seen = AuditEvent.objects.filter(chain="national_rating_receipt:0", payload__key=key).exists()
    if not seen and key:
        audit_record(
            actor=None,
            object_type="national_rating_receipt",
            object_id=0,
            action="received",
            payload={"key": key},
        )
    return {"accepted": bool(key), "duplicate": seen}
