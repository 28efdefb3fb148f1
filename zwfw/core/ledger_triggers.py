"""Database triggers that make the ledger append-only, for SQLite and PostgreSQL.

Installed by a migration. ``remove`` exists only for tests that must tamper with the ledger
the way an intruder with raw database access would, and for SQLite test flushes.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

_SQLITE_INSTALL = [
    """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit ledger is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_delete BEFORE DELETE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit ledger is append-only: DELETE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS core_auditcheckpoint_no_update BEFORE UPDATE ON core_auditcheckpoint
       BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS core_auditcheckpoint_no_delete BEFORE DELETE ON core_auditcheckpoint
       BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only: DELETE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS core_auditchainhead_no_delete BEFORE DELETE ON core_auditchainhead
       BEGIN SELECT RAISE(ABORT, 'audit chain heads cannot be deleted'); END""",
    """CREATE TRIGGER IF NOT EXISTS core_auditchainhead_forward_only BEFORE UPDATE ON core_auditchainhead
       WHEN NEW.seq < OLD.seq OR NEW.chain <> OLD.chain
       BEGIN SELECT RAISE(ABORT, 'audit chain heads only move forward'); END""",
]
_SQLITE_NAMES = [
    "core_auditevent_no_update",
    "core_auditevent_no_delete",
    "core_auditcheckpoint_no_update",
    "core_auditcheckpoint_no_delete",
    "core_auditchainhead_no_delete",
    "core_auditchainhead_forward_only",
]

_PG_INSTALL = [
    """CREATE OR REPLACE FUNCTION zwfw_ledger_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit ledger is append-only: % refused on %', TG_OP, TG_TABLE_NAME; END;
       $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION zwfw_ledger_head_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'audit chain heads cannot be deleted'; END IF;
         IF NEW.seq < OLD.seq OR NEW.chain <> OLD.chain THEN
           RAISE EXCEPTION 'audit chain heads only move forward';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
    """CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
       FOR EACH ROW EXECUTE FUNCTION zwfw_ledger_refuse()""",
    "DROP TRIGGER IF EXISTS core_auditcheckpoint_append_only ON core_auditcheckpoint",
    """CREATE TRIGGER core_auditcheckpoint_append_only BEFORE UPDATE OR DELETE ON core_auditcheckpoint
       FOR EACH ROW EXECUTE FUNCTION zwfw_ledger_refuse()""",
    "DROP TRIGGER IF EXISTS core_auditchainhead_guard ON core_auditchainhead",
    """CREATE TRIGGER core_auditchainhead_guard BEFORE UPDATE OR DELETE ON core_auditchainhead
       FOR EACH ROW EXECUTE FUNCTION zwfw_ledger_head_guard()""",
]
_PG_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
    "DROP TRIGGER IF EXISTS core_auditcheckpoint_append_only ON core_auditcheckpoint",
    "DROP TRIGGER IF EXISTS core_auditchainhead_guard ON core_auditchainhead",
]


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the append-only triggers (idempotent)."""
    statements = _PG_INSTALL if connection.vendor == "postgresql" else _SQLITE_INSTALL
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def remove(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers (tests only: simulating an intruder, or flushing a SQLite test DB)."""
    if connection.vendor == "postgresql":
        statements = _PG_REMOVE
    else:
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_NAMES]
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
