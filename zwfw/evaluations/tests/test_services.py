"""Rating services and the 差评 rectification loop: every rule, with the refusals beside it."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from zwfw.cases.models import Channel
from zwfw.core.calendar import add_working_days
from zwfw.core.errors import Conflict, NotAuthenticated, PermissionDenied, ValidationFailed
from zwfw.core.ledger import ledger_verify
from zwfw.core.models import AuditEvent
from zwfw.evaluations import services
from zwfw.evaluations.models import (
    Classification,
    Evaluation,
    EvaluationInvitation,
    Rectification,
    RectificationStatus,
)
from zwfw.evaluations.tests.factories import concluded_case

pytestmark = pytest.mark.django_db


def _rate(desk, case, grade=1, **kw):
    return services.evaluation_submit(
        actor=desk.citizen,
        case=case,
        stage=kw.pop("stage", "conclusion"),
        grade=grade,
        comment="等太久",
        **kw,
    )


@pytest.mark.smoke
def test_good_rating_is_recorded_once_and_opens_nothing(desk):
    case = concluded_case(desk)
    evaluation = _rate(desk, case, grade=5, indicators={"overall": 5, "efficiency": 4})
    assert evaluation.grade == 5 and evaluation.real_name and evaluation.rater == desk.citizen
    assert not Rectification.objects.exists()
    assert AuditEvent.objects.filter(chain=f"national_rating:{evaluation.pk}", action="enqueued").exists()
    with pytest.raises(Conflict) as err:
        _rate(desk, case, grade=4)
    assert err.value.code == "evaluation.already_rated"
    assert Evaluation.objects.count() == 1


def test_only_the_applicant_rates_online(desk):
    case = concluded_case(desk)
    for actor in (desk.other_citizen, desk.clerk, desk.approver):
        with pytest.raises(PermissionDenied) as err:
            services.evaluation_submit(actor=actor, case=case, stage="conclusion", grade=5)
        assert err.value.code == "evaluation.not_applicant"
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAuthenticated):
        services.evaluation_submit(actor=AnonymousUser(), case=case, stage="conclusion", grade=5)
    assert not Evaluation.objects.exists()


def test_bad_input_is_refused(desk):
    case = concluded_case(desk)
    for kwargs, code in (
        ({"grade": 0}, "evaluation.bad_grade"),
        ({"grade": 6}, "evaluation.bad_grade"),
        ({"grade": 5, "stage": "nonsense"}, "evaluation.bad_stage"),
        ({"grade": 5, "indicators": {"attitude": 5}}, "evaluation.bad_indicator"),
        ({"grade": 5, "indicators": {"overall": 9}}, "evaluation.bad_indicator"),
        ({"grade": 5, "channel": "fax"}, "evaluation.bad_channel"),
    ):
        stage = kwargs.pop("stage", "conclusion")
        with pytest.raises(ValidationFailed) as err:
            services.evaluation_submit(actor=desk.citizen, case=case, stage=stage, **kwargs)
        assert err.value.code == code
    assert not Evaluation.objects.exists()


def test_stages_are_rated_separately_and_only_when_reached(desk):
    case = concluded_case(desk)
    for stage in ("intake", "acceptance", "conclusion"):
        _rate(desk, case, grade=4, stage=stage)
    assert Evaluation.objects.filter(case=case).count() == 3
    with override_settings(ZWFW_EVALUATION_STAGES=["conclusion"]):
        other = concluded_case(desk)
        with pytest.raises(ValidationFailed):
            _rate(desk, other, grade=4, stage="intake")


def test_window_rating_by_the_person_at_the_desk(desk):
    case = concluded_case(desk, channel=Channel.WINDOW)
    with pytest.raises(PermissionDenied) as err:
        services.evaluation_submit(
            actor=desk.reviewer, case=case, stage="conclusion", grade=5, channel="window"
        )
    assert err.value.code == "evaluation.not_at_window"
    with pytest.raises(ValidationFailed):
        services.evaluation_submit(
            actor=desk.clerk,
            case=case,
            stage="conclusion",
            grade=5,
            channel="window",
            indicators={"usability": 5},
        )
    evaluation = services.evaluation_submit(
        actor=desk.clerk,
        case=case,
        stage="conclusion",
        grade=2,
        channel="window",
        indicators={"attitude": 2},
        anonymous=True,
    )
    assert evaluation.clerk == desk.clerk and evaluation.rater is None and not evaluation.real_name
    # an anonymous 差评 cannot be called back, so it is classified straight away
    rect = evaluation.rectification
    with pytest.raises(Conflict):
        services.rectification_callback(actor=desk.reviewer, rectification=rect, reached=True, note="x")
    rect = services.rectification_classify(
        actor=desk.reviewer, rectification=rect, classification=Classification.FIX_NOW, finding="态度问题属实"
    )
    assert rect.status == RectificationStatus.CLASSIFIED


def test_bad_rating_runs_the_whole_loop_with_every_record(desk):
    case = concluded_case(desk)
    evaluation = _rate(desk, case, grade=1)
    rect = evaluation.rectification
    today = timezone.localdate()
    assert rect.agency == case.agency and rect.due_date == add_working_days(today, 15)
    # nothing skips its record
    with pytest.raises(Conflict) as err:
        services.rectification_classify(
            actor=desk.reviewer, rectification=rect, classification="fix_now", finding="x"
        )
    assert err.value.code == "rectification.callback_required"
    with pytest.raises(Conflict):
        services.rectification_answer(actor=desk.reviewer, rectification=rect, fix_text="x", answer_text="y")
    with pytest.raises(PermissionDenied):
        services.rectification_callback(actor=desk.world.clerk_mh, rectification=rect, reached=True, note="x")
    with pytest.raises(ValidationFailed):
        services.rectification_callback(actor=desk.reviewer, rectification=rect, reached=True, note="  ")
    rect = services.rectification_callback(
        actor=desk.reviewer, rectification=rect, reached=True, note="已电话回访"
    )
    with pytest.raises(ValidationFailed):
        services.rectification_classify(
            actor=desk.reviewer, rectification=rect, classification="plan", finding="复杂"
        )
    rect = services.rectification_classify(
        actor=desk.reviewer,
        rectification=rect,
        classification="plan",
        finding="流程复杂",
        plan_text="优化审查流程",
        plan_due=today + datetime.timedelta(days=10),
    )
    with pytest.raises(Conflict):
        services.rectification_rate(actor=desk.citizen, rectification=rect, grade=5)
    with pytest.raises(ValidationFailed):
        services.rectification_answer(
            actor=desk.reviewer, rectification=rect, fix_text="已优化", answer_text=""
        )
    rect = services.rectification_answer(
        actor=desk.reviewer, rectification=rect, fix_text="已优化流程", answer_text="您好，玉香，流程已优化。"
    )
    assert rect.status == RectificationStatus.ANSWERED and rect.on_time is True
    with pytest.raises(PermissionDenied):
        services.rectification_rate(actor=desk.other_citizen, rectification=rect, grade=5)
    rect = services.rectification_rate(actor=desk.citizen, rectification=rect, grade=4, comment="满意")
    with pytest.raises(Conflict):
        services.rectification_rate(actor=desk.citizen, rectification=rect, grade=5)
    actions = list(
        AuditEvent.objects.filter(chain=f"rectification:{rect.pk}")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["opened", "called_back", "classified", "answered", "rated"]
    assert list(ledger_verify()) == []


def test_appeal_is_decided_by_the_service_department(desk):
    case = concluded_case(desk)
    rect = _rate(desk, case, grade=2).rectification
    services.rectification_callback(
        actor=desk.reviewer, rectification=rect, reached=False, note="未接通，已短信"
    )
    with pytest.raises(ValidationFailed):
        services.rectification_classify(
            actor=desk.reviewer, rectification=rect, classification="appeal", finding="误评"
        )
    rect = services.rectification_classify(
        actor=desk.reviewer,
        rectification=rect,
        classification="appeal",
        finding="误评",
        appeal_reason="评价对象错误",
    )
    assert rect.status == RectificationStatus.APPEALED
    with pytest.raises(PermissionDenied):
        services.rectification_decide_appeal(
            actor=desk.reviewer, rectification=rect, upheld=True, decision="x"
        )
    rect = services.rectification_decide_appeal(
        actor=desk.world.supervisor_pref, rectification=rect, upheld=False, decision="申诉理由不成立"
    )
    assert rect.status == RectificationStatus.CLASSIFIED and rect.classification == ""
    with pytest.raises(Conflict):
        services.rectification_classify(
            actor=desk.reviewer, rectification=rect, classification="appeal", finding="x", appeal_reason="y"
        )
    rect = services.rectification_classify(
        actor=desk.reviewer, rectification=rect, classification="explain", finding="无法律依据"
    )
    rect = services.rectification_answer(
        actor=desk.reviewer, rectification=rect, fix_text="已解释", answer_text="依法答复"
    )
    assert rect.status == RectificationStatus.ANSWERED

    other = concluded_case(desk)
    rect2 = _rate(desk, other, grade=1).rectification
    services.rectification_callback(actor=desk.reviewer, rectification=rect2, reached=True, note="回访")
    services.rectification_classify(
        actor=desk.reviewer,
        rectification=rect2,
        classification="appeal",
        finding="恶意",
        appeal_reason="恶意差评",
    )
    rect2 = services.rectification_decide_appeal(
        actor=desk.world.center_admin_pref, rectification=rect2, upheld=True, decision="认定为恶意差评"
    )
    assert rect2.status == RectificationStatus.DISMISSED
    assert Evaluation.objects.get(pk=rect2.evaluation_id).excluded


def test_escalation_flags_due_soon_and_overdue_once(desk):
    case = concluded_case(desk)
    rect = _rate(desk, case, grade=1).rectification
    assert services.rectification_escalate_all() == {"due_soon": 0, "overdue": 0}
    late = rect.due_date + datetime.timedelta(days=1)
    assert services.rectification_escalate_all(today=late) == {"due_soon": 0, "overdue": 1}
    assert services.rectification_escalate_all(today=late) == {"due_soon": 0, "overdue": 0}
    rect.refresh_from_db()
    assert rect.escalation == "overdue"


@override_settings(ZWFW_NOTIFY_BACKENDS=["memory"])
def test_one_invitation_three_days_after_conclusion(desk, django_capture_on_commit_callbacks):
    from zwfw.cases import notify

    notify.OUTBOX.clear()
    case = concluded_case(desk)
    rated = concluded_case(desk)
    _rate(desk, rated, grade=5)
    today = timezone.localdate()
    assert services.invite_unrated(today=today + datetime.timedelta(days=2)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invite_unrated(today=today + datetime.timedelta(days=3)) == 1
    assert [m.event for m, _r in notify.OUTBOX] == ["rating_invited"]
    assert f"/my/cases/{case.pk}/rate/" in notify.OUTBOX[0][0].link
    assert services.invite_unrated(today=today + datetime.timedelta(days=4)) == 0
    assert EvaluationInvitation.objects.get().case == case


def test_an_upheld_appeal_forgets_the_rolled_up_month(desk):
    from zwfw.evaluations import metrics
    from zwfw.evaluations.models import StatMonth

    case = concluded_case(desk)
    rect = _rate(desk, case, grade=1).rectification
    month = timezone.localdate().replace(day=1)
    StatMonth.objects.create(month=month, refreshed_at=timezone.now())
    services.rectification_callback(actor=desk.reviewer, rectification=rect, reached=True, note="回访")
    services.rectification_classify(
        actor=desk.reviewer, rectification=rect, classification="appeal", finding="恶意", appeal_reason="恶意"
    )
    services.rectification_decide_appeal(
        actor=desk.world.supervisor_pref, rectification=rect, upheld=True, decision="成立"
    )
    assert not StatMonth.objects.filter(month=month).exists()
    assert metrics.stats_refresh(months=[month]) == 0  # the current month is never rolled up


def test_daily_command_is_safe_to_rerun(desk):
    import io

    from django.core.management import call_command

    concluded_case(desk)
    out = io.StringIO()
    call_command("evaluations_daily", stdout=out)
    call_command("evaluations_daily", stdout=out)
    lines = out.getvalue().split()
    assert lines.count("invited=0") == 2 and "rolled_months=0" in lines
