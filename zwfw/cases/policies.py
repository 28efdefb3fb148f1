"""Who may act on a case: the applicant, the clerks of its venue or agency, the agency's
reviewers and approvers, chief representatives, and supervisors over the region."""

from __future__ import annotations

from zwfw.cases.models import Case
from zwfw.identity.models import Role
from zwfw.identity.selectors import Actor, actor_scope


def is_applicant(actor: Actor | None, case: Case) -> bool:
    """The account that applied, the person applied for, or the enterprise's account."""
    scope = actor_scope(actor)
    if scope.user_id is None:
        return False
    if case.applicant_user_id == scope.user_id:
        return True
    if case.applicant_person_id is not None and case.applicant_person_id == scope.person_id:
        return True
    return case.applicant_enterprise_id is not None and case.applicant_enterprise_id == scope.enterprise_id


def is_intake_clerk(actor: Actor | None, case: Case) -> bool:
    """A window clerk at the case's venue, or of the handling agency (online cases)."""
    scope = actor_scope(actor)
    if scope.is_superuser:
        return True
    if Role.WINDOW_CLERK not in scope.roles:
        return False
    if case.venue_id is not None and case.venue_id in scope.venue_ids:
        return True
    return Role.WINDOW_CLERK in scope.roles_by_agency.get(case.agency_id, frozenset())


def has_agency_role(actor: Actor | None, case: Case, role: str) -> bool:
    """The actor holds ``role`` in the case's handling agency."""
    scope = actor_scope(actor)
    return scope.is_superuser or role in scope.roles_by_agency.get(case.agency_id, frozenset())


def is_supervisor(actor: Actor | None, case: Case) -> bool:
    """A supervisor whose region covers the case's region."""
    return actor_scope(actor).has_role(Role.SUPERVISOR, region=case.region)


def is_staff_on(actor: Actor | None, case: Case) -> bool:
    """Any staff member who may see the case."""
    scope = actor_scope(actor)
    if scope.is_superuser:
        return True
    return (
        is_intake_clerk(actor, case)
        or case.agency_id in scope.agency_ids
        or is_supervisor(actor, case)
        or actor_scope(actor).has_role(Role.CENTER_ADMIN, region=case.region)
    )
