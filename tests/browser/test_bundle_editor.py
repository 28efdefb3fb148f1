"""A catalog administrator builds a bundle (一件事) with the structured editor, no JSON: creates a
draft, adds two published items, maps a field of each onto one shared field, tries to publish a
conflicting mapping and reads the message naming both fields next to them, fixes it, submits it;
a second administrator approves and it is published. Axe on every page, no horizontal scroll;
screenshots to test-artifacts/.

Assertions use ids, data attributes and states; the one text asserted is the conflict message's
naming of the fields (``item.field``), which is not translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from zwfw.bundles.models import Bundle, BundleStatus
from zwfw.bundles.tests.factories import catalog_reviewer, make_newborn
from zwfw.identity.models import User

from .axe import assert_no_serious_violations
from .conftest import DESKTOP
from .test_foundation import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

Shot = Callable[[Page, str], Path]
PASSWORD = "a-Long-pass-phrase-42"


def _check(page: Page, shot: Shot, name: str) -> None:
    assert_no_horizontal_scroll(page)
    shot(page, name)
    assert_no_serious_violations(page, label=name)


def _log_in(page: Page, base: str, username: str, target: str) -> None:
    page.goto(base + target)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("[data-action=login-submit]").click()
    expect(page).to_have_url(base + target)


def _click(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def _add_item(page: Page, key: str, code: str) -> None:
    page.locator("#id_add-key").fill(key)
    page.locator("#id_add-implementation").fill(code)
    _click(page, '[data-action="add-item"]')
    expect(page.locator('[data-page="bundle-editor-item"]')).to_have_attribute("data-item", key)


def _map_field(page: Page, row: int, name: str, concept: str, label: str, type_: str) -> None:
    page.locator(f'[name="fields-{row}-name"]').fill(name)
    page.locator(f'[name="fields-{row}-concept"]').fill(concept)
    page.locator(f'[name="fields-{row}-label"]').fill(label)
    page.locator(f'[name="fields-{row}-type"]').select_option(type_)


@pytest.fixture
def reviewer_page(browser: Browser) -> Iterator[Page]:
    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")  # type: ignore[arg-type]
    ctx.set_default_timeout(10_000)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    ctx.close()
    if errors:
        pytest.fail("JavaScript errors on the reviewer's page:\n" + "\n".join(errors))


@pytest.mark.parametrize("viewport", [DESKTOP], indirect=True)
def test_catalog_admin_builds_a_bundle_with_the_structured_editor(
    live_server, page: Page, reviewer_page: Page, shot: Shot, world
):
    newborn = make_newborn(world)  # published implementations of several agencies
    author: User = world.catalog_admin_jh
    author.set_password(PASSWORD)
    author.save()
    reviewer = catalog_reviewer(world)
    reviewer.set_password(PASSWORD)
    reviewer.save()
    base = live_server.url

    # a new draft: it cannot be published with fewer than two items
    _log_in(page, base, author.username, "/bundles/editor/")
    _check(page, shot, "index")
    page.locator("#code").fill("BIRTH-TWO")
    page.locator("#name").fill("出生证明和落户一件事")
    page.locator("#region").select_option("532801")
    _click(page, '[data-action="create-bundle"]')
    expect(page.locator('[data-page="bundle-editor-detail"]')).to_have_attribute("data-bundle", "BIRTH-TWO")
    expect(page.locator('[data-check-code="bundles.too_few_items"]').first).to_be_visible()
    _check(page, shot, "new-draft")

    # the first item, picked by its implementation code; one field mapped onto child.name
    _add_item(page, "birth", newborn.impls["birth"].code)
    _map_field(page, 0, "child_name", "child.name", "新生儿姓名", "text")
    _click(page, '[data-action="save-item"]')
    expect(page.locator('[data-field-row="child_name"]')).to_be_visible()
    _check(page, shot, "item-birth")

    # the second item maps its own field onto the same shared field, but as a date: a conflict
    page.locator(".bundle-editor__back a").click()
    _add_item(page, "household", newborn.impls["household"].code)
    _map_field(page, 0, "name", "child.name", "新生儿姓名", "date")
    page.locator('[name="dependencies-0-item"]').select_option("birth")
    page.locator('[name="dependencies-0-result_as"]').select_option("birth-certificate")
    _click(page, '[data-action="save-item"]')
    conflict = page.locator('[data-field-row="name"] [data-check-code="bundles.field_conflict"]')
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("household.name")
    expect(conflict).to_contain_text("birth.child_name")
    expect(page.locator('[data-material-row="birth-certificate"] [data-provided-by="birth"]')).to_be_visible()
    _check(page, shot, "item-household-conflict")

    # trying to publish: refused, the message names the fields, next to the shared field too
    page.locator(".bundle-editor__back a").click()
    page.locator("#reason").fill("新增一件事")
    _click(page, '[data-action="submit"]')
    expect(page.locator("[data-error-summary]")).to_be_visible()
    concept = page.locator('[data-concept="child.name"] [data-check-code="bundles.field_conflict"]')
    expect(concept).to_contain_text("household.name")
    expect(concept).to_contain_text("birth.child_name")
    expect(page.locator('[data-mapped="birth.child_name"]')).to_be_visible()
    expect(page.locator('[data-mapped="household.name"]')).to_be_visible()
    _check(page, shot, "publish-refused")

    # the link in the list of failing checks leads to the shared field, which links each item
    page.locator('[data-check-list] [data-check-code="bundles.field_conflict"] a').click()
    expect(page.locator('[data-concept="child.name"]')).to_be_focused()
    _click(page, '[data-mapped="household.name"] a')
    expect(page.locator('[data-page="bundle-editor-item"]')).to_have_attribute("data-item", "household")
    page.locator('[name="fields-0-type"]').select_option("text")
    _click(page, '[data-action="save-item"]')
    expect(page.locator('[data-check-code="bundles.field_conflict"]')).to_have_count(0)
    page.locator(".bundle-editor__back a").click()
    expect(page.locator("#checks")).to_have_attribute("data-checks", "0")
    expect(page.locator('[data-passed="household.birth-certificate"]')).to_be_visible()
    _check(page, shot, "checks-pass")
    page.locator("#reason").fill("新增一件事")
    _click(page, '[data-action="submit"]')
    expect(page.locator("[data-locked]")).to_be_visible()
    expect(page.locator('[data-action="approve"]')).to_have_count(0)  # the author does not review
    _check(page, shot, "submitted")

    # another administrator approves: published
    bundle = Bundle.objects.get(code="BIRTH-TWO")
    _log_in(reviewer_page, base, reviewer.username, f"/bundles/editor/{bundle.pk}/")
    reviewer_page.locator("#comment").fill("同意发布")
    _click(reviewer_page, '[data-action="approve"]')
    expect(reviewer_page.locator("[data-bundle-status]")).to_have_attribute("data-bundle-status", "published")
    expect(reviewer_page.locator("[data-version]")).to_have_text("v1")
    _check(reviewer_page, shot, "published")
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.PUBLISHED
    items = bundle.current_version.content["items"]
    assert [(i["key"], [f["concept"] for f in i["fields"]]) for i in items] == [
        ("birth", ["child.name"]),
        ("household", ["child.name"]),
    ]
    assert items[1]["depends_on"] == [{"item": "birth", "result_as": "birth-certificate"}]


def test_the_editor_works_on_a_phone_without_horizontal_scroll(live_server, page: Page, shot: Shot, world):
    newborn = make_newborn(world)
    author: User = world.catalog_admin_jh
    author.set_password(PASSWORD)
    author.save()
    _log_in(page, live_server.url, author.username, f"/bundles/editor/{newborn.bundle.pk}/")
    _check(page, shot, "phone-overview")
    page.locator('[data-edit-item="household"]').click()
    expect(page.locator('[data-page="bundle-editor-item"]')).to_be_visible()
    _check(page, shot, "phone-item")
