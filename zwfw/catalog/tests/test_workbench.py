"""The catalog workbench pages: access rules, the draft editor, the adjustment cycle, history, reports.

The pages call the catalog services; these tests check the wiring (status codes, redirects,
what is shown and what is saved) and that every step leaves its ledger event. Assertions use
codes, ids and data attributes, not the translated text.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zwfw.catalog import services
from zwfw.catalog.forms_workbench import (
    ROW_FORMS,
    DraftEditor,
    DraftForm,
    content_fields,
)
from zwfw.catalog.models import (
    Adjustment,
    AdjustmentStatus,
    Implementation,
    ImplementationStatus,
    ServiceItem,
)
from zwfw.catalog.tests.factories import make_implementation, make_item
from zwfw.core import services as core_services
from zwfw.core.models import AgencyKind, AuditEvent
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(world):
    """A catalog admin of 景洪市's 政务服务管理局 (the region's 政务服务部门)."""
    bureau = core_services.agency_create(
        name="景洪市政务服务管理局", region=world.jinghong, kind=AgencyKind.SERVICE_ADMINISTRATION
    )
    user = identity_services.user_create(username="catalog_reviewer", password="pw")
    identity_services.staff_membership_grant(user=user, agency=bureau, role=Role.CATALOG_ADMIN, system=True)
    return user


@pytest.fixture
def menghai_admin(world):
    user = identity_services.user_create(username="catalog_mh", password="pw")
    identity_services.staff_membership_grant(
        user=user, agency=world.mh_market, role=Role.CATALOG_ADMIN, system=True
    )
    return user


def _actions(impl: Implementation) -> list[str]:
    return list(
        AuditEvent.objects.filter(chain=f"implementation:{impl.pk}")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def _page_urls(impl: Implementation, adjustment: Adjustment | None = None) -> list[str]:
    urls = [
        reverse("workbench_catalog"),
        reverse("workbench_catalog_reviews"),
        reverse("workbench_catalog_dashboard"),
        reverse("workbench_catalog_new"),
        reverse("workbench_catalog_item_new"),
        reverse("workbench_catalog_edit", args=[impl.pk]),
        reverse("workbench_catalog_submit", args=[impl.pk]),
        reverse("workbench_catalog_history", args=[impl.pk]),
        reverse("workbench_catalog_compare", args=[impl.pk]),
    ]
    if adjustment is not None:
        urls.append(reverse("workbench_catalog_review", args=[adjustment.pk]))
    return urls


def _value(bound: Any) -> Any:
    """What a browser sends for one input, given the value the form renders."""
    value = bound.value()
    widget = bound.widget_type
    if widget == "checkbox":
        return "on" if value else None
    if isinstance(value, list):
        return [str(v) for v in value]
    return "" if value is None else str(value)


def form_data(editor: DraftEditor) -> dict[str, Any]:
    """The POST a browser would send for the editor exactly as rendered (the empty rows included)."""
    data: dict[str, Any] = {}
    for bound in editor.form:
        value = _value(bound)
        if value is not None:
            data[bound.html_name] = value
    for formset in editor.formsets.values():
        for bound in formset.management_form:
            data[bound.html_name] = _value(bound)
        for form in formset.forms:
            for bound in form:
                value = _value(bound)
                if value is not None:
                    data[bound.html_name] = value
    return data


def _edit_post(client: Client, impl: Implementation, **changes: Any) -> Any:
    editor = DraftEditor(draft=Implementation.objects.get(pk=impl.pk).draft)
    data = form_data(editor)
    data.update({k: v for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        data.pop(key, None)
    return client.post(reverse("workbench_catalog_edit", args=[impl.pk]), data)


# --- access --------------------------------------------------------------------------------------


def test_every_page_requires_login(client, world, reviewer):
    impl = make_implementation(world)
    adjustment = services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=impl, kind="add", reason="新增"
    )
    for url in _page_urls(impl, adjustment):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_a_user_without_the_catalog_role_gets_403(client, world):
    impl = make_implementation(world)
    client.force_login(world.clerk_jh)
    for url in _page_urls(impl):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b'data-status="403"' in response.content
    response = client.post(reverse("workbench_catalog_edit", args=[impl.pk]), {})
    assert response.status_code == 403


def test_an_admin_of_another_county_gets_404(client, world, menghai_admin, reviewer):
    impl = make_implementation(world)
    adjustment = services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=impl, kind="add", reason="新增"
    )
    client.force_login(menghai_admin)
    for url in _page_urls(impl, adjustment)[5:]:
        assert client.get(url).status_code == 404, url
    before = Implementation.objects.get(pk=impl.pk).draft
    response = client.post(reverse("workbench_catalog_review", args=[adjustment.pk]), {"action": "approve"})
    assert response.status_code == 404
    assert Adjustment.objects.get(pk=adjustment.pk).status == AdjustmentStatus.SUBMITTED
    assert Implementation.objects.get(pk=impl.pk).draft == before
    # The list does not show it either.
    assert b'data-impl="' not in client.get(reverse("workbench_catalog")).content


def test_post_without_csrf_token_is_refused(world):
    impl = make_implementation(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.catalog_admin_jh)
    before = Implementation.objects.get(pk=impl.pk).draft
    data = form_data(DraftEditor(draft=before))
    data["place"] = "新地点"
    assert client.post(reverse("workbench_catalog_edit", args=[impl.pk]), data).status_code == 403
    assert Implementation.objects.get(pk=impl.pk).draft == before
    html = client.get(reverse("workbench_catalog_edit", args=[impl.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None
    data["csrfmiddlewaretoken"] = token.group(1)
    assert client.post(reverse("workbench_catalog_edit", args=[impl.pk]), data).status_code == 302
    assert Implementation.objects.get(pk=impl.pk).draft["place"] == "新地点"


# --- the draft editor --------------------------------------------------------------------------


def test_the_editor_covers_every_element_of_the_content():
    covered = set(DraftForm.base_fields) | set(ROW_FORMS)
    assert content_fields() <= covered, content_fields() - covered
    from zwfw.catalog.content import Faq, Fee, Intermediary, Material, SpecialProcedure, Step

    for prefix, model in [
        ("materials", Material),
        ("steps", Step),
        ("special_procedures", SpecialProcedure),
        ("fees", Fee),
        ("intermediaries", Intermediary),
        ("faq", Faq),
    ]:
        assert set(model.model_fields) <= set(ROW_FORMS[prefix].base_fields), prefix


def test_saving_the_form_as_rendered_changes_nothing(client, world):
    impl = make_implementation(
        world,
        fees=[{"name": "工本费", "standard": "每件10元", "amount_yuan": 10.0}],
        charged=True,
        fee_basis="《收费标准》",
        online_payment=True,
        co_handling_agencies=["景洪市公安局", "景洪市税务局"],
        person_themes=["出生"],
        special_procedures=[{"name": "现场核查", "limit": 5, "basis": "第十条"}],
        intermediaries=[{"name": "检验检测"}],
        cross_region_scope="national",
        cross_region_modes=["full_online", "proxy_intake"],
        statutory_limit_note="不含公告时间",
    )
    before = Implementation.objects.get(pk=impl.pk).draft
    client.force_login(world.catalog_admin_jh)
    response = _edit_post(client, impl)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Implementation.objects.get(pk=impl.pk).draft == before
    assert _actions(impl)[-1] == "draft_saved"


def test_a_bad_draft_shows_every_error_next_to_its_input_and_saves_nothing(client, world):
    impl = make_implementation(world)
    before = Implementation.objects.get(pk=impl.pk).draft
    events = _actions(impl)
    client.force_login(world.catalog_admin_jh)
    response = _edit_post(
        client,
        impl,
        visits_required="many",  # not a number: the form says so
        **{
            "materials-1-copies": "999",  # a number the content schema refuses
            "materials-2-key": "Bad Key!",  # a key the schema refuses
            "faq-0-answer": "",  # a question without its answer
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "data-error-summary" in html
    fields = set(re.findall(r'data-problem-field="([^"]*)"', html))
    assert {"visits_required", "materials.1.copies", "faq.0.answer"} <= fields, fields
    assert any(f.startswith("materials.2") for f in fields), fields
    # Each message sits next to its input and the summary links to it.
    assert 'id="id_materials-1-copies_error"' in html and 'href="#id_materials-1-copies"' in html
    assert 'id="id_visits_required_error"' in html and 'aria-invalid="true"' in html
    assert Implementation.objects.get(pk=impl.pk).draft == before
    assert _actions(impl) == events


def test_after_saving_every_failing_check_is_listed_and_points_at_its_field(client, world):
    impl = make_implementation(world)
    client.force_login(world.catalog_admin_jh)
    response = _edit_post(
        client,
        impl,
        complaint_phone="",
        online_depth="4",
        **{"faq-0-question": "", "faq-0-answer": ""},
    )
    assert response.status_code == 302 and response["Location"].endswith("#checks")
    saved = Implementation.objects.get(pk=impl.pk)
    assert saved.draft["complaint_phone"] == "" and saved.draft["faq"] == []
    assert "catalog.check.complaint_missing" in saved.draft_failures
    html = client.get(response["Location"]).content.decode()
    found = re.findall(r'<li data-check-code="([^"]+)" data-check-field="([^"]+)"><a href="#([^"]+)"', html)
    listed = {code: (field, anchor) for code, field, anchor in found}
    assert listed["catalog.check.complaint_missing"] == ("complaint_phone", "id_complaint_phone")
    assert listed["catalog.check.faq_missing"] == ("faq", "rows-faq")
    assert listed["catalog.check.depth4_visits"] == ("visits_required", "id_visits_required")
    assert 'href="#id_complaint_phone"' in html and 'href="#rows-faq"' in html
    # …and the check is shown at the input itself, described by it.
    assert 'id="id_complaint_phone_check"' in html
    assert re.search(r'aria-describedby="[^"]*id_complaint_phone_check', html)
    assert "draft_saved" in _actions(impl)


def test_material_rows_get_keys_and_removed_rows_disappear(client, world):
    impl = make_implementation(world)
    client.force_login(world.catalog_admin_jh)
    response = _edit_post(
        client,
        impl,
        **{
            "materials-0-DELETE": "on",
            "materials-3-name": "营业执照",
            "materials-3-source": "e_license",
            "materials-3-license_type": "营业执照",
        },
    )
    assert response.status_code == 302
    materials = Implementation.objects.get(pk=impl.pk).draft["materials"]
    assert [m["name"] for m in materials] == ["法定代表人身份证明", "经营场所平面图", "营业执照"]
    assert materials[-1]["key"] == "m1" and materials[0]["key"] == "id-card"


def test_the_more_rows_button_works_without_javascript_and_saves_nothing(client, world):
    impl = make_implementation(world)
    before = Implementation.objects.get(pk=impl.pk).draft
    client.force_login(world.catalog_admin_jh)
    response = _edit_post(client, impl, add_row="steps", **{"steps-4-name": "现场核验"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="steps-TOTAL_FORMS" value="7"' in html  # 4 steps + 2 empty rows + 1 more
    assert 'value="现场核验"' in html  # what was typed is kept
    assert Implementation.objects.get(pk=impl.pk).draft == before


def test_a_draft_under_review_is_read_only(client, world):
    impl = make_implementation(world)
    services.adjustment_submit(actor=world.catalog_admin_jh, implementation=impl, kind="add", reason="新增")
    before = Implementation.objects.get(pk=impl.pk).draft
    client.force_login(world.catalog_admin_jh)
    html = client.get(reverse("workbench_catalog_edit", args=[impl.pk])).content.decode()
    assert "data-locked" in html and '<fieldset class="editor__fields" disabled>' in html
    _edit_post(client, impl, place="别处")
    assert Implementation.objects.get(pk=impl.pk).draft == before


# --- new implementation and catalog entry ------------------------------------------------------


def test_new_implementation_goes_to_the_editor_and_is_recorded(client, world):
    item = make_item(world)
    client.force_login(world.catalog_admin_jh)
    page = client.get(reverse("workbench_catalog_new"), {"q": "食品"}).content.decode()
    assert f'value="{item.pk}"' in page and f'value="{world.mh_market.pk}"' not in page
    response = client.post(reverse("workbench_catalog_new"), {"item": item.pk, "agency": world.jh_market.pk})
    impl = Implementation.objects.get(item=item, agency=world.jh_market)
    assert response.status_code == 302 and response["Location"] == reverse(
        "workbench_catalog_edit", args=[impl.pk]
    )
    assert _actions(impl) == ["created"]
    # Twice is refused with a message, and an agency outside the region is not offered.
    again = client.post(reverse("workbench_catalog_new"), {"item": item.pk, "agency": world.jh_market.pk})
    assert again.status_code == 200 and b"data-error-summary" in again.content
    other = client.post(reverse("workbench_catalog_new"), {"item": item.pk, "agency": world.mh_market.pk})
    assert other.status_code == 200
    assert not Implementation.objects.filter(agency=world.mh_market).exists()


def test_new_catalog_entry_is_created_through_the_service(client, world):
    client.force_login(world.catalog_admin_jh)
    data = {
        "region": world.jinghong.pk,
        "name": "户外广告设施设置审批",
        "base_code": "000101001000",
        "item_type": "licensing",
        "competent_department": "城市管理部门",
        "exercised_levels": ["county"],
        "legal_basis": "《城市市容和环境卫生管理条例》",
        "layer": "main",
    }
    bad = client.post(reverse("workbench_catalog_item_new"), {**data, "legal_basis": ""})
    assert bad.status_code == 200 and b"data-error-summary" in bad.content
    assert not ServiceItem.objects.filter(base_code="000101001000").exists()
    response = client.post(reverse("workbench_catalog_item_new"), data)
    item = ServiceItem.objects.get(base_code="000101001000")
    assert response.status_code == 302 and response["Location"].endswith(f"?item={item.pk}")
    assert AuditEvent.objects.filter(
        object_type="service_item", object_id=str(item.pk), action="created"
    ).exists()
    taken = client.post(reverse("workbench_catalog_item_new"), data)
    assert taken.status_code == 200 and b'id="id_base_code_error"' in taken.content


# --- submission, review, publication, history --------------------------------------------------


def _review(client: Client, adjustment: Adjustment, action: str, comment: str = "") -> Any:
    return client.post(
        reverse("workbench_catalog_review", args=[adjustment.pk]), {"action": action, "comment": comment}
    )


@pytest.mark.smoke
def test_the_whole_cycle_through_the_pages(world, reviewer):
    author, checker = Client(), Client()
    author.force_login(world.catalog_admin_jh)
    checker.force_login(reviewer)
    impl = make_implementation(world, complaint_phone="", faq=[])

    # Submitted with failing checks: the reviewer sees them all and cannot approve.
    response = author.post(
        reverse("workbench_catalog_submit", args=[impl.pk]), {"kind": "add", "reason": "新增事项"}
    )
    adjustment = Adjustment.objects.get(implementation=impl)
    assert response["Location"] == reverse("workbench_catalog_review", args=[adjustment.pk])
    page = checker.get(reverse("workbench_catalog_review", args=[adjustment.pk])).content.decode()
    assert {"catalog.check.complaint_missing", "catalog.check.faq_missing"} <= set(
        re.findall(r'<li data-check-code="([^"]+)"', page)
    )
    assert f'href="{reverse("workbench_catalog_edit", args=[impl.pk])}#id_complaint_phone"' in page
    assert 'data-action="approve-publish"' in page
    refused = _review(checker, adjustment, "approve")
    assert refused.status_code == 200 and b'data-message-level="error"' in refused.content
    assert Adjustment.objects.get(pk=adjustment.pk).status == AdjustmentStatus.SUBMITTED

    # Returning needs a comment; then the author reads it in the editor.
    no_comment = _review(checker, adjustment, "reject")
    assert no_comment.status_code == 200 and b'id="id_comment_error"' in no_comment.content
    assert _review(checker, adjustment, "reject", "请补充投诉电话和常见问题。").status_code == 302
    assert Adjustment.objects.get(pk=adjustment.pk).status == AdjustmentStatus.REJECTED
    editor_page = author.get(reverse("workbench_catalog_edit", args=[impl.pk])).content.decode()
    assert "data-returned" in editor_page and "请补充投诉电话和常见问题。" in editor_page

    # Fixed and submitted again; approved and published in one step.
    assert (
        _edit_post(
            author,
            impl,
            complaint_phone="0691-12345",
            **{"faq-0-question": "可以网上办理吗？", "faq-0-answer": "可以。"},
        ).status_code
        == 302
    )
    assert Implementation.objects.get(pk=impl.pk).draft_failures == []
    author.post(
        reverse("workbench_catalog_submit", args=[impl.pk]), {"kind": "add", "reason": "补正后重新提交"}
    )
    second = Adjustment.objects.filter(implementation=impl).latest("submitted_at")
    assert _review(checker, second, "approve_publish").status_code == 302
    impl.refresh_from_db()
    assert impl.status == ImplementationStatus.PUBLISHED and impl.current_version.number == 1

    # A change: shorter promised limit, approved, then published separately.
    _edit_post(author, impl, promised_limit="5")
    author.post(reverse("workbench_catalog_submit", args=[impl.pk]), {"kind": "change", "reason": "压缩时限"})
    change = Adjustment.objects.filter(implementation=impl).latest("submitted_at")
    review_page = checker.get(reverse("workbench_catalog_review", args=[change.pk])).content.decode()
    assert 'data-change-field="promised_limit"' in review_page
    assert _review(checker, change, "approve").status_code == 302
    assert _review(checker, change, "publish").status_code == 302
    impl.refresh_from_db()
    assert impl.current_version.number == 2 and impl.current_version.content["promised_limit"] == 5

    # History and comparison.
    history = author.get(reverse("workbench_catalog_history", args=[impl.pk])).content.decode()
    assert 'data-version="1"' in history and 'data-version="2"' in history
    assert f'href="/guides/{impl.pk}/v1/"' in history
    compare = author.get(
        reverse("workbench_catalog_compare", args=[impl.pk]), {"from_version": 1, "to_version": 2}
    ).content.decode()
    assert re.findall(r'data-change-field="([^"]+)"', compare) == ["promised_limit"]
    assert re.search(r"<del>10 [^<]+</del>", compare) and re.search(r"<ins>5 [^<]+</ins>", compare)

    actions = _actions(impl)
    for action in ("created", "draft_saved", "adjustment_submitted", "adjustment_rejected"):
        assert action in actions
    assert actions.count("adjustment_approved") == 2 and actions.count("published") == 2


def test_the_author_cannot_review_their_own_adjustment(client, world, reviewer):
    impl = make_implementation(world)
    adjustment = services.adjustment_submit(actor=reviewer, implementation=impl, kind="add", reason="新增")
    client.force_login(reviewer)
    page = client.get(reverse("workbench_catalog_review", args=[adjustment.pk])).content.decode()
    assert "data-four-eyes" in page and 'data-action="approve"' not in page
    response = _review(client, adjustment, "approve")
    assert response.status_code == 200 and b'data-message-level="error"' in response.content
    assert Adjustment.objects.get(pk=adjustment.pk).status == AdjustmentStatus.SUBMITTED


def test_a_department_admin_cannot_approve_and_may_withdraw(client, world, reviewer):
    impl = make_implementation(world)
    adjustment = services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=impl, kind="add", reason="新增"
    )
    client.force_login(world.catalog_admin_jh)
    assert _review(client, adjustment, "approve_publish").status_code == 200
    assert Adjustment.objects.get(pk=adjustment.pk).status == AdjustmentStatus.SUBMITTED
    response = _review(client, adjustment, "withdraw")
    assert response["Location"] == reverse("workbench_catalog_edit", args=[impl.pk])
    assert Adjustment.objects.get(pk=adjustment.pk).status == AdjustmentStatus.WITHDRAWN
    assert "adjustment_withdrawn" in _actions(impl)


def test_submit_needs_a_reason_and_the_right_kind(client, world):
    impl = make_implementation(world)
    client.force_login(world.catalog_admin_jh)
    url = reverse("workbench_catalog_submit", args=[impl.pk])
    assert b'id="id_reason_error"' in client.post(url, {"kind": "add", "reason": " "}).content
    assert b'id="id_kind_error"' in client.post(url, {"kind": "change", "reason": "改"}).content
    assert not Adjustment.objects.filter(implementation=impl).exists()


def test_review_queue_shows_what_awaits_the_reviewer(client, world, reviewer):
    impl = make_implementation(world)
    adjustment = services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=impl, kind="add", reason="新增"
    )
    client.force_login(reviewer)
    page = client.get(reverse("workbench_catalog_reviews")).content.decode()
    submitted = page.split('data-adjustments="submitted"')[1].split("</table>")[0]
    assert f'data-adjustment="{adjustment.pk}"' in submitted
    client.force_login(world.catalog_admin_jh)  # not a reviewer: only their own submissions
    page = client.get(reverse("workbench_catalog_reviews")).content.decode()
    assert 'data-adjustments="submitted"' not in page
    assert f'data-adjustment="{adjustment.pk}"' in page.split('data-adjustments="mine"')[1]


# --- list and dashboard ------------------------------------------------------------------------


def test_list_filters(client, world):
    good = make_implementation(world)
    bad = make_implementation(world, item=make_item(world, base_code="X-2", name="个体工商户登记"), hours="")
    client.force_login(world.catalog_admin_jh)

    def ids(**params: str) -> set[int]:
        html = client.get(reverse("workbench_catalog"), params).content.decode()
        return {int(i) for i in re.findall(r'<tr data-impl="(\d+)"', html)}

    assert ids() == {good.pk, bad.pk}
    assert ids(failing="yes") == {bad.pk}
    assert ids(failing="no") == {good.pk}
    assert ids(q="个体") == {bad.pk}
    assert ids(q=good.code) == {good.pk}
    assert ids(status="published") == set()
    assert ids(agency=str(world.jh_market.pk), item_type="licensing") == {good.pk, bad.pk}
    assert ids(agency="not-a-number") == {good.pk, bad.pk}  # a bad filter is ignored, not a 500


def test_dashboard_counts_guides_against_implementations(client, world, reviewer):
    impl = make_implementation(world)
    make_implementation(world, item=make_item(world, base_code="X-2", name="个体工商户登记"), place="")
    adjustment = services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=impl, kind="add", reason="新增"
    )
    services.adjustment_approve(actor=reviewer, adjustment=adjustment)
    services.adjustment_publish(actor=reviewer, adjustment=adjustment)
    client.force_login(world.catalog_admin_jh)
    html = client.get(reverse("workbench_catalog_dashboard")).content.decode()
    assert 'data-dashboard-total="532801"' in html
    stats = dict(re.findall(r'data-stat="([a-z_]+)">([^<]+)<', html))
    assert stats["required"] == "2" and stats["published"] == "1" and stats["rate"].startswith("50")
    assert stats["missing_local"] == "1"
    agency_row = html.split(f'data-row-key="{world.jh_market.pk}"')[1].split("</tr>")[0]
    assert 'data-col="required">2<' in agency_row
    # A region outside the actor's scope is not reported: the actor's own region is shown instead.
    other = client.get(reverse("workbench_catalog_dashboard"), {"region": "532822"}).content.decode()
    assert 'data-dashboard-total="532801"' in other
