"""The issue's window journey in a real browser, across roles.

A clerk of 景洪市政务服务管理局 at 景洪市政务服务中心's general window receives a walk-in
application for an item of ANOTHER agency stationed there (景洪市市场监督管理局), registers the
applicant with their real name, checks the materials with one missing, and issues one
《一次性告知书》. The applicant supplies the missing material (through the services), the clerk
accepts, the reviewer suspends for 现场勘验 and resumes some days later: the page shows the due
date moved by exactly the paused working days (computed from the calendar). The approver decides
and the result is posted with a tracking number.

Assertions use ids, states and data attributes, never the Chinese text. Screenshots at 1280 px
(and the case page at 360 px) go to test-artifacts/.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from conftest import make_id_number
from zwfw.cases import services
from zwfw.cases.models import Case, CaseNotice, Delivery, NoticeKind
from zwfw.cases.tests.factories import PDF, png, publish
from zwfw.core import services as core_services
from zwfw.core.calendar import add_working_days, working_days_between
from zwfw.core.ledger import ledger_verify
from zwfw.core.models import Agency, AgencyKind
from zwfw.identity import services as identity_services
from zwfw.identity.models import Person, Role, User

from .axe import assert_no_serious_violations
from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser
TABLET = {"width": 768, "height": 1024}

Shot = Callable[[Page, str], Path]
LOCALE = Path(__file__).resolve().parents[2] / "zwfw" / "locale"


@pytest.fixture
def chinese_ui(settings: Any, tmp_path: Path) -> None:
    """Compile the project's catalogs and pending translations into a temporary .mo, so that the
    screenshots show the Chinese a clerk sees (the test asserts no text)."""
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=utf-8", "Language": "zh_Hans"}
    seen: set[str] = set()
    po_file = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
    entries: list[tuple[str, str]] = []
    if po_file.exists():
        entries += [
            (e.msgid, e.msgstr) for e in polib.pofile(str(po_file)) if e.msgstr and not e.msgid_plural
        ]
    for pending in sorted((LOCALE / "_pending").glob("*.json")):
        try:
            entries += list(json.loads(pending.read_text(encoding="utf-8")).items())
        except ValueError:
            continue  # a file being written by someone else right now: the screenshots do without it
    for msgid, msgstr in entries:
        if msgid and isinstance(msgstr, str) and msgid not in seen:
            seen.add(msgid)
            catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    target = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES"
    target.mkdir(parents=True)
    catalog.save_as_mofile(str(target / "django.mo"))
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]


def login(context: BrowserContext, live_url: str, user: User) -> None:
    """Switch the browser to ``user`` (a fresh session, as after the login page)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.clear_cookies()
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_url}])


def member(username: str, display_name: str, agency: Agency, role: str, venue: Any = None) -> User:
    """A staff account with one role, created as the system would."""
    user = identity_services.user_create(
        username=username, password="pw-" + username, display_name=display_name
    )
    identity_services.staff_membership_grant(user=user, agency=agency, role=role, venue=venue, system=True)
    return user


def case_state(page: Page) -> str:
    return page.locator("[data-case]").first.get_attribute("data-state") or ""


def act(page: Page, action: str) -> None:
    """Press an action's button and wait for the page that follows."""
    with page.expect_navigation():
        page.locator(f"[data-action-panel={action}] button[data-action={action}]").click()


