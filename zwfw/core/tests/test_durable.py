"""``sync_started``: every file and the directories holding their names are forced to disk,
and a failure is reported to the caller before it commits anything naming the files."""

from __future__ import annotations

import os

import pytest

from zwfw.core import durable


@pytest.fixture
def synced(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = durable._fsync

    def record(path: str) -> None:
        real(path)
        calls.append(path)

    monkeypatch.setattr(durable, "_fsync", record)
    return calls


def _write(path, data: bytes = b"%PDF-1.4") -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path)


def test_files_and_their_directory_are_synced(tmp_path, synced):
    files = [_write(tmp_path / "cases" / "2025" / "11" / f"{i}.pdf") for i in range(3)]
    durable.sync_started(files, root=str(tmp_path)).wait()
    assert sorted(synced) == sorted([*files, str(tmp_path / "cases" / "2025" / "11")])


def test_new_directories_are_synced_up_to_the_root(tmp_path, synced):
    file = _write(tmp_path / "cases" / "2025" / "12" / "a.pdf")
    durable.sync_started([file], root=str(tmp_path), new_directories=True).wait()
    expected = [file, *(str(tmp_path / p) for p in ("cases/2025/12", "cases/2025", "cases", ""))]
    assert sorted(os.path.normpath(p) for p in synced) == sorted(os.path.normpath(p) for p in expected)


def test_a_file_that_cannot_be_synced_is_reported(tmp_path):
    missing = str(tmp_path / "gone.pdf")
    with pytest.raises(OSError):
        durable.sync_started([missing], root=str(tmp_path)).wait()
