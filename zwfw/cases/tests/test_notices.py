"""Notices as PDFs: every kind renders (A4, text extractable, the case number, the ID number only
masked, the QR code to the status page), and the download endpoints keep to the case's scope."""

from __future__ import annotations

import datetime
import io
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from conftest import make_id_number
from zwfw.cases import notices, services
from zwfw.cases.models import Case, CaseNotice, Channel, MaterialKind, NoticeKind
from zwfw.cases.tests.factories import PDF, png
from zwfw.core.calendar import add_working_days

pytestmark = pytest.mark.django_db

BASE = "https://zwfw.example.cn"
FULL_ID = make_id_number(seq="201")  # the desk's applicant


# --- building cases (shared with test_notify and test_tasks) -----------------------------------


def walk_in(desk, keys=("application",), *, phone: str = "13800138000") -> Case:
    """A walk-in application at the general window with the given materials, submitted."""
    case = services.case_create(
        actor=desk.clerk,
        implementation=desk.impl,
        channel=Channel.WINDOW,
        person=desk.person,
        venue=desk.world.jh_center,
        contact_phone=phone,
    )
    for key in keys:
        services.case_material_add(actor=desk.clerk, case=case, requirement_key=key, kind=MaterialKind.PAPER)
    return services.case_submit(actor=desk.clerk, case=case)


def online(desk, keys=("application", "licence", "floor-plan")) -> Case:
    """An online application by the desk's citizen, submitted."""
    case = services.case_create(actor=desk.citizen, implementation=desk.impl, channel=Channel.ONLINE)
    for key in keys:
        services.case_material_add(
            actor=desk.citizen, case=case, requirement_key=key, content=PDF, filename=f"{key}.pdf"
        )
    return services.case_submit(actor=desk.citizen, case=case)


def accepted_with_deficiency(desk, *, promised: datetime.date | None = None) -> Case:
    """An online case accepted while the deficiency-allowed floor plan is missing (容缺)."""
    case = online(desk, keys=("application", "licence"))
    promised = promised or add_working_days(timezone.localdate(), 5)
    return services.case_accept(actor=desk.clerk, case=case, deficiency_due_date=promised)


def decided(desk, *, approved: bool) -> Case:
    """An online case reviewed and decided (with a result file when approved)."""
    case = services.case_accept(actor=desk.clerk, case=online(desk))
    services.case_start_review(actor=desk.reviewer, case=case)
    return services.case_decide(
        actor=desk.approver,
        case=case,
        approved=approved,
        reasons="材料齐全，符合条件" if approved else "经营场所不符合卫生要求",
        result_content=png() if approved else None,
        result_filename="许可证.png",
    )


def pdf_text(body: bytes) -> tuple[PdfReader, str]:
    """The parsed PDF and the text of all its pages (line breaks removed)."""
    reader = PdfReader(io.BytesIO(body))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    return reader, text.replace("\n", "")


def check_pdf(notice: CaseNotice) -> str:
    """Render, check what every notice must carry, return its text."""
    body = notices.notice_pdf(notice, base_url=BASE)
    assert body.startswith(b"%PDF-")
    reader, text = pdf_text(body)
    assert len(reader.pages) >= 1
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842  # A4
    case = notice.case
    assert case.number in text
    assert case.agency.name in text
    assert FULL_ID not in text and FULL_ID[:-4] not in text
    assert case.applicant_person.id_number_masked in text
    assert notices.status_url(case.number, base_url=BASE) in text
    assert len(page.images) >= 1  # the QR code
    return text


# --- the PDFs ----------------------------------------------------------------------------------


@pytest.mark.smoke
def test_acceptance_notice_pdf(desk):
    case = services.case_accept(actor=desk.clerk, case=online(desk))
    notice = case.notices.get(kind=NoticeKind.ACCEPTANCE)
    text = check_pdf(notice)
    assert case.lookup_code in text
    assert desk.impl.item.name in text


