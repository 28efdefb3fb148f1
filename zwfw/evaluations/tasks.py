"""Pushing ratings to the national 好差评 system through the task queue.

Mirrors ``zwfw.catalog.tasks``: ``enqueue_rating_push`` is called inside the rating's
transaction (the database task backend writes the task row in that same transaction, so a
rolled-back rating never leaves a push and a committed one is never lost). ``push_rating``
makes one attempt per run with an ``Idempotency-Key`` header equal for every attempt at the same
rating; a network error, 408/425/429 or 5xx re-enqueues it with ``run_after`` = now +
base × 2^(attempt−1) until ``ZWFW_NATIONAL_EVALUATION_MAX_ATTEMPTS``; other 4xx fail at once.
Every attempt and outcome is written to the ledger under ``national_rating:<evaluation id>``.

Settings: ``ZWFW_NATIONAL_EVALUATION_URL`` (empty: pushing is skipped),
``ZWFW_NATIONAL_EVALUATION_MAX_ATTEMPTS`` (6), ``ZWFW_NATIONAL_EVALUATION_BACKOFF_SECONDS`` (30),
``ZWFW_NATIONAL_PLATFORM_TOKEN`` and ``ZWFW_NATIONAL_PLATFORM_TIMEOUT`` (shared with the catalog).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from zwfw.core.http import HttpAnswer, is_http_url, post_json
from zwfw.core.ledger import audit_record
from zwfw.core.models import AuditEvent
from zwfw.evaluations.models import Evaluation
from zwfw.evaluations.services import setting

PUSH_OBJECT_TYPE = "national_rating"
RETRYABLE_STATUSES = frozenset({408, 425, 429})


def enqueue_rating_push(*, evaluation: Evaluation) -> None:
    """Enqueue, in the caller's transaction, the push of this rating to the national system."""
    result = push_rating.enqueue(
        evaluation_id=evaluation.pk, idempotency_key=evaluation.idempotency_key, attempt=1
    )
    _record(
        evaluation.pk, "enqueued", {"idempotency_key": evaluation.idempotency_key, "task": str(result.id)}
    )


def rating_payload(evaluation: Evaluation) -> dict[str, Any]:
    """The body sent to the national system: no name, no ID number, only the rating's facts."""
    case = evaluation.case
    return {
        "idempotency_key": evaluation.idempotency_key,
        "case_number": case.number,
        "implementation_code": case.implementation.code,
        "agency_name": evaluation.agency.name,
        "agency_code": evaluation.agency.uscc,
        "region_code": evaluation.region.code,
        "stage": evaluation.stage,
        "channel": evaluation.channel,
        "grade": evaluation.grade,
        "indicators": evaluation.indicators,
        "comment": evaluation.comment,
        "real_name": evaluation.real_name,
        "rated_at": evaluation.created_at.isoformat(),
    }


def _post(url: str, body: bytes, *, key: str, attempt: int) -> HttpAnswer:
    """One POST to the national platform (``zwfw.core.http.post_json``)."""
    return post_json(
        url,
        body,
        key=key,
        token=str(setting("ZWFW_NATIONAL_PLATFORM_TOKEN", "") or ""),
        timeout=float(setting("ZWFW_NATIONAL_PLATFORM_TIMEOUT", 10)),
        user_agent="zwfw-national-rating/1",
        attempt=attempt,
    )


def _record(evaluation_id: int, action: str, payload: dict[str, Any]) -> None:
    audit_record(
        actor=None, object_type=PUSH_OBJECT_TYPE, object_id=evaluation_id, action=action, payload=payload
    )


@task()
def push_rating(*, evaluation_id: int, idempotency_key: str, attempt: int = 1) -> str:
    """Deliver one rating to the national 好差评 system (one attempt; retries are re-enqueued)."""
    fields: dict[str, Any] = {"idempotency_key": idempotency_key, "attempt": attempt}
    url = str(setting("ZWFW_NATIONAL_EVALUATION_URL", "") or "")
    if not url:
        _record(evaluation_id, "skipped", {**fields, "reason": "no_endpoint"})
        return "skipped"
    if not is_http_url(url):
        _record(evaluation_id, "failed", {**fields, "reason": "bad_endpoint"})
        return "failed"
    chain = f"{PUSH_OBJECT_TYPE}:{evaluation_id}"
    if AuditEvent.objects.filter(
        chain=chain, action="delivered", payload__idempotency_key=idempotency_key
    ).exists():
        _record(evaluation_id, "duplicate", fields)
        return "duplicate"
    evaluation = Evaluation.objects.select_related("case__implementation", "agency", "region").get(
        pk=evaluation_id
    )
    body = json.dumps(rating_payload(evaluation), ensure_ascii=False, separators=(",", ":")).encode()
    answer = _post(url, body, key=idempotency_key, attempt=attempt)
    fields.update(status=answer.status, error=answer.error)
    if answer.status is not None and 200 <= answer.status < 300:
        with transaction.atomic():
            _record(evaluation_id, "delivered", fields)
        return "delivered"
    retryable = answer.status is None or answer.status >= 500 or answer.status in RETRYABLE_STATUSES
    if retryable and attempt < int(setting("ZWFW_NATIONAL_EVALUATION_MAX_ATTEMPTS", 6)):
        delay = float(setting("ZWFW_NATIONAL_EVALUATION_BACKOFF_SECONDS", 30)) * 2 ** (attempt - 1)
        run_after = timezone.now() + datetime.timedelta(seconds=delay)
        with transaction.atomic():
            _record(
                evaluation_id,
                "attempt",
                {**fields, "outcome": "retry", "next_attempt_at": run_after.isoformat()},
            )
            retry = push_rating.using(run_after=run_after) if delay > 0 else push_rating
            retry.enqueue(evaluation_id=evaluation_id, idempotency_key=idempotency_key, attempt=attempt + 1)
        return "retrying"
    _record(evaluation_id, "failed", fields)
    return "failed"
