"""The written notices of a case as A4 PDFs (ReportLab, built-in CJK font STSong-Light).

One renderer per ``NoticeKind``: 受理通知书, 不予受理通知书, 《一次性告知书》(补正材料通知书),
容缺受理承诺书 and the decision letters (准予 / 不予). Each carries the case number, the agency,
the date, the applicant (the ID number only masked) and a QR code (segno PNG, in memory) to the
case's status page ``/cases/status/?number=<number>``. A notice is rendered from the fields it was
issued with (its items, reason, dates); nothing here writes.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape  # nosec B406

import segno
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table
from reportlab.platypus import TableStyle as TS

from zwfw.cases.models import Case, CaseNotice, CaseState, NoticeKind
from zwfw.core.calendar import due_date
from zwfw.core.models import AuditEvent

FONT = "STSong-Light"
STATUS_PATH = "/cases/status/"
_registered = False


# --- the status link ---------------------------------------------------------------------------


def status_path(number: str) -> str:
    """The path of the case's public status page."""
    return f"{STATUS_PATH}?{urlencode({'number': number})}"


def status_url(number: str, *, base_url: str = "") -> str:
    """The status page's URL: absolute when ``base_url`` (e.g. ``request.build_absolute_uri("/")``
    or a configured public address) is given, else the path alone."""
    return base_url.rstrip("/") + status_path(number)


def qr_png(data: str) -> bytes:
    """A QR code of ``data`` as PNG bytes (error correction M), made in memory."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


# --- names -------------------------------------------------------------------------------------


def decision_approved(case: Case) -> bool:
    """Whether the case's decision was 准予: the ledger's last approve/deny event, else the state."""
    event = (
        AuditEvent.objects.filter(object_type="case", object_id=str(case.pk), action__in=["approve", "deny"])
        .order_by("-id")
        .first()
    )
    if event is not None:
        return event.action == "approve"
    return case.state != CaseState.DENIED


def notice_title(notice: CaseNotice) -> str:
    """The notice's title as printed (decision letters say 准予 or 不予, and 许可 for licensing)."""
    if notice.kind == NoticeKind.ACCEPTANCE:
        return _("Notice of acceptance")
    if notice.kind == NoticeKind.INTAKE_REJECTION:
        return _("Notice of non-acceptance")
    if notice.kind == NoticeKind.CORRECTION:
        return _("One-time notice")
    if notice.kind == NoticeKind.DEFICIENCY:
        return _("Commitment for acceptance with missing materials")
    licensing = notice.case.implementation.item.item_type == "licensing"
    if decision_approved(notice.case):
        return _("Decision to grant the licence") if licensing else _("Decision to approve")
    return _("Decision to refuse the licence") if licensing else _("Decision not to approve")


def notice_filenames(notice: CaseNotice) -> tuple[str, str]:
    """An ASCII file name and a UTF-8 one (for ``filename*``) of the notice's PDF."""
    number = notice.case.number
    ascii_name = f"{notice.kind}-{number}-{notice.sequence}.pdf"
    return ascii_name, f"{notice_title(notice)}-{number}-{notice.sequence}.pdf"


def content_disposition(ascii_name: str, utf8_name: str, *, inline: bool = True) -> str:
    """A Content-Disposition value with a safe ASCII ``filename`` and an RFC 5987 ``filename*``."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in ascii_name)
    return f"{'inline' if inline else 'attachment'}; filename=\"{safe}\"; filename*=UTF-8''{quote(utf8_name)}"


# --- building blocks ---------------------------------------------------------------------------


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=_font(), fontSize=11, leading=18, wordWrap="CJK")
    return {
        "body": base,
        "indent": ParagraphStyle("indent", parent=base, firstLineIndent=22),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=14),
        "head": ParagraphStyle(
            "head", parent=base, fontSize=10, leading=14, textColor=colors.HexColor("#333333")
        ),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=9, leading=13, spaceBefore=3, textColor=colors.HexColor("#444444")
        ),
        "box": ParagraphStyle(
            "box",
            parent=base,
            borderColor=colors.HexColor("#8a5a00"),
            borderWidth=0.8,
            borderPadding=5,
            spaceBefore=8,
            spaceAfter=8,
        ),
        "agency": ParagraphStyle("agency", parent=base, fontSize=14, leading=20, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=28, alignment=TA_CENTER),
        "sub": ParagraphStyle("sub", parent=base, fontSize=11, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=20, spaceBefore=6, spaceAfter=2),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped, line breaks kept)."""
    return Paragraph(escape(text or "—").replace("\n", "<br/>"), style)


