"""The shared layout in a real browser: log in, elder-friendly mode, region, 360 px, axe.

Assertions use ids, roles and data attributes, never the (not yet merged) Chinese text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from zwfw.core.models import AgencyKind, Region
from zwfw.core.services import agency_create, region_create
from zwfw.identity.models import Role, User
from zwfw.identity.services import staff_membership_grant, user_create

from .axe import assert_no_serious_violations
from .conftest import DESKTOP

pytestmark = pytest.mark.browser

Shot = Callable[[Page, str], Path]
PASSWORD = "a-Long-pass-phrase-42"
MIN_TARGET_PX = 44
ELDER = re.compile(r"(^|\s)elder(\s|$)")


@pytest.fixture
def regions() -> dict[str, Region]:
    province = region_create(code="530000", name="云南省", level="province", parent=None)
    prefecture = region_create(code="532800", name="西双版纳傣族自治州", level="prefecture", parent=province)
    county = region_create(code="532801", name="景洪市", level="county", parent=prefecture)
    region_create(code="532822", name="勐海县", level="county", parent=prefecture)
    region_create(code="532823", name="勐腊县", level="county", parent=prefecture)
    return {"prefecture": prefecture, "county": county}


@pytest.fixture
def clerk(regions: dict[str, Region]) -> User:
    """A window clerk of the Jinghong service administration (created as the system would)."""
    user = user_create(username="lina", password=PASSWORD, display_name="李娜", actor=None)
    agency = agency_create(
        name="景洪市政务服务管理局", region=regions["county"], kind=AgencyKind.SERVICE_ADMINISTRATION
    )
    staff_membership_grant(user=user, agency=agency, role=Role.WINDOW_CLERK, system=True)
    return user


# ---------- helpers ----------


def root_font_px(page: Page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))


def body_font_px(page: Page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))


def assert_no_horizontal_scroll(page: Page) -> None:
    """The page is no wider than the viewport; on failure name the elements that stick out."""
    result = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll('body *')]
              .filter(el => {
                const r = el.getBoundingClientRect();
                return r.width > 0 && r.right > width + 1 && !el.closest('.visually-hidden');
              })
              .slice(0, 8)
              .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                   + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\\s+/g, '.') : '')
                   + ' right=' + Math.round(el.getBoundingClientRect().right));
            return {scroll: document.documentElement.scrollWidth, width, inner: window.innerWidth, wide};
        }"""
    )
    assert result["scroll"] <= result["width"], f"horizontal scroll: {result}"
    viewport = page.viewport_size
    assert viewport is not None
    # A mobile browser zooms out (widening the layout viewport) when content overflows.
    assert result["width"] == viewport["width"], f"layout viewport widened: {result}"


def assert_touch_targets(page: Page, minimum: int = MIN_TARGET_PX) -> None:
    """Every visible button, field and card is at least ``minimum`` CSS pixels tall and wide."""
    small = page.evaluate(
        """(minimum) => [...document.querySelectorAll(
              '.btn, button, select, input:not([type=hidden]), .card, .site-footer a')]
            .filter(el => el.offsetParent !== null)
            .map(el => ({el, r: el.getBoundingClientRect()}))
            .filter(({r}) => r.height < minimum || r.width < minimum)
            .map(({el, r}) => el.outerHTML.slice(0, 80) + ` ${Math.round(r.width)}x${Math.round(r.height)}`)""",
        minimum,
    )
    assert not small, f"touch targets under {minimum}px:\n" + "\n".join(small)


def elder_cookie(page: Page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == "zwfw_elder"), None)


# ---------- tests ----------


@pytest.mark.smoke
def test_home_fits_a_phone_and_passes_axe(live_server, page: Page, shot: Shot) -> None:
    page.goto(live_server.url + "/?q=sfz")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main#main h1")).to_have_count(1)
    expect(page.locator("[data-area]")).to_have_count(4)
    expect(page.get_by_role("search").locator("#search-q")).to_be_visible()
    assert_no_horizontal_scroll(page)
    shot(page, "home")
    assert_no_serious_violations(page, label="home")


