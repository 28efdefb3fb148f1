"""Background tasks of the catalog: delivering each publication to the national platform.

``enqueue_national_push`` is called by ``hooks.implementation_published`` inside the publishing
transaction: the task row is written by the database task backend in that same transaction, so
a rolled-back publication never leaves a push behind and a committed one is never lost.

``push_implementation`` makes one delivery attempt per run: it POSTs the payload (national-style
summary + the CPSV-AP JSON-LD) with an ``Idempotency-Key`` header that is the same for every
attempt at the same version and kind. django-tasks has no automatic retry, so a network error,
a timeout, 408, 429 or a 5xx re-enqueues the task with ``run_after`` = now + backoff
(base × 2^(attempt−1)) until ``ZWFW_NATIONAL_PUSH_MAX_ATTEMPTS``; other 4xx answers fail at once.
Every attempt and the outcome (delivered / failed / skipped / duplicate) are written to the
ledger under ``national_push:<implementation id>``. Settings (all optional):

- ``ZWFW_NATIONAL_PLATFORM_URL``: the endpoint; empty disables pushing (the task records "skipped");
- ``ZWFW_NATIONAL_PLATFORM_TOKEN``: sent as ``Authorization: Bearer …`` when set;
- ``ZWFW_NATIONAL_PLATFORM_TIMEOUT`` (seconds, default 10);
- ``ZWFW_NATIONAL_PUSH_MAX_ATTEMPTS`` (default 6) and ``ZWFW_NATIONAL_PUSH_BACKOFF_SECONDS`` (default 30);
- ``ZWFW_PUBLIC_BASE_URL``: the public site address used for IRIs and guide links in the payload.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from zwfw.catalog.content import ImplementationContent
from zwfw.catalog.cpsv import implementation_jsonld
from zwfw.catalog.guide import guide_url, guide_version_url
from zwfw.catalog.models import Implementation, ImplementationStatus, ImplementationVersion
from zwfw.core.http import HttpAnswer, is_http_url, post_json
from zwfw.core.ledger import audit_record
from zwfw.core.models import AuditEvent

PUSH_OBJECT_TYPE = "national_push"
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ATTEMPTS = 6
DEFAULT_BACKOFF_SECONDS = 30.0
DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
RETRYABLE_STATUSES = frozenset({408, 425, 429})


def idempotency_key(*, implementation_code: str, version_number: int | None, kind: str) -> str:
    """The key the platform deduplicates on: one per implementation version and adjustment kind."""
    body = f"zwfw-national-push|{implementation_code}|{version_number or 0}|{kind}"
    return hashlib.sha256(body.encode()).hexdigest()


def enqueue_national_push(
    *, implementation: Implementation, version: ImplementationVersion | None, kind: str
) -> None:
    """Enqueue, in the caller's transaction, the push of this publication to the national platform."""
    key = idempotency_key(
        implementation_code=implementation.code,
        version_number=version.number if version else None,
        kind=kind,
    )
    result = push_implementation.enqueue(
        implementation_id=implementation.pk,
        version_id=version.pk if version else None,
        kind=kind,
        idempotency_key=key,
        attempt=1,
    )
    audit_record(
        actor=None,
        object_type=PUSH_OBJECT_TYPE,
        object_id=implementation.pk,
        action="enqueued",
        payload={
            "idempotency_key": key,
            "kind": kind,
            "version": version.number if version else None,
            "task": str(result.id),
        },
    )


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def push_payload(
    *, implementation: Implementation, version: ImplementationVersion, kind: str, key: str
) -> dict[str, Any]:
    """The JSON body: national-style summary fields and the CPSV-AP JSON-LD of the version."""
    base = str(_setting("ZWFW_PUBLIC_BASE_URL", DEFAULT_PUBLIC_BASE_URL) or DEFAULT_PUBLIC_BASE_URL).rstrip(
        "/"
    )
    content = ImplementationContent.model_validate(version.content)
    uniform = version.uniform or {}
    item = implementation.item
    cancelled = implementation.status == ImplementationStatus.CANCELLED or kind == "cancel"
    summary = {
        "implementation_code": implementation.code,
        "base_code": uniform.get("base_code", item.base_code),
        "name": uniform.get("name", item.name),
        "item_type": uniform.get("item_type", item.item_type),
        "competent_department": uniform.get("competent_department", item.competent_department),
        "legal_basis": uniform.get("legal_basis", item.legal_basis),
        "agency_name": implementation.agency.name,
        "agency_code": implementation.agency.uscc,
        "region_code": implementation.region.code,
        "region_name": implementation.region.name,
        "subject_nature": content.subject_nature,
        "service_objects": list(content.service_objects),
        "handling_kind": content.handling_kind,
        "statutory_limit": content.statutory_limit,
        "statutory_limit_unit": content.statutory_limit_unit,
        "promised_limit": content.promised_limit,
        "promised_limit_unit": content.promised_limit_unit,
        "charged": content.charged,
        "visits_required": content.visits_required,
        "online_depth": content.online_depth,
        "online_url_pc": content.online_url_pc,
        "online_url_mobile": content.online_url_mobile,
        "cross_region_scope": content.cross_region_scope,
        "material_count": len(content.materials),
        "status": "cancelled" if cancelled else "published",
        "version": version.number,
        "published_at": version.published_at.isoformat(),
        "content_hash": version.content_hash,
        "guide_url": base + guide_url(implementation),
        "guide_version_url": base + guide_version_url(version),
    }
    return {
        "idempotency_key": key,
        "kind": kind,
        "summary": summary,
        "jsonld": implementation_jsonld(version, base_url=base),
    }


