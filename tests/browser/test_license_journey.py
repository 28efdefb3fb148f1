"""免证办 and 亮证扫码 in the browser: a citizen who holds a 营业执照 (issued by another agency)
applies for 食品经营许可 and attaches it with one click instead of uploading (the consent goes on
the ledger); the reviewer sees it verified; on approval the new 食品经营许可证 appears in the
citizen's space with a QR code that the public verification page accepts. Tampered codes are
shown as not genuine. Axe on every page; screenshots to test-artifacts/.

Until the case engine's apply page shows the held licenses (the ``license_choices`` tag), the
application is set up through the services and the one-click attach is the same POST the
button makes. Assertions use ids, data attributes and states, never the translated text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import make_id_number
from zwfw.cases import services as cases_services
from zwfw.cases.models import MaterialKind
from zwfw.cases.tests.factories import staff
from zwfw.core.models import AuditEvent
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role
from zwfw.licenses import pdf, services
from zwfw.licenses.models import License, SubjectKind
from zwfw.licenses.tests.factories import food_case, food_license_type, publish_food_item, walk_to_review

from .axe import assert_no_serious_violations
from .test_foundation import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

Shot = Callable[[Page, str], Path]
PASSWORD = "a-Long-pass-phrase-42"


def log_in_via(page: Page, url: str, username: str) -> None:
    """Open a page that needs login: the login form comes first, then the page itself."""
    page.goto(url)
    expect(page.locator("[data-login-form]")).to_be_visible()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("[data-action=login-submit]").click()
    expect(page).to_have_url(url)


def test_reuse_then_show_and_verify(world, live_server, page: Page, browser: Browser, shot: Shot) -> None:  # type: ignore[no-untyped-def]
    person = identity_services.person_register(
        name="玉香",
        id_number=make_id_number(seq="201"),
        phone="13908810000",
        region=world.jinghong,
        system=True,
    )
    citizen = identity_services.user_create(username="yuxiang", password=PASSWORD, person=person)
    reviewer = staff(world, "reviewer_jh", Role.REVIEWER)
    reviewer.set_password(PASSWORD)
    reviewer.save()
    approver = staff(world, "approver_jh", Role.APPROVER)
    impl = publish_food_item(world)
    food_license_type(impl)
    business = services.license_type_create(
        actor=None,
        code="business-license",
        name="营业执照",
        subject_kind=SubjectKind.PERSON,
        fields=[{"key": "business_scope", "label": "经营范围", "required": True}],
        validity_years=20,
        system=True,
    )
    held = services.license_issue(
        actor=None,
        license_type=business,
        agency=world.mh_market,
        holder_person=person,
        fields={"business_scope": "小吃服务"},
        system=True,
    )

    # The citizen sees the 营业执照 in their space, with its QR code.
    log_in_via(page, f"{live_server.url}/my/licenses/", "yuxiang")
    card = page.locator(f'[data-license="{held.number}"]')
    expect(card.locator("[data-qr] svg")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_no_serious_violations(page, label="my licenses (one license)")
    shot(page, "my-licenses-held")

    # On the application form, one click attaches it instead of an upload.
    case = food_case(impl, citizen)
    page.goto(f"{live_server.url}/apply/{impl.pk}/")
    button = page.locator(f'[data-attach-license="{held.pk}"]')
    expect(button).to_be_visible()
    assert_no_serious_violations(page, label="application form offering the held license")
    shot(page, "apply-with-held-license")
    with page.expect_navigation():
        button.click()
    material = case.materials.get(kind=MaterialKind.E_LICENSE)
    assert material.license_reference == held.number
    assert AuditEvent.objects.filter(object_type="license", object_id=str(held.pk), action="consent").exists()
    case = walk_to_review(case, citizen=citizen, clerk=world.clerk_jh, reviewer=reviewer)

    # The reviewer (desktop) sees the license verified, with no paper copy asked for.
    desk_ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    desk_page = desk_ctx.new_page()
    url = f"{live_server.url}/staff/cases/{case.pk}/licenses/{material.pk}/"
    log_in_via(desk_page, url, "reviewer_jh")
    result = desk_page.locator("[data-outcome]")
    expect(result).to_have_attribute("data-outcome", "valid")
    expect(desk_page.locator("[data-field=number]")).to_have_text(held.number)
    expect(desk_page.locator("[data-action=copy]")).to_be_visible()
    assert_no_serious_violations(desk_page, label="reviewer's view of the attached license")
    shot(desk_page, "reviewer-verified")
    desk_ctx.close()

    # Approval issues the 食品经营许可证 into the citizen's space.
    case = cases_services.case_decide(actor=approver, case=case, approved=True, reasons="符合条件")
    issued = services.license_issue_for_case(case=case, actor=approver)
    assert issued is not None
    page.goto(f"{live_server.url}/my/licenses/")
    new_card = page.locator(f'[data-license="{issued.number}"]')
    expect(new_card).to_have_attribute("data-type", "food-business-license")
    svg = new_card.locator("[data-qr] svg")
    expect(svg).to_be_visible()
    assert "<path" in pdf.qr_svg(issued.token) and new_card.locator(
        "[data-qr]"
    ).inner_html().strip().startswith("<svg")
    assert_no_horizontal_scroll(page)
    assert_no_serious_violations(page, label="my licenses (two licenses)")
    shot(page, "my-licenses-issued")

    # The QR's address is the public verification page: it accepts the code, without an account.
    anonymous = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    public = anonymous.new_page()
    public.goto(pdf.verify_url(issued.token).replace("http://127.0.0.1:8000", live_server.url))
    expect(public.locator("[data-outcome]")).to_have_attribute("data-outcome", "valid")
    expect(public.locator("[data-field=number]")).to_have_text(issued.number)
    assert_no_horizontal_scroll(public)
    assert_no_serious_violations(public, label="public verification (valid)")
    shot(public, "verify-valid")

    # A tampered code pasted into the form: "not genuine", a normal page.
    tampered = issued.token[:-2] + ("AA" if not issued.token.endswith("AA") else "BB")
    public.goto(f"{live_server.url}/licenses/verify/")
    public.locator("#token").fill(tampered)
    with public.expect_navigation():
        public.locator("[data-action=verify]").click()
    expect(public.locator("[data-outcome]")).to_have_attribute("data-outcome", "not_genuine")
    assert_no_serious_violations(public, label="public verification (not genuine)")
    shot(public, "verify-not-genuine")
    anonymous.close()
    assert License.objects.count() == 2