def _day(value: datetime.date | None) -> str:
    """A date (or the local date of a moment) as the locale writes it: 2025年3月5日."""
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return formats.date_format(value, "DATE_FORMAT")


def _table(data: list[list[Any]], widths: list[float | None], *, grid: bool) -> Table:
    table = Table(
        data, colWidths=widths, hAlign="LEFT", spaceBefore=4, spaceAfter=6, repeatRows=1 if grid else 0
    )
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if grid:
        commands += [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ]
    else:
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#c8c8c8")))
    table.setStyle(TS(commands))
    return table


def _facts(rows: list[tuple[str, str]], s: dict[str, ParagraphStyle]) -> Table:
    return _table([[_p(k, s["head"]), _p(v, s["cell"])] for k, v in rows], [34 * mm, None], grid=False)


def _applicant(case: Case) -> tuple[str, list[tuple[str, str]]]:
    """The applicant's name (for the salutation) and their identifying rows (ID number masked)."""
    if case.applicant_enterprise is not None:
        e = case.applicant_enterprise
        return e.name, [
            (_("Applicant"), e.name),
            (_("Unified social credit code"), e.uscc),
            (_("Legal representative"), e.legal_representative),
        ]
    if case.applicant_person is not None:
        p = case.applicant_person
        return p.name, [(_("Applicant"), p.name), (_("ID number"), p.id_number_masked)]
    return "", []


def _staff_name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.display_name or user.get_full_name() or "")


def _limit(n: int | None, unit: str) -> str:
    if n is None:
        return "—"
    if n == 0:
        return _("On the spot (instant item)")
    if unit == "natural_days":
        return _("%(n)d calendar days") % {"n": n}
    return _("%(n)d working days") % {"n": n}


def _rights(s: dict[str, ParagraphStyle]) -> list[Flowable]:
    return [
        _p(_("Your rights"), s["h2"]),
        _p(
            _(
                "You have the right to state your case and to defend yourself before this "
                "agency. If you disagree with this decision, you may apply for administrative "
                "reconsideration within 60 days of receiving this notice, or bring an administrative "
                "lawsuit before a people's court within 6 months of receiving it."
            ),
            s["indent"],
        ),
    ]


def _delivery_options(case: Case) -> list[str]:
    content = case.version.content
    options = []
    forms = content.get("handling_forms") or []
    if "window" in forms or content.get("place"):
        where = "；".join(x for x in (content.get("place", ""), content.get("hours", "")) if x)
        options.append(_("Pick up at the window") + (f"（{where}）" if where else ""))
    if content.get("express_delivery") or "post" in forms:
        options.append(_("By post (express delivery) to the address you give"))
    if (content.get("online_depth") or 0) >= 4 or "online" in forms:
        options.append(_("Online: the electronic result in your personal space"))
    return options


def _contacts(case: Case) -> list[tuple[str, str]]:
    content = case.version.content
    rows = []
    if content.get("consultation_phone"):
        rows.append((_("Enquiries"), content["consultation_phone"]))
    if content.get("complaint_phone"):
        rows.append((_("Complaints"), content["complaint_phone"]))
    return rows


# --- the notices -------------------------------------------------------------------------------


