"""A catalog administrator's journey in Chromium, at 360 px and at a 1280 px desk.

The author (景洪市市场监督管理局) logs in through the login page, creates an implementation, fills
the draft leaving out the complaint phone and the FAQ, saves, sees the failed checks, submits
anyway; the reviewer (景洪市政务服务管理局) sees the failures and returns it; the author fixes it and
resubmits; the reviewer approves and publishes; the author shortens the promised limit, the
reviewer publishes version 2; the history compares v1 and v2; the public guide shows the new
limit and the v1 link still shows the old one. axe runs on the list, the editor and the review
page. Assertions use ids, roles and data attributes, not the translated text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, expect

from zwfw.catalog import services
from zwfw.catalog.models import Implementation, ItemType, ServiceItem
from zwfw.core.models import Agency, AgencyKind, Region
from zwfw.core.services import agency_create, region_create
from zwfw.identity.models import Role, User
from zwfw.identity.services import staff_membership_grant, user_create

from .axe import assert_no_serious_violations
from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

Shot = Callable[[Page, str], Path]
PASSWORD = "a-Long-pass-phrase-42"


# ---------- the world, set up through the services ----------


@pytest.fixture
def catalog_world() -> dict[str, Any]:
    province = region_create(code="530000", name="云南省", level="province", parent=None)
    prefecture = region_create(code="532800", name="西双版纳傣族自治州", level="prefecture", parent=province)
    jinghong = region_create(code="532801", name="景洪市", level="county", parent=prefecture)
    region_create(code="532822", name="勐海县", level="county", parent=prefecture)
    market = agency_create(name="景洪市市场监督管理局", region=jinghong)
    bureau = agency_create(
        name="景洪市政务服务管理局", region=jinghong, kind=AgencyKind.SERVICE_ADMINISTRATION
    )
    author = user_create(username="zhangmin", password=PASSWORD, display_name="张敏", actor=None)
    staff_membership_grant(user=author, agency=market, role=Role.CATALOG_ADMIN, system=True)
    reviewer = user_create(username="wanglei", password=PASSWORD, display_name="王磊", actor=None)
    staff_membership_grant(user=reviewer, agency=bureau, role=Role.CATALOG_ADMIN, system=True)
    item = services.service_item_create(
        actor=author,
        region=jinghong,
        base_code="11532801MB0000001-XK-001",
        name="食品经营许可",
        item_type=ItemType.LICENSING,
        legal_basis="《中华人民共和国食品安全法》第三十五条",
        competent_department="市场监督管理部门",
        exercised_levels=["county"],
    )
    return {"region": jinghong, "market": market, "author": author, "reviewer": reviewer, "item": item}


def _new_context(browser: Browser, viewport: dict[str, int]) -> BrowserContext:
    """A second person's browser, set up like the harness's ``context`` fixture."""
    phone = viewport["width"] < 600
    ctx = browser.new_context(
        viewport=viewport,  # type: ignore[arg-type]
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        is_mobile=phone,
        has_touch=phone,
    )
    ctx.set_default_timeout(10_000)
    return ctx


@pytest.fixture
def reviewer_page(browser: Browser, viewport: dict[str, int]) -> Iterator[Page]:
    ctx = _new_context(browser, viewport)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    ctx.close()
    if errors:
        pytest.fail("JavaScript errors on the reviewer's page:\n" + "\n".join(errors))


# ---------- helpers ----------


def log_in(page: Page, base: str, username: str, target: str) -> None:
    """Open a workbench page, get sent to the login page, log in, arrive where we wanted."""
    page.goto(base + target)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("[data-action=login-submit]").click()
    expect(page).to_have_url(base + target)


def click_and_wait(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def no_horizontal_scroll(page: Page) -> None:
    """The page is no wider than the screen; on failure name the elements that stick out."""
    result = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll('body *')]
              .filter(el => { const r = el.getBoundingClientRect();
                              return r.width > 0 && r.right > width + 1 && !el.closest('.visually-hidden'); })
              .slice(0, 8)
              .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                   + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().replace(/\\s+/g, '.') : '')
                   + ' right=' + Math.round(el.getBoundingClientRect().right));
            return {scroll: document.documentElement.scrollWidth, width, wide};
        }"""
    )
    assert result["scroll"] <= result["width"], f"horizontal scroll: {result}"


def fill_row(page: Page, prefix: str, index: int, **values: str) -> None:
    for name, value in values.items():
        locator = page.locator(f"#id_{prefix}-{index}-{name}")
        if locator.evaluate("el => el.tagName") == "SELECT":
            locator.select_option(value)
        else:
            locator.fill(value)


