"""Linked lists: import whole or nothing, upsert by code, links, permissions, the missing-link report."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from zwfw.catalog import lists
from zwfw.catalog.models import (
    ImplementationStatus,
    ItemLayer,
    ItemType,
    LinkedList,
    LinkedListKind,
    ListEntry,
)
from zwfw.catalog.tests.factories import make_implementation, make_item
from zwfw.core.errors import Conflict, PermissionDenied, ValidationFailed
from zwfw.core.ledger import ledger_verify
from zwfw.core.models import AuditEvent
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role

pytestmark = pytest.mark.django_db

POWER = LinkedListKind.POWER_RESPONSIBILITY
HEADER = "code,name,department,implementation_code\n"


@pytest.fixture
def catalog(world):
    """Three 景洪市 implementations (licensing, confirmation, public service) and one of 勐海县."""
    food = make_implementation(world)
    birth = make_implementation_in(
        world,
        world.catalog_admin_jh,
        world.jh_police,
        make_item(world, base_code="T-QR-1", name="户口登记（出生登记）", item_type=ItemType.CONFIRMATION),
    )
    card = make_implementation(
        world,
        item=make_item(world, base_code="T-GG-1", name="社会保障卡申领", item_type=ItemType.PUBLIC_SERVICE),
    )
    mh_food = make_implementation_in(world, world.menghai_admin, world.mh_market, food.item)
    return {"food": food, "birth": birth, "card": card, "mh_food": mh_food}


def make_implementation_in(world, actor, agency, item):
    """An implementation of ``item`` by another agency (draft, publishable content)."""
    from zwfw.catalog import services
    from zwfw.catalog.tests.factories import publishable_content

    return services.implementation_create(actor=actor, item=item, agency=agency, draft=publishable_content())


@pytest.fixture(autouse=True)
def _menghai_admin(world):
    """A catalog administrator of 勐海县 (another region than 景洪市)."""
    user = identity_services.user_create(username="catalog_mh", password="pw")
    identity_services.staff_membership_grant(
        user=user, agency=world.mh_market, role=Role.CATALOG_ADMIN, system=True
    )
    world.menghai_admin = user


def _import(world, data, **kwargs):
    kwargs.setdefault("actor", world.catalog_admin_jh)
    kwargs.setdefault("kind", POWER)
    kwargs.setdefault("region", world.jinghong)
    return lists.linked_list_import(rows=data, **kwargs)


@pytest.mark.smoke
def test_csv_import_creates_entries_and_links_by_code_and_by_exact_name(world, catalog):
    data = (
        HEADER
        + "QZ-1,食品经营许可,景洪市市场监督管理局,\n"
        + f"QZ-2,居民户口出生登记,景洪市公安局,{catalog['birth'].code}\n"
        + "QZ-3,对未取得食品经营许可从事食品经营活动的行政处罚,景洪市市场监督管理局,\n"
    ).encode()
    result = _import(world, data)
    assert (result.created, result.updated, result.removed, result.links_added) == (3, 0, 0, 2)
    assert result.unlinked_entries == 1
    linked_list = LinkedList.objects.get(kind=POWER, region=world.jinghong)
    assert linked_list.name == "景洪市权责清单"
    links = {
        e.code: sorted(e.implementations.values_list("pk", flat=True)) for e in linked_list.entries.all()
    }
    # name matching stays inside the list's region: 勐海县's 食品经营许可 is not linked
    assert links == {"QZ-1": [catalog["food"].pk], "QZ-2": [catalog["birth"].pk], "QZ-3": []}
    event = AuditEvent.objects.get(chain=f"linked_list:{linked_list.pk}")
    assert event.action == "imported" and event.payload["created"] == 3
    assert sorted(event.payload["links_added"]) == sorted(
        [["QZ-1", catalog["food"].code], ["QZ-2", catalog["birth"].code]]
    )
    assert list(ledger_verify()) == []


def test_reimport_is_idempotent_and_replaces_entries_keeping_surviving_links(world, catalog):
    first = HEADER + "QZ-1,食品经营许可,景洪市市场监督管理局,\nQZ-2,户口登记（出生登记）,景洪市公安局,\n"
    _import(world, first)
    again = _import(world, first)
    assert (again.created, again.updated, again.unchanged, again.removed, again.links_added) == (
        0,
        0,
        2,
        0,
        0,
    )
    assert ListEntry.objects.count() == 2
    assert AuditEvent.objects.filter(action="imported").count() == 2  # every import is recorded

    # a manual link on QZ-2 survives a re-import that renames it; QZ-1 leaves the list
    qz2 = ListEntry.objects.get(code="QZ-2")
    lists.implementation_link(actor=world.catalog_admin_jh, implementation=catalog["food"], entry=qz2)
    second = (
        HEADER
        + "QZ-2,户口登记（出生登记）（更名）,景洪市公安局,\nQZ-4,社会保障卡申领,景洪市市场监督管理局,\n"
    )
    result = _import(world, second)
    assert (result.created, result.updated, result.unchanged, result.removed) == (1, 1, 0, 1)
    assert set(ListEntry.objects.values_list("code", flat=True)) == {"QZ-2", "QZ-4"}
    qz2.refresh_from_db()
    assert qz2.name == "户口登记（出生登记）（更名）"
    assert set(qz2.implementations.values_list("pk", flat=True)) == {catalog["birth"].pk, catalog["food"].pk}
    assert not catalog["food"].list_entries.filter(code="QZ-1").exists()


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(world, catalog):
    data = (
        HEADER
        + "QZ-1,食品经营许可,景洪市市场监督管理局,\n"
        + ",缺编码,景洪市公安局,\n"  # line 3
        + "QZ-1,重复编码,景洪市公安局,\n"  # line 4
        + "QZ-5,,景洪市公安局,\n"  # line 5
        + "QZ-6,缺部门,,\n"  # line 6
        + f"{'X' * 61},编码过长,景洪市公安局,\n"  # line 7
        + "QZ-8,多一列,景洪市公安局,,extra\n"  # line 8
    )
    with pytest.raises(ValidationFailed) as err:
        _import(world, data.encode())
    assert err.value.code == "catalog.list_invalid"
    found = {(d["line"], d["field"]) for d in err.value.details}
    assert found == {(3, "code"), (4, "code"), (5, "name"), (6, "department"), (7, "code"), (8, "")}
    assert not LinkedList.objects.exists() and not ListEntry.objects.exists()


def test_unknown_or_foreign_implementation_codes_are_reported_and_nothing_is_imported(world, catalog):
    data = (
        HEADER
        + "QZ-1,食品经营许可,景洪市市场监督管理局,\n"
        + "QZ-2,不存在的实施清单,景洪市公安局,NO-SUCH-CODE\n"
        + f"QZ-3,勐海县的实施清单,勐海县市场监督管理局,{catalog['mh_food'].code}\n"
    )
    with pytest.raises(ValidationFailed) as err:
        _import(world, data)
    assert {(d["line"], d["field"]) for d in err.value.details} == {
        (3, "implementation_code"),
        (4, "implementation_code"),
    }
    assert not LinkedList.objects.exists()


def test_bad_header_empty_file_and_unreadable_bytes_are_refused(world, catalog):
    for data in [
        b"",
        b"code,name\nQZ-1,x\n",
        b"code,name,department,colour\nQZ-1,x,y,z\n",
        HEADER.encode(),
        b"\xff\xfe\x00\x00\xff",
        b"PK\x03\x04 not really a workbook",
    ]:
        with pytest.raises(ValidationFailed) as err:
            _import(world, data)
        assert err.value.code == "catalog.list_invalid", data
        assert err.value.details and err.value.details[0]["line"] in (1, 2), data
    assert not LinkedList.objects.exists()


def test_gb18030_csv_and_chinese_headers_are_read(world, catalog):
    data = "编码,事项名称,实施主体\r\nQZ-1,食品经营许可,景洪市市场监督管理局\r\n".encode("gb18030")
    result = _import(world, data)
    assert result.created == 1 and result.links_added == 1


def test_xlsx_first_sheet_is_imported_with_numeric_codes_as_text(world, catalog):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["编码", "事项名称", "实施主体", "实施编码", None])
    sheet.append([1001, "食品经营许可", "景洪市市场监督管理局", None, None])
    sheet.append([1002.0, "社会保障卡申领", "景洪市市场监督管理局", catalog["card"].code, None])
    sheet.append([None, None, None, None, None])  # blank rows are skipped
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = _import(world, io.BytesIO(buffer.getvalue()))
    assert result.created == 2 and result.links_added == 2
    assert set(ListEntry.objects.values_list("code", flat=True)) == {"1001", "1002"}

    bad = Workbook()
    bad.active.append(["code", "name", "department"])
    bad.active.append(["Q-1", None, "景洪市公安局"])
    buffer = io.BytesIO()
    bad.save(buffer)
    with pytest.raises(ValidationFailed) as err:
        _import(world, buffer.getvalue(), kind=LinkedListKind.LICENSING)
    assert err.value.details == [{"line": 2, "field": "name", "message": err.value.details[0]["message"]}]


def test_rows_given_as_dicts_report_unknown_columns(world, catalog):
    result = _import(
        world,
        [{"code": "QZ-1", "name": "食品经营许可", "department": "景洪市市场监督管理局"}],
        kind=LinkedListKind.LICENSING,
    )
    assert result.linked_list.name == "景洪市行政许可事项清单" and result.links_added == 1
    with pytest.raises(ValidationFailed) as err:
        _import(world, [{"code": "QZ-1", "name": "x", "department": "y"}, {"code": "QZ-2", "colour": "red"}])
    assert {d["line"] for d in err.value.details} == {3}


def test_entries_at_main_item_level_link_the_handling_items_and_ambiguous_names_link_nothing(world, catalog):
    main = make_item(world, base_code="T-XK-7", name="个体工商户登记")
    opening = make_item(
        world, base_code="T-XK-7-01", name="个体工商户登记（设立）", layer=ItemLayer.HANDLING, parent=main
    )
    closing = make_item(
        world, base_code="T-XK-7-02", name="个体工商户登记（注销）", layer=ItemLayer.HANDLING, parent=main
    )
    a = make_implementation(world, item=opening)
    b = make_implementation(world, item=closing)
    # the same item implemented by two 景洪市 agencies: a name alone cannot tell them apart
    police_food = make_implementation_in(world, world.catalog_admin_jh, world.jh_police, catalog["food"].item)
    data = (
        HEADER
        + "QZ-1,个体工商户登记,市场监管局,\n"  # shortened department name: one agency holds both
        + "QZ-2,食品经营许可,景洪市卫生健康局,\n"  # matches two agencies, neither named: ambiguous
        + "QZ-3,食品经营许可,景洪市公安局,\n"  # the department decides
    )
    result = _import(world, data)
    entries = {e.code: set(e.implementations.values_list("pk", flat=True)) for e in ListEntry.objects.all()}
    assert entries == {"QZ-1": {a.pk, b.pk}, "QZ-2": set(), "QZ-3": {police_food.pk}}
    assert result.ambiguous == ["QZ-2"]


def test_import_needs_a_catalog_admin_of_the_region_and_a_known_kind(world, catalog):
    data = HEADER + "QZ-1,食品经营许可,景洪市市场监督管理局,\n"
    with pytest.raises(PermissionDenied):
        _import(world, data, actor=world.clerk_jh)
    with pytest.raises(PermissionDenied):
        _import(world, data, actor=world.menghai_admin)
    with pytest.raises(PermissionDenied):
        _import(world, data, actor=None)
    with pytest.raises(ValidationFailed) as err:
        _import(world, data, kind="wish_list")
    assert err.value.code == "catalog.list_kind"
    assert not LinkedList.objects.exists()
    # the command line and the demo loader run as the system
    _import(world, data, actor=None, system=True)
    assert ListEntry.objects.count() == 1


def test_link_and_unlink_write_the_ledger_and_refuse_what_makes_no_sense(world, catalog):
    _import(world, HEADER + "QZ-9,对公共场所卫生状况的监督检查,景洪市卫生健康局,\n")
    entry = ListEntry.objects.get(code="QZ-9")
    food = catalog["food"]
    lists.implementation_link(actor=world.catalog_admin_jh, implementation=food, entry=entry)
    assert list(lists.implementation_list_entries(implementation=food)) == [entry]
    with pytest.raises(Conflict) as err:
        lists.implementation_link(actor=world.catalog_admin_jh, implementation=food, entry=entry)
    assert err.value.code == "catalog.link_exists"
    with pytest.raises(PermissionDenied):
        lists.implementation_unlink(actor=world.clerk_jh, implementation=food, entry=entry)
    with pytest.raises(PermissionDenied):
        lists.implementation_unlink(actor=world.menghai_admin, implementation=food, entry=entry)
    lists.implementation_unlink(actor=world.catalog_admin_jh, implementation=food, entry=entry)
    with pytest.raises(Conflict) as err:
        lists.implementation_unlink(actor=world.catalog_admin_jh, implementation=food, entry=entry)
    assert err.value.code == "catalog.link_missing"
    actions = list(
        AuditEvent.objects.filter(chain=f"implementation:{food.pk}", action__startswith="list_").values_list(
            "action", flat=True
        )
    )
    assert actions == ["list_linked", "list_unlinked"]

    # a 景洪市 list does not cover 勐海县, even for an admin who may edit 勐海县
    with pytest.raises(ValidationFailed) as err:
        lists.implementation_link(actor=world.menghai_admin, implementation=catalog["mh_food"], entry=entry)
    assert err.value.code == "catalog.link_outside_region"
    type(food).objects.filter(pk=food.pk).update(status=ImplementationStatus.CANCELLED)
    food.refresh_from_db()
    with pytest.raises(Conflict):
        lists.implementation_link(actor=world.catalog_admin_jh, implementation=food, entry=entry)
    assert list(ledger_verify()) == []


def test_missing_link_report_lists_power_items_without_a_power_list_entry(world, catalog):
    qs = type(catalog["food"]).objects.all()
    missing = set(lists.implementations_missing_links(qs).values_list("pk", flat=True))
    # the public service is exempt
    assert missing == {catalog["food"].pk, catalog["birth"].pk, catalog["mh_food"].pk}

    # a link to another kind of list does not count
    _import(world, HEADER + "XK-1,食品经营许可,景洪市市场监督管理局,\n", kind=LinkedListKind.LICENSING)
    assert catalog["food"].pk in set(lists.implementations_missing_links(qs).values_list("pk", flat=True))

    _import(world, HEADER + "QZ-1,食品经营许可,景洪市市场监督管理局,\n")
    type(catalog["birth"]).objects.filter(pk=catalog["birth"].pk).update(
        status=ImplementationStatus.CANCELLED
    )
    missing = set(lists.implementations_missing_links(qs).values_list("pk", flat=True))
    assert missing == {catalog["mh_food"].pk}
    # the caller's scope is kept
    jinghong_only = lists.implementations_missing_links(qs.filter(region=world.jinghong))
    assert not jinghong_only.exists()


def test_command_prints_counts_and_reports_bad_lines(world, catalog, tmp_path, capsys):
    good = tmp_path / "list.csv"
    good.write_text(HEADER + "QZ-1,食品经营许可,景洪市市场监督管理局,\n", encoding="utf-8")
    call_command("catalog_lists_import", str(good), kind=POWER, region="532801")
    out = capsys.readouterr().out
    assert "景洪市权责清单" in out and LinkedList.objects.get().entries.count() == 1

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + ",无编码,景洪市公安局,\nQZ-2,,景洪市公安局,\n", encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("catalog_lists_import", str(bad), kind=POWER, region="532801")
    assert "catalog.list_invalid" in str(err.value)
    errors = capsys.readouterr().err
    assert f"{bad}:2 [code]" in errors and f"{bad}:3 [name]" in errors

    with pytest.raises(CommandError):
        call_command("catalog_lists_import", str(good), kind=POWER, region="999999")
    with pytest.raises(CommandError):
        call_command("catalog_lists_import", str(good), kind=POWER, region="532801", user="clerk_jh")
    with pytest.raises(CommandError):
        call_command("catalog_lists_import", str(tmp_path / "missing.csv"), kind=POWER, region="532801")
