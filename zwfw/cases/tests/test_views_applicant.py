"""The applicant's pages over the Django test client: login and scope, the draft with uploads
and commitments, one case per submission however often the form is posted, the correction
answer limited to the listed materials, 容缺 supply, withdrawal, the status lookup with its
throttle, and CSRF. Assertions use codes, states, ids and data attributes, never UI text.
"""

from __future__ import annotations

import datetime
import re
import threading

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import uscc

from zwfw.cases import services
from zwfw.cases.models import Case, CaseMaterial, CaseState, DeliveryMethod, MaterialKind
from zwfw.cases.selectors import LOOKUP_MAX_FAILURES
from zwfw.cases.tests.factories import PDF, png, publish
from zwfw.cases.views_applicant import case_timeline
from zwfw.catalog.models import CatalogFile
from zwfw.core.models import AuditEvent
from zwfw.identity import services as identity_services

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The lookup throttle lives in the cache: every test starts with a clean one."""
    cache.clear()
    yield
    cache.clear()


def _pdf(name: str = "申请书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _start(client: Client, desk) -> Case:
    client.force_login(desk.citizen)
    response = client.get(reverse("apply_start", args=[desk.impl.pk]))
    assert response.status_code == 200
    return Case.objects.get(applicant_user=desk.citizen, state=CaseState.DRAFT)


def _submitted(client: Client, desk) -> Case:
    case = _start(client, desk)
    response = client.post(
        reverse("my_case_draft", args=[case.pk]),
        {
            "file-application": _pdf(),
            "file-licence": _pdf("执照.pdf"),
            "action": "submit",
            "submit_token": "t1",
        },
    )
    assert response.status_code == 302, response.content
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    return case


def _neutral(response) -> str:
    """The page without what differs between any two requests (CSRF tokens, echoed values)."""
    html = response.content.decode()
    return re.sub(r'value="[^"]*"|"X-CSRFToken": "[^"]*"', "", html)


def _attr(html: str, name: str) -> list[str]:
    return re.findall(rf'{name}="([^"]*)"', html)


# --- login and scope ---------------------------------------------------------------------------


@pytest.mark.smoke
@pytest.mark.django_db
def test_every_page_asks_for_login_and_comes_back(client, desk):
    for url in (
        reverse("apply_start", args=[desk.impl.pk]),
        reverse("my_cases"),
        reverse("my_case", args=[1]),
        reverse("my_case_withdraw", args=[1]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"
    response = client.post(reverse("my_case_draft", args=[1]), {"action": "submit"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_another_citizen_gets_404_on_someone_elses_case(client, desk):
    case = _submitted(client, desk)
    draft_owner = Client()
    draft = _start(draft_owner, desk)
    client.force_login(desk.other_citizen)
    assert client.get(reverse("my_case", args=[case.pk])).status_code == 404
    assert client.get(reverse("my_case_withdraw", args=[case.pk])).status_code == 404
    assert (
        client.post(reverse("my_case_withdraw", args=[case.pk]), {"reason": "x", "confirm": "on"}).status_code
        == 404
    )
    assert client.post(reverse("my_case_resubmit", args=[case.pk]), {}).status_code == 404
    posted = client.post(
        reverse("my_case_draft", args=[draft.pk]), {"file-application": _pdf(), "action": "submit"}
    )
    assert posted.status_code == 404
    upload = client.post(
        reverse("my_case_material", args=[draft.pk]),
        {"file-application": _pdf()},
        HTTP_ACCEPT="application/json",
    )
    assert upload.status_code == 404 and upload.json()["code"] == "case.not_found"
    assert not CaseMaterial.objects.filter(case=draft).exists()
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    listed = client.get(reverse("my_cases")).content.decode()
    assert f'data-case-id="{case.pk}"' not in listed and f'data-case-id="{draft.pk}"' not in listed


@pytest.mark.django_db
def test_staff_in_scope_do_not_see_it_as_their_own_case(client, desk):
    case = _submitted(client, desk)
    client.force_login(desk.clerk)
    assert client.get(reverse("my_case", args=[case.pk])).status_code == 404
    assert f'data-case-id="{case.pk}"' not in client.get(reverse("my_cases")).content.decode()


# --- apply: draft, uploads, commitments ----------------------------------------------------------


@pytest.mark.django_db
def test_apply_starts_one_draft_and_resumes_it(client, desk):
    case = _start(client, desk)
    again = client.get(reverse("apply_start", args=[desk.impl.pk]))
    assert again.status_code == 200
    assert Case.objects.filter(applicant_user=desk.citizen).count() == 1
    html = again.content.decode()
    assert case.channel == "online"
    assert _attr(html, "data-material") == ["application", "licence", "floor-plan"]
    assert _attr(html, "data-necessity") == ["required", "required", "deficiency_allowed"]
    assert _attr(html, "data-commitment") == ["licence"]  # only where the version allows it
    assert 'data-applicant-kind="person"' in html
    assert f'action="{reverse("my_case_draft", args=[case.pk])}"' in html
    assert 'name="submit_token"' in html and 'enctype="multipart/form-data"' in html
    # the draft shows in "my cases" under drafts, with a way to continue
    listed = client.get(reverse("my_cases")).content.decode()
    assert f'data-case-id="{case.pk}" data-state="draft"' in listed


@pytest.mark.django_db
def test_apply_page_shows_blank_forms_samples_and_e_license_notes(client, desk):
    blank = CatalogFile.objects.create(
        file="catalog/blank.pdf",
        original_name="申请表.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    impl = publish(
        desk.world,
        base_code="CASE-E",
        name="个体工商户登记",
        materials=[
            {"key": "form", "name": "登记申请书", "necessity": "required", "blank_form": str(blank.pk)},
            {
                "key": "id-card",
                "name": "身份证",
                "necessity": "required",
                "source": "e_license",
                "license_type": "居民身份证",
            },
            {"key": "photo", "name": "照片", "necessity": "optional", "sample": "not-an-id"},
        ],
    )
    client.force_login(desk.citizen)
    html = client.get(reverse("apply_start", args=[impl.pk])).content.decode()
    assert f'href="{reverse("catalog_file", args=[blank.pk])}" data-blank-form' in html
    assert html.count("data-blank-form") == 1 and "data-sample" not in html
    assert html.count("data-license-reuse") == 1  # the holder's e-licences offered instead of an upload
    assert _attr(html, "data-necessity") == ["required", "required", "optional"]


@pytest.mark.django_db
def test_an_item_that_cannot_be_applied_for_online_says_so(client, desk):
    impl = publish(desk.world, base_code="CASE-W", name="窗口办理事项", online_depth=2, online_url_pc="")
    client.force_login(desk.citizen)
    response = client.get(reverse("apply_start", args=[impl.pk]))
    assert response.status_code == 409 and 'data-reason="not_online"' in response.content.decode()
    assert not Case.objects.exists()
    assert client.get(reverse("apply_start", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_an_account_without_person_or_enterprise_cannot_apply(client, desk):
    client.force_login(desk.clerk)
    response = client.get(reverse("apply_start", args=[desk.impl.pk]))
    assert response.status_code == 422
    assert 'data-reason="case.applicant_required"' in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_renamed_executable_is_refused_next_to_its_field_and_nothing_is_lost(client, desk):
    case = _start(client, desk)
    url = reverse("my_case_draft", args=[case.pk])
    assert client.post(url, {"file-application": _pdf(), "action": "save"}).status_code == 302
    good = CaseMaterial.objects.get(case=case, requirement_key="application")
    response = client.post(
        url,
        {
            "file-application": SimpleUploadedFile("申请书.pdf", EXE),
            "file-licence": SimpleUploadedFile("执照.pdf", EXE),
            "file-floor-plan": SimpleUploadedFile("平面图.png", png()),
            "action": "submit",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-problem="application"' in html and 'data-problem="licence"' in html
    assert 'data-material-error="application" data-error-code="upload.type_refused"' in html
    # the good upload stays, the good file of the same post is kept, the executables are not
    current = services.materials_on_file(case)
    assert current["application"].pk == good.pk
    assert "licence" not in current and "floor-plan" in current
    assert CaseMaterial.objects.filter(case=case).count() == 2
    case.refresh_from_db()
    assert case.state == CaseState.DRAFT


@pytest.mark.django_db
def test_upload_as_chosen_answers_json_with_the_code(client, desk):
    case = _start(client, desk)
    url = reverse("my_case_material", args=[case.pk])
    bad = client.post(url, {"file-licence": SimpleUploadedFile("a.pdf", EXE)}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 422
    assert bad.json()["fields"]["licence"]["code"] == "upload.type_refused"
    assert not CaseMaterial.objects.filter(case=case).exists()
    good = client.post(url, {"file-licence": _pdf("执照.pdf")}, HTTP_ACCEPT="application/json")
    assert good.status_code == 200
    field = good.json()["fields"]["licence"]
    assert field["ok"] and field["received"] and 'data-received="upload"' in field["html"]
    unknown = client.post(url, {"file-passport": _pdf()}, HTTP_ACCEPT="application/json")
    assert unknown.status_code == 422 and unknown.json()["code"] == "case.unknown_material"
    empty = client.post(url, {}, HTTP_ACCEPT="application/json")
    assert empty.status_code == 422 and empty.json()["fields"] == {}
    # without the script: back to the apply page
    plain = client.post(url, {"file-application": _pdf()})
    assert plain.status_code == 302 and plain["Location"] == reverse("apply_start", args=[desk.impl.pk])


@pytest.mark.django_db
def test_a_commitment_replaces_a_material_only_where_allowed(client, desk):
    case = _start(client, desk)
    url = reverse("my_case_draft", args=[case.pk])
    refused = client.post(url, {"commit-application": "1", "action": "save"})
    assert refused.status_code == 422 and 'data-problem="application"' in refused.content.decode()
    assert client.post(url, {"commit-licence": "1", "action": "save"}).status_code == 302
    signed = services.materials_on_file(case)["licence"]
    assert signed.kind == MaterialKind.COMMITMENT and signed.commitment_text
    # saving again with the box still ticked signs nothing twice
    assert client.post(url, {"commit-licence": "1", "action": "save"}).status_code == 302
    assert CaseMaterial.objects.filter(case=case, requirement_key="licence").count() == 1


# --- submit once ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submit_with_missing_materials_names_them(client, desk):
    case = _start(client, desk)
    response = client.post(
        reverse("my_case_draft", args=[case.pk]),
        {"file-application": _pdf(), "action": "submit", "submit_token": "t"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-problem="licence"' in html and 'data-problem="application"' not in html
    case.refresh_from_db()
    assert case.state == CaseState.DRAFT and "application" in services.materials_on_file(case)


@pytest.mark.django_db
def test_double_submit_creates_one_case_and_lands_on_its_status_page(client, desk):
    case = _start(client, desk)
    url = reverse("my_case_draft", args=[case.pk])
    form = {
        "file-application": _pdf(),
        "file-licence": _pdf("执照.pdf"),
        "action": "submit",
        "submit_token": "k",
    }
    first = client.post(url, form)
    form = {
        "file-application": _pdf(),
        "file-licence": _pdf("执照.pdf"),
        "action": "submit",
        "submit_token": "k",
    }
    second = client.post(url, form)
    status_page = reverse("my_case", args=[case.pk])
    assert first.status_code == 302 and first["Location"] == status_page
    assert second.status_code == 302 and second["Location"] == status_page
    assert Case.objects.filter(applicant_user=desk.citizen).count() == 1
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED and re.match(r"^532801-\d{8}-\d{5}$", case.number)
    assert CaseMaterial.objects.filter(case=case).count() == 2  # the resend stored nothing
    page = client.get(status_page).content.decode()
    assert f"data-case-number>{case.number}<" in page and 'data-state="submitted"' in page
    assert [e.action for e in case_timeline(case)] == ["created", "submit"]
    # the apply link now starts a new draft instead of reopening the submitted case
    fresh = client.get(reverse("apply_start", args=[desk.impl.pk])).content.decode()
    assert Case.objects.filter(applicant_user=desk.citizen, state=CaseState.DRAFT).count() == 1
    assert f'data-open-case="{case.pk}"' in fresh  # and it points to the case in progress


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_of_the_same_submit_form_give_one_submission(desk):
    owner = Client()
    case = _start(owner, desk)
    for key in ("application", "licence"):
        services.case_material_add(
            actor=desk.citizen, case=case, requirement_key=key, content=PDF, filename="a.pdf"
        )
    barrier = threading.Barrier(6)
    results: list[tuple[int, str]] = []

    def post() -> None:
        client = Client()
        client.force_login(desk.citizen)
        barrier.wait()
        try:
            response = client.post(
                reverse("my_case_draft", args=[case.pk]),
                {"file-application": _pdf(), "action": "submit", "submit_token": "same"},
            )
            results.append((response.status_code, response.get("Location", "")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [(302, reverse("my_case", args=[case.pk]))] * 6
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    assert Case.objects.filter(applicant_user=desk.citizen).count() == 1
    assert AuditEvent.objects.filter(chain=f"case:{case.pk}", action="submit").count() == 1


@pytest.mark.django_db
def test_a_submitted_case_cannot_be_changed_through_the_draft_form(client, desk):
    case = _submitted(client, desk)
    response = client.post(
        reverse("my_case_draft", args=[case.pk]), {"file-floor-plan": _pdf(), "action": "save"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("my_case", args=[case.pk])
    assert "floor-plan" not in services.materials_on_file(case)
    refused = client.post(
        reverse("my_case_material", args=[case.pk]),
        {"file-floor-plan": _pdf()},
        HTTP_ACCEPT="application/json",
    )
    assert (
        refused.status_code == 422
        and refused.json()["fields"]["floor-plan"]["code"] == "case.materials_closed"
    )


# --- correction, supply, result ------------------------------------------------------------------


@pytest.mark.django_db
def test_correction_answer_accepts_only_the_listed_materials(client, desk):
    case = _submitted(client, desk)
    services.case_request_correction(
        actor=desk.clerk, case=case, defects=[{"key": "licence", "note": "照片不清晰"}]
    )
    page = client.get(reverse("my_case", args=[case.pk]))
    html = page.content.decode()
    section = html[html.index('data-section="correction"') :]
    section = section[: section.index("</section>")]
    assert _attr(section, "data-material") == ["licence"]
    assert "data-correction-note" in section
    url = reverse("my_case_resubmit", args=[case.pk])
    # nothing uploaded yet: still outstanding
    outstanding = client.post(url, {})
    assert outstanding.status_code == 422 and 'data-problem="licence"' in outstanding.content.decode()
    # a material the notice does not list is refused, and nothing is stored
    before = CaseMaterial.objects.filter(case=case).count()
    unlisted = client.post(url, {"file-application": _pdf()})
    assert unlisted.status_code == 422
    assert (
        'data-problem="application" data-problem-code="case.material_not_requested"'
        in unlisted.content.decode()
    )
    assert CaseMaterial.objects.filter(case=case).count() == before
    case.refresh_from_db()
    assert case.state == CaseState.CORRECTION_REQUESTED
    answered = client.post(url, {"file-licence": _pdf("执照-清晰.pdf")})
    assert answered.status_code == 302 and answered["Location"] == reverse("my_case", args=[case.pk])
    case.refresh_from_db()
    assert case.state == CaseState.RESUBMITTED
    # a resend of the same answer goes back to the status page and changes nothing
    again = client.post(url, {"file-licence": _pdf("执照-清晰.pdf")})
    assert again.status_code == 302
    assert CaseMaterial.objects.filter(case=case, requirement_key="licence").count() == 2


@pytest.mark.django_db
def test_deficiency_materials_are_supplied_after_acceptance(client, desk):
    case = _submitted(client, desk)
    services.case_accept(
        actor=desk.clerk, case=case, deficiency_due_date=timezone.localdate() + datetime.timedelta(days=7)
    )
    html = client.get(reverse("my_case", args=[case.pk])).content.decode()
    section = html[html.index('data-section="supply"') :]
    assert _attr(section[: section.index("</section>")], "data-material") == ["floor-plan"]
    assert "data-due-date=" in html and "data-days-left=" in html
    response = client.post(
        reverse("my_case_material", args=[case.pk]), {"file-floor-plan": SimpleUploadedFile("p.png", png())}
    )
    assert response.status_code == 302 and response["Location"] == reverse("my_case", args=[case.pk])
    assert services.materials_on_file(case)["floor-plan"].content_type == "image/png"
    assert 'data-section="supply"' not in client.get(reverse("my_case", args=[case.pk])).content.decode()


@pytest.mark.django_db
def test_status_page_after_delivery_offers_notices_and_the_result(client, desk):
    case = _submitted(client, desk)
    services.case_accept(
        actor=desk.clerk, case=case, deficiency_due_date=timezone.localdate() + datetime.timedelta(days=3)
    )
    services.case_material_add(
        actor=desk.citizen, case=case, requirement_key="floor-plan", content=png(), filename="p.png"
    )
    services.case_start_review(actor=desk.reviewer, case=case)
    services.case_decide(
        actor=desk.approver,
        case=case,
        approved=True,
        reasons="符合条件",
        result_content=PDF,
        result_filename="r.pdf",
    )
    services.case_deliver(
        actor=desk.clerk,
        case=case,
        method=DeliveryMethod.POST,
        courier="EMS",
        tracking_number="EMS123",
        address="景洪市",
    )
    html = client.get(reverse("my_case", args=[case.pk])).content.decode()
    result_url = reverse("case_result", args=[case.pk])
    assert f'href="{result_url}" data-result-download' in html
    assert 'data-delivery-method="post"' in html and "data-tracking-number>EMS123<" in html
    kinds = _attr(html, "data-notice-kind")
    assert kinds[:2] == ["acceptance", "deficiency"] and "decision" in kinds
    for notice_id in _attr(html, "data-notice-id"):
        assert f'/cases/{case.pk}/notices/{notice_id}.pdf"' in html
    events = _attr(html, "data-event")
    assert events[:3] == ["created", "submit", "accept"] and events[-1] == "deliver"
    assert 'data-action="withdraw"' not in html
    assert client.get(result_url).status_code == 200


# --- withdraw ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_withdraw_needs_a_reason_and_a_confirmation(client, desk):
    case = _submitted(client, desk)
    url = reverse("my_case_withdraw", args=[case.pk])
    assert 'data-action="withdraw"' in client.get(reverse("my_case", args=[case.pk])).content.decode()
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": "", "confirm": ""})
    assert refused.status_code == 422
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    done = client.post(url, {"reason": "申请错了事项", "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == reverse("my_case", args=[case.pk])
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN
    again = client.post(url, {"reason": "再次", "confirm": "on"})
    assert again.status_code == 302
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_a_draft_can_be_discarded(client, desk):
    case = _start(client, desk)
    response = client.post(
        reverse("my_case_withdraw", args=[case.pk]), {"reason": "不需要了", "confirm": "on"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("my_cases")
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN
    assert f'data-case-id="{case.pk}"' not in client.get(reverse("my_cases")).content.decode()


@pytest.mark.django_db
def test_a_decided_case_cannot_be_withdrawn(client, desk):
    case = _submitted(client, desk)
    services.case_reject_intake(actor=desk.clerk, case=case, reason="不属于本部门")
    response = client.post(reverse("my_case_withdraw", args=[case.pk]), {"reason": "x", "confirm": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.INTAKE_REJECTED


# --- status lookup -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_lookup_finds_the_case_with_the_right_pair_only(client, desk):
    case = _submitted(client, desk)
    anonymous = Client()
    url = reverse("case_status_lookup")
    assert anonymous.get(url).status_code == 200
    found = anonymous.post(url, {"number": f" {case.number} ", "code": case.lookup_code})
    html = found.content.decode()
    assert found.status_code == 200 and 'data-lookup="found"' in html and 'data-state="submitted"' in html
    wrong_code = anonymous.post(
        url, {"number": case.number, "code": f"{(int(case.lookup_code) + 1) % 10**6:06d}"}
    )
    no_case = anonymous.post(url, {"number": "532801-20000101-99999", "code": "123456"})
    assert wrong_code.status_code == no_case.status_code == 200
    assert (
        'data-lookup="failed"' in wrong_code.content.decode()
        and 'data-lookup="failed"' in no_case.content.decode()
    )
    # the neutral answer reads the same whether or not the number exists
    assert _neutral(wrong_code) == _neutral(no_case)
    malformed = anonymous.post(url, {"number": case.number, "code": "12ab"})
    assert malformed.status_code == 422


@pytest.mark.django_db
def test_lookup_is_throttled_after_five_failures_per_address(client, desk):
    case = _submitted(client, desk)
    anonymous = Client(REMOTE_ADDR="203.0.113.7")
    url = reverse("case_status_lookup")
    for _ in range(LOOKUP_MAX_FAILURES):
        assert (
            anonymous.post(
                url, {"number": case.number, "code": "000000" if case.lookup_code != "000000" else "111111"}
            ).status_code
            == 200
        )
    blocked = anonymous.post(url, {"number": case.number, "code": case.lookup_code})
    assert blocked.status_code == 429 and 'data-lookup="throttled"' in blocked.content.decode()
    other = Client(REMOTE_ADDR="203.0.113.8")
    assert (
        'data-lookup="found"'
        in other.post(url, {"number": case.number, "code": case.lookup_code}).content.decode()
    )


@pytest.mark.django_db
def test_malformed_lookups_do_not_count_toward_the_throttle(desk):
    anonymous = Client(REMOTE_ADDR="203.0.113.9")
    url = reverse("case_status_lookup")
    for _ in range(LOOKUP_MAX_FAILURES + 2):
        assert anonymous.post(url, {"number": "", "code": "x"}).status_code == 422


# --- CSRF ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_post_needs_the_csrf_token(desk):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(desk.citizen)
    page = browser.get(reverse("apply_start", args=[desk.impl.pk]))
    case = Case.objects.get(applicant_user=desk.citizen)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    for url, data in (
        (reverse("my_case_draft", args=[case.pk]), {"file-application": _pdf(), "action": "save"}),
        (reverse("my_case_material", args=[case.pk]), {"file-application": _pdf()}),
        (reverse("my_case_resubmit", args=[case.pk]), {}),
        (reverse("my_case_withdraw", args=[case.pk]), {"reason": "x", "confirm": "on"}),
        (reverse("case_status_lookup"), {"number": "x", "code": "123456"}),
    ):
        assert browser.post(url, data).status_code == 403, url
    assert not CaseMaterial.objects.exists()
    case.refresh_from_db()
    assert case.state == CaseState.DRAFT
    ok = browser.post(
        reverse("my_case_draft", args=[case.pk]),
        {"file-application": _pdf(), "action": "save", "csrfmiddlewaretoken": token},
    )
    assert ok.status_code == 302 and CaseMaterial.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_an_enterprise_account_applies_for_its_enterprise(client, desk):
    body = "91532801MA6K0000X"
    enterprise = identity_services.enterprise_register(
        name="景洪市澜沧江餐饮有限公司",
        uscc=body + uscc.calc_check_digit(body),
        legal_representative="玉香",
        region=desk.world.jinghong,
    )
    desk.citizen.enterprise = enterprise
    desk.citizen.save(update_fields=["enterprise"])
    case = _start(client, desk)
    assert case.applicant_enterprise_id == enterprise.pk
    html = client.get(reverse("apply_start", args=[desk.impl.pk])).content.decode()
    assert 'data-applicant-kind="enterprise"' in html