def add_row(page: Page, prefix: str) -> int:
    """Click the list's "add a row" button (JavaScript copies an empty row); return its index."""
    total = page.locator(f"#id_{prefix}-TOTAL_FORMS")
    before = int(total.input_value())
    page.locator(f"[data-add-row={prefix}]").click()
    expect(total).to_have_value(str(before + 1))
    expect(page.locator(f"#id_{prefix}-{before}-name")).to_be_focused()
    return before


def check_codes(page: Page) -> set[str]:
    return set(page.locator("[data-check-list] li").evaluate_all("els => els.map(e => e.dataset.checkCode)"))


def screen(page: Page, shot_path: Path, name: str, selector: str | None = None) -> None:
    """Also keep what the person sees on the screen (or one part of the page) next to ``shot_path``."""
    path = shot_path.parent / f"{shot_path.stem}-{name}.png"
    if selector:
        page.locator(selector).first.screenshot(path=str(path))
    else:
        page.screenshot(path=str(path))


def limit_text_zh(value: int) -> str:
    from zwfw.catalog.guide import limit_text

    with translation.override("zh-hans"):
        return limit_text(value, "working_days")


# ---------- the journey ----------


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], indirect=True, ids=["phone", "desktop"])
def test_catalog_admin_journey(
    live_server, page: Page, reviewer_page: Page, shot: Shot, catalog_world: dict[str, Any]
) -> None:
    base = live_server.url
    item: ServiceItem = catalog_world["item"]
    market: Agency = catalog_world["market"]
    author_page, review = page, reviewer_page

    # --- the author logs in and starts an implementation ---
    log_in(author_page, base, "zhangmin", "/workbench/catalog/")
    expect(author_page.locator("[data-result-count]")).to_have_attribute("data-result-count", "0")
    no_horizontal_scroll(author_page)
    shot(author_page, "list-empty")
    assert_no_serious_violations(author_page, label="workbench list")

    click_and_wait(author_page, "[data-action=new-implementation]")
    author_page.locator("#id_item").select_option(str(item.pk))
    author_page.locator("#id_agency").select_option(str(market.pk))
    shot(author_page, "new-implementation")
    click_and_wait(author_page, "[data-action=create-implementation]")
    impl = Implementation.objects.get(item=item, agency=market)
    edit_url = f"{base}/workbench/catalog/{impl.pk}/edit/"
    expect(author_page).to_have_url(re.compile(rf"/workbench/catalog/{impl.pk}/edit/"))
    expect(author_page.locator("[data-uniform]")).to_be_visible()
    no_horizontal_scroll(author_page)

    # --- fills the draft, without the complaint phone and the FAQ ---
    p = author_page
    p.locator("#id_service_objects_1").check()  # legal persons too
    p.locator("#id_acceptance_conditions").fill("申请人已取得营业执照，有与经营食品相适应的场所。")
    fill_row(p, "materials", 0, name="食品经营许可申请书")
    fill_row(p, "materials", 1, name="营业执照", source="e_license", license_type="营业执照", copies="200")
    for index, name in enumerate(["受理", "审查"]):
        fill_row(p, "steps", index, name=name)
    for name in ("决定", "送达"):
        fill_row(p, "steps", add_row(p, "steps"), name=name)
    p.locator("#id_handling_forms_2").check()  # by post
    p.locator("#id_visit_reason").fill("现场核验身份证件及原件。")
    p.locator("#id_statutory_limit").fill("20")
    p.locator("#id_promised_limit").fill("10")
    p.locator("#id_place").fill("景洪市政务服务中心一楼市场监管综合窗口")
    p.locator("#id_hours").fill("周一至周五 9:00-12:00，14:30-18:00（法定节假日除外）")
    p.locator("#id_consultation_phone").fill("0691-2123456")
    p.locator("#id_online_depth").select_option("3")
    p.locator("#id_online_url_pc").fill("https://zwfw.yn.gov.cn/item/food-license")
    p.locator("#id_result_name").fill("食品经营许可证")
    p.locator("#id_result_sample").fill("食品经营许可证（样本）")
    screen(p, shot(p, "draft-filled"), "top")

    # A shape error first (200 copies): shown next to the input and in the summary; nothing saved.
    click_and_wait(p, "[data-action=save-draft]")
    summary = p.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.locator("[data-problem-field='materials.1.copies'] a")).to_have_attribute(
        "href", "#id_materials-1-copies"
    )
    expect(p.locator("#id_materials-1-copies_error")).to_be_visible()
    expect(p.locator("#id_materials-1-copies")).to_have_attribute("aria-invalid", "true")
    expect(p.locator("#id_steps-3-name")).to_have_value("送达")  # what was typed is kept
    assert Implementation.objects.get(pk=impl.pk).draft["steps"] == []
    screen(p, shot(p, "draft-shape-error"), "screen")
    summary.locator("a").first.click()
    expect(p.locator("#id_materials-1-copies")).to_be_focused()
    p.locator("#id_materials-1-copies").fill("1")

    # Saved: every failed check is listed at once and each link leads to its input.
    click_and_wait(p, "[data-action=save-draft]")
    expect(p).to_have_url(re.compile(r"/edit/#checks$"))
    expect(p.locator("[data-checks]")).not_to_have_attribute("data-checks", "0")
    assert {"catalog.check.complaint_missing", "catalog.check.faq_missing"} <= check_codes(p)
    expect(p.locator("#id_complaint_phone_check")).to_be_visible()
    saved_shot = shot(p, "draft-saved-with-failed-checks")
    screen(p, saved_shot, "checks", "#checks")
    screen(p, saved_shot, "materials", "#rows-materials")
    screen(p, saved_shot, "contacts", "#section-contacts")
    assert_no_serious_violations(p, label="draft editor with failed checks")
    p.locator("[data-check-code='catalog.check.complaint_missing'] a").click()
    expect(p.locator("#id_complaint_phone")).to_be_focused()
    no_horizontal_scroll(p)

    # Submits anyway.
    click_and_wait(p, "[data-action=to-submit]")
    expect(p.locator("#id_kind_0")).to_be_checked()
    p.locator("#id_reason").fill("本单位新增实施食品经营许可。")
    click_and_wait(p, "[data-action=submit-adjustment]")
    expect(p.locator("[data-adjustment-status]")).to_have_attribute("data-adjustment-status", "submitted")
    review_path = re.sub(r"^https?://[^/]+", "", p.url)
    shot(p, "submitted")

    # --- the reviewer sees every failure and returns it ---
    log_in(review, base, "wanglei", "/workbench/catalog/reviews/")
    expect(review.locator("[data-adjustments=submitted] tr[data-adjustment]")).to_have_count(1)
    click_and_wait(review, "[data-adjustments=submitted] tr[data-adjustment] a")
    expect(review).to_have_url(base + review_path)
    assert {"catalog.check.complaint_missing", "catalog.check.faq_missing"} <= check_codes(review)
    expect(review.locator("[data-first-publication]")).to_be_visible()
    screen(review, shot(review, "review-with-failures"), "screen")
    assert_no_serious_violations(review, label="review page")
    click_and_wait(review, "[data-action=approve]")  # refused: checks fail
    expect(review.locator("[data-message-level=error]")).to_be_visible()
    expect(review.locator("[data-adjustment-status]")).to_have_attribute(
        "data-adjustment-status", "submitted"
    )
    review.locator("#id_comment").fill("请补充投诉电话，并至少填写一条常见问题。")
    click_and_wait(review, "[data-action=reject]")
    expect(review.locator("[data-adjustment-status]")).to_have_attribute("data-adjustment-status", "rejected")
    shot(review, "returned")

    # --- the author fixes the draft and submits again ---
    p.goto(edit_url)
    expect(p.locator("[data-returned]")).to_contain_text("请补充投诉电话")
    p.locator("#id_complaint_phone").fill("0691-12345")
    p.locator("#id_faq-0-question").fill("可以网上申请吗？")
    p.locator("#id_faq-0-answer").fill("可以，登录云南政务服务网在线申请，材料齐全的当场受理。")
    click_and_wait(p, "[data-action=save-draft]")
    expect(p.locator("[data-checks]")).to_have_attribute("data-checks", "0")
    shot(p, "draft-fixed")
    click_and_wait(p, "[data-action=to-submit]")
    p.locator("#id_reason").fill("已按审核意见补正。")
    click_and_wait(p, "[data-action=submit-adjustment]")
    second_review = re.sub(r"^https?://[^/]+", "", p.url)

    # --- the reviewer approves, then publishes ---
    review.goto(base + second_review)
    expect(review.locator("[data-checks]")).to_have_attribute("data-checks", "0")
    click_and_wait(review, "[data-action=approve]")
    expect(review.locator("[data-adjustment-status]")).to_have_attribute("data-adjustment-status", "approved")
    click_and_wait(review, "[data-action=publish]")
    expect(review.locator("[data-adjustment-status]")).to_have_attribute(
        "data-adjustment-status", "published"
    )
    impl.refresh_from_db()
    assert impl.current_version is not None and impl.current_version.number == 1

    # --- the author shortens the promised limit; the reviewer publishes version 2 ---
    p.goto(edit_url)
    p.locator("#id_promised_limit").fill("5")
    click_and_wait(p, "[data-action=save-draft]")
    click_and_wait(p, "[data-action=to-submit]")
    expect(p.locator("#id_kind_0")).to_have_value("change")
    expect(p.locator("#id_kind_0")).to_be_checked()
    p.locator("#id_reason").fill("压缩承诺时限至5个工作日。")
    click_and_wait(p, "[data-action=submit-adjustment]")
    third_review = re.sub(r"^https?://[^/]+", "", p.url)
    review.goto(base + third_review)
    change = review.locator("[data-diff] tr[data-change-field=promised_limit]")
    expect(change.locator("del")).to_have_text(re.compile(r"^10\b"))
    expect(change.locator("ins")).to_have_text(re.compile(r"^5\b"))
    screen(review, shot(review, "review-change-diff"), "diff", "[data-diff]")
    click_and_wait(review, "[data-action=approve-publish]")
    expect(review.locator("[data-adjustment-status]")).to_have_attribute(
        "data-adjustment-status", "published"
    )

    # --- the history compares v1 and v2 ---
    p.goto(f"{base}/workbench/catalog/{impl.pk}/history/")
    expect(p.locator("[data-versions] tr[data-version]")).to_have_count(2)
    expect(p.locator("#id_from_version")).to_have_value("1")
    expect(p.locator("#id_to_version")).to_have_value("2")
    shot(p, "history")
    click_and_wait(p, "[data-action=compare]")
    rows = p.locator("[data-diff] tr[data-change-field]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-change-field", "promised_limit")
    expect(rows.first.locator("del")).to_have_text(re.compile(r"^10\b"))
    expect(rows.first.locator("ins")).to_have_text(re.compile(r"^5\b"))
    no_horizontal_scroll(p)
    shot(p, "compare-v1-v2")

    # --- the public guide shows v2; the v1 link still shows the old limit ---
    click_and_wait(p, "[data-guide-link='1']")
    expect(p).to_have_url(f"{base}/guides/{impl.pk}/v1/")
    guide = p.locator("article.guide")
    expect(guide).to_have_attribute("data-version", "1")
    expect(guide).to_contain_text(limit_text_zh(10))
    shot(p, "guide-v1")
    p.goto(f"{base}/guides/{impl.pk}/")
    expect(guide).to_have_attribute("data-version", "2")
    expect(guide).to_contain_text(limit_text_zh(5))
    expect(guide).not_to_contain_text(limit_text_zh(10))
    shot(p, "guide-current")

    # The same through the public versions API.
    versions = p.request.get(f"{base}/api/v1/catalog/implementations/{impl.pk}/versions").json()
    assert [v["number"] for v in versions] == [1, 2]


