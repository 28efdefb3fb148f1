"""Large imports in the background, with progress the import page can poll.

Files up to ``ZWFW_IMPORT_SYNC_MAX_ROWS`` rows (default 2,000) are imported within the request.
Larger ones are stored with Django's storage (shared by web and worker nodes) and imported by the
``catalog_import_task`` django-tasks task. We may not add a model, and the default cache is per
process, so progress lives on the task's own result row: while the task runs, its
``return_value`` column holds ``{"progress": {"stage", "done", "total"}}``; the final result
replaces it. The writes inside the import's transaction come from a second connection on
PostgreSQL (so they are seen at once); on SQLite, where that would wait for the import's write
lock, the page shows the stage reached before the transaction ("writing") until the end.
"""

from __future__ import annotations

import json
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils.translation import gettext as _
from django_tasks import TaskContext, TaskResultStatus, default_task_backend, task
from django_tasks.exceptions import TaskResultDoesNotExist

from zwfw.catalog.excel import layout, reader
from zwfw.catalog.excel.service import _file_problem, catalog_import, require_importer
from zwfw.core.errors import DomainError, NotFound
from zwfw.identity.models import User
from zwfw.identity.selectors import Actor

STORAGE_FOLDER = "catalog-imports"
DEFAULT_SYNC_MAX_ROWS = 2000
# Where each stage starts and ends on the page's progress bar (percent).
STAGES = {"read": (0, 30), "validate": (30, 55), "write": (55, 92), "ledger": (92, 100)}


def sync_max_rows() -> int:
    """Rows up to which the page imports within the request (``ZWFW_IMPORT_SYNC_MAX_ROWS``)."""
    return int(getattr(settings, "ZWFW_IMPORT_SYNC_MAX_ROWS", DEFAULT_SYNC_MAX_ROWS))


def estimate_rows(data: bytes) -> int | None:
    """Rows of the 实施清单 sheet, counted cheaply (row end tags); None if the file is unreadable."""
    try:
        book = reader.open_workbook(data)
    except reader.FileRefused:
        return None
    try:
        part = book.sheets.get(layout.MAIN_SHEET)
        if part is None:
            return None
        count, tail = 0, b""
        with book.archive.open(part) as source:
            while chunk := source.read(1 << 20):
                window = tail + chunk
                count += window.count(b"row>") - tail.count(b"row>")
                tail = window[-8:]
        return max(count - 1, 0)
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        book.close()


class ProgressRecorder:
    """Writes the import's progress onto its task result row, at most twice a second."""

    def __init__(self, result_id: str, expected_rows: int | None = None) -> None:
        from django_tasks_db.models import DBTaskResult

        self.result_id = result_id
        self.expected_rows = expected_rows or 0
        self.table = DBTaskResult._meta.db_table
        self.last = 0.0
        self.stage = ""
        self._side: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        from django_tasks_db.models import DBTaskResult

        now = time.monotonic()
        if stage == "read" and not total:
            total = max(self.expected_rows, done)
        if stage == self.stage and now - self.last < 0.5 and done != total:
            return
        self.stage, self.last = stage, now
        value = {"progress": {"stage": stage, "done": done, "total": total}}
        running = TaskResultStatus.RUNNING.value
        if not connection.in_atomic_block:
            DBTaskResult.objects.filter(id=self.result_id, status=running).update(return_value=value)
        elif connection.vendor == "postgresql":
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            quoted = connection.ops.quote_name(self.table)
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {quoted} SET return_value = %s::jsonb WHERE id = %s AND status = %s",  # noqa: S608  # nosec B608
                    [json.dumps(value), self.result_id, running],
                )

    def close(self) -> None:
        """Close the second connection, if one was opened."""
        if self._side is not None:
            self._side.close()


@task(takes_context=True)
def catalog_import_task(context: TaskContext, *, actor_id: int, name: str, filename: str) -> dict[str, Any]:
    """Import a stored upload as its uploader; the result is the report or the refusal."""
    recorder = ProgressRecorder(str(context.task_result.id))
    try:
        actor = User.objects.get(pk=actor_id)
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
        recorder.expected_rows = estimate_rows(data) or 0
        report = catalog_import(actor=actor, file=data, filename=filename, progress=recorder)
        return {"ok": True, "report": report.as_dict()}
    except DomainError as exc:
        return {"ok": False, "code": exc.code, "message": str(exc.message), "details": exc.details or []}
    finally:
        recorder.close()
        default_storage.delete(name)


def import_enqueue(*, actor: Actor, data: bytes, filename: str) -> str:
    """Store an upload and enqueue its import; returns the task result id to poll."""
    require_importer(actor)
    if len(data) > reader.max_bytes():
        raise _file_problem(reader.FileRefused("excel.too_large", _("The file is too large.")))
    name = default_storage.save(f"{STORAGE_FOLDER}/{uuid.uuid4().hex}.xlsx", ContentFile(data))
    try:
        result = catalog_import_task.enqueue(
            actor_id=getattr(actor, "pk", 0), name=name, filename=filename[:200]
        )
    except Exception:
        default_storage.delete(name)
        raise
    return str(result.id)


@dataclass
class ImportStatus:
    """What the page shows about a background import."""

    id: str
    state: str  # "waiting", "running", "done", "refused", "failed"
    stage: str = ""
    done: int = 0
    total: int = 0
    percent: int = 0
    report: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""

    @property
    def finished(self) -> bool:
        return self.state in ("done", "refused", "failed")

    @property
    def stage_label(self) -> str:
        """What the import is doing, for the progress row."""
        if self.state == "waiting":
            return _("Waiting for a worker to start the import")
        if self.state == "done":
            return _("Finished")
        if self.finished:
            return _("Not imported")
        return {
            "read": _("Reading the file"),
            "validate": _("Checking every row"),
            "write": _("Writing the drafts"),
            "ledger": _("Recording the audit trail"),
        }.get(self.stage, _("Starting"))


def import_status(*, actor: Actor, result_id: str) -> ImportStatus:
    """The status of one of the actor's background imports (another user's is not found)."""
    from django_tasks_db.models import DBTaskResult

    not_found = NotFound("catalog.import_not_found", _("This import does not exist."))
    try:
        result = default_task_backend.get_result(result_id)
    except TaskResultDoesNotExist as exc:
        raise not_found from exc
    if result.task.func is not catalog_import_task.func or result.kwargs.get("actor_id") != getattr(
        actor, "pk", None
    ):
        raise not_found
    status = ImportStatus(id=str(result.id), state="waiting")
    if result.status == TaskResultStatus.SUCCESSFUL:
        value = result.return_value or {}
        if value.get("ok"):
            status.state, status.report, status.percent = "done", value.get("report"), 100
        else:
            status.state, status.percent = "refused", 100
            status.message = value.get("message", "")
            status.errors = list(value.get("details") or [])
    elif result.status == TaskResultStatus.FAILED:
        status.state, status.percent = "failed", 100
        status.message = _("The import stopped because of an internal error; nothing was imported.")
    elif result.status == TaskResultStatus.RUNNING:
        status.state = "running"
        raw = DBTaskResult.objects.filter(id=result.id).values_list("return_value", flat=True).first()
        progress = (raw or {}).get("progress") if isinstance(raw, dict) else None
        if progress:
            status.stage = str(progress.get("stage", ""))
            status.done, status.total = int(progress.get("done", 0)), int(progress.get("total", 0))
            start, end = STAGES.get(status.stage, (0, 0))
            share = status.done / status.total if status.total else 0
            status.percent = int(start + (end - start) * share)
    return status