def _acceptance(notice: CaseNotice, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    case = notice.case
    unit = case.limit_unit or "working_days"
    story: list[Flowable] = [
        _p(
            _(
                "Your application for “%(item)s”, submitted on %(date)s, has complete materials in the "
                "legal form. This agency has accepted it and will complete it within the time limit "
                "below."
            )
            % {"item": case.implementation.item.name, "date": _day(case.submitted_at)},
            s["indent"],
        )
    ]
    rows = [
        (_("Accepted on"), _day(case.accepted_on)),
        (_("Promised time limit"), _limit(case.limit_days, unit)),
    ]
    provisional = False
    if case.accepted_on and case.limit_days is not None:
        due = due_date(case.accepted_on, case.limit_days, unit)
        provisional = due.provisional
        rows.append((_("Due date"), _day(due.due)))
    statutory = case.version.content.get("statutory_limit")
    if statutory is not None:
        statutory_unit = case.version.content.get("statutory_limit_unit") or "working_days"
        rows.append((_("Statutory time limit"), _limit(statutory, statutory_unit)))
    if case.first_contact is not None and _staff_name(case.first_contact):
        rows.append((_("First contact"), _staff_name(case.first_contact)))
    story.append(_facts(rows, s))
    story.append(
        _p(
            _(
                "Special procedures that do not count toward the limit, and waiting for supplementary "
                "materials, pause the clock; the status page always shows the current due date."
            ),
            s["small"],
        )
    )
    if provisional:
        story.append(
            _p(
                _(
                    "Provisional: the State Council has not yet published the holidays of this year; "
                    "the due date follows the statutory holiday rules and may change."
                ),
                s["small"],
            )
        )
    if case.deficiency_due_date:
        story.append(
            _p(
                _(
                    "Accepted with some materials to follow: supply them by %(date)s, as promised in the "
                    "commitment; the result is held until they arrive."
                )
                % {"date": _day(case.deficiency_due_date)},
                s["box"],
            )
        )
    options = _delivery_options(case)
    if options:
        story += [_p(_("How you can receive the result"), s["h2"])] + [
            _p(f"· {o}", s["body"]) for o in options
        ]
    return story


def _intake_rejection(notice: CaseNotice, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    case = notice.case
    return [
        _p(
            _("Your application for “%(item)s”, submitted on %(date)s, is not accepted, for this reason:")
            % {"item": case.implementation.item.name, "date": _day(case.submitted_at)},
            s["indent"],
        ),
        _p(notice.reason, s["indent"]),
        *_rights(s),
    ]


def _correction(notice: CaseNotice, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    case = notice.case
    problems = {"missing": _("Missing"), "defective": _("Defective: to be corrected")}
    rows = [
        [
            _p(_("No."), s["head"]),
            _p(_("Material"), s["head"]),
            _p(_("Problem"), s["head"]),
            _p(_("What to do"), s["head"]),
        ]
    ]
    for i, item in enumerate(notice.items, start=1):
        rows.append(
            [
                _p(str(i), s["cell"]),
                _p(item.get("name", ""), s["cell"]),
                _p(problems.get(item.get("problem", ""), item.get("problem", "")), s["cell"]),
                _p(item.get("note", "") or "—", s["cell"]),
            ]
        )
    story: list[Flowable] = [
        _p(
            _(
                "The materials of your application for “%(item)s”, submitted on %(date)s, are incomplete "
                "or not in the legal form. Everything to be corrected is listed below, all at once "
                "(notice no. %(seq)d):"
            )
            % {
                "item": case.implementation.item.name,
                "date": _day(case.submitted_at),
                "seq": notice.sequence,
            },
            s["indent"],
        ),
        _table(rows, [12 * mm, 58 * mm, 28 * mm, None], grid=True),
    ]
    if notice.reason:
        story.append(
            _p(
                _("Supplementary notice, approved by a supervisor: %(reason)s") % {"reason": notice.reason},
                s["body"],
            )
        )
    story.append(_p(_("Where and how to supply them"), s["h2"]))
    if case.venue is not None:
        venue = case.venue
        where = "，".join(x for x in (venue.name, venue.address, venue.opening_hours) if x)
        story.append(_p("· " + _("At the window: %(where)s") % {"where": where}, s["body"]))
    elif case.version.content.get("place"):
        story.append(
            _p("· " + _("At the window: %(where)s") % {"where": case.version.content["place"]}, s["body"])
        )
    if (case.version.content.get("online_depth") or 0) >= 3 or case.channel == "online":
        story.append(
            _p(
                "· " + _("Online: upload them under “My cases”; only the listed materials are asked for."),
                s["body"],
            )
        )
    story.append(
        _p(
            _(
                "Materials already received electronically are not asked for again on paper. Once every "
                "listed material is supplied, this agency will accept the application."
            ),
            s["small"],
        )
    )
    return story


def _deficiency(notice: CaseNotice, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    case = notice.case
    rows = [[_p(_("No."), s["head"]), _p(_("Missing material"), s["head"])]]
    rows += [
        [_p(str(i), s["cell"]), _p(it.get("name", ""), s["cell"])] for i, it in enumerate(notice.items, 1)
    ]
    return [
        _p(
            _(
                "I (we) apply for “%(item)s” (case %(number)s). The materials below are missing; I (we) "
                "ask for acceptance with these materials to follow and promise to supply them by "
                "%(date)s. I (we) are responsible for the truth of every material supplied."
            )
            % {
                "item": case.implementation.item.name,
                "number": case.number,
                "date": _day(case.deficiency_due_date),
            },
            s["indent"],
        ),
        _table(rows, [12 * mm, None], grid=True),
        _p(
            _(
                "I (we) understand that the result of this application is held, and not delivered, "
                "until every material above has arrived."
            ),
            s["indent"],
        ),
        Spacer(1, 10 * mm),
        _p(_("Signature of the applicant: ____________________    Date: ______________"), s["body"]),
        Spacer(1, 4 * mm),
    ]


def _decision(notice: CaseNotice, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    case = notice.case
    item = case.implementation.item.name
    if decision_approved(case):
        story: list[Flowable] = [
            _p(
                _(
                    "Your application for “%(item)s” meets the legal conditions and standards. This agency decides to approve it."
                )
                % {"item": item},
                s["indent"],
            ),
            _p(_("Reasons"), s["h2"]),
            _p(notice.reason, s["indent"]),
        ]
        result = case.result_name or case.version.content.get("result_name", "")
        if result:
            story.append(_facts([(_("Result"), result)], s))
        options = _delivery_options(case)
        if options:
            story += [_p(_("How you can receive the result"), s["h2"])] + [
                _p(f"· {o}", s["body"]) for o in options
            ]
        return story
    from zwfw.cases.services import RIGHTS  # the rights the engine appends to a denial's reasons

    reasons = notice.reason.removesuffix(RIGHTS).rstrip()
    return [
        _p(
            _(
                "Your application for “%(item)s” does not meet the legal conditions. This agency decides not to approve it, for these reasons:"
            )
            % {"item": item},
            s["indent"],
        ),
        _p(reasons, s["indent"]),
        *_rights(s),
    ]


BODIES: dict[str, Callable[[CaseNotice, dict[str, ParagraphStyle]], list[Flowable]]] = {
    NoticeKind.ACCEPTANCE: _acceptance,
    NoticeKind.INTAKE_REJECTION: _intake_rejection,
    NoticeKind.CORRECTION: _correction,
    NoticeKind.DEFICIENCY: _deficiency,
    NoticeKind.DECISION: _decision,
}


def _qr_block(case: Case, url: str, s: dict[str, ParagraphStyle]) -> Table:
    lines = [
        _p(_("Scan the code or open the address below to follow your case:"), s["small"]),
        _p(url, s["small"]),
    ]
    if case.lookup_code:
        lines.append(
            _p(
                _("Case number %(number)s, lookup code %(code)s")
                % {"number": case.number, "code": case.lookup_code},
                s["small"],
            )
        )
    image = Image(io.BytesIO(qr_png(url)), width=28 * mm, height=28 * mm)
    table = Table([[image, lines]], colWidths=[32 * mm, None], hAlign="LEFT", spaceBefore=8)
    table.setStyle(
        TS(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BOX", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
            ]
        )
    )
    return table


def notice_pdf(notice: CaseNotice, *, base_url: str) -> bytes:
    """The notice as A4 PDF bytes; ``base_url`` makes the QR code's status link absolute."""
    with translation.override(settings.LANGUAGE_CODE):
        return _render(notice, base_url=base_url)


def _render(notice: CaseNotice, *, base_url: str) -> bytes:
    s = _styles()
    case = notice.case
    title = notice_title(notice)
    issued = timezone.localdate(notice.issued_at)
    name, applicant_rows = _applicant(case)
    url = status_url(case.number, base_url=base_url)
    story: list[Flowable] = [
        _p(case.agency.name, s["agency"]),
        _p(title, s["title"]),
    ]
    if notice.kind == NoticeKind.CORRECTION:
        story.append(_p(_("(notice of materials to correct)"), s["sub"]))
    story += [
        Spacer(1, 3 * mm),
        _p(_("Case number: %(number)s") % {"number": case.number}, s["right"]),
        _facts(
            [
                *applicant_rows,
                (_("Service item"), case.implementation.item.name),
                (_("Handling agency"), case.agency.name),
            ],
            s,
        ),
        Spacer(1, 2 * mm),
    ]
    if name and notice.kind != NoticeKind.DEFICIENCY:
        story.append(_p(f"{name}：", s["body"]))
    story += BODIES[notice.kind](notice, s)
    contacts = _contacts(case)
    if contacts:
        story.append(_facts(contacts, s))
    closing = [
        Spacer(1, 6 * mm),
        _p(case.agency.name, s["right"]),
        _p(_("(seal)"), s["right"]),
        _p(_day(issued), s["right"]),
    ]
    staff = _staff_name(notice.issued_by)
    if staff:
        closing.append(_p(_("Handled by: %(name)s") % {"name": staff}, s["right"]))
    story.append(KeepTogether(closing))
    story.append(KeepTogether([_qr_block(case, url, s)]))

    footer = _("Case %(number)s · %(title)s") % {"number": case.number, "title": title}

    def on_page(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        page = _("page %(n)d") % {"n": doc.page}
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"{footer} · {page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=f"{title} {case.number}",
        author=case.agency.name,
        subject=case.implementation.item.name,
        creator="zwfw",
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
