"""Reads of case handling: every list scoped by the actor, the staff queues, the status lookup."""

from __future__ import annotations

import datetime
import hmac

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zwfw.cases import policies
from zwfw.cases.models import Case, CaseNotice, CaseState, NoticeKind
from zwfw.cases.states import CLOCK_STATES
from zwfw.core.calendar import add_working_days
from zwfw.core.errors import NotFound, TooManyRequests
from zwfw.identity.models import Role
from zwfw.identity.selectors import Actor, actor_scope, role_region_prefixes

QUEUES = ("to_accept", "to_review", "to_decide", "due_soon", "overdue", "suspended", "to_deliver")


def case_list(*, actor: Actor | None) -> QuerySet[Case]:
    """Cases the actor may see: applicants their own; clerks their venue and agency; reviewers,
    approvers and chief representatives their agency; supervisors and center admins their region."""
    scope = actor_scope(actor)
    qs = Case.objects.select_related("implementation__item", "agency", "region", "version", "venue")
    if scope.is_superuser:
        return qs
    if scope.user_id is None:
        return qs.none()
    q = Q(applicant_user_id=scope.user_id)
    if scope.person_id:
        q |= Q(applicant_person_id=scope.person_id)
    if scope.enterprise_id:
        q |= Q(applicant_enterprise_id=scope.enterprise_id)
    if scope.roles:
        staff_q = Q(agency_id__in=scope.agency_ids) | Q(venue_id__in=scope.venue_ids)
        for role in (Role.SUPERVISOR, Role.CENTER_ADMIN):
            for prefix in role_region_prefixes(actor=actor, role=role):
                staff_q |= Q(region__prefix__startswith=prefix)
        # staff see drafts only of the applications they are filing themselves
        q |= staff_q & (~Q(state=CaseState.DRAFT) | Q(first_contact_id=scope.user_id))
    return qs.filter(q)


def case_get(*, actor: Actor | None, case_id: int) -> Case:
    """One case within the actor's scope; NotFound otherwise (never revealing that it exists)."""
    case = case_list(actor=actor).filter(pk=case_id).first()
    if case is None:
        raise NotFound("case.not_found", _("Case not found."))
    return case


def due_soon_threshold(*, today: datetime.date | None = None, days: int | None = None) -> datetime.date:
    """The last due date that counts as due soon (``ZWFW_DUE_SOON_DAYS`` working days ahead)."""
    from django.conf import settings

    return add_working_days(
        today or timezone.localdate(), days if days is not None else settings.ZWFW_DUE_SOON_DAYS
    )


def case_queue(queryset: QuerySet[Case], queue: str, *, today: datetime.date | None = None) -> QuerySet[Case]:
    """One staff queue of a scoped case list (one indexed filter each)."""
    today = today or timezone.localdate()
    if queue == "to_accept":
        return queryset.filter(state__in=[CaseState.SUBMITTED, CaseState.RESUBMITTED]).order_by(
            "submitted_at"
        )
    if queue == "to_review":
        return queryset.filter(state=CaseState.ACCEPTED).order_by("due_date")
    if queue == "to_decide":
        return queryset.filter(state=CaseState.UNDER_REVIEW).order_by("due_date")
    if queue == "suspended":
        return queryset.filter(state=CaseState.SUSPENDED).order_by("due_date")
    if queue == "to_deliver":
        return queryset.filter(state__in=[CaseState.APPROVED, CaseState.DENIED]).order_by("decided_at")
    if queue == "overdue":
        return queryset.filter(state__in=CLOCK_STATES, due_date__lt=today).order_by("due_date")
    if queue == "due_soon":
        return queryset.filter(
            state__in=CLOCK_STATES, due_date__gte=today, due_date__lte=due_soon_threshold(today=today)
        ).order_by("due_date")
    raise ValueError(queue)


# The status lookup refuses an address for LOOKUP_BLOCK_SECONDS after LOOKUP_MAX_FAILURES failed
# lookups within LOOKUP_WINDOW_SECONDS. Counted in Django's default cache: give every web host the
# same shared cache (Redis or the database) in production, or the limit is per process.
LOOKUP_MAX_FAILURES = 5
LOOKUP_WINDOW_SECONDS = 600
LOOKUP_BLOCK_SECONDS = 600


def _lookup_keys(client: str) -> tuple[str, str]:
    return f"zwfw:case-lookup:fail:{client}", f"zwfw:case-lookup:block:{client}"


def _lookup_failed(client: str) -> None:
    """Count a failed lookup; the fifth within the window blocks the address for a while."""
    fails_key, block_key = _lookup_keys(client)
    cache.add(fails_key, 0, LOOKUP_WINDOW_SECONDS)
    try:
        fails = cache.incr(fails_key)
    except ValueError:  # expired between add and incr
        cache.set(fails_key, 1, LOOKUP_WINDOW_SECONDS)
        fails = 1
    if fails >= LOOKUP_MAX_FAILURES:
        cache.set(block_key, 1, LOOKUP_BLOCK_SECONDS)
        cache.delete(fails_key)


def case_lookup(*, number: str, code: str, client: str | None) -> Case:
    """Status lookup without an account: the case number plus the code printed on its notice.

    ``client`` is the caller's address (``None`` only for trusted internal callers): a client
    that fails too often is refused with 429 for a while, whatever it sends, so the 6-digit code
    cannot be guessed against sequential case numbers.
    """
    if client is not None and cache.get(_lookup_keys(client)[1]):
        raise TooManyRequests(
            "case.lookup_throttled", _("Too many failed lookups from this address. Please try again later.")
        )
    case = Case.objects.filter(number=number.strip()).select_related("implementation__item", "agency").first()
    given = code.strip().encode()
    if case is None or not case.lookup_code or not hmac.compare_digest(case.lookup_code.encode(), given):
        if client is not None:
            _lookup_failed(client)
        raise NotFound("case.lookup_failed", _("No case matches this number and code."))
    return case


# A held result is decided and not yet delivered (a bundle refuses its delivery until released).
HOLDABLE_STATES = frozenset({CaseState.APPROVED, CaseState.DENIED})


def case_result_held(case: Case) -> bool:
    """Whether the case's bundle still holds its result: the bundle delivers results together
    and not every item has concluded."""
    from zwfw.bundles.selectors import held_result_case_ids  # bundles build on cases

    return held_result_case_ids().filter(case_id=case.pk).exists()


def case_notices_visible(*, actor: Actor | None, case: Case) -> QuerySet[CaseNotice]:
    """The notices of a visible case that the actor may read, oldest first: staff on the case
    read all; the applicant reads all but the decision letter while the case's bundle holds
    its result (results together: the decision reaches them with the others')."""
    notices = CaseNotice.objects.filter(case=case).select_related("issued_by").order_by("issued_at", "pk")
    # Only a decided, undelivered case can have a held decision letter: others need no query.
    if case.state not in HOLDABLE_STATES or policies.is_staff_on(actor, case) or not case_result_held(case):
        return notices
    return notices.exclude(kind=NoticeKind.DECISION)
