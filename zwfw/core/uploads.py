"""Uploaded files are checked by their content, never by their name.

Accepted: PDF, JPEG, PNG and OFD (GB/T 33190, a zip package with ``OFD.xml``). Executables,
scripts, corrupt files, zip bombs and polyglots are refused with a clear error. The size limit
is ``ZWFW_UPLOAD_MAX_BYTES`` (default 20 MB).

Polyglots: a PDF or an image that a zip reader also opens (a zip appended or embedded), or whose
first kilobyte reads as a web page; a PDF that carries scripts or launch actions (best effort:
names inside compressed object streams are not seen).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from zwfw.core.errors import ValidationFailed

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# An OFD package may not expand beyond this, nor compress better than this ratio (zip bombs).
OFD_MAX_UNCOMPRESSED = 200 * 1024 * 1024
OFD_MAX_RATIO = 100
OFD_MAX_ENTRIES = 5000

ALLOWED = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/ofd": ".ofd",
}

_REFUSED_SIGNATURES = (
    (b"MZ", "Windows executable"),
    (b"\x7fELF", "ELF executable"),
    (b"#!", "script"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"<", "HTML or XML"),
)


# Markers a browser's content sniffing would take for a web page (the first kilobyte is checked).
_HTML_MARKERS = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed)\b", re.I)
# PDF actions that run code or programs: a script action needs its type (/S /JavaScript, the
# key of the document's script name tree too), a launch action is /S /Launch. Long names, so
# compressed stream data does not spell them by chance as it spells "/JS" (about one 5 MB scan
# in four did): the whole file is searched, stream bodies included, and nothing is skipped on
# the file's own say-so (a fake "stream" in a comment once hid an action).
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|Launch)(?![A-Za-z0-9])")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the content checks."""

    content: bytes
    content_type: str
    extension: str
    size: int
    sha256: str
    safe_name: str


def _refuse(code: str, message: str, field: str) -> ValidationFailed:
    return ValidationFailed(code, message, [{"field": field, "code": code}])


def safe_filename(name: str, extension: str) -> str:
    """A display name without directories or control characters, ending in the real extension."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(". ")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return (stem[:100] or "file") + extension


def read_capped(upload: object, max_bytes: int | None = None) -> bytes:
    """An uploaded file's bytes, read to one byte past the limit at most: ``check_upload`` then
    refuses an oversized file without the server ever holding all of it in memory."""
    limit: int = max_bytes or int(getattr(settings, "ZWFW_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))
    return bytes(upload.read(limit + 1))  # type: ignore[attr-defined]


def _is_zip(data: bytes) -> bool:
    """A zip reader would open it (it looks for the end-of-directory record near the end)."""
    return zipfile.is_zipfile(io.BytesIO(data))


def _pdf_has_active_content(data: bytes) -> bool:
    """A script or launch action anywhere in the file (compressed object streams are not
    decompressed)."""
    if _PDF_ACTIVE.search(data):
        return True
    if b"#" in data:  # /J#61vaScript is /JavaScript too
        return bool(_PDF_ACTIVE.search(_PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), data)))
    return False


def _check_pdf(data: bytes) -> bool:
    tail = data[-2048:]
    return data.startswith(b"%PDF-") and b"%%EOF" in tail and b"startxref" in data[-4096:]


def _check_image(data: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception:  # noqa: BLE001 - any decoder failure means the file is corrupt
        return False
    return True


def _check_ofd(data: bytes, field: str) -> None:
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _refuse("upload.corrupt", _("The OFD file is damaged and cannot be opened."), field) from None
    infos = package.infolist()
    if len(infos) > OFD_MAX_ENTRIES:
        raise _refuse("upload.zip_bomb", _("The OFD file contains too many parts."), field)
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > OFD_MAX_UNCOMPRESSED or total / packed > OFD_MAX_RATIO:
        raise _refuse(
            "upload.zip_bomb", _("The OFD file expands to an unreasonable size and was refused."), field
        )
    names = {i.filename for i in infos}
    if any(n.startswith("/") or ".." in n.split("/") or "\\" in n or ":" in n for n in names):
        raise _refuse("upload.path_traversal", _("The OFD file contains unsafe paths."), field)
    if "OFD.xml" not in names:
        raise _refuse(
            "upload.corrupt", _("The file is not a valid OFD document (OFD.xml is missing)."), field
        )


def check_upload(
    data: bytes, *, name: str = "", field: str = "file", max_bytes: int | None = None
) -> CheckedUpload:
    """Identify the file by its content and refuse anything that is not a sound PDF, image or OFD."""
    limit: int = max_bytes or int(getattr(settings, "ZWFW_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))
    if not data:
        raise _refuse("upload.empty", _("The file is empty."), field)
    if len(data) > limit:
        raise _refuse(
            "upload.too_large",
            _("The file is larger than %(mb).0f MB.") % {"mb": limit / 1024 / 1024},
            field,
        )
    head = data[:8]
    if data.startswith(b"%PDF-"):
        if not _check_pdf(data):
            raise _refuse("upload.corrupt", _("The PDF file is damaged or incomplete."), field)
        if b"PK\x03\x04" in data[:1024] or b"MZ\x90\x00" in data[:1024]:  # a zip: checked below
            raise _refuse("upload.polyglot", _("The file mixes several formats and was refused."), field)
        if _pdf_has_active_content(data):
            raise _refuse(
                "upload.active_content",
                _(
                    "The PDF contains scripts or actions and was refused. Please save or scan it as a plain PDF."
                ),
                field,
            )
        content_type = "application/pdf"
    elif head.startswith(b"\xff\xd8\xff"):
        if not _check_image(data):
            raise _refuse("upload.corrupt", _("The image is damaged."), field)
        content_type = "image/jpeg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        if not _check_image(data):
            raise _refuse("upload.corrupt", _("The image is damaged."), field)
        content_type = "image/png"
    elif head.startswith(b"PK\x03\x04"):
        _check_ofd(data, field)
        content_type = "application/ofd"
    else:
        for signature, _label in _REFUSED_SIGNATURES:
            if data.startswith(signature):
                raise _refuse(
                    "upload.type_refused",
                    _(
                        "Programs and web pages cannot be uploaded. Please upload a PDF, JPG, PNG or OFD file."
                    ),
                    field,
                )
        raise _refuse(
            "upload.type_unknown",
            _("This file type is not accepted. Please upload a PDF, JPG, PNG or OFD file."),
            field,
        )
    if content_type != "application/pdf" and b"%PDF-" in data[:1024]:
        raise _refuse("upload.polyglot", _("The file mixes several formats and was refused."), field)
    if content_type != "application/ofd" and (_HTML_MARKERS.search(data[:1024]) or _is_zip(data)):
        raise _refuse("upload.polyglot", _("The file mixes several formats and was refused."), field)
    extension = ALLOWED[content_type]
    return CheckedUpload(
        content=data,
        content_type=content_type,
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        safe_name=safe_filename(name, extension),
    )
