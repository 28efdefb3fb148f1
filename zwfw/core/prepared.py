"""Statements PostgreSQL parses and plans once per connection, for the hot paths.

Django sends every statement with its values written into the text (client-side binding), so
the server parses and plans each one anew. For the few statements intake runs on every
submission that planning cost more than running them (measured with pg_stat_statements: about
0.1 ms each for the intake read and the case insert, against 0.04 and 0.2 ms of execution).
``prepared_cursor()`` gives a cursor that sends the values separately and asks the server to
keep the statement prepared on the connection; Django's cursor wrapper still translates errors,
runs execute wrappers and logs queries as for any other cursor.

Prepared statements live on a server connection. Behind PgBouncer in transaction mode they need
PgBouncer 1.21 or later with ``max_prepared_statements`` set; otherwise turn them off with
``ZWFW_DB_PREPARED_STATEMENTS=false`` (docs/operations.md). Other databases get a plain cursor.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.utils import CursorWrapper


def _cursor_class() -> type:
    from django.db.backends.postgresql.base import ServerBindingCursor  # type: ignore[attr-defined]

    class PreparingCursor(ServerBindingCursor):
        """A server-binding psycopg cursor whose every statement is prepared on first use."""

        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            kwargs["prepare"] = True
            return super().execute(query, params, **kwargs)

    return PreparingCursor


_preparing: type | None = None
_EXPLICIT_ONLY = 2**31


def prepared_cursor(alias: str = "default") -> CursorWrapper:
    """A cursor on ``alias`` whose statements the server keeps prepared (PostgreSQL, when
    ``ZWFW_DB_PREPARED_STATEMENTS`` is on); any other database: ``connection.cursor()``.

    Only for statements with placeholders for every value (``%s``), never for text that varies:
    each distinct text becomes one prepared statement on the connection.
    """
    global _preparing
    wrapper = connections[alias]
    if wrapper.vendor != "postgresql" or not settings.ZWFW_DB_PREPARED_STATEMENTS:
        return wrapper.cursor()
    if _preparing is None:
        _preparing = _cursor_class()
    wrapper.close_if_health_check_failed()
    wrapper.ensure_connection()
    raw = wrapper.connection
    if raw.prepare_threshold is None:
        # Django turns psycopg's preparing off (None), which also refuses an explicit request.
        # Django's own cursors bind on the client and are never prepared whatever this says;
        # this threshold is never reached, so only this module's statements are prepared.
        raw.prepare_threshold = _EXPLICIT_ONLY
    with wrapper.wrap_database_errors:
        return wrapper._prepare_cursor(_preparing(raw))  # type: ignore[attr-defined]
