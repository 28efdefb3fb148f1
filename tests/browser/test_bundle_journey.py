"""A parent on a 360 px phone applies for 新生儿出生一件事 with one form: each shared question
and material once; four agencies each get their child case with only their fields; the
household registration starts only when the birth certificate exists; the parent follows one
status until every result is there. The agencies play their part through the services (the
case engine's hook is called as ``cases.services.case_decide`` will call it once wired). Axe
on every page; screenshots to test-artifacts/.

Assertions use ids, data attributes and states, never the translated text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import make_id_number
from zwfw.bundles import services as bundle_services
from zwfw.bundles.models import BundleCase, BundleChildState
from zwfw.bundles.tests.factories import form_values, make_newborn
from zwfw.cases import services as case_services
from zwfw.cases.models import Case, CaseState
from zwfw.cases.tests.factories import PDF
from zwfw.identity import services as identity_services

from .axe import assert_no_serious_violations
from .test_foundation import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

Shot = Callable[[Page, str], Path]
PASSWORD = "a-Long-pass-phrase-42"


def _check(page: Page, shot: Shot, name: str) -> None:
    assert_no_horizontal_scroll(page)
    shot(page, name)
    assert_no_serious_violations(page, label=name)


def _decide(case: Case, staff) -> Case:
    case_services.case_accept(actor=staff, case=case)
    case_services.case_start_review(actor=staff, case=case)
    decided = case_services.case_decide(
        actor=staff, case=case, approved=True, reasons="", result_content=PDF, result_filename="result.pdf"
    )
    bundle_services.bundle_child_decided(case=decided, actor=staff)
    return decided


def test_parent_applies_for_the_newborn_bundle_in_one_form(
    live_server, page: Page, shot: Shot, world, tmp_path
):
    newborn = make_newborn(world)
    person = identity_services.person_register(
        name="玉香", id_number=make_id_number(seq="202"), region=world.jinghong, system=True
    )
    identity_services.user_create(username="parent", password=PASSWORD, person=person)
    files = {}
    for key in ("mother-id", "birth-record", "household"):
        files[key] = tmp_path / f"{key}.pdf"
        files[key].write_bytes(PDF)

    # the guide: one notice for every item; the situation narrows it
    page.goto(f"{live_server.url}/bundles/NEWBORN/")
    expect(page.locator('[data-item="card"]')).to_be_visible()
    _check(page, shot, "guide")
    page.locator('input[name="answer-need-card"][value="no"]').check()
    page.locator("[data-situation-form] button[type=submit]").click()
    expect(page.locator('[data-item="card"]')).to_have_count(0)
    expect(page.locator('[data-from-result="birth-certificate"]')).to_be_visible()
    _check(page, shot, "guide-narrowed")

    # apply: log in, then one form
    page.locator('[data-action="apply"]').click()
    page.locator("#id_username").fill("parent")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("[data-action=login-submit]").click()
    expect(page.locator("[data-bundle-form]")).to_be_visible()
    expect(page.locator('[name="field-child.name"]')).to_have_count(1)  # asked once for three items
    expect(page.locator('[name="material-mother-id"]')).to_have_count(1)  # uploaded once for three items
    _check(page, shot, "form")
    page.locator('[data-action="submit"]').click()  # empty: every problem at once
    expect(page.locator("[data-error-summary]")).to_be_visible()
    _check(page, shot, "form-errors")
    for concept, value in form_values().items():
        page.locator(f'[name="field-{concept}"]').fill(value)
    for key, path in files.items():
        page.locator(f"#material-{key}").set_input_files(str(path))
    with page.expect_navigation():
        page.locator('[data-action="submit"]').click()
    expect(page.locator('[data-page="bundle-case"]')).to_have_attribute("data-state", "submitted")
    expect(page.locator("[data-child]")).to_have_count(4)
    expect(page.locator('[data-child="household"]')).to_have_attribute("data-child-state", "waiting")
    _check(page, shot, "status-submitted")

    # four agencies, each its own case with only its fields
    bundle_case = BundleCase.objects.get()
    children = {c.item_key: c for c in bundle_case.children.select_related("case__agency")}
    assert len({c.case.agency_id for c in children.values()}) >= 3
    assert set(children["birth"].case.form_data) == {"child_name", "child_birth", "hospital"}
    assert set(children["household"].case.form_data) == {"name", "address"}
    assert "hospital" not in children["insurance"].case.form_data
    assert children["household"].case.state == CaseState.DRAFT  # not before the birth certificate

    # the birth certificate is issued: the household registration starts by itself
    _decide(children["birth"].case, newborn.staff["birth"])
    household = Case.objects.get(pk=children["household"].case_id)
    assert household.state == CaseState.SUBMITTED
    assert household.materials.filter(requirement_key="birth-certificate").exists()
    assert bundle_case.children.get(item_key="household").state == BundleChildState.STARTED
    page.reload()
    expect(page.locator('[data-page="bundle-case"]')).to_have_attribute("data-state", "in_progress")
    _check(page, shot, "status-in-progress")

    for key in ("household", "insurance", "vaccine"):
        _decide(Case.objects.get(pk=children[key].case_id), newborn.staff[key])
    page.reload()
    expect(page.locator('[data-page="bundle-case"]')).to_have_attribute("data-state", "completed")
    expect(page.locator("[data-result]")).to_have_count(4)
    _check(page, shot, "status-completed")
