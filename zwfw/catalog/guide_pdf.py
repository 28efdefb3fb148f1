"""The guide as an A4 PDF (ReportLab, built-in CJK font STSong-Light: no font files to install).

Renders the same view-model as the HTML page (``guide.Guide``), in the same order, with the QR
code of the guide page (drawn as vector squares from segno's matrix), the page number, and the
version and publication date in every page's footer.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape  # nosec B406

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from zwfw.catalog.guide import Guide, GuideFile

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    """Register the built-in CJK font once per process and return its name."""
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15.5, wordWrap="CJK")
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8.5, leading=12, textColor=colors.HexColor("#333333")
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=13),
        "head": ParagraphStyle(
            "head", parent=base, fontSize=9, leading=13, textColor=colors.HexColor("#0a4b8f")
        ),
        "kicker": ParagraphStyle("kicker", parent=base, fontSize=9.5, textColor=colors.HexColor("#4a4f57")),
        "title": ParagraphStyle("title", parent=base, fontSize=19, leading=25, spaceAfter=4),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontSize=13.5,
            leading=19,
            spaceBefore=10,
            spaceAfter=4,
            textColor=colors.HexColor("#0a4b8f"),
        ),
        "h3": ParagraphStyle("h3", parent=base, fontSize=11.5, leading=16, spaceBefore=6, spaceAfter=2),
        "banner": ParagraphStyle(
            "banner",
            parent=base,
            textColor=colors.HexColor("#b3261e"),
            borderColor=colors.HexColor("#b3261e"),
            borderWidth=1,
            borderPadding=5,
            spaceAfter=8,
        ),
    }


class QrCode(Flowable):
    """A QR code drawn as vector squares (crisp at any zoom; no image library involved)."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.qr = segno.make(data, error="m")
        self.size = size
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """The QR code takes its fixed square size."""
        return self.size, self.size

    def draw(self) -> None:
        """Draw the dark modules (border of 2 modules included in the size)."""
        rows = list(self.qr.matrix_iter(scale=1, border=2))
        module = self.size / len(rows)
        canvas = self.canv
        canvas.setFillColor(colors.black)
        canvas.setStrokeColor(colors.black)
        for r, row in enumerate(rows):
            y = self.size - (r + 1) * module
            for c, dark in enumerate(row):
                if dark:
                    canvas.rect(c * module, y, module, module, stroke=0, fill=1)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    return Paragraph(escape(text or "—").replace("\n", "<br/>"), style)


def _link(text: str, url: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(
        f'<link href="{escape(url, {chr(34): "&quot;"})}" color="#0a4b8f">{escape(text)}</link>', style
    )


def _facts(rows: list[tuple[str, Any]], s: dict[str, ParagraphStyle]) -> Table:
    """A two-column label/value table."""
    data = [
        [_p(label, s["head"]), value if isinstance(value, Flowable | list) else _p(str(value), s["cell"])]
        for label, value in rows
    ]
    table = Table(data, colWidths=[38 * mm, None], hAlign="LEFT", spaceAfter=4)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#d5dae1")),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _grid(
    header: list[str], rows: list[list[Any]], widths: list[float | None], s: dict[str, ParagraphStyle]
) -> Table:
    """A bordered table with a repeated header row."""
    data = [[_p(h, s["head"]) for h in header]] + [
        [c if isinstance(c, Flowable | list) else _p(str(c), s["cell"]) for c in row] for row in rows
    ]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", spaceAfter=4)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#8a93a0")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0fa")),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _file_cell(files: list[tuple[str, GuideFile | None]], origin: str, s: dict[str, ParagraphStyle]) -> Any:
    links = [_link(label, origin + f.url, s["cell"]) for label, f in files if f is not None]
    return links or _p("—", s["cell"])


def _other_services(guide: Guide) -> list[str]:
    """The convenience services the item offers, as on the HTML page."""
    out = []
    if guide.booking:
        out.append(_("Appointments can be booked"))
    if guide.express_delivery:
        out.append(_("Results can be delivered by post"))
    if guide.self_service_terminal:
        out.append(_("Self-service terminals"))
    return out


