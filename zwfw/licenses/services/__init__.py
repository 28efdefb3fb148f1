"""Every write of e-licenses: types, seals and key rotation, issuing, suspension, reinstatement
and revocation (with the status lists), 免证办 attachment, shares and the access log.

Each service is keyword-only, runs in one transaction, checks the actor, and writes one ledger
event per state change. Rule violations raise ``DomainError`` subclasses with stable codes
(``license.*``, ``seal.*``); nothing changes when one is raised. The package re-exports every
service: callers write ``zwfw.licenses.services.license_issue_for_case``.
"""

from zwfw.licenses.services.issuing import (
    license_claims,
    license_document,
    license_issue,
    license_issue_for_case,
    license_reinstate,
    license_revoke,
    license_suspend,
)
from zwfw.licenses.services.reuse import (
    license_access,
    license_attach_to_case,
    license_check_for_case,
    license_copy_for_agency,
    license_share,
    license_share_withdraw,
)
from zwfw.licenses.services.seals import (
    license_type_create,
    platform_sign,
    seal_create,
    seal_rotate,
    status_list_credential,
)

__all__ = [
    "license_access",
    "license_attach_to_case",
    "license_check_for_case",
    "license_claims",
    "license_copy_for_agency",
    "license_document",
    "license_issue",
    "license_issue_for_case",
    "license_reinstate",
    "license_revoke",
    "license_share",
    "license_share_withdraw",
    "license_suspend",
    "license_type_create",
    "platform_sign",
    "seal_create",
    "seal_rotate",
    "status_list_credential",
]
