"""Staged upload files: served from the database until flushed, flushed durably and exactly once,
and a flush that died half-way is simply run again."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from zwfw.core import durable
from zwfw.core.fastinsert import insert_rows
from zwfw.core.models import StagedFile
from zwfw.core.staging import staged_backlog, staged_flush, staged_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _stage(name: str, content: bytes) -> None:
    insert_rows([StagedFile(name=name, content=content)])


def test_a_staged_file_reads_as_a_stored_one_until_and_after_it_is_flushed(media):
    storage = staged_storage()
    _stage("cases/2026/11/a-application.pdf", b"%PDF-1.4 staged")
    assert storage.exists("cases/2026/11/a-application.pdf")
    assert storage.size("cases/2026/11/a-application.pdf") == 15
    with storage.open("cases/2026/11/a-application.pdf") as handle:
        assert handle.read() == b"%PDF-1.4 staged"
    assert not (media / "cases/2026/11/a-application.pdf").exists()

    assert staged_flush() == 1
    assert (media / "cases/2026/11/a-application.pdf").read_bytes() == b"%PDF-1.4 staged"
    assert staged_backlog() == 0
    with storage.open("cases/2026/11/a-application.pdf") as handle:
        assert handle.read() == b"%PDF-1.4 staged"
    assert not storage.exists("cases/2026/11/missing.pdf")
    with pytest.raises(FileNotFoundError):
        storage.open("cases/2026/11/missing.pdf")


def test_the_flush_syncs_every_file_and_new_directory_before_deleting_the_rows(media, monkeypatch):
    from zwfw.core import staging

    synced: list[str] = []
    backlog_when_synced: list[int] = []
    real_fsync, real_started = durable._fsync, staging.sync_started

    def fsync(path: str) -> None:
        real_fsync(path)
        synced.append(path)

    class Watched:
        def __init__(self, syncing: durable.Syncing) -> None:
            self.syncing = syncing

        def wait(self) -> None:
            self.syncing.wait()
            backlog_when_synced.append(StagedFile.objects.count())

    monkeypatch.setattr(durable, "_fsync", fsync)
    monkeypatch.setattr(staging, "sync_started", lambda *a, **k: Watched(real_started(*a, **k)))
    _stage("cases/2027/01/b-licence.pdf", b"one")
    _stage("cases/2027/01/c-plan.png", b"two")
    assert staged_flush() == 2
    assert {str(media / "cases/2027/01/b-licence.pdf"), str(media / "cases/2027/01/c-plan.png")} <= set(
        synced
    )
    # The month's new directory, and the new year's directory that holds it.
    assert {str(media / "cases/2027/01"), str(media / "cases/2027")} <= set(synced)
    assert backlog_when_synced == [2]  # the rows were kept until everything was on disk
    assert staged_backlog() == 0


def test_a_flush_that_died_after_writing_is_run_again_safely(media):
    _stage("cases/2026/11/d-application.pdf", b"same bytes")
    path = media / "cases/2026/11/d-application.pdf"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"same bytes")  # written, then the worker died before deleting the row
    assert staged_flush() == 1
    assert path.read_bytes() == b"same bytes" and staged_backlog() == 0


def test_a_name_taken_by_other_content_is_never_overwritten_and_stays_served(media, caplog):
    _stage("cases/2026/11/e-application.pdf", b"the applicant's file")
    path = media / "cases/2026/11/e-application.pdf"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"something else")
    _stage("cases/2026/11/f-licence.pdf", b"another")
    assert staged_flush() == 1  # the other file still goes
    assert path.read_bytes() == b"something else"
    assert list(StagedFile.objects.values_list("name", flat=True)) == ["cases/2026/11/e-application.pdf"]
    assert "its name is taken" in caplog.text
    # Served from its row, not from the other file that holds its name.
    with staged_storage().open("cases/2026/11/e-application.pdf") as served:
        assert served.read() == b"the applicant's file"
    assert staged_storage().size("cases/2026/11/e-application.pdf") == len(b"the applicant's file")


def test_a_flush_killed_while_writing_leaves_no_short_file_under_the_name(media, monkeypatch):
    _stage("cases/2026/11/k-application.pdf", b"x" * 5000)
    path = media / "cases/2026/11/k-application.pdf"

    def power_cut(fd: int) -> None:
        raise OSError("power cut")

    monkeypatch.setattr("zwfw.core.staging.os.fsync", power_cut)
    with pytest.raises(OSError):
        staged_flush()
    assert not path.exists() and staged_backlog() == 1  # the name never held a partial file
    monkeypatch.undo()
    assert staged_flush() == 1 and path.read_bytes() == b"x" * 5000
    assert [p.name for p in path.parent.iterdir()] == ["k-application.pdf"]  # no .part left


def test_on_object_storage_an_object_with_other_content_is_never_overwritten(media, monkeypatch):
    from django.core.files.storage import InMemoryStorage

    class ObjectStorage:
        """Object storage as S3 is to the flush: no local paths."""

        def __init__(self) -> None:
            self.inner = InMemoryStorage()
            self.exists, self.open = self.inner.exists, self.inner.open
            self.save, self.delete = self.inner.save, self.inner.delete

        def path(self, name: str) -> str:
            raise NotImplementedError("no local paths")

    objects = ObjectStorage()
    monkeypatch.setattr("zwfw.core.staging.default_storage", objects)
    objects.save("cases/2026/11/m-a.pdf", ContentFile(b"someone else's"))
    _stage("cases/2026/11/m-a.pdf", b"mine")
    _stage("cases/2026/11/n-b.pdf", b"flushed")
    refused: list[str] = []
    assert staged_flush(failed=refused) == 1
    assert refused == ["cases/2026/11/m-a.pdf"]
    assert objects.open("cases/2026/11/m-a.pdf").read() == b"someone else's"
    assert objects.open("cases/2026/11/n-b.pdf").read() == b"flushed"


def test_only_the_named_files_are_flushed_and_deleting_a_staged_file_removes_it(media):
    _stage("cases/2026/11/g-a.pdf", b"g")
    _stage("cases/2026/11/h-b.pdf", b"h")
    assert staged_flush(names=["cases/2026/11/h-b.pdf"]) == 1
    assert list(StagedFile.objects.values_list("name", flat=True)) == ["cases/2026/11/g-a.pdf"]
    staged_storage().delete("cases/2026/11/g-a.pdf")
    assert staged_backlog() == 0 and not staged_storage().exists("cases/2026/11/g-a.pdf")


def test_new_files_saved_through_the_storage_go_straight_to_disk_under_a_free_name(media):
    storage = staged_storage()
    _stage("cases/2026/11/i.pdf", b"staged")
    name = storage.save("cases/2026/11/i.pdf", ContentFile(b"direct"))
    assert name != "cases/2026/11/i.pdf"  # the staged name counts as taken
    assert (media / name).read_bytes() == b"direct"


def test_the_command_flushes_everything_and_says_so(media, capsys):
    for i in range(3):
        _stage(f"cases/2026/11/j{i}.pdf", bytes([i]) * 10)
    call_command("staged_flush")
    assert "flushed 3 staged files; 0 left" in capsys.readouterr().out
    assert sorted(
        hashlib.sha256((media / f"cases/2026/11/j{i}.pdf").read_bytes()).hexdigest() for i in range(3)
    ) == sorted(hashlib.sha256(bytes([i]) * 10).hexdigest() for i in range(3))


def test_the_command_flushes_past_refused_names_and_fails_naming_them(media, capsys):
    """More refused names than one batch holds: the files behind them still go, and the
    command exits 1 naming exactly the refused ones (not files staged while it runs)."""
    for i in range(201):
        name = f"cases/2026/11/p{i:03d}.pdf"
        (media / "cases/2026/11").mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(b"taken")
        _stage(name, b"mine")
    _stage("cases/2026/11/q-last.pdf", b"last")
    with pytest.raises(SystemExit) as exit_:
        call_command("staged_flush")
    assert exit_.value.code == 1
    out = capsys.readouterr()
    assert "flushed 1 staged files; 201 left" in out.out
    assert "cases/2026/11/p000.pdf" in out.err
    assert (media / "cases/2026/11/q-last.pdf").read_bytes() == b"last"
