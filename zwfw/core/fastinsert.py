"""Small inserts on hot paths without the ORM's query compiler.

``insert_rows`` writes new rows exactly as ``Model.save()`` / ``bulk_create`` would (defaults,
``auto_now_add``, ``pre_save`` of every field, the database's own value adaptation) and sets the
new primary keys, but builds the SQL once per model and row count instead of on every call:
on the intake path the compiler cost more CPU than the database spent on the rows. Like
``save()`` it sends ``pre_save`` and ``post_save``; a model that overrides ``save()`` is
written with its ``save()``, so nothing a save would do is ever skipped.

Several groups (each new rows of one model) may go in one call: on PostgreSQL they travel as
one statement (data-modifying ``WITH``), one round trip instead of one per table; elsewhere
they run one after the other.

On PostgreSQL each group's rows travel as one JSON parameter (``jsonb_populate_recordset``)
rather than one parameter per value: the statement text is then the same for any number of
rows, short, and cached by the driver, where a statement with a placeholder per value was
parsed again on every call and each value quoted on its own (on the intake path that cost
more CPU than the database spent inserting). Values the JSON form cannot carry exactly (none of
the column types the platform uses) fall back to ``VALUES``. A row may refer to another row of the same call only by a key
set before the call (the database checks such references at COMMIT, as Django declares them
deferrable).
"""

from __future__ import annotations

import datetime
import decimal
import functools
import ipaddress
import json
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import signals
from psycopg.types.json import Json, Jsonb

from zwfw.core.prepared import prepared_cursor

# Per column: attribute, column, the value type read straight (None: the field's save path),
# whether None is allowed (``_json_plan``).
_Plan = tuple[tuple[str, str, type | None, bool], ...]


def _columns(model: type[models.Model], with_pk: bool) -> list[models.Field[Any, Any]]:
    meta = model._meta
    auto_pk = isinstance(meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField)
    return [f for f in meta.concrete_fields if with_pk or not (auto_pk and f is meta.pk)]


@functools.lru_cache(maxsize=256)
def _insert_sql(
    alias: str, model: type[models.Model], with_pk: bool, rows: int
) -> tuple[str, tuple[models.Field[Any, Any], ...]]:
    """``INSERT … VALUES (…), (…) RETURNING pk`` for ``rows`` rows of ``model``, and its columns."""
    quote = connections[alias].ops.quote_name
    meta = model._meta
    fields = tuple(_columns(model, with_pk))
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join([one] * rows)
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    sql = f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {pk}"  # noqa: S608 # nosec B608
    return sql, fields


@functools.lru_cache(maxsize=256)
def _insert_json_sql(
    alias: str, model: type[models.Model], with_pk: bool
) -> tuple[str, tuple[models.Field[Any, Any], ...], _Plan | None]:
    """``INSERT … SELECT … FROM jsonb_populate_recordset(…) RETURNING pk`` for any number of rows
    of ``model`` given as one JSON array of objects, its fields, and how to read their values
    (``_json_plan``: made once here, with the statement, not on every insert).

    The rows go in the array's order (``WITH ORDINALITY``), so the keys come back in that order.
    """
    quote = connections[alias].ops.quote_name
    meta = model._meta
    fields = tuple(_columns(model, with_pk))
    columns = ", ".join(quote(f.column) for f in fields)
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM "  # noqa: S608 # nosec B608
        f"jsonb_populate_recordset(NULL::{table}, %s::jsonb) WITH ORDINALITY ORDER BY ordinality "
        f"RETURNING {pk}"
    )
    return sql, fields, _json_plan(fields)


class _NotJson(Exception):
    """A value the JSON form of a row cannot carry exactly."""


def _json_default(value: Any) -> Any:
    """JSON for a prepared value the encoder does not know, as PostgreSQL reads it back into the
    column's type exactly as it would read the bound parameter."""
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | ipaddress.IPv4Address | ipaddress.IPv6Address):
        return str(value)
    if isinstance(value, Json | Jsonb):  # a JSONField's value
        dumps = value.dumps
        if dumps is None or dumps is json.dumps:
            return value.obj
        return json.loads(dumps(value.obj))  # the field's own encoder
    raise _NotJson  # bytes, and anything else: the group goes as VALUES


# Field classes whose save path (``pre_save`` then ``get_db_prep_save``) gives a value of exactly
# this Python type (or None) back unchanged, but for a wrapper that only tells the driver the
# integer's width: the JSON form of the row is the same. Exact classes only: a subclass may
# convert. Reading such values straight from the instance saves most of the per-value cost.
_UNCHANGED: dict[type, type] = {
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.PositiveIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.BigIntegerField: int,
    models.AutoField: int,
    models.BigAutoField: int,
}


