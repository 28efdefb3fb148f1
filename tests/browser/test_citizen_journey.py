"""A citizen on a 360 px phone: apply online for a depth-Ⅳ item, upload, submit, follow the case
and download the result with no visit (零跑动); answer a correction notice by uploading only
what it lists. The back office plays its part through the services. Axe on every page, in
normal and elder mode; screenshots to test-artifacts/.

Assertions use ids, data attributes and states, never the translated text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import make_id_number
from zwfw.cases import services
from zwfw.cases.models import Case, CaseMaterial, CaseState, Channel, DeliveryMethod, MaterialKind
from zwfw.cases.tests.factories import PDF, png, publish, staff
from zwfw.catalog.models import Implementation
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role, User

from .axe import assert_no_serious_violations
from .test_foundation import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

Shot = Callable[[Page, str], Path]
PASSWORD = "a-Long-pass-phrase-42"
MIN_TARGET_PX = 44


@dataclass
class Office:
    """The citizen, the depth-Ⅳ item, and the back office that handles it."""

    citizen: User
    impl: Implementation
    clerk: User
    reviewer: User
    approver: User


@pytest.fixture
def office(world) -> Office:
    person = identity_services.person_register(
        name="玉香",
        id_number=make_id_number(seq="201"),
        phone="13908810000",
        region=world.jinghong,
        system=True,
    )
    citizen = identity_services.user_create(username="yuxiang", password=PASSWORD, person=person)
    impl = publish(
        world,
        online_depth=4,
        visits_required=0,
        visit_reason="",
        handling_forms=["online"],
        online_url_pc="https://x/apply",
    )
    return Office(
        citizen=citizen,
        impl=impl,
        clerk=world.clerk_jh,
        reviewer=staff(world, "reviewer_jh", Role.REVIEWER),
        approver=staff(world, "approver_jh", Role.APPROVER),
    )


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Small real files, as a phone would offer them."""
    paths = {
        "application": tmp_path / "申请书.pdf",
        "licence": tmp_path / "营业执照.pdf",
        "floor-plan": tmp_path / "平面图.png",
        "program": tmp_path / "照片.png",
    }
    paths["application"].write_bytes(PDF)
    paths["licence"].write_bytes(PDF)
    paths["floor-plan"].write_bytes(png())
    paths["program"].write_bytes(b"MZ\x90\x00" + b"\x00" * 200)  # an executable renamed .png
    return paths


# ---------- helpers ----------


def log_in_via(page: Page, url: str, username: str) -> None:
    """Open a page that needs login: the login form comes first, then the page itself."""
    page.goto(url)
    expect(page.locator("[data-login-form]")).to_be_visible()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("[data-action=login-submit]").click()
    expect(page).to_have_url(url)


def upload(page: Page, key: str, path: Path, *, expect_ok: bool = True) -> None:
    """Choose a file: the page's script stores it at once and shows the field's new status."""
    page.locator(f"#file-{key}").set_input_files(str(path))
    status = page.locator(f'[data-material-status="{key}"]')
    expect(status.locator("[data-uploading]")).to_have_count(0)
    if expect_ok:
        expect(status.locator('[data-received="upload"]')).to_be_visible()
        expect(page.locator(f'[data-material-error="{key}"]')).to_be_hidden()
    else:
        expect(page.locator(f'[data-material-error="{key}"]')).to_be_visible()


def assert_targets(page: Page) -> None:
    """Buttons, fields and links in the main content are easy to hit with a thumb."""
    small = page.evaluate(
        """(minimum) => [...document.querySelectorAll(
              'main .btn, main button, main input[type=file], main input[type=text], main textarea,'
              + ' main .applicant-check, main .applicant-links a, main .applicant-material__files a')]
            .filter(el => el.offsetParent !== null)
            .map(el => ({el, r: el.getBoundingClientRect()}))
            .filter(({r}) => r.height < minimum)
            .map(({el, r}) => el.outerHTML.slice(0, 90) + ` ${Math.round(r.width)}x${Math.round(r.height)}`)""",
        MIN_TARGET_PX,
    )
    assert not small, "touch targets under 44px:\n" + "\n".join(small)


def check_page(page: Page, shot: Shot, name: str) -> None:
    """Fits the phone, passes axe, and is photographed, in normal and then in elder mode."""
    assert_no_horizontal_scroll(page)
    assert_targets(page)
    shot(page, name)
    assert_no_serious_violations(page, label=name)
    page.context.add_cookies([{"name": "zwfw_elder", "value": "1", "url": page.url}])
    page.reload()
    expect(page.locator("html")).to_have_class("elder")
    assert_no_horizontal_scroll(page)
    shot(page, name + "-elder")
    assert_no_serious_violations(page, label=name + " (elder mode)", enhanced_contrast=True)
    page.context.clear_cookies(name="zwfw_elder")
    page.reload()


