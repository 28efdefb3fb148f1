"""PDF rendering of a license (ReportLab, built-in STSong-Light CJK font) with its QR code
(segno, drawn as vector squares), and the watermarked copy a using agency receives."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from zwfw.licenses.models import License

FONT = "STSong-Light"


def verify_url(token: str) -> str:
    """The URL a QR code carries: the public verification page with the signed token."""
    base = str(getattr(settings, "ZWFW_PUBLIC_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return f"{base}/licenses/verify/?t={token}"


def qr_code(token: str) -> segno.QRCode:
    """The QR code of a license token (error correction M, enough for a worn phone screen)."""
    return segno.make(verify_url(token), error="m", boost_error=False)


def qr_svg(token: str) -> str:
    """The QR code as inline SVG markup (no script, no external file)."""
    return str(qr_code(token).svg_inline(scale=3, border=2, title="QR"))


def _font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def license_pdf(lic: License, *, labels: list[tuple[str, str]], watermark: str = "") -> bytes:
    """One A4 page: title, holder, fields, validity, issuer, QR code; with ``watermark`` a
    diagonal, repeated text (purpose, using agency, valid-until date) over the page."""
    _font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    width, height = A4
    page.setTitle(f"{lic.license_type.name} {lic.number}")
    page.setFont(FONT, 22)
    page.drawCentredString(width / 2, height - 30 * mm, lic.license_type.name)
    page.setFont(FONT, 11)
    page.drawCentredString(width / 2, height - 38 * mm, f"编号 {lic.number}")
    rows = [("持证人", lic.holder_name), ("证件号码", lic.holder_id_masked), *labels]
    rows.append(
        (
            "有效期",
            f"{lic.valid_from:%Y-%m-%d} 至 {lic.valid_until:%Y-%m-%d}"
            if lic.valid_until
            else f"{lic.valid_from:%Y-%m-%d} 起长期",
        )
    )
    rows.append(("发证机关", lic.agency.name))
    y = height - 55 * mm
    for label, value in rows:
        page.setFont(FONT, 12)
        page.drawString(25 * mm, y, f"{label}：")
        text = str(value)
        while text:
            page.drawString(55 * mm, y, text[:32])
            text = text[32:]
            y -= 8 * mm
    code = qr_code(lic.token)
    size = 60 * mm
    modules = code.symbol_size(scale=1, border=0)[0]
    cell = size / modules
    left, top = width - 25 * mm - size, 25 * mm + size
    for r, row in enumerate(code.matrix):
        for c, dark in enumerate(row):
            if dark:
                page.rect(left + c * cell, top - (r + 1) * cell, cell, cell, stroke=0, fill=1)
    page.setFont(FONT, 9)
    page.drawString(25 * mm, 30 * mm, "扫描二维码核验真伪、有效期与状态（离线亦可核验签名）。")
    page.drawString(25 * mm, 25 * mm, f"签章密钥 {lic.seal_key.kid} · {lic.seal_key.algorithm}")
    if watermark:
        page.saveState()
        page.setFillColorRGB(0.75, 0.1, 0.1, alpha=0.25)
        page.setFont(FONT, 16)
        page.translate(width / 2, height / 2)
        page.rotate(35)
        for i in range(-6, 7):
            page.drawCentredString(0, i * 22 * mm, watermark)
        page.restoreState()
    page.showPage()
    page.save()
    return buffer.getvalue()
