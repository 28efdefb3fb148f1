"""The structured bundle editor: forms instead of JSON, each check shown where it is corrected,
nothing saved on bad input, no edit while under review, the review cycle from the pages."""

from __future__ import annotations

from typing import Any

import pytest

from zwfw.bundles.models import Bundle, BundleAdjustment, BundleStatus
from zwfw.bundles.tests.factories import catalog_reviewer
from zwfw.core.models import AuditEvent


def _management(prefix: str, rows: int, initial: int | None = None) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(rows),
        f"{prefix}-INITIAL_FORMS": str(rows if initial is None else initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def item_post(
    implementation: str,
    *,
    fields: list[dict[str, Any]] = (),  # type: ignore[assignment]
    conditions: list[tuple[str, str]] = (),  # type: ignore[assignment]
    dependencies: list[tuple[str, str]] = (),  # type: ignore[assignment]
    materials: dict[str, str] | None = None,
) -> dict[str, str]:
    """The item page's form as a browser posts it."""
    data = {"action": "save", "item-implementation": implementation, "item-note": ""}
    data |= _management("conditions", len(conditions))
    for n, (question, answer) in enumerate(conditions):
        data |= {f"conditions-{n}-question": question, f"conditions-{n}-answer": answer}
    data |= _management("dependencies", len(dependencies))
    for n, (item, result_as) in enumerate(dependencies):
        data |= {f"dependencies-{n}-item": item, f"dependencies-{n}-result_as": result_as}
    data |= _management("fields", len(fields))
    for n, spec in enumerate(fields):
        row = {"type": "text", "max_length": "200", "choices": ""} | spec
        data |= {f"fields-{n}-{k}": str(v) for k, v in row.items() if k != "optional"}
        if spec.get("optional"):
            data[f"fields-{n}-optional"] = "on"
    materials = materials or {}
    data |= _management("materials", len(materials))
    for n, (key, merged) in enumerate(materials.items()):
        data |= {f"materials-{n}-key": key, f"materials-{n}-merged": merged}
    return data


NAME = {"name": "child_name", "concept": "child.name", "label": "新生儿姓名"}


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.catalog_admin_jh)
    return client


@pytest.fixture
def draft(admin_client, newborn) -> Bundle:
    """A new draft with two items added on the overview: the birth certificate and the household
    registration."""
    created = admin_client.post("/bundles/editor/", {"code": "TWO", "name": "出生两件事", "region": "532801"})
    assert created.status_code == 302
    bundle = Bundle.objects.get(code="TWO")
    url = f"/bundles/editor/{bundle.pk}/"
    for key in ("birth", "household"):
        added = admin_client.post(
            url, {"action": "add_item", "add-key": key, "add-implementation": newborn.impls[key].code}
        )
        assert added.status_code == 302 and added["Location"] == f"{url}items/{key}/"
    bundle.refresh_from_db()
    return bundle


