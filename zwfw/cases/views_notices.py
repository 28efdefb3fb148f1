"""Downloads of a case's notices (PDF) and of its result file, for whoever may see the case.

Thin views: the case comes from ``selectors.case_get`` (outside the actor's scope: 404, never
revealing that it exists), the PDF from ``notices.notice_pdf``. Personal documents are never
cached by shared caches.
"""

from __future__ import annotations

import mimetypes
import os

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from zwfw.cases import policies, selectors
from zwfw.cases.models import Case, CaseState
from zwfw.cases.notices import content_disposition, notice_filenames, notice_pdf
from zwfw.core.errors import NotFound

# A result reaches the applicant with its delivery (容缺: not before the promised materials);
# staff in scope may open it from the decision on.
APPLICANT_RESULT_STATES = frozenset({CaseState.DELIVERED, CaseState.CLOSED})
STAFF_RESULT_STATES = frozenset({CaseState.APPROVED, CaseState.DELIVERED, CaseState.CLOSED})


def _case(request: HttpRequest, case_id: int) -> Case:
    try:
        return selectors.case_get(actor=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _private(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def case_notice_pdf(request: HttpRequest, case_id: int, notice_id: int) -> HttpResponseBase:
    """One notice of a visible case, rendered as PDF (inline)."""
    case = _case(request, case_id)
    notice = selectors.case_notices_visible(actor=request.user, case=case).filter(pk=notice_id).first()
    if notice is None:
        raise Http404("notice not found")
    notice.case = case
    body = notice_pdf(notice, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(*notice_filenames(notice))
    return _private(response)


@require_GET
@login_required
def case_result(request: HttpRequest, case_id: int) -> HttpResponseBase:
    """The result file: for staff in scope once decided (approved), for the applicant once delivered."""
    case = _case(request, case_id)
    staff = policies.is_staff_on(request.user, case)
    states = STAFF_RESULT_STATES if staff else APPLICANT_RESULT_STATES
    if not case.result_file or case.state not in states:
        raise Http404("no result")
    try:
        handle = case.result_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("no result") from exc
    extension = os.path.splitext(case.result_file.name)[1].lower()
    content_type = mimetypes.guess_type(f"x{extension}")[0] or "application/octet-stream"
    utf8_name = f"{case.result_name or case.number}{extension}"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        f"result-{case.number}{extension}", utf8_name, inline=extension in (".pdf", ".png", ".jpg", ".jpeg")
    )
    return _private(response)
