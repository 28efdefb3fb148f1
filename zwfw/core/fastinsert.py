"""Small inserts on hot paths without the ORM's query compiler.

``insert_rows`` writes new rows exactly as ``Model.save()`` / ``bulk_create`` would (defaults,
``auto_now_add``, ``pre_save`` of every field, the database's own value adaptation) and sets the
new primary keys, but builds the SQL once per model and row count instead of on every call:
on the intake path the compiler cost more CPU than the database spent on the rows. Like
``save()`` it sends ``pre_save`` and ``post_save``; a model that overrides ``save()`` is
written with its ``save()``, so nothing a save would do is ever skipped.

Several groups (each new rows of one model) may go in one call: on PostgreSQL they travel as
one statement (data-modifying ``WITH``), one round trip instead of one per table; elsewhere
they run one after the other. A row may refer to another row of the same call only by a key
set before the call (the database checks such references at COMMIT, as Django declares them
deferrable).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import signals


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


def _prepared(
    objs: Sequence[models.Model], fields: Sequence[models.Field[Any, Any]], wrapper: BaseDatabaseWrapper
) -> list[Any]:
    params: list[Any] = []
    for obj in objs:
        for field in fields:
            params.append(field.get_db_prep_save(field.pre_save(obj, True), connection=wrapper))
    return params


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
        sql, fields = _insert_sql(wrapper.alias, model, with_pk, len(objs))
        statements.append((sql, _prepared(objs, fields, wrapper)))
    with wrapper.cursor() as cursor:
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
        """Announce the written row as ``enqueue()`` does (the ``task_enqueued`` signal)."""
        from django_tasks_db.compat import task_enqueued

        task_enqueued.send(type(self._backend), task_result=self.row.task_result)  # type: ignore[attr-defined]


def task_row(task: Any, *args: Any, **kwargs: Any) -> QueuedTask | None:
    """``task.enqueue(*args, **kwargs)`` without the write, for the database backend (None for
    any other backend: call ``enqueue`` then). Mirrors ``DatabaseBackend.enqueue`` of
    django-tasks-db field by field; ``zwfw/core/tests/test_fastinsert.py`` checks that a row made
    here and one made by ``enqueue`` are the same."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.compat import normalize_json
    from django_tasks_db.models import DBTaskResult

    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return None
    backend.validate_task(task)
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
