"""The staff case workbench pages: roles and scope (403/404), CSRF, every form calling its service
(state, ledger), bad input changing nothing, and two clerks accepting at once through the page.

Assertions use status codes, states, ids and data attributes, never the translated text.
"""

from __future__ import annotations

import datetime
import re
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.utils import timezone

from conftest import make_id_number
from zwfw.cases import services
from zwfw.cases.models import Case, CaseNotice, CaseState, Channel, MaterialKind, NoticeKind
from zwfw.cases.tests.factories import PDF, png, publish, staff
from zwfw.cases.views_staff import INTAKE_PERSON
from zwfw.core.calendar import add_working_days
from zwfw.core.models import AuditEvent
from zwfw.identity.models import Person, Role

QUEUES = "/workbench/cases/"
INTAKE = "/workbench/cases/intake/"
EXE = b"MZ\x90\x00" + b"\x00" * 64


def page(case: Case) -> str:
    return f"/workbench/cases/{case.pk}/"


def act(case: Case, action: str) -> str:
    return f"/workbench/cases/{case.pk}/act/{action}/"


def events(case: Case) -> list[str]:
    return list(
        AuditEvent.objects.filter(chain=f"case:{case.pk}").order_by("seq").values_list("action", flat=True)
    )


def error_code(response) -> str:
    found = re.search(rb'data-error-code="([^"]+)"', response.content)
    return found.group(1).decode() if found else ""


def window_case(
    desk, *, keys: tuple[str, ...] = ("application", "licence", "floor-plan"), submit: bool = True
) -> Case:
    """A walk-in case at 景洪市政务服务中心 filed by the desk's clerk (materials on paper)."""
    case = services.case_create(
        actor=desk.clerk,
        implementation=desk.impl,
        channel=Channel.WINDOW,
        person=desk.person,
        venue=desk.world.jh_center,
    )
    for key in keys:
        services.case_material_add(actor=desk.clerk, case=case, requirement_key=key, kind=MaterialKind.PAPER)
    if submit:
        case = services.case_submit(actor=desk.clerk, case=case)
    return case


def accepted_case(desk) -> Case:
    case = window_case(desk)
    return services.case_accept(actor=desk.clerk, case=case)


# --- access ------------------------------------------------------------------------------------