@pytest.mark.parametrize("viewport", [DESKTOP], indirect=True)
def test_walk_in_for_another_agencys_item_to_a_posted_result(
    live_server: Any,
    context: BrowserContext,
    page: Page,
    shot: Shot,
    world: Any,
    chinese_ui: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    impl = publish(world, base_code="WALK-IN-1", name="食品经营许可")  # 景洪市市场监督管理局's item
    bureau = Agency.objects.filter(name="景洪市政务服务管理局", region=world.jinghong).first()
    if bureau is None:
        bureau = core_services.agency_create(
            name="景洪市政务服务管理局", region=world.jinghong, kind=AgencyKind.SERVICE_ADMINISTRATION
        )
    assert bureau.pk != impl.agency_id
    core_services.window_create(
        venue=world.jh_center, number="A01", name="无差别综合受理窗口", kind="general"
    )
    clerk = member("lina", "李娜", bureau, Role.WINDOW_CLERK, world.jh_center)
    reviewer = member("yanbo", "岩波", world.jh_market, Role.REVIEWER)
    approver = member("yulan", "玉兰", world.jh_market, Role.APPROVER)
    id_number = make_id_number(seq="305")
    url = live_server.url

    # 1. The clerk's queue, then the front desk.
    login(context, url, clerk)
    page.goto(url + "/workbench/cases/")
    expect(page.locator("[data-queue=to_accept]")).to_have_attribute("aria-current", "page")
    shot(page, "queue-empty")
    assert_no_serious_violations(page, label="queues")
    with page.expect_navigation():
        page.locator("[data-action=new-intake]").click()
    expect(page.locator("[data-intake-step=find]")).to_be_visible()
    assert_no_serious_violations(page, label="intake: find the applicant")

    # 2. A walk-in applicant nobody registered: real-name registration at the window.
    page.locator("#id_id_number").fill(id_number)
    with page.expect_navigation():
        page.locator("[data-action=find-person]").click()
    expect(page.locator("[data-intake-step=register]")).to_be_visible()
    page.locator("[data-form=register] #id_name").fill("岩罕")
    page.locator("[data-form=register] #id_phone").fill("13908810000")
    shot(page, "intake-register")
    with page.expect_navigation():
        page.locator("[data-action=register-person]").click()
    person = Person.objects.get(name="岩罕")
    expect(page.locator(f"[data-intake-person='{person.pk}']")).to_be_visible()

    # 3. Any item of any agency stationed here; the clerk belongs to neither.
    page.locator("#item-search").fill("食品")
    with page.expect_navigation():
        page.locator("#item-search").press("Enter")
    shot(page, "intake-items")
    with page.expect_navigation():
        page.locator(f"[data-intake-items] [data-impl='{impl.pk}'] [data-action=choose-item]").click()

    # 4. The checklist: the application on paper, the floor plan scanned, the licence missing.
    page.locator("[data-material=application] input[value=paper]").check()
    expect(page.locator("#id_file_floor-plan")).to_be_hidden()
    page.locator("[data-material=floor-plan] input[value=upload]").check()
    expect(page.locator("#id_file_floor-plan")).to_be_visible()
    page.locator("#id_file_floor-plan").set_input_files(
        files=[{"name": "平面图.png", "mimeType": "image/png", "buffer": png()}]
    )
    expect(page.locator("[data-material=licence] input[value=none]")).to_be_checked()
    shot(page, "intake-checklist")
    assert_no_serious_violations(page, label="intake: materials checklist")
    with page.expect_navigation():
        page.locator("[data-action=submit-intake]").click()

    case = Case.objects.get(applicant_person=person)
    assert case.channel == "window" and case.state == "submitted"
    assert case.first_contact_id == clerk.pk and case.agency_id == world.jh_market.pk
    assert case.window is not None and case.window.number == "A01"
    expect(page.locator("[data-first-contact]")).to_have_attribute("data-first-contact", str(clerk.pk))
    expect(page.locator("[data-auto-missing] [data-material=licence]")).to_be_visible()
    expect(page.locator("[data-action-panel=accept] [data-accept-blocked]")).to_be_visible()
    shot(page, "case-submitted")
    assert_no_serious_violations(page, label="case page (submitted)")

    # 5. One 一次性告知书, listing the one missing material.
    act(page, "correction")
    assert case_state(page) == "correction_requested"
    notices = list(CaseNotice.objects.filter(case=case, kind=NoticeKind.CORRECTION))
    assert len(notices) == 1 and [i["key"] for i in notices[0].items] == ["licence"]
    expect(page.locator("[data-notice-kind=correction] [data-notice-pdf]")).to_have_attribute(
        "href", f"/cases/{case.pk}/notices/{notices[0].pk}.pdf"
    )
    shot(page, "case-one-time-notice")

    # 6. The applicant supplies the licence (their own account, through the services).
    citizen = identity_services.user_create(username="yanhan", password="pw-yanhan", person=person)
    services.case_material_add(
        actor=citizen, case=case, requirement_key="licence", content=PDF, filename="营业执照.pdf"
    )
    services.case_resubmit(actor=citizen, case=case)

    # 7. The clerk accepts: the clock starts.
    page.reload()
    assert case_state(page) == "resubmitted"
    act(page, "accept")
    assert case_state(page) == "accepted"
    case.refresh_from_db()
    accepted_on = case.accepted_on
    assert accepted_on == timezone.localdate()
    due_before = case.due_date
    assert due_before == add_working_days(accepted_on, 10)
    expect(page.locator("[data-clock] [data-due-date]")).to_have_attribute(
        "data-due-date", due_before.isoformat()
    )

    # 8. The reviewer finds it in the queue, starts the review and suspends for 现场勘验.
    login(context, url, reviewer)
    page.goto(url + "/workbench/cases/")
    expect(page.locator("[data-queue=to_review]")).to_have_attribute("aria-current", "page")
    expect(page.locator(f"[data-queue-table=to_review] [data-case='{case.pk}']")).to_be_visible()
    shot(page, "queue-to-review")
    assert_no_serious_violations(page, label="queues (reviewer)")
    with page.expect_navigation():
        page.locator(f"[data-case='{case.pk}'] a.cw-number").click()
    act(page, "review")
    assert case_state(page) == "under_review"
    page.locator("#id_suspend-procedure").select_option("现场勘验")
    page.locator("#id_suspend-reason").fill("核查经营场所布局与平面图是否一致")
    act(page, "suspend")
    assert case_state(page) == "suspended"
    expect(page.locator("[data-clock-flag=paused]").first).to_be_visible()
    suspended_on = timezone.localdate()
    shot(page, "case-suspended")

    # 9. A week later the inspection is done: the reviewer resumes.
    resumed_on = suspended_on + datetime.timedelta(days=7)
    real_localdate = timezone.localdate

    def later(value: Any = None, timezone: Any = None) -> datetime.date:
        return resumed_on if value is None else real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", later)
    paused = working_days_between(suspended_on, resumed_on)  # working days in (S, R]
    assert paused >= 3  # a week always holds working days, whatever the holidays
    page.reload()
    act(page, "resume")
    assert case_state(page) == "under_review"
    expected_due = add_working_days(due_before, paused)
    expect(page.locator("[data-clock] [data-due-date]")).to_have_attribute(
        "data-due-date", expected_due.isoformat()
    )
    expect(page.locator("[data-clock] [data-paused-days]")).to_have_attribute("data-paused-days", str(paused))
    expect(page.locator("[data-timeline] [data-event=due_date_moved]")).to_have_count(1)
    case.refresh_from_db()
    assert case.due_date == expected_due and case.paused_days == paused
    shot(page, "case-resumed-due-date-moved")
    assert_no_serious_violations(page, label="case page (under review)")

    # 10. The approver decides, with the licence as the result document.
    login(context, url, approver)
    page.goto(url + f"/workbench/cases/{case.pk}/")
    page.locator("#id_decide-decision_1").check()  # a denial without reasons is refused, nothing changes
    act(page, "decide")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_have_attribute("data-error-code", "case.reason_required")
    expect(summary).to_be_focused()
    assert case_state(page) == "under_review"
    shot(page, "case-decide-refused")
    assert_no_serious_violations(page, label="case page with a refused decision")
    page.locator("#id_decide-decision_0").check()
    page.locator("#id_decide-reasons").fill("经审查，申请材料齐全，现场勘验符合要求，准予许可。")
    page.locator("#id_decide-result").set_input_files(
        files=[{"name": "食品经营许可证.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    act(page, "decide")
    assert case_state(page) == "approved"
    expect(page.locator("[data-download=result]")).to_be_visible()

    # 11. The result is posted.
    expect(page.locator("[data-action-panel=deliver] #id_deliver-tracking_number")).to_be_hidden()
    page.locator("[data-action-panel=deliver] input[value=post]").check()
    page.locator("#id_deliver-courier").fill("中国邮政EMS")
    page.locator("#id_deliver-tracking_number").fill("1186012345678")
    page.locator("#id_deliver-address").fill("景洪市嘎洒镇曼景保村12号")
    shot(page, "case-deliver-by-post")
    act(page, "deliver")
    assert case_state(page) == "delivered"
    delivery = Delivery.objects.get(case=case)
    assert delivery.method == "post" and delivery.tracking_number == "1186012345678"
    expect(page.locator("[data-tracking-number]")).to_have_text("1186012345678")
    shot(page, "case-delivered")
    assert_no_serious_violations(page, label="case page (delivered)")

    # A reviewer's tablet and a phone: nothing sticks out, still no serious accessibility problem.
    for size, name in ((TABLET, "768"), (PHONE, "360")):
        page.set_viewport_size(size)
        for path, label in (
            (f"/workbench/cases/{case.pk}/", "case"),
            ("/workbench/cases/?queue=all", "queue"),
        ):
            page.goto(url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], f"the {label} page is {width}px wide at {name}px"
            if name == "360":
                shot(page, f"{label}-{name}")
    assert_no_serious_violations(page, label="queue at 360 px")
    assert list(ledger_verify()) == []
