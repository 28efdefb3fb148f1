"""Factories for evaluation tests: concluded cases built through the real case services."""

from __future__ import annotations

from typing import Any

from zwfw.cases import services as case_services
from zwfw.cases.models import Case, Channel
from zwfw.cases.tests.factories import PDF

KEYS = ("application", "licence", "floor-plan")


def concluded_case(desk: Any, *, channel: str = Channel.ONLINE, approved: bool = True) -> Case:
    """A case of ``desk.citizen`` taken from submission to a decision (concluded today)."""
    if channel == Channel.ONLINE:
        case = case_services.case_create(actor=desk.citizen, implementation=desk.impl, channel=Channel.ONLINE)
        uploader = desk.citizen
    else:
        case = case_services.case_create(
            actor=desk.clerk,
            implementation=desk.impl,
            channel=channel,
            person=desk.person,
            venue=desk.world.jh_center,
        )
        uploader = desk.clerk
    for key in KEYS:
        case_services.case_material_add(
            actor=uploader, case=case, requirement_key=key, content=PDF, filename=f"{key}.pdf"
        )
    case = case_services.case_submit(actor=uploader, case=case)
    case = case_services.case_accept(actor=desk.clerk, case=case)
    case_services.case_start_review(actor=desk.reviewer, case=case)
    case_services.case_decide(
        actor=desk.approver, case=case, approved=approved, reasons="符合条件" if approved else "不符合条件"
    )
    case.refresh_from_db()
    return case
