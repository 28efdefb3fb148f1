"""The audit ledger: append-only events chained by hash, per object, with global checkpoints.

Design (see docs/architecture.md, "Audit ledger"):
- every object has its own chain (``<object_type>:<object_id>``); appending locks only that
  chain's head row, so writes to different objects never wait for each other;
- ``AuditChainHead`` holds each chain's latest seq and hash, so cutting a chain's tail is seen;
- ``ledger_checkpoint`` periodically records, chained by hash, every head that moved since the
  previous checkpoint, so deleting a whole chain (head included) is seen too;
- the database refuses UPDATE and DELETE on the event table (see ``ledger_triggers``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from zwfw.core import request_context
from zwfw.core.fastinsert import insert_rows
from zwfw.core.models import AuditChainHead, AuditCheckpoint, AuditEvent

GENESIS = "0" * 64


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)


def _normalise_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    """The payload exactly as it reads back from a JSON column."""
    return json.loads(_canonical(payload or {}))


def event_hash(event: AuditEvent) -> str:
    """The hash of one event's content and its link to the previous event of its chain."""
    body = [
        event.chain,
        event.seq,
        event.prev_hash,
        event.occurred_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        event.actor_id,
        event.actor_label,
        event.source_ip,
        event.request_id,
        event.object_type,
        str(event.object_id),
        event.action,
        event.payload,
    ]
    return hashlib.sha256(_canonical(body).encode()).hexdigest()


def checkpoint_hash(*, prev_hash: str, created_at_iso: str, heads: list[list[Any]]) -> str:
    """The hash of one checkpoint: its predecessor, its time and the heads it records."""
    return hashlib.sha256(_canonical([prev_hash, created_at_iso, heads]).encode()).hexdigest()


def _new_event(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    chain: str,
    head: AuditChainHead,
    object_type: str,
    object_id: object,
    action: str,
    payload: dict[str, Any] | None,
    source_ip: str | None,
) -> AuditEvent:
    """The next event of a chain, linked to ``head`` and hashed (not yet written)."""
    ctx = request_context.current()
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_label = actor.get_username() if actor_id is not None and actor is not None else ""
    event = AuditEvent(
        chain=chain,
        seq=head.seq + 1,
        prev_hash=head.hash,
        occurred_at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label,
        source_ip=source_ip or ctx.source_ip,
        request_id=ctx.request_id,
        object_type=object_type,
        object_id=str(object_id),
        action=action,
        payload=_normalise_payload(payload),
    )
    event.hash = event_hash(event)
    return event


def audit_first_rows(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    object_type: str,
    object_id: object,
    action: str,
    payload: dict[str, Any] | None = None,
    source_ip: str | None = None,
) -> tuple[AuditEvent, AuditChainHead]:
    """The first event of an object created in the caller's transaction, and its chain head.

    Nothing is written: the caller inserts both rows in that transaction, together with its own
    (``zwfw.core.fastinsert.insert_rows(rows, [event], [head])``: one round trip on PostgreSQL).
    A fresh primary key cannot have a chain yet, so there is no head to lock; should one exist
    after all, the head's primary key refuses the insert and the transaction fails.
    """
    chain = f"{object_type}:{object_id}"
    event = _new_event(
        actor=actor,
        chain=chain,
        head=AuditChainHead(chain=chain, seq=0, hash=GENESIS),
        object_type=object_type,
        object_id=object_id,
        action=action,
        payload=payload,
        source_ip=source_ip,
    )
    return event, AuditChainHead(chain=chain, seq=event.seq, hash=event.hash)


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    object_type: str,
    object_id: object,
    action: str,
    payload: dict[str, Any] | None = None,
    source_ip: str | None = None,
    new_object: bool = False,
) -> AuditEvent:
    """Append one event to the object's chain (call inside the service's transaction).

    ``new_object=True`` is for the first event of an object created in the same transaction
    (a fresh primary key cannot have a chain yet): it skips the head lookup and writes the event
    and its head in one statement on PostgreSQL (see ``audit_first_rows``).
    """
    if new_object:
        event, first_head = audit_first_rows(
            actor=actor,
            object_type=object_type,
            object_id=object_id,
            action=action,
            payload=payload,
            source_ip=source_ip,
        )
        with transaction.atomic(savepoint=False):
            insert_rows([event], [first_head])
        return event
    chain = f"{object_type}:{object_id}"
    with transaction.atomic(savepoint=False):
        head = _lock_head(chain)
        event = _new_event(
            actor=actor,
            chain=chain,
            head=head,
            object_type=object_type,
            object_id=object_id,
            action=action,
            payload=payload,
            source_ip=source_ip,
        )
        event.save(force_insert=True)
        AuditChainHead.objects.filter(chain=chain).update(seq=event.seq, hash=event.hash, checkpoint_id=None)
    return event