# ---------- journeys ----------


def test_zero_visit_journey_from_apply_to_result(
    live_server, page: Page, shot: Shot, office: Office, files
) -> None:
    apply_url = f"{live_server.url}/apply/{office.impl.pk}/"
    log_in_via(page, apply_url, "yuxiang")
    expect(page.locator("[data-page=apply]")).to_be_visible()
    expect(page.locator("[data-zero-visit]")).to_be_visible()
    expect(page.locator("[data-material]")).to_have_count(3)
    expect(page.locator("[data-commitment=licence]")).to_be_visible()
    check_page(page, shot, "apply-empty")

    # A renamed program is refused next to its field; nothing is stored for it.
    upload(page, "floor-plan", files["program"], expect_ok=False)
    expect(page.locator('[data-material-error="floor-plan"]')).to_have_attribute(
        "data-error-code", "upload.type_refused"
    )
    shot(page, "apply-refused-file")
    case = Case.objects.get(applicant_user=office.citizen, state=CaseState.DRAFT)
    assert not CaseMaterial.objects.filter(case=case).exists()

    # Each file is stored as it is chosen.
    for key in ("application", "licence", "floor-plan"):
        upload(page, key, files[key])
    assert set(services.materials_on_file(case)) == {"application", "licence", "floor-plan"}
    expect(page.locator('[data-material-error="floor-plan"]')).to_be_hidden()
    shot(page, "apply-ready")

    # Leave and come back: the draft is resumed with everything received.
    page.goto(f"{live_server.url}/my/cases/")
    expect(page.locator(f'[data-case-id="{case.pk}"][data-state=draft]')).to_be_visible()
    page.locator(f'[data-case-id="{case.pk}"] [data-action=continue]').click()
    expect(page).to_have_url(apply_url)
    expect(page.locator('[data-received="upload"]')).to_have_count(3)
    expect(page.locator("[data-missing-required]")).to_have_attribute("data-missing-required", "0")
    check_page(page, shot, "apply-resumed")

    # Submit with an impatient double tap: the button ignores the second, and one case results.
    submit = page.locator("[data-action=submit]")
    with page.expect_navigation():
        submit.dblclick()
    expect(page).to_have_url(f"{live_server.url}/my/cases/{case.pk}/")
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    expect(page.locator("[data-case-number]")).to_have_text(case.number)
    expect(page.locator("[data-state]").first).to_have_attribute("data-state", "submitted")
    assert Case.objects.filter(applicant_user=office.citizen).count() == 1
    check_page(page, shot, "status-submitted")

    # The back office: accept, review, decide with the result file, deliver online.
    services.case_accept(actor=office.clerk, case=case)
    services.case_start_review(actor=office.reviewer, case=case)
    services.case_decide(
        actor=office.approver,
        case=case,
        approved=True,
        reasons="材料齐全，符合法定条件。",
        result_content=PDF,
        result_filename="食品经营许可证.pdf",
    )
    services.case_deliver(actor=office.clerk, case=case, method=DeliveryMethod.ONLINE)

    page.reload()
    expect(page.locator("[data-state]").first).to_have_attribute("data-state", "delivered")
    download = page.locator("[data-result-download]")
    expect(download).to_be_visible()
    response = page.request.get(live_server.url + str(download.get_attribute("href")))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    notice = page.locator("[data-notice-kind=acceptance] a").first
    notice_response = page.request.get(live_server.url + str(notice.get_attribute("href")))
    assert notice_response.status == 200
    events = page.locator("[data-event]").evaluate_all("els => els.map(e => e.dataset.event)")
    assert events == ["created", "submit", "accept", "start_review", "approve", "deliver"]
    check_page(page, shot, "status-delivered")

    page.goto(f"{live_server.url}/my/cases/")
    expect(page.locator(f'[data-case-id="{case.pk}"][data-state=delivered]')).to_be_visible()
    check_page(page, shot, "my-cases")

    # 零跑动: nothing in the whole case needed the applicant at a venue.
    case.refresh_from_db()
    assert case.channel == Channel.ONLINE and case.venue_id is None and case.window_id is None
    assert case.delivery.method == DeliveryMethod.ONLINE
    kinds = set(CaseMaterial.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == {MaterialKind.UPLOAD}
    assert case.version.content["visits_required"] == 0 and case.version.content["online_depth"] == 4


def test_correction_journey_uploads_only_what_the_notice_lists(
    live_server, page: Page, shot: Shot, office: Office, files
) -> None:
    case = services.case_create(actor=office.citizen, implementation=office.impl, channel=Channel.ONLINE)
    for key in ("application", "licence"):
        services.case_material_add(
            actor=office.citizen, case=case, requirement_key=key, content=PDF, filename=f"{key}.pdf"
        )
    case = services.case_submit(actor=office.citizen, case=case)
    services.case_request_correction(
        actor=office.clerk,
        case=case,
        defects=[{"key": "licence", "note": "营业执照照片模糊，请重新上传清晰扫描件。"}],
    )
    status_url = f"{live_server.url}/my/cases/{case.pk}/"
    log_in_via(page, status_url, "yuxiang")
    section = page.locator("[data-section=correction]")
    expect(section).to_be_visible()
    # exactly the listed materials: the defective licence and the missing (required) ones
    listed = section.locator("[data-material]").evaluate_all("els => els.map(e => e.dataset.material)")
    assert listed == ["licence"]
    expect(section.locator("[data-correction-note]")).to_be_visible()
    expect(page.locator("[data-notice-kind=correction]")).to_be_visible()
    check_page(page, shot, "correction-requested")

    upload(page, "licence", files["licence"])
    shot(page, "correction-uploaded")
    with page.expect_navigation():
        section.locator("[data-action=resubmit]").click()
    expect(page).to_have_url(status_url)
    case.refresh_from_db()
    assert case.state == CaseState.RESUBMITTED
    expect(page.locator("[data-section=correction]")).to_have_count(0)
    expect(page.locator("[data-state]").first).to_have_attribute("data-state", "resubmitted")
    shot(page, "correction-answered")


@pytest.mark.parametrize("javascript", [False], indirect=True, ids=["no-js"])
def test_apply_without_javascript_saves_and_submits_once(
    live_server, page: Page, shot: Shot, office: Office, files
) -> None:
    apply_url = f"{live_server.url}/apply/{office.impl.pk}/"
    log_in_via(page, apply_url, "yuxiang")
    # the files travel with the form: one refused, the other kept
    page.locator("#file-application").set_input_files(str(files["application"]))
    page.locator("#file-licence").set_input_files(str(files["program"]))
    with page.expect_navigation():
        page.locator("[data-action=save-draft]").click()
    expect(page.locator('[data-material-error="licence"]')).to_have_attribute(
        "data-error-code", "upload.type_refused"
    )
    expect(page.locator('[data-material-status="application"] [data-received="upload"]')).to_be_visible()
    shot(page, "no-js-refused")
    # sign the commitment instead of the licence, and submit
    page.locator("#commit-licence").check()
    with page.expect_navigation():
        page.locator("[data-action=submit]").click()
    case = Case.objects.get(applicant_user=office.citizen)
    expect(page).to_have_url(f"{live_server.url}/my/cases/{case.pk}/")
    assert case.state == CaseState.SUBMITTED
    assert services.materials_on_file(case)["licence"].kind == MaterialKind.COMMITMENT
    # the browser's back button and a resend of the same form: still one case, its status page
    page.go_back()
    with page.expect_navigation():
        page.locator("[data-action=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/my/cases/{case.pk}/")
    assert Case.objects.filter(applicant_user=office.citizen).count() == 1
    shot(page, "no-js-submitted")


def test_status_lookup_without_an_account(live_server, page: Page, shot: Shot, office: Office) -> None:
    case = services.case_create(actor=office.citizen, implementation=office.impl, channel=Channel.ONLINE)
    for key in ("application", "licence"):
        services.case_material_add(
            actor=office.citizen, case=case, requirement_key=key, content=PDF, filename=f"{key}.pdf"
        )
    case = services.case_submit(actor=office.citizen, case=case)
    page.goto(f"{live_server.url}/cases/status/")
    check_page(page, shot, "lookup")
    page.locator("#id_number").fill(case.number)
    page.locator("#id_code").fill("000000" if case.lookup_code != "000000" else "111111")
    with page.expect_navigation():
        page.locator("[data-action=lookup]").click()
    expect(page.locator("[data-page=lookup]")).to_have_attribute("data-lookup", "failed")
    shot(page, "lookup-failed")
    page.locator("#id_number").fill(case.number)
    page.locator("#id_code").fill(case.lookup_code)
    with page.expect_navigation():
        page.locator("[data-action=lookup]").click()
    expect(page.locator("[data-page=lookup]")).to_have_attribute("data-lookup", "found")
    expect(page.locator("[data-lookup-result] [data-state]")).to_have_attribute("data-state", "submitted")
    assert_no_horizontal_scroll(page)
    shot(page, "lookup-found")
    assert_no_serious_violations(page, label="lookup result")
