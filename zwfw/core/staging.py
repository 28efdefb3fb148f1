"""Uploaded files staged in the database until written to file storage.

Online intake must not acknowledge a submission before its files are safe: a file the database
names has to survive a power cut as much as the case that names it. Writing each file and
forcing it to disk (``fsync`` of the file and its directory) on the request path cost more CPU
than the rest of the submission's database work. Instead the submission's files go into
``StagedFile`` rows in the same statement as the case, so the one COMMIT the case needs anyway
makes them durable too (PostgreSQL's write-ahead log, shared by concurrent commits), and no file
is ever written for a submission that did not commit.

Afterwards ``staged_flush`` (a task queued by the same statement, and ``manage.py staged_flush``)
writes each staged file to the default storage under the name its material already carries,
forces it to disk, and only then deletes the row. Until that happens, ``StagedStorage`` (the
materials' storage) serves the content from the row, so nobody can tell the difference. A flush
that dies half-way is simply run again: a file already written with the same content is kept.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterable
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.utils.deconstruct import deconstructible

from zwfw.core.durable import sync_started
from zwfw.core.models import StagedFile

logger = logging.getLogger(__name__)


def _staged(name: str) -> bytes | None:
    row = StagedFile.objects.filter(name=name).values_list("content", flat=True).first()
    return None if row is None else bytes(row)


@deconstructible(path="zwfw.core.staging.StagedStorage")
class StagedStorage(Storage):
    """The default storage, plus files still staged in the database (read, sized, deleted as if
    they were already stored). New files saved through it go straight to the default storage."""

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        if default_storage.exists(name):
            return default_storage.open(name, mode)
        content = _staged(name)
        if content is None:  # flushed meanwhile (or missing: the storage's own error)
            return default_storage.open(name, mode)
        return File(io.BytesIO(content), name=name)

    def _save(self, name: str, content: Any) -> str:
        return str(default_storage._save(name, content))  # type: ignore[attr-defined]

    def exists(self, name: str) -> bool:
        return bool(default_storage.exists(name)) or StagedFile.objects.filter(name=name).exists()

    def delete(self, name: str) -> None:
        StagedFile.objects.filter(name=name).delete()
        default_storage.delete(name)

    def size(self, name: str) -> int:
        if default_storage.exists(name):
            return int(default_storage.size(name))
        content = _staged(name)
        return len(content) if content is not None else int(default_storage.size(name))

    def path(self, name: str) -> str:
        return str(default_storage.path(name))

    def url(self, name: str | None) -> str:
        return str(default_storage.url(name))

    def get_valid_name(self, name: str) -> str:
        return str(default_storage.get_valid_name(name))

    def generate_filename(self, filename: str | os.PathLike[str]) -> str:
        return str(default_storage.generate_filename(filename))

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return default_storage.listdir(path)


_storage = StagedStorage()


def staged_storage() -> StagedStorage:
    """The storage of case materials (a callable, so migrations do not record its settings)."""
    return _storage


def _write_exclusive(path: str, content: bytes, mode: int | None) -> None:
    """Create ``path`` with ``content``; a file already there (a flush that died after writing)
    must hold the same bytes."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except FileExistsError:
        with open(path, "rb") as existing:
            if existing.read() != content:
                raise FileExistsError(f"{path} exists with other content") from None
        return
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view) :]
        if mode is not None:
            os.fchmod(fd, mode)
    finally:
        os.close(fd)


def staged_flush(*, names: Iterable[str] | None = None, limit: int = 200) -> int:
    """Write staged files (these ``names``, else the oldest ``limit``) to the default storage,
    durably, then delete their rows; returns how many were flushed.

    Rows are taken with ``SKIP LOCKED``, so concurrent flushes share the work. A file whose name
    is taken by other content is left staged (and logged): it is still served from its row.
    """
    with transaction.atomic():
        rows = StagedFile.objects.select_for_update(skip_locked=True).order_by("created_at")
        if names is not None:
            rows = rows.filter(name__in=list(names))
        batch = list(rows[:limit])
        if not batch:
            return 0
        try:
            root = default_storage.path("")
        except NotImplementedError:  # object storage: a saved object is durable when save returns
            root = None
        done: list[str] = []
        paths: list[str] = []
        for row in batch:
            content = bytes(row.content)
            try:
                if root is None:
                    if not default_storage.exists(row.name):
                        saved = default_storage.save(row.name, ContentFile(content))
                        if saved != row.name:
                            default_storage.delete(saved)
                            raise FileExistsError(f"{row.name} was stored as {saved}")
                else:
                    path = default_storage.path(row.name)
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    _write_exclusive(path, content, default_storage.file_permissions_mode)  # type: ignore[attr-defined]
                    paths.append(path)
            except FileExistsError:
                logger.error("staged file %s not flushed: its name is taken", row.name)
                continue
            done.append(row.name)
        if paths and root is not None:
            sync_started(paths, root=root, new_directories=True).wait()
        StagedFile.objects.filter(name__in=done).delete()
    return len(done)


def staged_backlog() -> int:
    """How many files wait to be flushed (for monitoring)."""
    return StagedFile.objects.count()