@pytest.mark.smoke
@pytest.mark.django_db
def test_pages_need_a_login(client):
    for url in (QUEUES, INTAKE, "/workbench/cases/1/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_citizens_get_403_even_for_their_own_case(client, desk):
    case = window_case(desk)
    client.force_login(desk.citizen)
    for url in (QUEUES, INTAKE, page(case), f"/workbench/cases/{case.pk}/result/"):
        response = client.get(url)
        assert response.status_code == 403 and b'data-page-status="403"' in response.content
    response = client.post(act(case, "withdraw"), {"withdraw-reason": "不办了"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


@pytest.mark.django_db
def test_a_clerk_of_another_county_sees_nothing_of_the_case(client, desk):
    case = window_case(desk)
    material = case.materials.first()
    client.force_login(desk.world.clerk_mh)
    assert client.get(page(case)).status_code == 404
    response = client.post(act(case, "accept"), {})
    assert response.status_code == 404 and b'data-page-status="404"' in response.content
    assert client.get(f"/workbench/cases/{case.pk}/materials/{material.pk}/").status_code == 404
    listing = client.get(QUEUES + "?queue=all")
    assert listing.status_code == 200 and f'data-case="{case.pk}"'.encode() not in listing.content
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


@pytest.mark.django_db
def test_only_window_clerks_use_the_front_desk(client, desk):
    client.force_login(desk.reviewer)
    assert client.get(INTAKE).status_code == 403
    queue = client.get(QUEUES)
    assert queue.status_code == 200 and b'data-action="new-intake"' not in queue.content


@pytest.mark.django_db
def test_actions_need_the_csrf_token(desk):
    case = window_case(desk)
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk.clerk)
    assert client.post(act(case, "accept"), {}).status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED and "accept" not in events(case)


@pytest.mark.django_db
def test_unknown_actions_and_gets_are_refused(client, desk):
    case = window_case(desk)
    client.force_login(desk.clerk)
    assert client.post(act(case, "approve-everything"), {}).status_code == 404
    assert client.get(act(case, "accept")).status_code == 405


# --- queues ------------------------------------------------------------------------------------


def tab_count(response, queue: str) -> int:
    found = re.search(rf'data-queue="{queue}" data-count="(\d+)"'.encode(), response.content)
    assert found, queue
    return int(found.group(1))


@pytest.mark.django_db
def test_queues_count_filter_and_flag_overdue(client, desk):
    submitted = window_case(desk)
    accepted = accepted_case(desk)
    overdue = accepted_case(desk)
    Case.objects.filter(pk=overdue.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=10))
    soon = accepted_case(desk)
    Case.objects.filter(pk=soon.pk).update(due_date=add_working_days(timezone.localdate(), 1))
    client.force_login(desk.clerk)
    response = client.get(QUEUES)
    assert response.status_code == 200
    assert tab_count(response, "to_accept") == 1 and tab_count(response, "to_review") == 3
    assert tab_count(response, "overdue") == 1 and tab_count(response, "due_soon") == 1
    assert b'data-queue-table="to_accept"' in response.content  # a clerk starts at "to accept"
    assert f'data-case="{submitted.pk}"'.encode() in response.content

    review = client.get(QUEUES + "?queue=to_review")
    html = review.content.decode()
    assert re.search(rf'data-case="{overdue.pk}"[^>]*class="cw-row--overdue"', html)
    assert re.search(rf'data-case="{soon.pk}"[^>]*class="cw-row--soon"', html)
    assert 'data-clock-flag="overdue"' in html and 'data-clock-flag="due_soon"' in html

    found = client.get(QUEUES, {"q": accepted.number[-5:]})
    assert b'data-queue-table="all"' in found.content
    assert f'data-case="{accepted.pk}"'.encode() in found.content
    assert f'data-case="{submitted.pk}"'.encode() not in found.content

    other_agency = client.get(QUEUES, {"queue": "all", "agency": desk.world.jh_police.pk})
    assert other_agency.status_code == 200 and tab_count(other_agency, "all") == 0
    by_item = client.get(
        QUEUES, {"queue": "all", "implementation": desk.impl.pk, "venue": desk.world.jh_center.pk}
    )
    assert tab_count(by_item, "all") == 4
    nonsense = client.get(QUEUES, {"queue": "everything", "agency": "x"})
    assert nonsense.status_code == 200  # an unknown tab or filter falls back, nothing breaks


@pytest.mark.django_db
def test_reviewers_start_at_their_queue(client, desk):
    case = accepted_case(desk)
    client.force_login(desk.reviewer)
    response = client.get(QUEUES)
    assert b'data-queue-table="to_review"' in response.content
    assert f'data-case="{case.pk}"'.encode() in response.content


# --- front-desk intake -------------------------------------------------------------------------


@pytest.mark.django_db
def test_walk_in_applicant_registered_and_application_received(client, desk):
    client.force_login(desk.clerk)
    id_number = make_id_number(seq="411")
    bad = client.post(
        INTAKE, {"step": "find", "id_number": id_number[:-1] + ("0" if id_number[-1] != "0" else "1")}
    )
    assert bad.status_code == 422 and b'data-error-for="id_number"' in bad.content
    missing = client.post(INTAKE, {"step": "find", "id_number": id_number})
    assert missing.status_code == 200 and b'data-intake-step="register"' in missing.content
    nameless = client.post(INTAKE, {"step": "register", "name": "", "id_number": id_number})
    assert nameless.status_code == 422 and not Person.objects.filter(name="岩香").exists()
    registered = client.post(
        INTAKE, {"step": "register", "name": "岩香", "id_number": id_number, "phone": "13800000000"}
    )
    assert registered.status_code == 302
    person = Person.objects.get(name="岩香")
    assert client.session[INTAKE_PERSON] == person.pk

    items = client.get(INTAKE)
    assert f'data-impl="{desk.impl.pk}"'.encode() in items.content
    checklist = client.get(INTAKE, {"impl": desk.impl.pk})
    assert b'data-intake-step="materials"' in checklist.content
    response = client.post(
        INTAKE,
        {
            "step": "submit",
            "venue": desk.world.jh_center.pk,
            "impl": desk.impl.pk,
            "how_application": "paper",
            "how_licence": "none",
            "how_floor-plan": "upload",
            "file_floor-plan": SimpleUploadedFile("平面图.png", png()),
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(applicant_person=person)
    assert response["Location"] == page(case)
    assert case.state == CaseState.SUBMITTED and case.channel == Channel.WINDOW
    assert case.first_contact_id == desk.clerk.pk and case.venue_id == desk.world.jh_center.pk
    assert case.contact_phone == "13800000000"
    kinds = {m.requirement_key: m.kind for m in case.materials.all()}
    assert kinds == {"application": MaterialKind.PAPER, "floor-plan": MaterialKind.UPLOAD}
    assert events(case) == ["created", "material_received", "material_received", "submit"]
    assert INTAKE_PERSON not in client.session
    shown = client.get(page(case))
    assert f'data-first-contact="{desk.clerk.pk}"'.encode() in shown.content
    assert b"data-auto-missing" in shown.content and b"data-accept-blocked" in shown.content


@pytest.mark.django_db
def test_a_refused_scan_creates_nothing(client, desk):
    client.force_login(desk.clerk)
    client.post(INTAKE, {"step": "find", "id_number": make_id_number(seq="201")})
    assert client.session[INTAKE_PERSON] == desk.person.pk
    response = client.post(
        INTAKE,
        {
            "step": "submit",
            "impl": desk.impl.pk,
            "how_application": "upload",
            "file_application": SimpleUploadedFile("申请书.pdf", EXE),
            "how_licence": "paper",
            "how_floor-plan": "none",
        },
    )
    assert response.status_code == 422 and b'data-error-for="file_application"' in response.content
    assert Case.objects.count() == 0
    no_file = client.post(INTAKE, {"step": "submit", "impl": desk.impl.pk, "how_application": "upload"})
    assert no_file.status_code == 422 and b'data-error-for="file_application"' in no_file.content
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_only_items_of_agencies_stationed_at_the_venue(client, desk):
    elsewhere = publish(desk.world, base_code="MH-1", name="药品经营许可")
    from zwfw.catalog.models import Implementation

    Implementation.objects.filter(pk=elsewhere.pk).update(
        agency=desk.world.mh_market, region=desk.world.menghai
    )
    client.force_login(desk.clerk)
    client.post(INTAKE, {"step": "find", "id_number": make_id_number(seq="201")})
    listing = client.get(INTAKE)
    assert f'data-impl="{desk.impl.pk}"'.encode() in listing.content
    assert f'data-impl="{elsewhere.pk}"'.encode() not in listing.content
    assert client.get(INTAKE, {"impl": elsewhere.pk}).status_code == 302
    response = client.post(INTAKE, {"step": "submit", "impl": elsewhere.pk, "how_application": "paper"})
    assert response.status_code == 302 and Case.objects.count() == 0


# --- intake decisions --------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_time_notice_then_corrections_received_at_the_window_and_accepted(client, desk):
    case = window_case(desk, keys=("application", "floor-plan"))
    client.force_login(desk.clerk)
    vague = client.post(act(case, "correction"), {"correction-defect_application": "on"})
    assert vague.status_code == 422 and error_code(vague) == "case.defect_note_required"
    assert b'data-error-for="correction-note_application"' in vague.content
    assert not CaseNotice.objects.filter(case=case, kind=NoticeKind.CORRECTION).exists()

    issued = client.post(
        act(case, "correction"),
        {"correction-defect_application": "on", "correction-note_application": "缺少签字"},
    )
    assert issued.status_code == 302
    notice = CaseNotice.objects.get(case=case, kind=NoticeKind.CORRECTION)
    assert sorted(i["key"] for i in notice.items) == ["application", "licence"]
    shown = client.get(page(case))
    assert f'href="/cases/{case.pk}/notices/{notice.pk}.pdf"'.encode() in shown.content

    early = client.post(act(case, "resubmit"), {})
    assert early.status_code == 422 and error_code(early) == "case.corrections_outstanding"
    not_asked = client.post(
        act(case, "material"), {"material-requirement_key": "floor-plan", "material-kind": "paper"}
    )
    assert not_asked.status_code == 422
    for key in ("application", "licence"):
        received = client.post(
            act(case, "material"), {"material-requirement_key": key, "material-kind": "paper"}
        )
        assert received.status_code == 302
    assert client.post(act(case, "resubmit"), {}).status_code == 302
    accepted = client.post(act(case, "accept"), {})
    assert accepted.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED and case.due_date == add_working_days(case.accepted_on, 10)
    assert events(case)[-4:] == ["material_received", "material_received", "resubmit", "accept"]


@pytest.mark.django_db
def test_accept_with_deficiency_needs_a_future_date(client, desk):
    case = window_case(desk, keys=("application", "licence"))
    client.force_login(desk.clerk)
    no_date = client.post(act(case, "accept"), {})
    assert no_date.status_code == 422 and error_code(no_date) == "case.deficiency_date_required"
    past = client.post(act(case, "accept"), {"accept-deficiency_due_date": "2000-01-01"})
    assert past.status_code == 422 and error_code(past) == "case.deficiency_date_past"
    garbage = client.post(act(case, "accept"), {"accept-deficiency_due_date": "next week"})
    assert garbage.status_code == 422 and error_code(garbage) == "request.invalid"
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED and "accept" not in events(case)
    promised = add_working_days(timezone.localdate(), 5)
    ok = client.post(act(case, "accept"), {"accept-deficiency_due_date": promised.isoformat()})
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED and case.deficiency_due_date == promised
    assert case.notices.filter(kind=NoticeKind.DEFICIENCY).exists()


@pytest.mark.django_db
def test_accepting_with_required_materials_missing_is_refused(client, desk):
    case = window_case(desk, keys=("application",))
    client.force_login(desk.clerk)
    response = client.post(act(case, "accept"), {})
    assert response.status_code == 422 and error_code(response) == "case.materials_missing"
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


@pytest.mark.django_db
def test_reject_intake_needs_a_reason(client, desk):
    case = window_case(desk)
    client.force_login(desk.clerk)
    empty = client.post(act(case, "reject"), {"reject-reason": "  "})
    assert empty.status_code == 422 and b'data-error-for="reject-reason"' in empty.content
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    done = client.post(act(case, "reject"), {"reject-reason": "不属于本部门职权范围"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.INTAKE_REJECTED
    assert case.notices.filter(kind=NoticeKind.INTAKE_REJECTION).exists()


@pytest.mark.django_db
def test_withdraw_at_the_applicants_request(client, desk):
    case = window_case(desk)
    client.force_login(desk.clerk)
    assert client.post(act(case, "withdraw"), {"withdraw-reason": "申请人不再需要"}).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN and events(case)[-1] == "withdraw"


@pytest.mark.django_db
def test_a_second_accept_shows_the_colleague_conflict(client, desk):
    case = window_case(desk)
    client.force_login(desk.clerk)
    assert client.post(act(case, "accept"), {}).status_code == 302
    again = client.post(act(case, "accept"), {})
    assert again.status_code == 409 and error_code(again) == "case.illegal_transition"
    assert events(case).count("accept") == 1


@pytest.mark.django_db
def test_a_role_the_actor_lacks_is_a_403_page(client, desk):
    case = window_case(desk)
    client.force_login(desk.reviewer)
    shown = client.get(page(case))
    assert shown.status_code == 200 and b'data-action-panel="accept"' not in shown.content
    response = client.post(act(case, "accept"), {})
    assert response.status_code == 403 and error_code(response) == "case.forbidden"
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


# --- review, clock, decision, delivery ---------------------------------------------------------


@pytest.mark.django_db
def test_review_pause_resume_extend_decide_deliver_close(client, desk):
    case = accepted_case(desk)
    client.force_login(desk.reviewer)
    assert client.post(act(case, "review"), {}).status_code == 302
    unlisted = client.post(
        act(case, "suspend"),
        {"suspend-kind": "special_procedure", "suspend-procedure": "", "suspend-reason": "勘验"},
    )
    assert unlisted.status_code == 422 and error_code(unlisted) == "case.procedure_not_listed"
    no_reason = client.post(
        act(case, "suspend"), {"suspend-kind": "special_procedure", "suspend-procedure": "现场勘验"}
    )
    assert no_reason.status_code == 422
    case.refresh_from_db()
    assert case.state == CaseState.UNDER_REVIEW and not case.pauses.exists()
    paused = client.post(
        act(case, "suspend"),
        {"suspend-kind": "special_procedure", "suspend-procedure": "现场勘验", "suspend-reason": "核查场所"},
    )
    assert paused.status_code == 302
    shown = client.get(page(case))
    assert b'data-clock-flag="paused"' in shown.content and b'data-action-panel="resume"' in shown.content
    assert client.post(act(case, "resume"), {}).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.UNDER_REVIEW and events(case)[-2:] == ["resume", "due_date_moved"]

    client.force_login(desk.reviewer)
    assert (
        client.post(act(case, "extend"), {"extend-days": "3", "extend-reason": "需要专家论证"}).status_code
        == 403
    )
    client.force_login(desk.approver)
    too_long = client.post(act(case, "extend"), {"extend-days": "30", "extend-reason": "需要专家论证"})
    assert too_long.status_code == 422 and error_code(too_long) == "case.extension_too_long"
    due = case.due_date
    assert (
        client.post(act(case, "extend"), {"extend-days": "3", "extend-reason": "需要专家论证"}).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.due_date == add_working_days(due, 3) and case.extension_days == 3

    unexplained = client.post(act(case, "decide"), {"decide-decision": "deny", "decide-reasons": ""})
    assert unexplained.status_code == 422 and error_code(unexplained) == "case.reason_required"
    bad_result = client.post(
        act(case, "decide"),
        {
            "decide-decision": "approve",
            "decide-reasons": "符合条件",
            "decide-result": SimpleUploadedFile("证.pdf", EXE),
        },
    )
    assert bad_result.status_code == 422 and error_code(bad_result) == "upload.type_refused"
    case.refresh_from_db()
    assert case.state == CaseState.UNDER_REVIEW
    approved = client.post(
        act(case, "decide"),
        {
            "decide-decision": "approve",
            "decide-reasons": "符合条件",
            "decide-result": SimpleUploadedFile("证.pdf", PDF),
        },
    )
    assert approved.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.APPROVED and case.result_file
    result = client.get(f"/workbench/cases/{case.pk}/result/")
    assert result.status_code == 200 and b"".join(result.streaming_content) == PDF

    vague_post = client.post(act(case, "deliver"), {"deliver-method": "post", "deliver-courier": "EMS"})
    assert vague_post.status_code == 422 and error_code(vague_post) == "case.post_details_required"
    posted = client.post(
        act(case, "deliver"),
        {
            "deliver-method": "post",
            "deliver-courier": "中国邮政EMS",
            "deliver-tracking_number": "1186012345678",
            "deliver-address": "景洪市嘎洒镇1号",
            "deliver-recipient": "玉香",
        },
    )
    assert posted.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.DELIVERED and case.delivery.tracking_number == "1186012345678"
    assert b"data-tracking-number" in client.get(page(case)).content
    assert client.post(act(case, "close"), {}).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert b"data-no-actions" in client.get(page(case)).content


@pytest.mark.django_db
def test_a_chief_representative_decides_an_instant_item_on_the_spot(client, desk):
    impl = publish(
        desk.world,
        base_code="INSTANT-V",
        name="个体工商户名称预先登记",
        handling_kind="instant",
        promised_limit=0,
    )
    case = services.case_create(
        actor=desk.clerk,
        implementation=impl,
        channel=Channel.WINDOW,
        person=desk.person,
        venue=desk.world.jh_center,
    )
    for key in ("application", "licence", "floor-plan"):
        services.case_material_add(actor=desk.clerk, case=case, requirement_key=key, kind=MaterialKind.PAPER)
    services.case_submit(actor=desk.clerk, case=case)
    services.case_accept(actor=desk.clerk, case=case)
    client.force_login(desk.chief)
    shown = client.get(page(case))
    assert b"data-on-the-spot" in shown.content and b'data-action-panel="decide"' in shown.content
    decided = client.post(act(case, "decide"), {"decide-decision": "approve", "decide-reasons": "当场办结"})
    assert decided.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.APPROVED and case.decided_by_id == desk.chief.pk

    promised = accepted_case(desk)
    assert b"data-on-the-spot" not in client.get(page(promised)).content
    refused = client.post(act(promised, "decide"), {"decide-decision": "approve", "decide-reasons": "x"})
    assert refused.status_code == 409 and error_code(refused) == "case.review_required"


@pytest.mark.django_db
def test_material_files_are_served_to_staff_in_scope_only(client, desk):
    case = services.case_create(
        actor=desk.clerk,
        implementation=desk.impl,
        channel=Channel.WINDOW,
        person=desk.person,
        venue=desk.world.jh_center,
    )
    material = services.case_material_add(
        actor=desk.clerk, case=case, requirement_key="application", content=PDF, filename="申请书.pdf"
    )
    paper = services.case_material_add(
        actor=desk.clerk, case=case, requirement_key="licence", kind=MaterialKind.PAPER
    )
    services.case_submit(actor=desk.clerk, case=case)
    client.force_login(desk.reviewer)
    response = client.get(f"/workbench/cases/{case.pk}/materials/{material.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    assert client.get(f"/workbench/cases/{case.pk}/materials/{paper.pk}/").status_code == 404
    other = window_case(desk)
    assert client.get(f"/workbench/cases/{other.pk}/materials/{material.pk}/").status_code == 404


# --- concurrency -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_clerks_accepting_at_once_through_the_page(desk):
    other_clerk = staff(desk.world, "clerk_jh_2", Role.WINDOW_CLERK, desk.world.jh_center)
    case = window_case(desk)
    barrier = threading.Barrier(2)
    results: list[tuple[int, str]] = []

    def accept(user) -> None:
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            response = client.post(act(case, "accept"), {})
            results.append((response.status_code, error_code(response)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(u,)) for u in (desk.clerk, other_clerk)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [(302, ""), (409, "case.illegal_transition")]
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED and events(case).count("accept") == 1


def test_only_clerks_register_applicants_at_the_window(db, desk):
    """Real-name registration at the window is the front desk's, for window clerks."""
    client = Client()
    client.force_login(desk.approver)
    response = client.post(
        INTAKE, {"step": "register", "name": "岩香", "id_number": make_id_number(seq="413")}
    )
    assert response.status_code == 403
    assert not Person.objects.filter(name="岩香").exists()