# Field classes whose save path gives None back for None (a nullable column left empty).
_NONE_UNCHANGED = frozenset(
    {
        models.DateField,
        models.DateTimeField,
        models.TimeField,
        models.DecimalField,
        models.UUIDField,
        models.GenericIPAddressField,
    }
)


def _json_plan(fields: tuple[models.Field[Any, Any], ...]) -> _Plan | None:
    """For each field: its attribute, its column, the value type its save path returns unchanged
    (None: run the save path) and whether None is allowed. None for rows JSON cannot carry
    (binary columns)."""
    if any(isinstance(field, models.BinaryField) for field in fields):
        return None
    plan = []
    for field in fields:
        target = field.target_field if type(field) is models.ForeignKey else field
        unchanged = _UNCHANGED.get(type(target))
        # Only None is read straight; a date is still converted by its field. Not for a field
        # that sets its own value on insert (auto_now, auto_now_add).
        sets_own = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        if unchanged is None and type(field) in _NONE_UNCHANGED and field.null and not sets_own:
            unchanged = type(None)
        plan.append((field.attname, field.column, unchanged, field.null))
    return tuple(plan)


def _json_rows(
    objs: Sequence[models.Model],
    fields: tuple[models.Field[Any, Any], ...],
    plan: _Plan,
    wrapper: BaseDatabaseWrapper,
) -> str:
    """The rows as one JSON array of objects, column name to the value ``save()`` would write."""
    rows = []
    for obj in objs:
        values = obj.__dict__
        row = {}
        for (attname, column, unchanged, null), field in zip(plan, fields, strict=True):
            value = values.get(attname, _ABSENT)
            if unchanged is not None and (type(value) is unchanged or (value is None and null)):
                row[column] = value
            else:
                row[column] = field.get_db_prep_save(field.pre_save(obj, True), connection=wrapper)
        rows.append(row)
    try:
        return json.dumps(
            rows, default=_json_default, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
    except ValueError:  # NaN or an infinity: not JSON
        raise _NotJson from None


_ABSENT = object()


def _prepared(
    objs: Sequence[models.Model], fields: Sequence[models.Field[Any, Any]], wrapper: BaseDatabaseWrapper
) -> list[Any]:
    params: list[Any] = []
    for obj in objs:
        for field in fields:
            params.append(field.get_db_prep_save(field.pre_save(obj, True), connection=wrapper))
    return params


def _statement(
    wrapper: BaseDatabaseWrapper, objs: Sequence[models.Model], with_pk: bool
) -> tuple[str, list[Any]]:
    """The INSERT of one group and its parameters: one JSON parameter on PostgreSQL, one
    parameter per value elsewhere (or for a value JSON cannot carry: the values are then read
    again, running each field's ``pre_save`` a second time, which for every field Django has
    gives the same value or, for ``auto_now``, a later timestamp)."""
    model = type(objs[0])
    if wrapper.vendor == "postgresql":
        json_sql, fields, plan = _insert_json_sql(wrapper.alias, model, with_pk)
        if plan is not None:
            try:
                return json_sql, [_json_rows(objs, fields, plan, wrapper)]
            except _NotJson:
                pass
    sql, fields = _insert_sql(wrapper.alias, model, with_pk, len(objs))
    return sql, _prepared(objs, fields, wrapper)


def _plain(model: type[models.Model]) -> bool:
    """Whether a new row of ``model`` is saved by Django's own ``save()`` (not overridden)."""
    return model.save is models.Model.save and model.save_base is models.Model.save_base


def insert_rows(*groups: Sequence[models.Model]) -> None:
    """Insert every group of new rows (one model per group) and set their primary keys.

    A row whose primary key is set (a natural key, or one drawn beforehand) keeps it. As
    ``save()`` does, ``pre_save`` is sent for each row before its values are read and
    ``post_save`` (``created=True``) after the insert, inside the caller's transaction.
    """
    groups = tuple(g for g in groups if g)
    if not groups:
        return
    if not all(_plain(type(g[0])) for g in groups):
        for objs in groups:
            if _plain(type(objs[0])):
                insert_rows(objs)
            else:
                for obj in objs:
                    obj.save(force_insert=True)
        return
    wrapper = connections[router.db_for_write(type(groups[0][0]))]
    quote = wrapper.ops.quote_name
    for objs in groups:
        model = type(objs[0])
        if not model._meta.auto_created and signals.pre_save.has_listeners(model):
            for obj in objs:
                signals.pre_save.send(
                    sender=model, instance=obj, raw=False, using=wrapper.alias, update_fields=None
                )
    statements: list[tuple[str, list[Any]]] = []
    for objs in groups:
        model = type(objs[0])
        with_pk = all(o.pk is not None for o in objs)
        if not with_pk and any(o.pk is not None for o in objs):
            raise ValueError("insert_rows: either every row of a group has its primary key or none has")
        statements.append(_statement(wrapper, objs, with_pk))
    # The statements' text depends only on the models (and, for a group that could not travel
    # as JSON, its row count), so the server may keep them prepared.
    with prepared_cursor(wrapper.alias) as cursor:
        if wrapper.vendor == "postgresql" and len(statements) > 1:
            ctes = ", ".join(f"g{i} AS ({sql})" for i, (sql, _p) in enumerate(statements))
            # The keys come back in insertion order, as bulk_create relies on too.
            columns = [quote(type(g[0])._meta.pk.column) for g in groups]
            pks = ", ".join(f"(SELECT array_agg({c}) FROM g{i})" for i, c in enumerate(columns))  # noqa: S608 - quoted column names  # nosec B608
            cursor.execute(f"WITH {ctes} SELECT {pks}", [p for _s, params in statements for p in params])
            keys = list(cursor.fetchone())
        else:
            keys = []
            for sql, params in statements:
                cursor.execute(sql, params)
                keys.append([pk for (pk,) in cursor.fetchall()])
    for objs, new_keys in zip(groups, keys, strict=True):
        for obj, pk in zip(objs, new_keys, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = wrapper.alias
    for objs in groups:
        model = type(objs[0])
        if not model._meta.auto_created and signals.post_save.has_listeners(model):
            for obj in objs:
                signals.post_save.send(
                    sender=model,
                    instance=obj,
                    created=True,
                    update_fields=None,
                    raw=False,
                    using=wrapper.alias,
                )


class QueuedTask:
    """A task's row for the database task backend, made as ``enqueue()`` makes it but not yet
    written: insert ``row`` with ``insert_rows`` in the caller's transaction (the queue is then
    an outbox: the task exists exactly when the transaction commits), then call ``enqueued()``.
    """

    def __init__(self, backend: Any, row: models.Model) -> None:
        self._backend = backend
        self.row = row

    def enqueued(self) -> None:
        """Announce the written row as ``enqueue()`` does (the ``task_enqueued`` signal).

        Building the announced result costs more than writing the row; when the only receiver
        is the task library's own debug log line and that logger would drop it, nothing is sent
        (what any receiver would see is unchanged)."""
        from django_tasks_db.compat import task_enqueued

        if not _announce_needed(task_enqueued, type(self._backend)):
            return
        task_enqueued.send(type(self._backend), task_result=self.row.task_result)  # type: ignore[attr-defined]


def _announce_needed(signal: Any, sender: type) -> bool:
    """Whether sending ``task_enqueued`` from ``sender`` would do anything: a receiver besides
    django-tasks' own logging, or that logging enabled at DEBUG."""
    import logging

    from django_tasks import signals as library

    sync, asynchronous = signal._live_receivers(sender)
    others = [r for r in [*sync, *asynchronous] if r is not library.log_task_enqueued]
    return bool(others) or library.logger.isEnabledFor(logging.DEBUG)


def _validated(backend: Any, task: Any) -> None:
    """``backend.validate_task(task)``, once per backend and task (a task is immutable: one with
    other options is another object)."""
    key = (id(backend), id(task))
    if key not in _VALID_TASKS:
        backend.validate_task(task)
        _VALID_TASKS[key] = (backend, task)  # kept alive so that the ids stay theirs


_VALID_TASKS: dict[tuple[int, int], tuple[Any, Any]] = {}


def task_rows_possible(task: Any) -> bool:
    """Whether ``task_row`` can make ``task``'s row (its backend is the database backend)."""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def task_row(task: Any, *args: Any, **kwargs: Any) -> QueuedTask | None:
    """``task.enqueue(*args, **kwargs)`` without the write, for the database backend (None for
    any other backend: call ``enqueue`` then). Mirrors ``DatabaseBackend.enqueue`` of
    django-tasks-db field by field; ``zwfw/core/tests/test_fastinsert.py`` checks that a row made
    here and one made by ``enqueue`` are the same."""
    from django_tasks_db.compat import normalize_json
    from django_tasks_db.models import DBTaskResult

    if not task_rows_possible(task):
        return None
    backend = task.get_backend()
    _validated(backend, task)
    row: models.Model = DBTaskResult(
        id=backend._get_id(),
        args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        run_after=task.run_after,
        backend_name=backend.alias,
    )
    return QueuedTask(backend, row)