@pytest.mark.parametrize("javascript", [False], indirect=True, ids=["no-js"])
def test_rows_can_be_added_without_javascript(
    live_server, page: Page, shot: Shot, catalog_world: dict[str, Any]
) -> None:
    impl = services.implementation_create(
        actor=catalog_world["author"], item=catalog_world["item"], agency=catalog_world["market"]
    )
    log_in(page, live_server.url, "zhangmin", f"/workbench/catalog/{impl.pk}/edit/")
    fill_row(page, "steps", 0, name="受理")
    fill_row(page, "steps", 1, name="审查")
    click_and_wait(page, "[data-add-row=steps]")
    expect(page.locator("#id_steps-TOTAL_FORMS")).to_have_value("3")
    expect(page.locator("#id_steps-1-name")).to_have_value("审查")
    fill_row(page, "steps", 2, name="决定")
    click_and_wait(page, "[data-action=save-draft]")
    assert [s["name"] for s in Implementation.objects.get(pk=impl.pk).draft["steps"]] == [
        "受理",
        "审查",
        "决定",
    ]
    shot(page, "no-js-rows-saved")


def test_other_people_are_kept_out(live_server, page: Page, catalog_world: dict[str, Any]) -> None:
    region: Region = catalog_world["region"]
    clerk: User = user_create(username="clerk", password=PASSWORD, actor=None)
    staff_membership_grant(user=clerk, agency=catalog_world["market"], role=Role.WINDOW_CLERK, system=True)
    menghai = Region.objects.get(code="532822")
    other = user_create(username="mh_admin", password=PASSWORD, actor=None)
    staff_membership_grant(
        user=other,
        agency=agency_create(name="勐海县市场监督管理局", region=menghai),
        role=Role.CATALOG_ADMIN,
        system=True,
    )
    impl = services.implementation_create(
        actor=catalog_world["author"], item=catalog_world["item"], agency=catalog_world["market"]
    )
    assert impl.region == region
    log_in(page, live_server.url, "clerk", "/workbench/catalog/")
    expect(page.locator("[data-status='403']")).to_be_visible()
    page.locator("[data-action=logout]").click()
    log_in(page, live_server.url, "mh_admin", f"/workbench/catalog/{impl.pk}/edit/")
    expect(page.locator("[data-status='404']")).to_be_visible()