def _lock_head(chain: str) -> AuditChainHead:
    """Lock the chain's head row; a new chain gets a seq-0 head first (racing writers retry)."""
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(chain=chain, seq=0, hash=GENESIS)
    except IntegrityError:
        pass  # another writer started the chain first; lock theirs
    return AuditChainHead.objects.select_for_update().get(chain=chain)


def ledger_checkpoint() -> AuditCheckpoint | None:
    """Record every chain head that moved since the last checkpoint (None when nothing moved)."""
    with transaction.atomic():
        last = AuditCheckpoint.objects.select_for_update().order_by("-id").first()
        pending = list(
            AuditChainHead.objects.select_for_update()
            .filter(checkpoint_id__isnull=True, seq__gt=0)
            .order_by("chain")
            .values_list("chain", "seq", "hash")
        )
        if not pending:
            return None
        heads = [[c, s, h] for c, s, h in pending]
        created_at = timezone.now()
        prev = last.hash if last else GENESIS
        cp = AuditCheckpoint(created_at=created_at, prev_hash=prev, heads=heads)
        cp.hash = checkpoint_hash(
            prev_hash=prev,
            created_at_iso=created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            heads=heads,
        )
        cp.save(force_insert=True)
        AuditChainHead.objects.filter(chain__in=[c for c, _s, _h in pending]).update(checkpoint_id=cp.pk)
    return cp


@dataclass(frozen=True)
class LedgerProblem:
    """One broken link found by verification."""

    event_id: int | None
    chain: str
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"row id={self.event_id}" if self.event_id is not None else "no row"
        return f"{where} chain={self.chain} seq={self.seq}: {self.reason}"


def ledger_verify(*, batch_size: int = 5000) -> Iterator[LedgerProblem]:
    """Yield every problem in the ledger, in chain order; nothing yielded means intact."""
    tails: dict[str, tuple[int, str, int]] = {}
    chain: str | None = None
    expect_seq = 1
    expect_prev = GENESIS
    queryset = AuditEvent.objects.order_by("chain", "seq").iterator(chunk_size=batch_size)
    for event in queryset:
        if event.chain != chain:
            chain, expect_seq, expect_prev = event.chain, 1, GENESIS
        if event.chain != f"{event.object_type}:{event.object_id}":
            yield LedgerProblem(event.pk, event.chain, event.seq, "row's object does not match its chain")
        if event.seq != expect_seq:
            reason = "a row before this one is missing" if event.seq > expect_seq else "sequence repeats"
            yield LedgerProblem(event.pk, event.chain, event.seq, f"{reason} (expected seq {expect_seq})")
        if event.prev_hash != expect_prev:
            yield LedgerProblem(event.pk, event.chain, event.seq, "link to the previous row is broken")
        if event_hash(event) != event.hash:
            yield LedgerProblem(event.pk, event.chain, event.seq, "content was altered (hash mismatch)")
        expect_seq, expect_prev = event.seq + 1, event.hash
        tails[event.chain] = (event.seq, event.hash, event.pk)

    heads = {h.chain: h for h in AuditChainHead.objects.filter(seq__gt=0)}
    for name, head in heads.items():
        tail = tails.get(name)
        if tail is None:
            yield LedgerProblem(None, name, head.seq, "every row of this chain was removed")
        elif tail[0] != head.seq or tail[1] != head.hash:
            yield LedgerProblem(
                tail[2], name, tail[0], f"chain ends here but its head records seq {head.seq}"
            )
    for name, (seq, _hash, pk) in tails.items():
        if name not in heads:
            yield LedgerProblem(pk, name, seq, "chain has no head record (rows inserted outside the ledger)")

    yield from _verify_checkpoints()


def _verify_checkpoints() -> Iterator[LedgerProblem]:
    prev = GENESIS
    for cp in AuditCheckpoint.objects.order_by("id").iterator():
        created = cp.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
        if (
            cp.prev_hash != prev
            or checkpoint_hash(prev_hash=prev, created_at_iso=created, heads=cp.heads) != cp.hash
        ):
            yield LedgerProblem(None, f"checkpoint:{cp.pk}", None, "checkpoint was altered or removed")
        prev = cp.hash
        recorded = {(c, s): h for c, s, h in cp.heads}
        found = {
            (e.chain, e.seq): e.hash
            for e in AuditEvent.objects.filter(chain__in={c for c, _s in recorded}).only(
                "chain", "seq", "hash"
            )
            if (e.chain, e.seq) in recorded
        }
        for key, expected in recorded.items():
            actual = found.get(key)
            if actual is None:
                yield LedgerProblem(None, key[0], key[1], f"row recorded by checkpoint #{cp.pk} is missing")
            elif actual != expected:
                yield LedgerProblem(None, key[0], key[1], f"row differs from checkpoint #{cp.pk}")
