"""Uploads are judged by content: sound PDFs, images and OFD pass; everything else is refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from zwfw.cases.tests.factories import PDF, png
from zwfw.core.errors import ValidationFailed
from zwfw.core.uploads import check_upload


def _ofd(extra: dict[str, bytes] | None = None, *, with_root: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        if with_root:
            package.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


def _code(data: bytes, **kwargs) -> str:
    with pytest.raises(ValidationFailed) as err:
        check_upload(data, **kwargs)
    return err.value.code


def test_sound_files_pass_and_are_named_by_their_content():
    assert check_upload(PDF, name="申请书.exe").safe_name == "申请书.pdf"
    assert check_upload(png(), name="photo.pdf").content_type == "image/png"
    assert check_upload(_ofd(), name="licence.ofd").content_type == "application/ofd"


def test_renamed_executables_scripts_and_pages_are_refused():
    assert _code(b"MZ\x90\x00" + b"\x00" * 100, name="申请书.pdf") == "upload.type_refused"
    assert _code(b"\x7fELF\x02\x01\x01" + b"\x00" * 100, name="a.png") == "upload.type_refused"
    assert _code(b"#!/bin/sh\nrm -rf /\n", name="a.jpg") == "upload.type_refused"
    assert _code(b"<html><script>alert(1)</script></html>", name="a.pdf") == "upload.type_refused"
    assert _code(b"just some text", name="a.pdf") == "upload.type_unknown"


def test_corrupt_files_are_refused():
    assert _code(PDF[: len(PDF) // 2], name="cut.pdf") == "upload.corrupt"
    assert _code(png()[:30], name="cut.png") == "upload.corrupt"
    assert _code(b"\xff\xd8\xff\xe0" + b"\x00" * 50, name="x.jpg") == "upload.corrupt"
    assert _code(_ofd({"Doc_0/Document.xml": b"<x/>"}, with_root=False)) == "upload.corrupt"
    assert _code(b"PK\x03\x04garbage") == "upload.corrupt"


def test_zip_bombs_and_path_traversal_inside_ofd_are_refused():
    assert _code(_ofd({"Doc_0/big.bin": b"\x00" * (5 * 1024 * 1024)})) == "upload.zip_bomb"
    assert _code(_ofd({"../../etc/passwd": b"x"})) == "upload.path_traversal"


def test_polyglots_empty_and_oversized_files_are_refused():
    assert _code(b"\x89PNG\r\n\x1a\n" + b"%PDF-1.4" + png()[16:]) in {"upload.corrupt", "upload.polyglot"}
    assert _code(PDF.replace(b"\n", b"\nPK\x03\x04", 1)) == "upload.polyglot"
    assert _code(b"") == "upload.empty"
    assert _code(PDF, max_bytes=10) == "upload.too_large"


def test_file_names_lose_their_directories():
    assert check_upload(PDF, name="../../etc/passwd").safe_name == "passwd.pdf"
    assert check_upload(PDF, name="C:\\Users\\x\\申请书.pdf").safe_name == "申请书.pdf"
