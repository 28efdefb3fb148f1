"""Case services: intake, corrections, deficiency, the clock with pauses, decisions, delivery."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zwfw.cases import services
from zwfw.cases.models import CaseNotice, CaseState, Channel, MaterialKind, NoticeKind
from zwfw.cases.tests.factories import PDF, png
from zwfw.core.calendar import add_working_days, working_days_between
from zwfw.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zwfw.core.ledger import ledger_verify
from zwfw.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _online_case(desk, keys=("application", "licence", "floor-plan")):
    case = services.case_create(actor=desk.citizen, implementation=desk.impl, channel=Channel.ONLINE)
    for key in keys:
        services.case_material_add(
            actor=desk.citizen, case=case, requirement_key=key, content=PDF, filename=f"{key}.pdf"
        )
    return services.case_submit(actor=desk.citizen, case=case)


def test_online_application_from_submission_to_online_delivery(desk):
    case = _online_case(desk)
    assert case.state == CaseState.SUBMITTED
    assert case.number.startswith("532801-") and len(case.number) == len("532801-20250101-00001")
    case = services.case_accept(actor=desk.clerk, case=case)
    today = timezone.localdate()
    assert case.due_date == add_working_days(today, 10)
    assert case.statutory_due_date == add_working_days(today, 20)
    assert case.notices.filter(kind=NoticeKind.ACCEPTANCE).exists()
    services.case_start_review(actor=desk.reviewer, case=case)
    services.case_decide(
        actor=desk.approver,
        case=case,
        approved=True,
        reasons="符合条件",
        result_content=png(),
        result_filename="许可证.png",
    )
    delivery = services.case_deliver(actor=desk.clerk, case=case, method="online")
    case.refresh_from_db()
    assert case.state == CaseState.DELIVERED and delivery.method == "online" and case.result_file
    assert list(ledger_verify()) == []


def test_online_submission_needs_every_required_material(desk):
    case = services.case_create(actor=desk.citizen, implementation=desk.impl, channel=Channel.ONLINE)
    services.case_material_add(actor=desk.citizen, case=case, requirement_key="application", content=PDF)
    with pytest.raises(ValidationFailed) as err:
        services.case_submit(actor=desk.citizen, case=case)
    assert err.value.code == "case.materials_missing"
    assert [d["field"] for d in err.value.details] == ["materials.licence"]
    case.refresh_from_db()
    assert case.state == CaseState.DRAFT


def test_walk_in_with_a_missing_material_gets_one_notice_then_is_accepted(desk):
    w = desk.world
    case = services.case_create(
        actor=desk.clerk,
        implementation=desk.impl,
        channel=Channel.WINDOW,
        person=desk.person,
        venue=w.jh_center,
    )
    services.case_material_add(
        actor=desk.clerk, case=case, requirement_key="application", kind=MaterialKind.PAPER
    )
    services.case_material_add(actor=desk.clerk, case=case, requirement_key="floor-plan", content=png())
    case = services.case_submit(actor=desk.clerk, case=case)
    notice = services.case_request_correction(
        actor=desk.clerk, case=case, defects=[{"key": "floor-plan", "note": "平面图未标注尺寸"}]
    )
    assert [(i["key"], i["problem"]) for i in notice.items] == [
        ("licence", "missing"),
        ("floor-plan", "defective"),
    ]
    case.refresh_from_db()
    assert case.state == CaseState.CORRECTION_REQUESTED and case.first_contact == desk.clerk
    # the applicant may only supply what the notice asks for
    with pytest.raises(ValidationFailed):
        services.case_material_add(actor=desk.citizen, case=case, requirement_key="application", content=PDF)
    services.case_material_add(actor=desk.citizen, case=case, requirement_key="licence", content=PDF)
    with pytest.raises(ValidationFailed) as err:
        services.case_resubmit(actor=desk.citizen, case=case)
    assert err.value.code == "case.corrections_outstanding"
    services.case_material_add(actor=desk.citizen, case=case, requirement_key="floor-plan", content=png())
    services.case_resubmit(actor=desk.citizen, case=case)
    case = services.case_accept(actor=desk.clerk, case=case)
    assert case.state == CaseState.ACCEPTED


def test_a_second_notice_may_not_raise_what_the_first_could_have(desk):
    w = desk.world
    case = services.case_create(
        actor=desk.clerk,
        implementation=desk.impl,
        channel=Channel.WINDOW,
        person=desk.person,
        venue=w.jh_center,
    )
    services.case_material_add(actor=desk.clerk, case=case, requirement_key="application", content=PDF)
    services.case_submit(actor=desk.clerk, case=case)
    services.case_request_correction(actor=desk.clerk, case=case)  # licence missing
    services.case_material_add(actor=desk.citizen, case=case, requirement_key="licence", content=PDF)
    services.case_resubmit(actor=desk.citizen, case=case)
    with pytest.raises(ValidationFailed) as err:  # the application was on file at the first notice
        services.case_request_correction(
            actor=desk.clerk, case=case, defects=[{"key": "application", "note": "未签字"}]
        )
    assert err.value.code == "case.correction_not_first"
    # a defect of the newly supplied licence may be raised
    notice = services.case_request_correction(
        actor=desk.clerk, case=case, defects=[{"key": "licence", "note": "已过期"}]
    )
    assert notice.sequence == 2
    # a supervisor may override, with a reason, on the ledger
    services.case_material_add(actor=desk.citizen, case=case, requirement_key="licence", content=PDF)
    services.case_resubmit(actor=desk.citizen, case=case)
    with pytest.raises(ValidationFailed) as err:
        services.case_request_correction(
            actor=w.supervisor_pref, case=case, defects=[{"key": "application", "note": "未签字"}]
        )
    assert err.value.code == "case.override_reason_required"
    notice = services.case_request_correction(
        actor=w.supervisor_pref,
        case=case,
        override_reason="申请书签字系伪造",
        defects=[{"key": "application", "note": "未签字"}],
    )
    assert notice.sequence == 3
    assert AuditEvent.objects.filter(
        chain=f"case:{case.pk}", action="request_correction", payload__override="申请书签字系伪造"
    ).exists()


def test_deficiency_acceptance_holds_the_result_until_the_material_arrives(desk):
    case = _online_case(desk, keys=("application", "licence"))
    with pytest.raises(ValidationFailed) as err:
        services.case_accept(actor=desk.clerk, case=case)
    assert err.value.code == "case.deficiency_date_required"
    promised = timezone.localdate() + datetime.timedelta(days=7)
    case = services.case_accept(actor=desk.clerk, case=case, deficiency_due_date=promised)
    assert case.deficiency_due_date == promised
    assert (
        CaseNotice.objects.filter(case=case, kind=NoticeKind.DEFICIENCY).get().items[0]["key"] == "floor-plan"
    )
    services.case_start_review(actor=desk.reviewer, case=case)
    services.case_decide(actor=desk.approver, case=case, approved=True, reasons="符合条件")
    with pytest.raises(Conflict) as err:
        services.case_deliver(actor=desk.clerk, case=case, method="window")
    assert err.value.code == "case.deficiency_outstanding"
    services.case_material_add(actor=desk.citizen, case=case, requirement_key="floor-plan", content=png())
    services.case_deliver(actor=desk.clerk, case=case, method="window")


def test_suspension_moves_the_due_date_by_exactly_the_paused_working_days(desk):
    case = services.case_accept(actor=desk.clerk, case=_online_case(desk))
    services.case_start_review(actor=desk.reviewer, case=case)
    case.refresh_from_db()
    due = case.due_date
    start = case.accepted_on + datetime.timedelta(days=1)
    end = start + datetime.timedelta(days=9)
    with pytest.raises(ValidationFailed) as err:
        services.case_suspend(
            actor=desk.reviewer,
            case=case,
            kind="special_procedure",
            procedure="专家评审",
            reason="x",
            on=start,
        )
    assert err.value.code == "case.procedure_not_listed"
    services.case_suspend(
        actor=desk.reviewer,
        case=case,
        kind="special_procedure",
        procedure="现场勘验",
        reason="核查经营场所",
        on=start,
    )
    case = services.case_resume(actor=desk.reviewer, case=case, on=end)
    assert case.paused_days == working_days_between(start, end)
    assert case.due_date == add_working_days(due, case.paused_days)
    assert AuditEvent.objects.filter(chain=f"case:{case.pk}", action="due_date_moved").exists()


def test_illegal_transitions_conflict_and_change_nothing(desk):
    case = _online_case(desk)
    with pytest.raises(Conflict):
        services.case_start_review(actor=desk.reviewer, case=case)
    with pytest.raises(Conflict):
        services.case_decide(actor=desk.approver, case=case, approved=True, reasons="")
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


def test_scope_other_applicants_and_other_agencies_cannot_see_the_case(desk):
    case = _online_case(desk)
    with pytest.raises(NotFound):
        services.case_withdraw(actor=desk.other_citizen, case=case)
    with pytest.raises(NotFound):
        services.case_accept(actor=desk.world.clerk_mh, case=case)
    with pytest.raises(PermissionDenied):
        services.case_start_review(actor=desk.citizen, case=case)


def test_chief_representative_decides_an_instant_item_on_the_spot(world):
    from zwfw.cases.tests.factories import publish, staff
    from zwfw.identity.models import Role

    impl = publish(
        world, base_code="INSTANT-1", name="个体工商户名称预先登记", handling_kind="instant", promised_limit=0
    )
    chief = staff(world, "chief_x", Role.CHIEF_REPRESENTATIVE, world.jh_center)
    from conftest import make_id_number
    from zwfw.identity import services as identity_services

    person = identity_services.person_register(name="岩罕", id_number=make_id_number(seq="301"), system=True)
    case = services.case_create(
        actor=world.clerk_jh,
        implementation=impl,
        channel=Channel.WINDOW,
        person=person,
        venue=world.jh_center,
    )
    for key in ("application", "licence", "floor-plan"):
        services.case_material_add(
            actor=world.clerk_jh, case=case, requirement_key=key, kind=MaterialKind.PAPER
        )
    services.case_submit(actor=world.clerk_jh, case=case)
    case = services.case_accept(actor=world.clerk_jh, case=case)
    assert case.due_date == case.accepted_on  # 即办: the same working day
    case = services.case_decide(actor=chief, case=case, approved=True, reasons="当场办结")
    assert case.state == CaseState.APPROVED


def test_commitment_replaces_a_certificate_where_allowed(desk):
    case = services.case_create(actor=desk.citizen, implementation=desk.impl, channel=Channel.ONLINE)
    with pytest.raises(ValidationFailed):
        services.case_material_add(
            actor=desk.citizen,
            case=case,
            requirement_key="application",
            kind=MaterialKind.COMMITMENT,
            commitment_text="本人承诺",
        )
    services.case_material_add(
        actor=desk.citizen,
        case=case,
        requirement_key="licence",
        kind=MaterialKind.COMMITMENT,
        commitment_text="本人承诺所填信息真实有效，如有不实愿承担相应法律责任。",
    )
    services.case_material_add(actor=desk.citizen, case=case, requirement_key="application", content=PDF)
    services.case_material_add(actor=desk.citizen, case=case, requirement_key="floor-plan", content=PDF)
    case = services.case_accept(actor=desk.clerk, case=services.case_submit(actor=desk.citizen, case=case))
    case = services.case_decide(actor=desk.chief, case=case, approved=True, reasons="告知承诺，当场决定")
    assert case.state == CaseState.APPROVED


def test_electronic_materials_are_never_asked_for_again_on_paper(desk):
    case = services.case_create(
        actor=desk.clerk,
        implementation=desk.impl,
        channel=Channel.WINDOW,
        person=desk.person,
        venue=desk.world.jh_center,
    )
    services.case_material_add(actor=desk.clerk, case=case, requirement_key="application", content=PDF)
    with pytest.raises(ValidationFailed) as err:
        services.case_material_add(
            actor=desk.clerk, case=case, requirement_key="application", kind=MaterialKind.PAPER
        )
    assert err.value.code == "case.material_already_received"


def test_withdraw_before_decision_only(desk):
    case = _online_case(desk)
    services.case_withdraw(actor=desk.citizen, case=case, reason="不再需要")
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN
    with pytest.raises(Conflict):
        services.case_withdraw(actor=desk.citizen, case=case)


def test_extension_needs_an_approver_and_stays_within_the_allowed_days(desk):
    case = services.case_accept(actor=desk.clerk, case=_online_case(desk))
    due = case.due_date
    with pytest.raises(PermissionDenied):
        services.case_extend(actor=desk.reviewer, case=case, days=5, reason="复杂")
    with pytest.raises(ValidationFailed):
        services.case_extend(actor=desk.approver, case=case, days=11, reason="复杂")
    case = services.case_extend(actor=desk.approver, case=case, days=5, reason="需要补充调查")
    assert case.due_date == add_working_days(due, 5)


def test_a_general_window_clerk_of_the_venue_hands_over_another_agencys_result(desk):
    from zwfw.cases.views_staff import offered_actions
    from zwfw.core import services as core_services
    from zwfw.core.models import AgencyKind
    from zwfw.identity import services as identity_services
    from zwfw.identity.models import Role

    bureau = core_services.agency_create(
        name="景洪市政务服务管理局（窗口）",
        region=desk.world.jinghong,
        kind=AgencyKind.SERVICE_ADMINISTRATION,
    )
    window_clerk = identity_services.user_create(username="general_window", password="pw")
    identity_services.staff_membership_grant(
        user=window_clerk, agency=bureau, role=Role.WINDOW_CLERK, venue=desk.world.jh_center, system=True
    )
    case = services.case_accept(actor=desk.clerk, case=_online_case(desk))
    services.case_start_review(actor=desk.reviewer, case=case)
    services.case_decide(actor=desk.approver, case=case, approved=True, reasons="符合条件")
    case.refresh_from_db()
    assert "deliver" not in offered_actions(desk.world.clerk_mh, case)
    # the online case has no venue: the general window reaches it only through its own agency
    with pytest.raises(NotFound):
        services.case_deliver(actor=window_clerk, case=case, method="window")
    case.venue = desk.world.jh_center
    case.save(update_fields=["venue"])
    assert "deliver" in offered_actions(window_clerk, case)
    services.case_deliver(actor=window_clerk, case=case, method="window")
    case.refresh_from_db()
    assert case.state == CaseState.DELIVERED
