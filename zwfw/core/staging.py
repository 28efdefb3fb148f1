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
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from zwfw.core.durable import sync_started
from zwfw.core.models import StagedFile

logger = logging.getLogger(__name__)


def staged_content(name: str) -> bytes | None:
    """The bytes of a file still staged under ``name`` (None: not staged, or flushed already)."""
    row = StagedFile.objects.filter(name=name).values_list("content", flat=True).first()
    return None if row is None else bytes(row)


@deconstructible(path="zwfw.core.staging.StagedStorage")
class StagedStorage(Storage):
    """The default storage, plus files still staged in the database (read, sized, deleted as if
    they were already stored). New files saved through it go straight to the default storage."""

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        # The row first: while it exists it is the file (a file of that name on disk may be
        # someone else's, left by a clash the flush refused to overwrite).
        content = staged_content(name)
        if content is None:  # flushed (or missing: the storage's own error)
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
        content = staged_content(name)
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
    """Create ``path`` with ``content``, complete and on disk before the name appears: written to
    a temporary file beside it, fsynced, then linked under the name (which fails if the name is
    taken). A file already there must hold the same bytes (a flush that died after linking);
    with other bytes it is someone else's and is never overwritten.

    A crash leaves at most a ``.part`` file behind, never a short file under the real name."""
    if os.path.exists(path):
        _same_or_taken(path, content)
        return
    temporary = f"{path}.{secrets.token_hex(4)}.part"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        try:
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view) :]
            if mode is not None:
                os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temporary, path)
        except FileExistsError:
            _same_or_taken(path, content)
    finally:
        os.unlink(temporary)


def _same_or_taken(path: str, content: bytes) -> None:
    with open(path, "rb") as existing:
        if existing.read() != content:
            raise FileExistsError(f"{path} exists with other content")


def staged_flush(
    *,
    names: Iterable[str] | None = None,
    limit: int = 200,
    failed: list[str] | None = None,
) -> int:
    """Write staged files (these ``names``, else the oldest ``limit``) to the default storage,
    durably, then delete their rows; returns how many were flushed.

    Rows are taken with ``SKIP LOCKED``, so concurrent flushes share the work, and their content
    is read one file at a time. A file whose name is taken by other content is left staged,
    logged and added to ``failed``: it is still served from its row.
    """
    with transaction.atomic():
        rows = StagedFile.objects.select_for_update(skip_locked=True).order_by("created_at")
        if names is not None:
            rows = rows.filter(name__in=list(names))
        batch = list(rows.values_list("name", flat=True)[:limit])
        if not batch:
            return 0
        try:
            root = default_storage.path("")
        except NotImplementedError:  # object storage: a saved object is durable when save returns
            root = None
        done: list[str] = []
        paths: list[str] = []
        for name in batch:
            content = staged_content(name) or b""
            try:
                if root is None:
                    _save_object(name, content)
                else:
                    path = default_storage.path(name)
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    _write_exclusive(path, content, default_storage.file_permissions_mode)  # type: ignore[attr-defined]
                    paths.append(path)
            except FileExistsError:
                logger.error("staged file %s not flushed: its name is taken", name)
                if failed is not None:
                    failed.append(name)
                continue
            done.append(name)
        if paths and root is not None:
            sync_started(paths, root=root, new_directories=True).wait()
        StagedFile.objects.filter(name__in=done).delete()
    return len(done)


def _save_object(name: str, content: bytes) -> None:
    """Store ``content`` under exactly ``name`` in an object storage; an object already there
    must hold the same bytes (a flush that died after saving)."""
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as existing:
            if existing.read() != content:
                raise FileExistsError(f"{name} exists with other content")
        return
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:
        default_storage.delete(saved)
        raise FileExistsError(f"{name} was stored as {saved}")


def staged_flush_all() -> tuple[int, list[str]]:
    """Flush every file staged before this call, batch after batch (the safety net for a task
    queue that was down); returns how many were flushed and the names that could not be (their
    names are taken by other content). Files staged meanwhile are left to their own queued
    flush; a batch of refused names never stops the files behind it."""
    started = timezone.now()
    total = 0
    failed: list[str] = []
    while True:
        refused = len(failed)
        names = list(
            StagedFile.objects.filter(created_at__lte=started)
            .exclude(name__in=failed)
            .order_by("created_at")
            .values_list("name", flat=True)[:200]
        )
        if not names:
            return total, failed
        flushed = staged_flush(names=names, failed=failed)
        total += flushed
        if not flushed and len(failed) == refused:
            return total, failed  # the rest is locked by a flush running right now


def staged_backlog() -> int:
    """How many files wait to be flushed (for monitoring)."""
    return StagedFile.objects.count()
