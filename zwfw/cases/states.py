"""The case life cycle: the only transitions allowed, one action each.

draft → submitted → (correction_requested ⇄ resubmitted) → accepted | intake_rejected
→ under_review (⇄ suspended) → approved | denied → delivered → closed;
withdrawn from any state before the decision. An instant item (即办件) or a commitment item
(告知承诺) may be decided straight from ``accepted``.
"""

from __future__ import annotations

from zwfw.cases.models import CaseState as S

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({S.DRAFT}), S.SUBMITTED),
    "request_correction": (frozenset({S.SUBMITTED, S.RESUBMITTED}), S.CORRECTION_REQUESTED),
    "resubmit": (frozenset({S.CORRECTION_REQUESTED}), S.RESUBMITTED),
    "accept": (frozenset({S.SUBMITTED, S.RESUBMITTED}), S.ACCEPTED),
    "reject_intake": (frozenset({S.SUBMITTED, S.RESUBMITTED, S.CORRECTION_REQUESTED}), S.INTAKE_REJECTED),
    "start_review": (frozenset({S.ACCEPTED}), S.UNDER_REVIEW),
    "suspend": (frozenset({S.UNDER_REVIEW}), S.SUSPENDED),
    "resume": (frozenset({S.SUSPENDED}), S.UNDER_REVIEW),
    "approve": (frozenset({S.UNDER_REVIEW, S.ACCEPTED}), S.APPROVED),
    "deny": (frozenset({S.UNDER_REVIEW, S.ACCEPTED}), S.DENIED),
    "deliver": (frozenset({S.APPROVED, S.DENIED}), S.DELIVERED),
    "close": (frozenset({S.DELIVERED}), S.CLOSED),
    "withdraw": (
        frozenset(
            {
                S.DRAFT,
                S.SUBMITTED,
                S.CORRECTION_REQUESTED,
                S.RESUBMITTED,
                S.ACCEPTED,
                S.UNDER_REVIEW,
                S.SUSPENDED,
            }
        ),
        S.WITHDRAWN,
    ),
}

# States in which the statutory clock runs or is paused (for due-soon and overdue queues).
CLOCK_STATES = frozenset({S.ACCEPTED, S.UNDER_REVIEW})
OPEN_STATES = frozenset(
    {
        S.SUBMITTED,
        S.CORRECTION_REQUESTED,
        S.RESUBMITTED,
        S.ACCEPTED,
        S.UNDER_REVIEW,
        S.SUSPENDED,
        S.APPROVED,
        S.DENIED,
    }
)


def allowed_actions(state: str) -> list[str]:
    """The actions the table allows from ``state`` (roles and rules are checked by services)."""
    return [action for action, (sources, _target) in TRANSITIONS.items() if state in sources]


def target_of(action: str, state: str) -> str | None:
    """The state ``action`` leads to from ``state``, or None when the table forbids it."""
    sources, target = TRANSITIONS[action]
    return target if state in sources else None
