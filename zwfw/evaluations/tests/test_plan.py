"""The plan tracker: the data file, quarterly reports with their rules, flags, the report files."""

from __future__ import annotations

import datetime
import json

import pytest

from zwfw.core.errors import Conflict, PermissionDenied, ValidationFailed
from zwfw.evaluations import plan
from zwfw.evaluations.models import PlanTask

pytestmark = pytest.mark.django_db


def test_the_data_file_holds_the_seeds_22_tasks():
    doc = json.loads(plan.DEFAULT_PLAN_FILE.read_text(encoding="utf-8"))
    numbers = [t["number"] for t in doc["tasks"]]
    assert numbers == list(range(1, 23))
    assert plan.plan_load() == (22, 0)
    assert plan.plan_load() == (0, 22)
    task12 = PlanTask.objects.get(number=12)
    assert task12.lead_units == ["州政务服务局"] and task12.deadline == datetime.date(2023, 12, 31)
    assert PlanTask.objects.get(number=13).ongoing and PlanTask.objects.get(number=13).deadline is None
    assert PlanTask.objects.get(number=19).lead_units == ["州司法局", "州市场监督管理局", "州政务服务局"]


def test_quarters():
    assert plan.quarter_of(datetime.date(2026, 11, 27)) == "2026Q4"
    assert plan.quarter_bounds("2026Q4") == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert plan.quarter_bounds("2026Q1") == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    for bad in ("2026Q5", "2026-4", "Q4", ""):
        with pytest.raises(ValidationFailed):
            plan.quarter_bounds(bad)


def test_reports_their_rules_and_the_flags(world):
    plan.plan_load()
    task = PlanTask.objects.get(number=12)
    admin = world.center_admin_pref
    with pytest.raises(PermissionDenied):
        plan.progress_report_file(
            actor=world.clerk_jh, task=task, unit="州政务服务局", quarter="2026Q4", status="done"
        )
    for kwargs, code in (
        ({"unit": "州档案局", "status": "done"}, "plan.not_lead_unit"),
        ({"unit": "州政务服务局", "status": "maybe"}, "plan.bad_status"),
        ({"unit": "州政务服务局", "status": "in_progress"}, "plan.evidence_required"),
        ({"unit": "州政务服务局", "status": "at_risk"}, "plan.reasons_required"),
    ):
        with pytest.raises(ValidationFailed) as err:
            plan.progress_report_file(actor=admin, task=task, quarter="2026Q4", **kwargs)
        assert err.value.code == code
    plan.progress_report_file(
        actor=admin, task=task, unit="州政务服务局", quarter="2026Q4", status="at_risk", reasons="系统未对接"
    )
    with pytest.raises(Conflict):
        plan.progress_report_file(
            actor=admin, task=task, unit="州政务服务局", quarter="2026Q4", status="done"
        )
    statuses = {
        s.task.number: s
        for s in plan.plan_status(
            quarter="2026Q4", region=world.prefecture, today=datetime.date(2026, 11, 27)
        )
    }
    assert statuses[12].flags == ["past_deadline", "at_risk"]
    assert statuses[13].flags == ["missing_report"]  # 持续推进: never past deadline
    assert "missing_report" in statuses[1].flags and "past_deadline" in statuses[1].flags
    assert [f.key for f in statuses[12].figures] == [
        "ratings",
        "good_rating_rate",
        "rectified_on_time_rate",
        "callback_rate",
    ]
    assert plan.plan_report_xlsx(quarter="2026Q4", region=world.prefecture)[:2] == b"PK"
    assert plan.plan_report_pdf(quarter="2026Q4", region=world.prefecture)[:5] == b"%PDF-"
