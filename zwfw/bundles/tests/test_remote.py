"""Remote intake: received at a 勐海县 cross-region window for a 景洪市 item, accepted in
景洪市, the result back in 勐海县 for pickup; every hand-over on the ledger; each region sees
exactly its part."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import make_id_number
from zwfw.bundles import selectors, services
from zwfw.bundles.models import RemoteIntakeState
from zwfw.cases import selectors as case_selectors
from zwfw.cases import services as case_services
from zwfw.cases.models import CaseState
from zwfw.cases.tests.factories import PDF, publish, staff
from zwfw.core import services as core_services
from zwfw.core.errors import Conflict, PermissionDenied, ValidationFailed
from zwfw.core.models import AuditEvent
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role


@pytest.fixture
def remote(world):
    """A 景洪市 item offered across the prefecture, a cross-region window in 勐海县, an applicant."""
    impl = publish(
        world, base_code="REMOTE-1", cross_region_scope="prefecture", cross_region_modes=["proxy_intake"]
    )
    window = core_services.window_create(
        venue=world.mh_center, number="09", name="跨域通办窗口", kind="cross_region"
    )
    general = core_services.window_create(venue=world.mh_center, number="01", name="综合窗口", kind="general")
    person = identity_services.person_register(
        name="岩香", id_number=make_id_number(region="532822", seq="301"), region=world.menghai, system=True
    )
    return {
        "impl": impl,
        "window": window,
        "general": general,
        "person": person,
        "approver": staff(world, "approver_remote", Role.APPROVER),
    }


def _materials(paper: bool = True):
    return [
        {"requirement_key": "application", "kind": "upload", "content": PDF, "filename": "申请书.pdf"},
        {
            "requirement_key": "licence",
            "kind": "paper" if paper else "upload",
            "content": PDF,
            "filename": "l.pdf",
        },
        {"requirement_key": "floor-plan", "kind": "upload", "content": PDF, "filename": "plan.pdf"},
    ]


def _receive(world, remote, **kwargs):
    return services.remote_intake_receive(
        actor=world.clerk_mh,
        window=remote["window"],
        implementation=remote["impl"],
        person=remote["person"],
        materials=kwargs.pop("materials", _materials()),
        form_data={"shop": "勐海茶叶店"},
        **kwargs,
    )


def _actions(intake):
    return list(
        AuditEvent.objects.filter(object_type="remote_intake", object_id=str(intake.pk)).values_list(
            "action", flat=True
        )
    )


def test_remote_intake_from_menghai_is_decided_in_jinghong_and_picked_up_in_menghai(world, remote):
    intake = _receive(world, remote)
    assert intake.state == RemoteIntakeState.RECEIVED
    assert intake.receiving_region == world.menghai and intake.deciding_region == world.jinghong
    # 景洪市 sees nothing before it is forwarded
    assert not selectors.remote_intake_list(actor=world.clerk_jh).exists()
    with pytest.raises(ValidationFailed) as exc:
        services.remote_intake_forward(actor=world.clerk_mh, intake=intake)
    assert exc.value.code == "bundles.remote.post_details_required"  # the paper original is posted
    with pytest.raises(PermissionDenied):
        services.remote_intake_forward(
            actor=world.clerk_jh, intake=intake, courier="EMS", tracking_number="1"
        )
    intake = services.remote_intake_forward(
        actor=world.clerk_mh, intake=intake, courier="中国邮政EMS", tracking_number="EMS1234567890"
    )
    assert selectors.remote_intake_list(actor=world.clerk_jh).get() == intake
    with pytest.raises(PermissionDenied):
        services.remote_intake_accept(actor=world.clerk_mh, intake=intake)
    case = services.remote_intake_accept(actor=world.clerk_jh, intake=intake)
    assert case.state == CaseState.ACCEPTED
    assert case.agency == world.jh_market and case.venue == world.jh_center
    assert case.accepted_on == timezone.localdate()  # the clock starts at 景洪市's acceptance
    assert set(case.materials.values_list("requirement_key", "kind")) == {
        ("application", "upload"),
        ("licence", "paper"),
        ("floor-plan", "upload"),
    }
    assert case.form_data == {"shop": "勐海茶叶店"}
    # each region sees exactly its part: 勐海县 the intake, not the case; 景洪市 both
    assert not case_selectors.case_list(actor=world.clerk_mh).filter(pk=case.pk).exists()
    assert selectors.remote_intake_list(actor=world.clerk_mh).get() == intake
    assert case_selectors.case_list(actor=world.clerk_jh).filter(pk=case.pk).exists()
    intake.refresh_from_db()
    with pytest.raises(Conflict):
        services.remote_intake_send_result(
            actor=world.clerk_jh, intake=intake, route="pickup", courier="EMS", tracking_number="2"
        )
    case_services.case_start_review(actor=remote["approver"], case=case)
    case_services.case_decide(
        actor=remote["approver"],
        case=case,
        approved=True,
        reasons="",
        result_content=PDF,
        result_filename="r.pdf",
    )
    intake = services.remote_intake_send_result(
        actor=world.clerk_jh, intake=intake, route="pickup", courier="中国邮政EMS", tracking_number="EMS99"
    )
    assert intake.state == RemoteIntakeState.RESULT_SENT
    case.refresh_from_db()
    assert case.state == CaseState.DELIVERED
    assert case.delivery.tracking_number == "EMS99" and case.delivery.recipient == world.mh_center.name
    intake = services.remote_intake_result_arrived(actor=world.clerk_mh, intake=intake)
    with pytest.raises(ValidationFailed):
        services.remote_intake_hand_over(actor=world.clerk_mh, intake=intake, recipient=" ")
    intake = services.remote_intake_hand_over(actor=world.clerk_mh, intake=intake, recipient="岩香")
    assert intake.state == RemoteIntakeState.COMPLETED
    assert _actions(intake) == [
        "received",
        "forwarded",
        "accepted",
        "result_sent",
        "result_arrived",
        "handed_over",
    ]
    forwarded = AuditEvent.objects.get(
        object_type="remote_intake", object_id=str(intake.pk), action="forwarded"
    )
    assert forwarded.payload["tracking_number"] == "EMS1234567890"
    assert selectors.remote_intake_side(actor=world.clerk_mh, intake=intake) == "receiving"
    assert selectors.remote_intake_side(actor=world.clerk_jh, intake=intake) == "deciding"


def test_the_clock_can_start_at_receipt(world, remote, settings):
    settings.ZWFW_REMOTE_CLOCK_STARTS_AT_RECEIPT = True
    intake = _receive(world, remote, materials=_materials(paper=False))
    received = datetime.date.today() - datetime.timedelta(days=3)
    type(intake).objects.filter(pk=intake.pk).update(received_on=received)
    intake.refresh_from_db()
    services.remote_intake_forward(actor=world.clerk_mh, intake=intake)  # scans only: no courier needed
    case = services.remote_intake_accept(actor=world.clerk_jh, intake=intake)
    case.refresh_from_db()
    assert case.accepted_on == received
    assert AuditEvent.objects.filter(
        object_type="case", object_id=str(case.pk), action="clock_started_at_receipt"
    ).exists()


def test_the_deciding_agency_returns_with_reasons(world, remote):
    intake = _receive(world, remote)
    services.remote_intake_forward(actor=world.clerk_mh, intake=intake, courier="EMS", tracking_number="1")
    with pytest.raises(ValidationFailed):
        services.remote_intake_return(actor=world.clerk_jh, intake=intake, reasons="")
    intake = services.remote_intake_return(actor=world.clerk_jh, intake=intake, reasons="营业执照已过期")
    assert intake.state == RemoteIntakeState.RETURNED and intake.case is None
    with pytest.raises(Conflict):
        services.remote_intake_accept(actor=world.clerk_jh, intake=intake)
    intake = services.remote_intake_hand_over(actor=world.clerk_mh, intake=intake, recipient="岩香")
    assert _actions(intake) == ["received", "forwarded", "returned", "handed_over"]


def test_where_an_item_may_be_received(world, remote):
    with pytest.raises(ValidationFailed) as exc:
        services.remote_intake_receive(
            actor=world.clerk_mh,
            window=remote["general"],
            implementation=remote["impl"],
            person=remote["person"],
            materials=_materials(),
        )
    assert exc.value.code == "bundles.remote.not_cross_region_window"
    local = publish(world, base_code="LOCAL-1")  # 通办范围: none
    with pytest.raises(ValidationFailed) as exc:
        services.remote_intake_receive(
            actor=world.clerk_mh,
            window=remote["window"],
            implementation=local,
            person=remote["person"],
            materials=[],
        )
    assert exc.value.code == "bundles.remote.not_cross_region"
    with pytest.raises(PermissionDenied):
        services.remote_intake_receive(
            actor=world.clerk_jh,
            window=remote["window"],
            implementation=remote["impl"],
            person=remote["person"],
            materials=_materials(),
        )
    with pytest.raises(ValidationFailed) as exc:
        _receive(world, remote, materials=_materials()[:1])
    assert exc.value.code == "bundles.remote.materials_invalid"
    assert {d["field"] for d in exc.value.details} == {"materials.licence"}
    assert not selectors.remote_intake_list(actor=world.clerk_mh).exists()


@pytest.mark.parametrize("scope", ["province", "prefecture"])
def test_cross_region_scope_covers_the_receiving_region(world, remote, scope):
    from zwfw.bundles.services.remote import cross_region_allowed

    remote["impl"].current_version.content["cross_region_scope"] = scope
    assert cross_region_allowed(remote["impl"], world.menghai) == (True, "")
    other = core_services.region_create(
        code="530100", name="昆明市", level="prefecture", parent=world.province
    )
    allowed, refusal = cross_region_allowed(remote["impl"], other)
    assert allowed is (scope == "province")
    assert refusal == ("" if allowed else "bundles.remote.outside_scope")
