"""好差评 on a 360 px phone: a citizen rates a concluded case 1 star with a comment; the handling
agency sees the rectification due in 15 working days, records the call-back, the verification,
the fix and the answer; the citizen rates the rectification; the public page shows the count and
the answer without the citizen's name or ID number. Axe on every page; screenshots to
test-artifacts/. Assertions use ids, data attributes and states, never translated text.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from zwfw.cases.tests.conftest import desk  # noqa: F401 - the fixture
from zwfw.core.calendar import add_working_days
from zwfw.evaluations.models import Rectification
from zwfw.evaluations.tests.factories import concluded_case

from .axe import assert_no_serious_violations
from .conftest import DESKTOP
from .test_foundation import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

Shot = Callable[[Page, str], Path]
PASSWORD = "pw"  # the desk fixture's password


def log_in_via(page: Page, url: str, username: str, password: str = PASSWORD) -> None:
    """Open a page that needs login: the login form comes first, then the page itself."""
    page.context.clear_cookies()
    page.goto(url)
    expect(page.locator("[data-login-form]")).to_be_visible()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("[data-action=login-submit]").click()
    expect(page).to_have_url(url)


def check_page(page: Page, shot: Shot, name: str, *, elder: bool = False) -> None:
    """Fits the phone, passes axe and is photographed (and in elder mode when asked)."""
    assert_no_horizontal_scroll(page)
    shot(page, name)
    assert_no_serious_violations(page, label=name)
    if elder:
        page.context.add_cookies([{"name": "zwfw_elder", "value": "1", "url": page.url}])
        page.reload()
        expect(page.locator("html")).to_have_class("elder")
        assert_no_horizontal_scroll(page)
        shot(page, name + "-elder")
        assert_no_serious_violations(page, label=name + " (elder mode)", enhanced_contrast=True)
        page.context.clear_cookies(name="zwfw_elder")
        page.reload()


def test_bad_rating_is_rectified_answered_rated_and_published(
    page: Page,
    live_server,
    shot: Shot,
    desk,  # noqa: F811 - the imported fixture
) -> None:
    case = concluded_case(desk)
    base = live_server.url

    # 1. the citizen rates the concluded case 1 star with a comment
    log_in_via(page, f"{base}/my/cases/{case.pk}/rate/", "yuxiang")
    check_page(page, shot, "rate", elder=True)
    page.locator("details.ev-details summary").click()
    page.locator("#ind-overall").select_option("1")
    page.locator('label:has([data-grade="1"])').click()
    page.locator("#comment").fill("等了很久，窗口说材料不全但没讲清楚缺什么。")
    with page.expect_navigation():
        page.locator("[data-action=rate]").click()
    rating = page.locator("[data-rating-id]").first
    expect(rating).to_have_attribute("data-grade", "1")
    expect(rating.locator("[data-rectification-status]")).to_have_attribute(
        "data-rectification-status", "open"
    )
    check_page(page, shot, "my-ratings-open")
    rect = Rectification.objects.get()
    due = add_working_days(timezone.localdate(), 15)
    assert rect.due_date == due

    # 2. the handling agency: due in 15 working days; call-back, verification, fix and answer
    log_in_via(page, f"{base}/workbench/rectifications/", "reviewer_jh")
    row = page.locator(f'[data-rectification-id="{rect.pk}"]')
    expect(row.locator("[data-due]")).to_have_attribute("data-due", due.isoformat())
    check_page(page, shot, "queue")
    row.locator("a").click()
    expect(page.locator('[data-page="rectification"]')).to_have_attribute("data-due", due.isoformat())
    check_page(page, shot, "rectification-open")
    page.locator("#note").fill("已电话回访，申请人反映补正告知不清。")
    with page.expect_navigation():
        page.locator("[data-action=callback]").click()
    expect(page.locator('[data-record="callback"]')).to_be_visible()
    page.locator('label:has([data-classification="fix_now"])').click()
    page.locator("#finding").fill("一次性告知单未列明缺少的材料，情况属实。")
    with page.expect_navigation():
        page.locator("[data-action=classify]").click()
    page.locator("#fix_text").fill("已修订一次性告知单模板，并对窗口人员进行培训。")
    page.locator("#answer_text").fill(
        "玉香您好：您反映的问题属实，我们已修订告知单并培训窗口人员。身份证号532801199001011234 的核验问题已解决。"
    )
    with page.expect_navigation():
        page.locator("[data-action=answer]").click()
    expect(page.locator('[data-page="rectification"]')).to_have_attribute("data-status", "answered")
    check_page(page, shot, "rectification-answered")

    # 3. the citizen reads the answer and rates the rectification once
    log_in_via(page, f"{base}/my/ratings/", "yuxiang")
    expect(page.locator("[data-answer]")).to_be_visible()
    page.locator('label:has([data-rect-grade="5"])').click()
    with page.expect_navigation():
        page.locator("[data-action=rate-rectification]").click()
    expect(page.locator("[data-rectification-rated]")).to_have_attribute("data-rectification-rated", "5")
    expect(page.locator("[data-action=rate-rectification]")).to_have_count(0)
    check_page(page, shot, "my-ratings-rated")

    # 4. the public page: the count and the answer, without the citizen's name or ID number
    page.context.clear_cookies()
    page.goto(f"{base}/ratings/public/532801/")
    expect(page.locator('[data-stat="ratings"]')).to_have_text("1")
    expect(page.locator('[data-stat="bad"]')).to_have_text("1")
    answer = page.locator("[data-public-answer]")
    expect(answer).to_have_count(1)
    html = page.content()
    person = desk.person
    assert person.name not in html and "532801199001011234" not in html
    assert person.id_number_masked not in html
    check_page(page, shot, "public", elder=True)


@pytest.mark.parametrize("viewport", [DESKTOP], indirect=True)
def test_dashboard_and_plan_for_staff(page: Page, live_server, shot: Shot, desk) -> None:  # noqa: F811
    from django.core.management import call_command

    from zwfw.evaluations import services

    case = concluded_case(desk)
    services.evaluation_submit(actor=desk.citizen, case=case, stage="conclusion", grade=4)
    call_command("plan_load", stdout=io.StringIO())
    base = live_server.url
    log_in_via(page, f"{base}/dashboard/?region=532800", "supervisor_pref", "pw-supervisor_pref")
    expect(page.locator('[data-figure="good_rating_rate"]')).to_have_attribute("data-value", "100.0")
    assert page.locator("svg.chart").count() >= 3
    check_page(page, shot, "dashboard")
    page.goto(f"{base}/plan/")
    expect(page.locator('[data-task="12"]')).to_be_visible()
    check_page(page, shot, "plan")
