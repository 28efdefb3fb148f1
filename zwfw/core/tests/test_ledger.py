"""The audit ledger: append-only in the database, and any tampering is found and named."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction

from zwfw.core import ledger_triggers
from zwfw.core.ledger import GENESIS, audit_record, event_hash, ledger_checkpoint, ledger_verify
from zwfw.core.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db


def _events(object_id: str = "1", n: int = 4) -> list[AuditEvent]:
    return [
        audit_record(actor=None, object_type="case", object_id=object_id, action=f"step{i}", payload={"i": i})
        for i in range(n)
    ]


def _raw(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def _problems() -> list[str]:
    return [str(p) for p in ledger_verify()]


def test_events_are_chained_per_object_and_verify():
    a = _events("1", 3)
    b = _events("2", 2)
    assert [e.seq for e in a] == [1, 2, 3]
    assert a[0].prev_hash == GENESIS and a[1].prev_hash == a[0].hash and a[2].prev_hash == a[1].hash
    assert b[0].prev_hash == GENESIS  # another object starts its own chain
    assert AuditChainHead.objects.get(chain="case:1").seq == 3
    assert _problems() == []
    call_command("ledger_verify")


def test_payload_round_trips_through_the_database_unchanged():
    event = audit_record(
        actor=None,
        object_type="case",
        object_id=9,
        action="x",
        payload={"名称": "户口", "n": 1.5, "nested": {"b": [1, 2]}, "when": None},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert event_hash(stored) == stored.hash


@pytest.mark.parametrize(
    "statement", ["UPDATE core_auditevent SET action = 'forged'", "DELETE FROM core_auditevent"]
)
def test_database_refuses_update_and_delete(statement):
    _events()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        _raw(statement)
    assert AuditEvent.objects.filter(action="forged").count() == 0
    assert AuditEvent.objects.count() == 4


def test_chain_heads_cannot_be_deleted_or_moved_back():
    _events()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        _raw("DELETE FROM core_auditchainhead")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        _raw("UPDATE core_auditchainhead SET seq = 1")


def test_altered_row_is_named():
    events = _events()
    ledger_triggers.remove(connection)
    _raw("UPDATE core_auditevent SET payload = %s WHERE id = %s", ['{"i": 99}', events[1].pk])
    problems = list(ledger_verify())
    assert problems and problems[0].event_id == events[1].pk
    assert "altered" in problems[0].reason
    with pytest.raises(CommandError, match=f"row id={events[1].pk}"):
        call_command("ledger_verify")


def test_deleted_middle_row_is_found_at_the_next_row():
    events = _events()
    ledger_triggers.remove(connection)
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    problems = list(ledger_verify())
    assert problems[0].event_id == events[2].pk
    assert "missing" in problems[0].reason


def test_deleted_tail_row_is_found_through_the_chain_head():
    events = _events()
    ledger_triggers.remove(connection)
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[-1].pk])
    problems = list(ledger_verify())
    assert problems and problems[0].event_id == events[-2].pk
    assert "head records seq 4" in problems[0].reason


def test_inserted_row_is_found():
    events = _events()
    ledger_triggers.remove(connection)
    forged = AuditEvent(
        chain="case:1",
        seq=5,
        prev_hash=events[-1].hash,
        occurred_at=events[-1].occurred_at,
        object_type="case",
        object_id="1",
        action="approved",
        payload={},
    )
    forged.hash = event_hash(forged)  # the intruder knows the algorithm
    forged.save(force_insert=True)
    problems = list(ledger_verify())
    assert any(p.event_id == forged.pk for p in problems)


def test_inserted_chain_without_head_is_found():
    _events()
    forged = AuditEvent(
        chain="case:77",
        seq=1,
        prev_hash=GENESIS,
        occurred_at=AuditEvent.objects.first().occurred_at,
        object_type="case",
        object_id="77",
        action="approved",
        payload={},
    )
    forged.hash = event_hash(forged)
    forged.save(force_insert=True)
    problems = list(ledger_verify())
    assert [p.event_id for p in problems] == [forged.pk]


def test_removed_whole_chain_is_found_by_the_checkpoint():
    _events("1")
    _events("2")
    checkpoint = ledger_checkpoint()
    assert checkpoint is not None and len(checkpoint.heads) == 2
    assert ledger_checkpoint() is None  # nothing moved since
    ledger_triggers.remove(connection)
    _raw("DELETE FROM core_auditevent WHERE chain = 'case:2'")
    _raw("DELETE FROM core_auditchainhead WHERE chain = 'case:2'")
    problems = _problems()
    assert any("case:2" in p and "checkpoint" in p for p in problems)


def test_checkpoints_chain_and_verify_after_more_events():
    _events("1", 2)
    first = ledger_checkpoint()
    _events("1", 1)
    second = ledger_checkpoint()
    assert first is not None and second is not None
    assert second.prev_hash == first.hash
    assert second.heads == [["case:1", 3, AuditChainHead.objects.get(chain="case:1").hash]]
    assert _problems() == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_to_one_chain_stay_contiguous():
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        from django.db import connections

        try:
            for i in range(10):
                with transaction.atomic():
                    audit_record(actor=None, object_type="case", object_id="hot", action=f"w{n}-{i}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = sorted(AuditEvent.objects.filter(chain="case:hot").values_list("seq", flat=True))
    assert seqs == list(range(1, 61))
    assert _problems() == []