def test_a_due_date_in_a_year_without_a_holiday_notice_is_marked_provisional(desk, settings):
    from django.utils import translation

    from zwfw.core.calendar import due_date

    case = services.case_accept(actor=desk.clerk, case=online(desk))
    notice = case.notices.get(kind=NoticeKind.ACCEPTANCE)
    with translation.override(settings.LANGUAGE_CODE):
        note = translation.gettext(
            "Provisional: the State Council has not yet published the holidays of this year; "
            "the due date follows the statutory holiday rules and may change."
        )

    def squeeze(text: str) -> str:
        return "".join(text.split())

    far = datetime.date(2090, 3, 1)
    assert due_date(far, 10).provisional
    notice.case.accepted_on = far  # rendered, not saved
    assert squeeze(note) in squeeze(pdf_text(notices.notice_pdf(notice, base_url=BASE))[1])
    notice.case.accepted_on = timezone.localdate()
    if not due_date(notice.case.accepted_on, 10).provisional:
        assert squeeze(note) not in squeeze(pdf_text(notices.notice_pdf(notice, base_url=BASE))[1])


def test_correction_notice_lists_every_item_at_once(desk):
    case = walk_in(desk, keys=("application", "floor-plan"))
    notice = services.case_request_correction(
        actor=desk.clerk, case=case, defects=[{"key": "floor-plan", "note": "平面图未标注尺寸"}]
    )
    text = check_pdf(notice)
    for name in ("营业执照", "经营场所平面图", "平面图未标注尺寸"):
        assert name in text
    assert desk.world.jh_center.name in text  # where to supply them


def test_deficiency_commitment_names_the_missing_material(desk):
    case = accepted_with_deficiency(desk)
    text = check_pdf(case.notices.get(kind=NoticeKind.DEFICIENCY))
    assert "经营场所平面图" in text
    assert "营业执照" not in text  # received: not listed
    # the acceptance notice of the same case renders too
    check_pdf(case.notices.get(kind=NoticeKind.ACCEPTANCE))


def test_intake_rejection_pdf_states_the_reason(desk):
    reason = "不属于本机关职权范围 <b>请向卫健局申请</b> & <font size=40>"
    case = services.case_reject_intake(actor=desk.clerk, case=walk_in(desk), reason=reason)
    text = check_pdf(case.notices.get(kind=NoticeKind.INTAKE_REJECTION))
    assert reason.replace(" ", "") in text.replace(" ", "")  # markup in a reason is printed, not obeyed


@pytest.mark.parametrize("approved", [True, False])
def test_decision_letters(desk, approved):
    case = decided(desk, approved=approved)
    notice = case.notices.get(kind=NoticeKind.DECISION)
    assert notices.decision_approved(case) is approved
    text = check_pdf(notice)
    assert ("材料齐全，符合条件" if approved else "经营场所不符合卫生要求") in text
    if not approved:  # the engine's rights sentence is replaced by the letter's own section
        assert text.count("行政复议") <= 1


def test_decision_stays_readable_after_delivery(desk):
    case = decided(desk, approved=False)
    services.case_deliver(actor=desk.clerk, case=case, method="online")
    case.refresh_from_db()
    assert notices.decision_approved(case) is False
    check_pdf(case.notices.get(kind=NoticeKind.DECISION))


def test_enterprise_applicant_shows_the_credit_code(desk):
    from stdnum.cn import uscc

    from zwfw.identity import services as identity_services

    body = "91532801MA6K0AB1X"
    enterprise = identity_services.enterprise_register(
        name="景洪市勐泐餐饮有限公司",
        uscc=body + uscc.calc_check_digit(body),
        legal_representative="岩罕",
    )
    case = services.case_create(
        actor=desk.clerk,
        implementation=desk.impl,
        channel=Channel.WINDOW,
        enterprise=enterprise,
        venue=desk.world.jh_center,
    )
    case = services.case_submit(actor=desk.clerk, case=case)
    notice = services.case_request_correction(actor=desk.clerk, case=case)
    _reader, text = pdf_text(notices.notice_pdf(notice, base_url=BASE))
    assert enterprise.uscc in text and case.number in text and "岩罕" in text


