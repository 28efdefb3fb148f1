"""Demo-like activity on top of the demo catalog: cases in every state over a year, ratings of
every grade (some anonymous, some at the window) and rectifications at every step.

Rows are bulk-created (test data, not a workflow): the point is a realistic spread of states,
dates and agencies for checking each dashboard figure against plain SQL."""

from __future__ import annotations

import datetime
import random

from zwfw.cases.models import Case, CaseState, Channel
from zwfw.catalog.models import Implementation, ImplementationStatus
from zwfw.evaluations.models import Evaluation, Rectification, RectificationStatus

STATES = [
    CaseState.ACCEPTED,
    CaseState.UNDER_REVIEW,
    CaseState.APPROVED,
    CaseState.DENIED,
    CaseState.DELIVERED,
    CaseState.CLOSED,
    CaseState.SUBMITTED,
]


def demo_activity(*, cases: int = 600, today: datetime.date, seed: int = 7) -> None:
    """Create ``cases`` cases with ratings and rectifications spread over the year to ``today``."""
    rng = random.Random(seed)
    impls = list(
        Implementation.objects.filter(status=ImplementationStatus.PUBLISHED).select_related(
            "agency", "region"
        )
    )
    # one implementation left unpublished-looking: a cancelled one does not count, a draft does
    if len(impls) > 3:
        Implementation.objects.filter(pk=impls[-1].pk).update(status=ImplementationStatus.DRAFT)
    rows = []
    for i in range(cases):
        impl = rng.choice(impls)
        state = rng.choice(STATES)
        accepted = today - datetime.timedelta(days=rng.randint(0, 330))
        decided = state in (CaseState.APPROVED, CaseState.DENIED, CaseState.DELIVERED, CaseState.CLOSED)
        due = accepted + datetime.timedelta(days=rng.choice([0, 7, 14, 28]))
        concluded = accepted + datetime.timedelta(days=rng.choice([0, 0, 3, 10, 20, 40])) if decided else None
        if concluded and concluded > today:
            concluded = today
        rows.append(
            Case(
                number=f"DEMO-{seed}-{i:06d}",
                implementation=impl,
                version_id=impl.current_version_id,
                agency=impl.agency,
                region=impl.region,
                channel=rng.choice([Channel.ONLINE, Channel.WINDOW]),
                state=state,
                accepted_on=None if state == CaseState.SUBMITTED else accepted,
                due_date=None if state == CaseState.SUBMITTED else due,
                decided_at=datetime.datetime.combine(concluded, datetime.time(10), tzinfo=datetime.UTC)
                if concluded
                else None,
                concluded_on=concluded,
            )
        )
    created = Case.objects.bulk_create(rows)
    evaluations = []
    for case in created:
        if case.concluded_on is None or rng.random() < 0.3:
            continue
        grade = rng.choice([5, 5, 5, 4, 4, 3, 2, 1])
        evaluations.append(
            Evaluation(
                case=case,
                stage="conclusion",
                channel="online" if case.channel == Channel.ONLINE else "window",
                grade=grade,
                real_name=rng.random() < 0.8,
                agency=case.agency,
                region=case.region,
                created_on=case.concluded_on,
                idempotency_key=f"demo-{case.number}",
                excluded=rng.random() < 0.03,
            )
        )
    Evaluation.objects.bulk_create(evaluations)
    rects = []
    for e in Evaluation.objects.filter(grade__lte=2):
        status = rng.choice(list(RectificationStatus.values))
        due = e.created_on + datetime.timedelta(days=21)
        answered = (
            e.created_on + datetime.timedelta(days=rng.choice([2, 10, 30]))
            if status in ("answered", "dismissed")
            else None
        )
        rects.append(
            Rectification(
                evaluation=e,
                agency=e.agency,
                region=e.region,
                real_name=e.real_name,
                status=status,
                opened_on=e.created_on,
                due_date=due,
                callback_at=datetime.datetime.combine(e.created_on, datetime.time(9), tzinfo=datetime.UTC)
                if status != "open"
                else None,
                answered_on=answered,
                on_time=(answered <= due) if answered else None,
            )
        )
    Rectification.objects.bulk_create(rects)
