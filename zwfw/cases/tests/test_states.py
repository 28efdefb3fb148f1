"""The life cycle holds under any sequence of actions: only the table's transitions happen,
refused actions change nothing, and the ledger verifies afterwards."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwfw.cases import services
from zwfw.cases.models import Case, Channel
from zwfw.cases.states import TRANSITIONS, allowed_actions, target_of
from zwfw.cases.tests.factories import PDF
from zwfw.core.errors import DomainError
from zwfw.core.ledger import ledger_verify

pytestmark = pytest.mark.django_db

ACTIONS = [
    "submit",
    "request_correction",
    "resubmit",
    "accept",
    "reject_intake",
    "start_review",
    "suspend",
    "resume",
    "approve",
    "deny",
    "deliver",
    "close",
    "withdraw",
    "upload",
]


def _do(desk, case: Case, action: str) -> None:
    today = timezone.localdate()
    calls = {
        "submit": lambda: services.case_submit(actor=desk.citizen, case=case),
        "request_correction": lambda: services.case_request_correction(
            actor=desk.clerk, case=case, defects=[{"key": "application", "note": "模糊不清"}]
        ),
        "resubmit": lambda: services.case_resubmit(actor=desk.citizen, case=case),
        "accept": lambda: services.case_accept(
            actor=desk.clerk, case=case, deficiency_due_date=today + datetime.timedelta(days=5)
        ),
        "reject_intake": lambda: services.case_reject_intake(
            actor=desk.clerk, case=case, reason="不属于受理范围"
        ),
        "start_review": lambda: services.case_start_review(actor=desk.reviewer, case=case),
        "suspend": lambda: services.case_suspend(
            actor=desk.reviewer, case=case, kind="special_procedure", procedure="现场勘验", reason="核查"
        ),
        "resume": lambda: services.case_resume(actor=desk.reviewer, case=case),
        "approve": lambda: services.case_decide(
            actor=desk.approver, case=case, approved=True, reasons="符合"
        ),
        "deny": lambda: services.case_decide(
            actor=desk.approver, case=case, approved=False, reasons="不符合"
        ),
        "deliver": lambda: services.case_deliver(actor=desk.clerk, case=case, method="window"),
        "close": lambda: services.case_close(actor=desk.clerk, case=case),
        "withdraw": lambda: services.case_withdraw(actor=desk.citizen, case=case),
        "upload": lambda: services.case_material_add(
            actor=desk.citizen, case=case, requirement_key="application", content=PDF
        ),
    }
    calls[action]()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=14))
def test_random_action_sequences_follow_the_table(desk, actions):
    case = services.case_create(actor=desk.citizen, implementation=desk.impl, channel=Channel.ONLINE)
    for key in ("application", "licence"):
        services.case_material_add(actor=desk.citizen, case=case, requirement_key=key, content=PDF)
    for action in actions:
        before = Case.objects.get(pk=case.pk).state
        try:
            _do(desk, case, action)
        except DomainError:
            assert Case.objects.get(pk=case.pk).state == before, f"{action} failed but changed the state"
            continue
        after = Case.objects.get(pk=case.pk).state
        if action == "upload":
            assert after == before
        elif action == "submit" and after == "accepted":
            pass  # 收件即受理 is off here; would be submit + accept
        else:
            assert after == target_of(action, before), f"{action}: {before} -> {after}"
    assert list(ledger_verify()) == []


def test_the_table_has_no_way_back_from_the_end():
    for terminal in ("closed", "intake_rejected", "withdrawn"):
        assert allowed_actions(terminal) == []
    assert "withdraw" not in allowed_actions("approved") and "withdraw" not in allowed_actions("denied")
    reachable = {"draft"}
    frontier = ["draft"]
    while frontier:
        state = frontier.pop()
        for action in allowed_actions(state):
            target = TRANSITIONS[action][1]
            if target not in reachable:
                reachable.add(target)
                frontier.append(target)
    assert reachable == {s for s, _ in Case._meta.get_field("state").choices}