def test_status_url_and_file_names():
    assert notices.status_path("532801-20250101-00001") == "/cases/status/?number=532801-20250101-00001"
    assert (
        notices.status_url("A B&C", base_url="https://x.cn/") == "https://x.cn/cases/status/?number=A+B%26C"
    )
    assert notices.status_url("1", base_url="") == "/cases/status/?number=1"
    value = notices.content_disposition('a"b\r\n受理.pdf', "受理通知书.pdf")
    assert value.startswith('inline; filename="a_b____.pdf"')
    assert value.endswith("filename*=UTF-8''" + quote("受理通知书.pdf"))
    assert "\r" not in value and "\n" not in value
    assert notices.content_disposition("x.pdf", "x.pdf", inline=False).startswith("attachment;")


def test_qr_png_is_a_png_of_the_link():
    body = notices.qr_png("https://zwfw.example.cn/cases/status/?number=1")
    assert body.startswith(b"\x89PNG\r\n\x1a\n")


# --- the download endpoints --------------------------------------------------------------------


def _url(case: Case, notice: CaseNotice) -> str:
    return f"/cases/{case.pk}/notices/{notice.pk}.pdf"


def test_the_applicant_downloads_a_notice_inline(client: Client, desk):
    case = services.case_accept(actor=desk.clerk, case=online(desk))
    notice = case.notices.get(kind=NoticeKind.ACCEPTANCE)
    client.force_login(desk.citizen)
    response = client.get(_url(case, notice))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'inline; filename="acceptance-{case.number}-1.pdf"')
    assert "filename*=UTF-8''" in disposition and disposition.isascii()
    assert "no-store" in response["Cache-Control"]
    _reader, text = pdf_text(response.content)
    assert case.number in text and "http://testserver/cases/status/?number=" in text


def test_staff_in_scope_download_and_others_get_404(client: Client, desk):
    case = services.case_accept(actor=desk.clerk, case=online(desk))
    notice = case.notices.get(kind=NoticeKind.ACCEPTANCE)
    for user in (desk.clerk, desk.reviewer, desk.world.supervisor_pref):
        client.force_login(user)
        assert client.get(_url(case, notice)).status_code == 200, user
    for user in (desk.other_citizen, desk.world.clerk_mh):
        client.force_login(user)
        assert client.get(_url(case, notice)).status_code == 404, user


def test_anonymous_is_sent_to_log_in(client: Client, desk):
    case = services.case_accept(actor=desk.clerk, case=online(desk))
    notice = case.notices.get(kind=NoticeKind.ACCEPTANCE)
    response = client.get(_url(case, notice))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_notice_of_another_case_or_a_bad_id_is_404(client: Client, desk):
    first = services.case_accept(actor=desk.clerk, case=online(desk))
    second = services.case_accept(actor=desk.clerk, case=online(desk))
    client.force_login(desk.citizen)
    notice = second.notices.get(kind=NoticeKind.ACCEPTANCE)
    assert client.get(_url(first, notice)).status_code == 404
    assert client.get(f"/cases/{first.pk}/notices/999999.pdf").status_code == 404
    assert client.get(f"/cases/999999/notices/{notice.pk}.pdf").status_code == 404
    assert client.post(_url(second, notice)).status_code == 405


def test_result_download_follows_decision_and_delivery(client: Client, desk):
    case = decided(desk, approved=True)
    url = f"/cases/{case.pk}/result"
    client.force_login(desk.citizen)
    assert client.get(url).status_code == 404  # not delivered yet
    client.force_login(desk.approver)
    staff_view = client.get(url)
    assert staff_view.status_code == 200 and staff_view["Content-Type"] == "image/png"
    assert b"".join(staff_view.streaming_content).startswith(b"\x89PNG")
    services.case_deliver(actor=desk.clerk, case=case, method="online")
    client.force_login(desk.citizen)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'inline; filename="result-{case.number}.png"')
    client.force_login(desk.other_citizen)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_no_result_for_a_denied_or_undecided_case(client: Client, desk):
    denied = decided(desk, approved=False)
    services.case_deliver(actor=desk.clerk, case=denied, method="online")
    client.force_login(desk.citizen)
    assert client.get(f"/cases/{denied.pk}/result").status_code == 404
    running = services.case_accept(actor=desk.clerk, case=online(desk))
    client.force_login(desk.approver)
    assert client.get(f"/cases/{running.pk}/result").status_code == 404
