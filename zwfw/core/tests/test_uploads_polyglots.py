"""Polyglots and active content the first checks missed: a zip appended to a PDF or an image,
a web page in an image's first kilobyte, scripts in a PDF, unsafe names inside an OFD."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zwfw.cases.tests.factories import PDF, png
from zwfw.core.errors import ValidationFailed
from zwfw.core.uploads import check_upload, read_capped


def _zip(name: str = "payload.html", data: bytes = b"<script>alert(1)</script>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(name, data)
    return buffer.getvalue()


def _code(data: bytes, **kwargs) -> str:
    with pytest.raises(ValidationFailed) as err:
        check_upload(data, **kwargs)
    return err.value.code


def _pdf_with(body: bytes) -> bytes:
    """The factory PDF with ``body`` inserted as an extra object before the xref."""
    return PDF.replace(b"xref\n", body + b"\nxref\n", 1)


def test_a_zip_appended_to_a_pdf_is_a_polyglot():
    # A zip reader finds the archive from the end; the PDF checks pass (%%EOF is still near the end).
    assert _code(PDF + _zip(), name="申请书.pdf") == "upload.polyglot"


def test_a_zip_appended_to_an_image_is_a_polyglot():
    assert _code(png() + _zip(), name="photo.png") == "upload.polyglot"


def test_an_image_whose_first_kilobyte_reads_as_a_web_page_is_a_polyglot():
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<html><script>alert(document.cookie)</script></html>")
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, format="PNG", pnginfo=info)
    assert _code(buffer.getvalue(), name="photo.png") == "upload.polyglot"


@pytest.mark.parametrize(
    "body",
    [
        b"3 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj",
        b"3 0 obj<</S/Launch/F(cmd.exe)>>endobj",
        b"3 0 obj<</S/J#61vaScript/J#53(app.alert(1))>>endobj",  # names spelled with #xx escapes
        # A "stream" in comments around the action: a reader still runs it.
        b"%>>stream\n5 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n%endstream",
        # An object that claims to be a stream of the action's length, inside a string.
        b"6 0 obj(\n9 0 obj<</Length 60>>stream\n) 5 0 obj<</S/JavaScript/JS(x)>>endobj endstream",
    ],
)
def test_a_pdf_with_scripts_or_launch_actions_is_refused(body):
    assert _code(_pdf_with(body), name="申请书.pdf") == "upload.active_content"


def test_a_plain_pdf_with_an_ordinary_object_still_passes():
    assert (
        check_upload(_pdf_with(b"3 0 obj<</Type/Font/BaseFont/JSong>>endobj")).content_type
        == "application/pdf"
    )


def test_a_scanned_pdf_whose_image_bytes_spell_js_still_passes():
    """Compressed image data holds "/JS" by chance; only dictionaries can hold an action."""
    scan = b"4 0 obj<</Type/XObject/Subtype/Image/Filter/FlateDecode/Length 24>>stream\nx\x9c/JS /J#53 \x00\xffabcdef\nendstream\nendobj"
    assert check_upload(_pdf_with(scan)).content_type == "application/pdf"
    hidden = b"5 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj"  # an action beside a stream still counts
    assert _code(_pdf_with(scan + b"\n" + hidden)) == "upload.active_content"


def test_ofd_entries_with_drive_letters_are_unsafe():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
        package.writestr("C:/Windows/evil.dll", b"x")
    assert _code(buffer.getvalue(), name="licence.ofd") == "upload.path_traversal"


def test_read_capped_reads_one_byte_past_the_limit_at_most(settings):
    settings.ZWFW_UPLOAD_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.pdf", b"x" * 10_000)
    data = read_capped(upload)
    assert len(data) == 101
    assert _code(data) == "upload.too_large"