def _post(url: str, body: bytes, *, key: str, attempt: int) -> HttpAnswer:
    """One POST to the national platform (``zwfw.core.http.post_json``)."""
    return post_json(
        url,
        body,
        key=key,
        token=str(_setting("ZWFW_NATIONAL_PLATFORM_TOKEN", "") or ""),
        timeout=float(_setting("ZWFW_NATIONAL_PLATFORM_TIMEOUT", DEFAULT_TIMEOUT)),
        user_agent="zwfw-national-push/1",
        attempt=attempt,
    )


def _record(implementation_id: int, action: str, payload: dict[str, Any]) -> None:
    audit_record(
        actor=None, object_type=PUSH_OBJECT_TYPE, object_id=implementation_id, action=action, payload=payload
    )


def _already_delivered(implementation_id: int, key: str) -> bool:
    return AuditEvent.objects.filter(
        chain=f"{PUSH_OBJECT_TYPE}:{implementation_id}", action="delivered", payload__idempotency_key=key
    ).exists()


@task()
def push_implementation(
    *, implementation_id: int, version_id: int | None, kind: str, idempotency_key: str, attempt: int = 1
) -> str:
    """Deliver one publication to the national platform (one attempt; retries are re-enqueued)."""
    key = idempotency_key
    base_fields = {"idempotency_key": key, "kind": kind, "attempt": attempt}
    url = str(_setting("ZWFW_NATIONAL_PLATFORM_URL", "") or "")
    if not url:
        _record(implementation_id, "skipped", {**base_fields, "reason": "no_endpoint"})
        return "skipped"
    if not is_http_url(url):
        _record(implementation_id, "failed", {**base_fields, "reason": "bad_endpoint"})
        return "failed"
    if _already_delivered(implementation_id, key):
        _record(implementation_id, "duplicate", base_fields)
        return "duplicate"
    implementation = Implementation.objects.select_related("item", "agency", "region").get(
        pk=implementation_id
    )
    version_qs = ImplementationVersion.objects.filter(implementation=implementation)
    version = (
        version_qs.filter(pk=version_id).first() if version_id else version_qs.order_by("-number").first()
    )
    if version is None:
        _record(implementation_id, "skipped", {**base_fields, "reason": "no_version"})
        return "skipped"
    version.implementation = implementation
    payload = push_payload(implementation=implementation, version=version, kind=kind, key=key)
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()

    answer = _post(url, body, key=key, attempt=attempt)
    attempt_fields = {
        **base_fields,
        "version": version.number,
        "status": answer.status,
        "error": answer.error,
    }
    if answer.status is not None and 200 <= answer.status < 300:
        with transaction.atomic():
            _record(implementation_id, "attempt", {**attempt_fields, "outcome": "delivered"})
            _record(
                implementation_id,
                "delivered",
                {**base_fields, "version": version.number, "status": answer.status},
            )
        return "delivered"

    retryable = answer.status is None or answer.status >= 500 or answer.status in RETRYABLE_STATUSES
    max_attempts = int(_setting("ZWFW_NATIONAL_PUSH_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
    if retryable and attempt < max_attempts:
        delay = float(_setting("ZWFW_NATIONAL_PUSH_BACKOFF_SECONDS", DEFAULT_BACKOFF_SECONDS)) * 2 ** (
            attempt - 1
        )
        run_after = timezone.now() + datetime.timedelta(seconds=delay)
        with transaction.atomic():
            _record(
                implementation_id,
                "attempt",
                {**attempt_fields, "outcome": "retry", "next_attempt_at": run_after.isoformat()},
            )
            retry = push_implementation.using(run_after=run_after) if delay > 0 else push_implementation
            retry.enqueue(
                implementation_id=implementation_id,
                version_id=version_id,
                kind=kind,
                idempotency_key=key,
                attempt=attempt + 1,
            )
        return "retrying"
    with transaction.atomic():
        _record(implementation_id, "attempt", {**attempt_fields, "outcome": "failed"})
        _record(
            implementation_id,
            "failed",
            {**base_fields, "version": version.number, "status": answer.status, "error": answer.error},
        )
    return "failed"