def test_journey_login_elder_mode_region_and_logout(live_server, page: Page, shot: Shot, clerk: User) -> None:
    html = page.locator("html")
    toggle = page.locator("#elder-toggle")

    # The home page, as an anonymous visitor on a 360 px phone.
    page.goto(live_server.url + "/")
    assert_no_horizontal_scroll(page)
    assert_touch_targets(page)
    shot(page, "home-anonymous")

    # Keyboard: the first Tab reaches the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    shot(page, "skip-link-focused")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    # Log in through the form: first with a wrong password, then properly.
    with page.expect_navigation():
        page.locator("[data-action=login]").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("label[for=id_username]")).to_be_visible()
    expect(page.locator("#id_username")).to_have_attribute("autocomplete", "username")
    expect(page.locator("#id_password")).to_have_attribute("autocomplete", "current-password")
    assert_no_horizontal_scroll(page)
    shot(page, "login")
    assert_no_serious_violations(page, label="login page")

    page.locator("#id_username").fill("lina")
    page.locator("#id_password").fill("wrong password")
    with page.expect_navigation():
        page.locator("[data-action=login-submit]").click()
    summary = page.get_by_role("alert")
    expect(summary).to_have_attribute("data-error-summary", "")
    expect(summary).to_be_focused()
    shot(page, "login-error")
    assert_no_serious_violations(page, label="login page with errors")

    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("[data-action=login-submit]").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("[data-account-name]")).to_have_text("李娜")
    expect(page.locator("[data-account-roles] li")).to_have_count(1)
    expect(page.locator("[data-message-level=success]")).to_be_visible()
    expect(page.locator("[data-action=logout]")).to_be_visible()
    assert_no_horizontal_scroll(page)
    shot(page, "home-logged-in")
    assert_no_serious_violations(page, label="home, logged in, normal mode")

    # Turn on elder-friendly mode: bigger type, a pressed toggle, a cookie for a year.
    normal_root, normal_body = root_font_px(page), body_font_px(page)
    normal_button = page.locator("[data-action=logout]").bounding_box()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert elder_cookie(page) is None
    page.locator("#search-q").fill("sfz")  # typed text survives the switch (no reload)
    toggle.click()
    expect(html).to_have_class(ELDER)
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#search-q")).to_have_value("sfz")
    assert root_font_px(page) >= 20 and root_font_px(page) >= normal_root * 1.25
    assert body_font_px(page) >= 20 and body_font_px(page) > normal_body
    elder_button = page.locator("[data-action=logout]").bounding_box()
    assert normal_button and elder_button and elder_button["height"] >= 1.2 * normal_button["height"]
    cookie = elder_cookie(page)
    assert cookie is not None and cookie["value"] == "1"
    assert cookie["sameSite"] == "Lax"
    assert cookie["expires"] > time.time() + 360 * 24 * 3600
    assert_no_horizontal_scroll(page)
    assert_touch_targets(page)
    shot(page, "home-elder")
    assert_no_serious_violations(page, label="home, logged in, elder mode", enhanced_contrast=True)

    # Remembered: after a reload and on another page.
    page.reload()
    expect(html).to_have_class(ELDER)
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert root_font_px(page) >= 20
    page.locator("#search-q").fill("sfz")
    with page.expect_navigation():
        page.locator("#search-q").press("Enter")
    expect(page).to_have_url(re.compile(r"/guides/\?q=sfz$"))
    expect(page.locator("[data-search-results]")).to_be_visible()
    expect(html).to_have_class(ELDER)
    shot(page, "search-results-elder")
    page.goto(live_server.url + "/?q=sfz")

    # Switch region: the choice is shown back and confirmed in the status area.
    page.locator("#region-select").select_option("532801")
    with page.expect_navigation():
        page.locator("[data-action=switch-region]").click()
    expect(page.locator("[data-region-switcher]")).to_have_attribute("data-current-region", "532801")
    expect(page.locator("#messages [data-message-level=success]")).to_be_visible()
    expect(page.locator("#region-select")).to_have_value("532801")
    expect(page.locator("[data-region-lead]")).to_have_attribute("data-region-lead", "532801")
    expect(page).to_have_url(re.compile(r"/\?q=sfz$"))  # back where the visitor was
    assert_no_horizontal_scroll(page)
    shot(page, "region-switched-elder")

    # Log out (POST): still elder mode, and the login page in elder mode passes axe too.
    with page.expect_navigation():
        page.locator("[data-action=logout]").click()
    expect(page.locator("[data-action=login]")).to_be_visible()
    expect(page.locator("[data-account-name]")).to_have_count(0)
    expect(html).to_have_class(ELDER)
    expect(page.locator("#region-select")).to_have_value("532801")  # kept across logout
    with page.expect_navigation():
        page.locator("[data-action=login]").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(html).to_have_class(ELDER)
    assert_no_horizontal_scroll(page)
    assert_touch_targets(page)
    shot(page, "login-elder")
    assert_no_serious_violations(page, label="login page, elder mode", enhanced_contrast=True)

    # And off again: normal size, cookie gone.
    toggle.click()
    expect(html).not_to_have_class(ELDER)
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert root_font_px(page) == normal_root
    assert elder_cookie(page) is None
    page.reload()
    expect(html).not_to_have_class(ELDER)


@pytest.mark.parametrize("javascript", [False], indirect=True, ids=["no-js"])
def test_elder_mode_and_region_work_without_javascript(
    live_server, page: Page, shot: Shot, regions: dict[str, Region]
) -> None:
    page.goto(live_server.url + "/?q=abc")
    with page.expect_navigation():
        page.locator("#elder-toggle").click()
    expect(page).to_have_url(live_server.url + "/?q=abc")
    expect(page.locator("html")).to_have_class(ELDER)
    expect(page.locator("#elder-toggle")).to_have_attribute("aria-pressed", "true")
    assert root_font_px(page) >= 20

    page.locator("#region-select").select_option("532800")
    with page.expect_navigation():
        page.locator("[data-action=switch-region]").click()
    expect(page.locator("[data-region-switcher]")).to_have_attribute("data-current-region", "532800")
    shot(page, "no-js-elder-region")

    with page.expect_navigation():
        page.locator("#elder-toggle").click()
    expect(page.locator("html")).not_to_have_class(ELDER)


@pytest.mark.parametrize("viewport", [DESKTOP], indirect=True, ids=["desktop"])
def test_clerk_desktop_header_passes_axe_in_both_modes(
    live_server, page: Page, shot: Shot, clerk: User
) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("lina")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("[data-action=login-submit]").click()
    expect(page.locator("[data-account-name]")).to_be_visible()
    assert_no_horizontal_scroll(page)
    shot(page, "desktop-normal")
    assert_no_serious_violations(page, label="desktop home, normal mode")
    page.locator("#elder-toggle").click()
    expect(page.locator("html")).to_have_class(ELDER)
    assert_no_horizontal_scroll(page)
    shot(page, "desktop-elder")
    assert_no_serious_violations(page, label="desktop home, elder mode", enhanced_contrast=True)


def test_a_missing_page_keeps_the_layout_and_passes_axe(live_server, page: Page, shot: Shot) -> None:
    response = page.goto(live_server.url + "/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.locator("#error-heading")).to_be_visible()
    expect(page.locator(".error-page a.btn--primary")).to_have_attribute("href", "/")
    assert_no_serious_violations(page)
    shot(page, "not-found")