def render_guide_pdf(guide: Guide, *, page_url: str) -> bytes:
    """The guide as PDF bytes; ``page_url`` is the absolute address of the guide page (QR target)."""
    s = _styles()
    parts = urlsplit(page_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    published = timezone.localtime(guide.published_at).strftime("%Y-%m-%d")
    version_text = _("Version %(n)d, published %(date)s") % {"n": guide.version_number, "date": published}
    story: list[Flowable] = []

    if not guide.is_current:
        story.append(
            _p(
                _("This is version %(n)d of this guide. It has been superseded by version %(m)d.")
                % {"n": guide.version_number, "m": guide.current_number or 0},
                s["banner"],
            )
        )
    head = [
        _p(_("Service guide"), s["kicker"]),
        _p(guide.name, s["title"]),
        _p(f"{_('Handling agency')}：{guide.agency}", s["body"]),
        _p(f"{_('Region')}：{guide.region_path}", s["body"]),
        _p(version_text, s["small"]),
        _p(_("Scan the code to open this guide on your phone."), s["small"]),
        _p(page_url, s["small"]),
    ]
    header = Table([[head, QrCode(page_url, 30 * mm)]], colWidths=[None, 32 * mm])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [header, Spacer(1, 4)]

    visits = (
        _("No visit needed")
        if guide.visits_required == 0
        else _("At most %(n)s") % {"n": guide.visits_required}
    )
    glance = [
        [
            _p(_("Promised time limit"), s["head"]),
            _p(_("Fee"), s["head"]),
            _p(_("Visits to the service hall"), s["head"]),
            _p(_("Online service level"), s["head"]),
        ],
        [
            _p(guide.promised_limit, s["body"]),
            _p(_("Charged (see the fees below)") if guide.charged else _("Free of charge"), s["body"]),
            _p(visits, s["body"]),
            _p(_("Level %(level)s") % {"level": guide.online_depth_level}, s["body"]),
        ],
    ]
    glance_table = Table(glance, hAlign="LEFT")
    glance_table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#0a4b8f")),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#e8f0fa")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(glance_table)

    def h2(text: str) -> None:
        story.append(_p(text, s["h2"]))

    h2(_("About this service"))
    about: list[tuple[str, Any]] = [
        (_("Item type"), guide.item_type_label),
        (_("Who it serves"), "、".join(guide.service_objects)),
        (_("Handling kind"), guide.handling_kind_label),
        (_("Handling agency"), f"{guide.agency}（{guide.subject_nature}）"),
    ]
    if guide.entrusting_agency:
        about.append((_("Entrusting agency"), guide.entrusting_agency))
    scope = guide.cross_region_scope_label
    if guide.cross_region_modes:
        scope += "（" + "、".join(guide.cross_region_modes) + "）"
    about.append((_("Where you can apply"), scope))
    themes = guide.person_themes + guide.legal_person_themes
    if themes:
        about.append((_("Themes"), "、".join(themes)))
    story.append(_facts(about, s))

    h2(_("Who can apply"))
    story.append(_p(guide.acceptance_conditions or _("No special conditions."), s["body"]))

    h2(_("Materials to bring"))
    if guide.materials:
        rows = []
        for i, m in enumerate(guide.materials, start=1):
            name_cell = [_p(f"{i}. {m.name}", s["cell"])]
            if m.filling_notes:
                name_cell.append(_p(f"{_('Filling notes')}：{m.filling_notes}", s["small"]))
            if m.acceptance_standard:
                name_cell.append(_p(f"{_('Acceptance standard')}：{m.acceptance_standard}", s["small"]))
            necessity = m.necessity_label + (f"；{_('Commitment accepted')}" if m.commitment_allowed else "")
            form = f"{m.form_label}，{m.copy_label}" + (
                "，" + _("%(n)s copies") % {"n": m.copies} if m.copies else ""
            )
            source = m.source_label + (f"（{m.issuer}）" if m.issuer else "")
            files = _file_cell(
                [(_("Blank form"), m.blank_form), (_("Filled-in sample"), m.sample)], origin, s
            )
            rows.append([name_cell, necessity, form, source, files])
        story.append(
            _grid(
                [_("Material"), _("Necessity"), _("Form and copies"), _("Source"), _("Forms and samples")],
                rows,
                [58 * mm, 24 * mm, 32 * mm, 36 * mm, None],
                s,
            )
        )
    else:
        story.append(_p(_("No materials are needed."), s["body"]))

    h2(_("How it is handled"))
    if guide.steps:
        story.append(
            ListFlowable(
                [
                    ListItem(_p(f"{st.name}" + (f"：{st.description}" if st.description else ""), s["body"]))
                    for st in guide.steps
                ],
                bulletType="1",
                bulletFormat="%s.",
                bulletFontName=_font(),
                bulletFontSize=10,
                leftIndent=14,
            )
        )
    story.append(_p(_("Special procedures"), s["h3"]))
    if guide.special_procedures:
        story.append(
            _grid(
                [_("Procedure"), _("Time limit"), _("Counted in the time limit"), _("Basis")],
                [
                    [p.name, p.limit, _("Yes") if p.counts_toward_limit else _("No"), p.basis or "—"]
                    for p in guide.special_procedures
                ],
                [40 * mm, 28 * mm, 28 * mm, None],
                s,
            )
        )
    else:
        story.append(_p(_("None."), s["body"]))
    if guide.intermediaries:
        story.append(_p(_("Intermediary services"), s["h3"]))
        for service_name, basis in guide.intermediaries:
            story.append(_p(service_name + (f"（{_('Basis')}：{basis}）" if basis else ""), s["body"]))
    if guide.co_handling_agencies:
        story.append(_p(_("Agencies handling it jointly"), s["h3"]))
        story.append(_p("、".join(guide.co_handling_agencies), s["body"]))

    h2(_("How long it takes"))
    limits: list[tuple[str, Any]] = [
        (
            _("Promised time limit"),
            guide.promised_limit + (f"（{guide.promised_limit_note}）" if guide.promised_limit_note else ""),
        ),
        (
            _("Statutory time limit"),
            (guide.statutory_limit or "—")
            + (f"（{guide.statutory_limit_note}）" if guide.statutory_limit_note else ""),
        ),
    ]
    if guide.extension:
        limits.append((_("Extension"), guide.extension))
    story.append(_facts(limits, s))
    story.append(
        _p(
            _(
                "Working days do not include weekends and public holidays. "
                "The time limit runs from the day after your application is accepted."
            ),
            s["small"],
        )
    )

    h2(_("Fees"))
    if guide.charged:
        if guide.fees:
            story.append(
                _grid(
                    [_("Fee item"), _("Standard"), _("Basis"), _("Reduction or exemption")],
                    [[f.name, f.standard, f.basis or "—", f.reduction or "—"] for f in guide.fees],
                    [40 * mm, 40 * mm, None, 40 * mm],
                    s,
                )
            )
        if guide.fee_basis:
            story.append(_p(f"{_('Basis for charging')}：{guide.fee_basis}", s["body"]))
        if guide.online_payment:
            story.append(_p(_("You can pay online."), s["body"]))
    else:
        story.append(_p(_("This service is free of charge."), s["body"]))

    h2(_("Where and when"))
    visit_value = visits + (
        f"（{_('Why you need to come')}：{guide.visit_reason}）"
        if guide.visits_required and guide.visit_reason
        else ""
    )
    story.append(
        _facts(
            [
                (_("Place"), guide.place or "—"),
                (_("Opening hours"), guide.hours or "—"),
                (_("Ways to apply"), "、".join(guide.handling_forms)),
                (_("Visits to the service hall"), visit_value),
                (_("Other services"), "、".join(_other_services(guide)) or "—"),
            ],
            s,
        )
    )

    h2(_("Online application"))
    story.append(
        _p(
            f"{_('Level %(level)s') % {'level': guide.online_depth_level}}：{guide.online_depth_meaning}",
            s["body"],
        )
    )
    if guide.apply_links:
        for link in guide.apply_links:
            story.append(_link(f"{link.label}：{link.url}", link.url, s["body"]))
    else:
        story.append(_p(_("This service cannot be applied for online yet."), s["body"]))

    h2(_("What you receive"))
    result: list[tuple[str, Any]] = [
        (_("Result"), guide.result_name or "—"),
        (_("Result type"), guide.result_type_label),
    ]
    if guide.result_sample is not None:
        result.append(
            (_("Sample"), _link(guide.result_sample.name, origin + guide.result_sample.url, s["cell"]))
        )
    story.append(_facts(result, s))

    h2(_("Questions and complaints"))
    story.append(
        _facts(
            [
                (
                    _("Questions"),
                    (guide.consultation.phone or "—")
                    + (f"\n{guide.consultation.other}" if guide.consultation.other else ""),
                ),
                (
                    _("Complaints"),
                    (guide.complaint.phone or "—")
                    + (f"\n{guide.complaint.other}" if guide.complaint.other else ""),
                ),
            ],
            s,
        )
    )

    if guide.faq:
        h2(_("Frequently asked questions"))
        for item in guide.faq:
            story.append(KeepTogether([_p(item.question, s["h3"]), _p(item.answer, s["body"])]))

    h2(_("Legal basis"))
    story.append(_p(guide.legal_basis, s["body"]))
    story.append(
        _facts(
            [
                (_("Competent department"), guide.competent_department),
                (_("Exercised at"), "、".join(guide.exercised_levels) or "—"),
                (_("Base code"), guide.base_code),
                (_("Implementation code"), guide.code),
            ],
            s,
        )
    )
    footer_left = f"{guide.name} · {version_text}"

    def on_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(_font(), 8)
        canvas.setFillColor(colors.HexColor("#4a4f57"))
        canvas.drawString(doc.leftMargin, 10 * mm, footer_left[:80])
        canvas.drawRightString(
            A4[0] - doc.rightMargin, 10 * mm, _("Page %(n)d") % {"n": canvas.getPageNumber()}
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=guide.name,
        author=guide.agency,
        subject=_("Service guide"),
        lang="zh-CN",
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