def test_overview_shows_every_part_of_the_definition(admin_client, newborn):
    page = admin_client.get(f"/bundles/editor/{newborn.bundle.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    for key in ("birth", "household", "insurance", "vaccine", "card"):
        assert f'data-item="{key}"' in html and f"/items/{key}/" in html
    assert 'data-concept="child.name"' in html and 'data-mapped="household.name"' in html
    assert 'data-merged-material="mother-id"' in html  # the guardian's ID is uploaded as the mother's
    assert 'data-passed="household.birth-certificate"' in html  # provided by the birth certificate
    assert 'name="questions-0-key" value="need-card"' in html
    assert 'data-checks="0"' in html
    assert "data-locked" not in html and "<script>" not in html  # no inline script (CSP)


def test_map_a_shared_field_see_the_conflict_named_fix_it_and_publish(admin_client, world, newborn, draft):
    url = f"/bundles/editor/{draft.pk}/"
    birth = admin_client.post(
        f"{url}items/birth/",
        item_post(newborn.impls["birth"].code, fields=[NAME], materials={"mother-id": "mother-id"}),
    )
    assert birth.status_code == 302
    # the household registration maps its own "name" onto the same shared field, but as a date
    conflicting = item_post(
        newborn.impls["household"].code,
        fields=[{"name": "name", "concept": "child.name", "label": "新生儿姓名", "type": "date"}],
        dependencies=[("birth", "birth-certificate")],
    )
    assert admin_client.post(f"{url}items/household/", conflicting).status_code == 302
    draft.refresh_from_db()
    assert draft.draft["items"][1]["fields"][0]["type"] == "date"
    assert draft.draft["items"][1]["depends_on"] == [{"item": "birth", "result_as": "birth-certificate"}]
    # the message names both fields, next to each of them and next to the shared field
    item_page = admin_client.get(f"{url}items/household/").content.decode()
    row = item_page[item_page.index('data-field-row="name"') :]
    assert 'data-check-code="bundles.field_conflict"' in row[: row.index("</li>")]
    assert "household.name" in item_page and "birth.child_name" in item_page
    overview = admin_client.get(url).content.decode()
    concept = overview.split('data-concept="child.name"')[1].split("<h3>")[0]
    assert 'data-check-code="bundles.field_conflict"' in concept
    # publishing is refused with the same message; nothing is submitted
    refused = admin_client.post(url, {"action": "submit", "reason": "新增"})
    assert refused.status_code == 422
    assert "household.name" in refused.content.decode() and "birth.child_name" in refused.content.decode()
    assert not BundleAdjustment.objects.filter(bundle=draft).exists()
    # fixed: the same type; then submitted, and approved by another administrator
    fixed = item_post(
        newborn.impls["household"].code,
        fields=[{"name": "name", "concept": "child.name", "label": "新生儿姓名"}],
        dependencies=[("birth", "birth-certificate")],
    )
    assert admin_client.post(f"{url}items/household/", fixed).status_code == 302
    assert 'data-checks="0"' in admin_client.get(url).content.decode()
    assert admin_client.post(url, {"action": "submit", "reason": "新增出生两件事"}).status_code == 302
    locked = admin_client.get(url).content.decode()
    assert "data-locked" in locked and 'data-action="approve"' not in locked  # the author does not review
    admin_client.force_login(catalog_reviewer(world))
    assert admin_client.post(url, {"action": "approve", "comment": "同意"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == BundleStatus.PUBLISHED and draft.current_version.number == 1
    assert [f["concept"] for i in draft.current_version.content["items"] for f in i["fields"]] == [
        "child.name",
        "child.name",
    ]


def test_questions_conditions_order_and_material_map(admin_client, newborn, draft):
    url = f"/bundles/editor/{draft.pk}/"
    questions = {"action": "questions"} | _management("questions", 2, initial=0)
    questions |= {
        "questions-0-key": "need-card",
        "questions-0-text": "是否办理社保卡",
        "questions-0-help": "",
    }
    questions |= {"questions-1-key": "", "questions-1-text": "", "questions-1-help": ""}  # the empty row
    assert admin_client.post(url, questions).status_code == 302
    draft.refresh_from_db()
    assert draft.draft["questions"] == [{"key": "need-card", "text": "是否办理社保卡", "help": ""}]
    post = item_post(
        newborn.impls["household"].code,
        fields=[NAME],
        conditions=[("need-card", "no")],
        dependencies=[("birth", "birth-certificate")],
        materials={"birth-certificate": "birth-certificate", "mother-id": "ids", "household": "household"},
    )
    assert admin_client.post(f"{url}items/household/", post).status_code == 302
    draft.refresh_from_db()
    household = draft.draft["items"][1]
    assert household["applies_when"] == [{"question": "need-card", "answer": False}]
    assert household["material_map"] == {"mother-id": "ids"}  # only what differs from the key
    # the household registration may apply without the birth certificate it waits for? no:
    # the birth certificate always applies, so no dependency_may_not_apply failure
    page = admin_client.get(f"{url}items/household/").content.decode()
    assert 'data-check-code="bundles.dependency_may_not_apply"' not in page
    assert 'data-material-row="mother-id"' in page and 'value="ids"' in page
    assert 'data-provided-by="birth"' in page  # the certificate comes from the first item
    # the birth certificate made conditional: now its dependant may apply without it
    post = item_post(newborn.impls["birth"].code, fields=[NAME], conditions=[("need-card", "yes")])
    admin_client.post(f"{url}items/birth/", post)
    page = admin_client.get(f"{url}items/household/").content.decode()
    assert 'data-check-code="bundles.dependency_may_not_apply"' in page


def test_bad_input_is_refused_next_to_it_and_nothing_is_saved(admin_client, newborn, draft):
    url = f"/bundles/editor/{draft.pk}/items/birth/"
    before = (dict(draft.draft), AuditEvent.objects.count())
    bad = item_post(
        newborn.impls["birth"].code,
        fields=[
            {"name": "Child Name", "concept": "child.name", "label": "新生儿姓名"},
            {"name": "sex", "concept": "child.sex", "label": "性别", "type": "choice"},  # no options
        ],
    )
    response = admin_client.post(url, bad)
    assert response.status_code == 422
    html = response.content.decode()
    assert "data-error-summary" in html and html.count('class="field__error"') >= 2
    draft.refresh_from_db()
    assert (draft.draft, AuditEvent.objects.count()) == before
    # an unknown action or a bad limit changes nothing either
    assert admin_client.post(url, {"action": "nonsense"}).status_code == 422
    basics = {
        "action": "basics",
        "basics-name": "x",
        "basics-subject": "person",
        "basics-promised_limit": "-3",
        "basics-promised_limit_unit": "working_days",
        "basics-result_delivery": "together",
    }
    assert admin_client.post(f"/bundles/editor/{draft.pk}/", basics).status_code == 422
    draft.refresh_from_db()
    assert draft.draft == before[0]
    assert admin_client.get(f"/bundles/editor/{draft.pk}/items/nope/").status_code == 404


def test_no_js_add_row_and_removing_an_item(admin_client, newborn, draft):
    url = f"/bundles/editor/{draft.pk}/items/household/"
    post = item_post(newborn.impls["household"].code, fields=[NAME], dependencies=[("birth", "")])
    post["add_row"] = "fields"
    del post["action"]
    more = admin_client.post(url, post)
    assert more.status_code == 200 and 'name="fields-1-name"' in more.content.decode()
    draft.refresh_from_db()
    assert draft.draft["items"][1]["fields"] == []  # adding a row saves nothing
    admin_client.post(url, post | {"action": "save"} | {"add_row": ""})
    removed = admin_client.post(f"/bundles/editor/{draft.pk}/items/birth/", {"action": "remove"})
    assert removed.status_code == 302
    draft.refresh_from_db()
    assert [i["key"] for i in draft.draft["items"]] == ["household"]
    assert draft.draft["items"][0]["depends_on"] == []  # the dependency on it went with it


def test_nothing_is_edited_while_under_review(admin_client, world, newborn):
    bundle = newborn.bundle
    url = f"/bundles/editor/{bundle.pk}/"
    assert admin_client.post(url, {"action": "submit", "reason": "更新"}).status_code == 302
    before = dict(Bundle.objects.get(pk=bundle.pk).draft)
    response = admin_client.post(
        f"{url}items/card/", item_post(newborn.impls["card"].code, fields=[NAME], conditions=[])
    )
    assert response.status_code == 409
    assert "disabled" in admin_client.get(f"{url}items/card/").content.decode()
    assert Bundle.objects.get(pk=bundle.pk).draft == before
    # the reviewer returns it with a comment, which is required
    admin_client.force_login(catalog_reviewer(world))
    assert admin_client.post(url, {"action": "reject", "comment": ""}).status_code == 422
    assert admin_client.post(url, {"action": "reject", "comment": "请补充说明"}).status_code == 302
    assert "请补充说明" in admin_client.get(url).content.decode()


def test_a_cancelled_bundle_offers_no_form_to_fill(admin_client, newborn, draft):
    from zwfw.bundles.models import BundleStatus

    url = f"/bundles/editor/{draft.pk}/"
    assert 'data-action="save-basics" disabled' not in admin_client.get(url).content.decode()
    Bundle.objects.filter(pk=draft.pk).update(status=BundleStatus.CANCELLED)
    before = dict(Bundle.objects.get(pk=draft.pk).draft)
    assert 'data-action="save-basics" disabled' in admin_client.get(url).content.decode()
    response = admin_client.post(
        f"{url}items/birth/", item_post(newborn.impls["birth"].code, fields=[NAME], conditions=[])
    )
    assert response.status_code == 409
    assert Bundle.objects.get(pk=draft.pk).draft == before


def test_only_catalog_admins_of_the_region_see_the_editor(client, world, newborn, parent):
    for user in (parent, world.clerk_jh):
        client.force_login(user)
        for path in ("", "items/birth/", "json/"):
            assert client.get(f"/bundles/editor/{newborn.bundle.pk}/{path}").status_code == 404


def test_a_code_longer_than_the_column_is_refused_in_chinese_not_a_server_error(admin_client, newborn):
    before = (Bundle.objects.count(), AuditEvent.objects.count())
    response = admin_client.post("/bundles/editor/", {"code": "X" * 41, "name": "太长", "region": "532801"})
    assert response.status_code == 422
    assert "最多 40 个字符" in response.content.decode()
    assert (Bundle.objects.count(), AuditEvent.objects.count()) == before
    assert (
        admin_client.post(
            "/bundles/editor/", {"code": "X" * 40, "name": "刚好", "region": "532801"}
        ).status_code
        == 302
    )
