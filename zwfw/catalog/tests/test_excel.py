"""Excel import and export of the catalog: layout, every refused cell, idempotence, round trip, pages."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from zwfw.catalog import services
from zwfw.catalog.excel import catalog_export, catalog_import, layout, template_build
from zwfw.catalog.excel.cells import column_letter
from zwfw.catalog.excel.tasks import import_status
from zwfw.catalog.models import Implementation, ImplementationStatus, ServiceItem
from zwfw.catalog.tests.factories import make_implementation, make_item, publishable_content
from zwfw.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zwfw.core.ledger import ledger_verify
from zwfw.core.models import AgencyKind, AuditEvent
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role

pytestmark = pytest.mark.django_db

MAIN, MATERIALS, FAQ, FEES, PROCEDURES = "实施清单", "申请材料", "常见问题", "收费项目", "特别程序"


# --- building workbooks --------------------------------------------------------------------------


def good_row(code: str = "JH-FOOD-1", base_code: str = "BC-FOOD-1", **cells: Any) -> dict[str, Any]:
    """A complete 实施清单 row for 景洪市市场监督管理局 that passes every publication check."""
    row: dict[str, Any] = {
        "实施编码": code,
        "基本编码": base_code,
        "事项名称": "食品经营许可",
        "事项类型": "行政许可",
        "实施主体": "景洪市市场监督管理局",
        "实施主体所在区划代码": "532801",
        "设定依据": "《中华人民共和国食品安全法》第三十五条",
        "主管部门": "市场监督管理部门",
        "行使层级": "县级",
        "实施主体性质": "法定",
        "服务对象": "自然人、法人",
        "办件类型": "承诺件",
        "受理条件": "申请人具有完全民事行为能力。",
        "法定办结时限": 20,
        "法定时限单位": "工作日",
        "承诺办结时限": 10,
        "承诺时限单位": "工作日",
        "办理流程": "1. 受理：窗口核对材料\n2. 审查\n3. 决定\n4. 送达",
        "办理形式": "窗口办理、网上办理、邮寄办理",
        "到办事现场次数": 1,
        "必须到现场原因": "现场核验身份及原件。",
        "是否收费": "否",
        "办理地点": "景洪市政务服务中心一楼综合窗口",
        "办理时间": "周一至周五 9:00-12:00, 14:30-18:00",
        "咨询电话": "0691-2123456",
        "投诉电话": "0691-12345",
        "网上办理深度": "Ⅲ",
        "网办地址(PC)": "https://zwfw.yn.gov.cn/item/1",
        "审批结果名称": "食品经营许可证",
        "审批结果类型": "证照",
        "结果样本": "sample-1",
    }
    row.update(cells)
    return row


def good_materials(code: str = "JH-FOOD-1") -> list[dict[str, Any]]:
    return [
        {"实施编码": code, "材料标识": "application", "材料名称": "食品经营许可申请书", "必要性": "必要"},
        {
            "实施编码": code,
            "材料名称": "法定代表人身份证明",
            "必要性": "必要",
            "来源渠道": "电子证照",
            "证照类型": "居民身份证",
        },
    ]


def good_faq(code: str = "JH-FOOD-1") -> list[dict[str, Any]]:
    return [{"实施编码": code, "问题": "可以网上办理吗？", "解答": "可以，登录云南政务服务网办理。"}]


def workbook(
    sheets: dict[str, list[dict[str, Any]]], *, extra_headers: dict[str, list[str]] | None = None
) -> bytes:
    """An .xlsx with the layout's headers on every sheet and the given rows (by header)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in layout.SHEETS:
        ws = wb.create_sheet(sheet.name)
        headers = [c.header for c in sheet.columns] + (extra_headers or {}).get(sheet.name, [])
        ws.append(headers)
        for row in sheets.get(sheet.name, []):
            ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def good_file(*rows: dict[str, Any]) -> bytes:
    rows = rows or (good_row(),)
    return workbook(
        {
            MAIN: list(rows),
            MATERIALS: [m for r in rows for m in good_materials(r["实施编码"])],
            FAQ: [f for r in rows for f in good_faq(r["实施编码"])],
        }
    )


def counts() -> tuple[int, int, int]:
    return ServiceItem.objects.count(), Implementation.objects.count(), AuditEvent.objects.count()


def refused(world: Any, data: bytes, actor: Any = None) -> list[dict[str, Any]]:
    """Import expecting a refusal; the problems, after checking nothing was written."""
    before = counts()
    with pytest.raises(ValidationFailed) as err:
        catalog_import(actor=actor or world.catalog_admin_jh, file=data, filename="x.xlsx")
    assert err.value.code == "catalog.import_invalid"
    assert counts() == before
    return list(err.value.details)


def where(problems: list[dict[str, Any]]) -> set[tuple[str, Any, str, str]]:
    return {(p["sheet"], p["row"], p["header"], p["code"]) for p in problems}


@pytest.fixture
def reviewer(world):
    """A catalog admin of 景洪市政务服务管理局 (reviews and publishes 景洪市's adjustments)."""
    from zwfw.core import services as core_services

    bureau = core_services.agency_create(
        name="景洪市政务服务管理局", region=world.jinghong, kind=AgencyKind.SERVICE_ADMINISTRATION
    )
    user = identity_services.user_create(username="catalog_reviewer", password="pw")
    identity_services.staff_membership_grant(user=user, agency=bureau, role=Role.CATALOG_ADMIN, system=True)
    return user


@pytest.fixture
def admin_mh(world):
    """A catalog administrator of 勐海县."""
    user = identity_services.user_create(username="catalog_mh", password="pw-catalog_mh")
    identity_services.staff_membership_grant(
        user=user, agency=world.mh_market, role=Role.CATALOG_ADMIN, system=True
    )
    return user


# --- template ------------------------------------------------------------------------------------


@pytest.mark.smoke
def test_template_downloads_with_every_header_help_and_lists(world, client):
    client.force_login(world.catalog_admin_jh)
    response = client.get(reverse("catalog_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = b"".join(response.streaming_content)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in layout.SHEETS:
        headers = [c.value for c in wb[sheet.name][1]]
        assert headers == [c.header for c in sheet.columns]
    documented = {(r[0], r[1]) for r in wb[layout.HELP_SHEET].iter_rows(values_only=True) if r and r[0]}
    assert {(s.name, c.header) for s in layout.SHEETS for c in s.columns} <= documented
    main = wb[MAIN]
    type_letter = column_letter([c.header for c in layout.MAIN.columns].index("事项类型"))
    assert any(
        dv.type == "list" and f"{type_letter}2" in str(dv.sqref)
        for dv in main.data_validations.dataValidation
    )
    options = wb[layout.OPTIONS_SHEET]
    assert options.sheet_state == "hidden"
    assert any("行政许可" in [c.value for c in column] for column in options.iter_cols())


def test_the_template_example_imports_as_a_publishable_draft(world):
    report = catalog_import(actor=world.catalog_admin_jh, file=template_build(), filename="template.xlsx")
    assert (report.created, report.items_created, report.drafts_failing_checks) == (1, 1, 0)
    implementation = Implementation.objects.get()
    assert implementation.status == ImplementationStatus.DRAFT
    assert implementation.current_version is None  # imports never publish
    assert [m["key"] for m in implementation.draft["materials"]] == ["application", "id-card"]


# --- refusals ------------------------------------------------------------------------------------


def test_a_broken_spreadsheet_names_every_bad_cell_and_imports_nothing(world):
    rows = [
        good_row("R2", "B2", 事项类型="行政许可证"),  # bad enum
        good_row("R3", "B3", 实施主体=None),  # missing required cell
        good_row("R4", "B4", 实施主体所在区划代码="539999"),  # unknown region
        good_row("R5", "B5", 法定办结时限="二十"),  # not a number
        good_row("R6", "B6", 实施主体="景洪市不存在局"),  # no such agency in the region
        good_row("R7", "B7", 到办事现场次数=11),  # above the schema's maximum
        good_row("R8", "B8", 是否收费="也许"),  # neither 是 nor 否
        good_row("R2", "B9"),  # duplicate 实施编码
        good_row("R10", "B10", 实施主体="勐海县市场监督管理局"),  # agency exists, but in 勐海县
    ]
    materials = [
        *good_materials("R2"),
        {"实施编码": "NOPE", "材料名称": "无主材料"},  # unknown 实施编码
        {"实施编码": "R3", "材料标识": "Bad Key!", "材料名称": "键不合规"},  # key pattern
        {"实施编码": "R4", "材料名称": "份数错", "份数": "两份"},  # not a number
        {"实施编码": "R5", "材料名称": None, "必要性": "必要"},  # missing required cell
    ]
    problems = refused(world, workbook({MAIN: rows, MATERIALS: materials}))
    assert where(problems) == {
        (MAIN, 2, "事项类型", "excel.enum"),
        (MAIN, 3, "实施主体", "excel.required"),
        (MAIN, 4, "实施主体所在区划代码", "excel.region_unknown"),
        (MAIN, 5, "法定办结时限", "excel.number"),
        (MAIN, 6, "实施主体", "excel.agency_unknown"),
        (MAIN, 7, "到办事现场次数", "excel.content"),
        (MAIN, 8, "是否收费", "excel.enum"),
        (MAIN, 9, "实施编码", "excel.duplicate_code"),
        (MAIN, 10, "实施主体", "excel.agency_unknown"),
        (MATERIALS, 4, "实施编码", "excel.unknown_code"),
        (MATERIALS, 5, "材料标识", "excel.content"),
        (MATERIALS, 6, "份数", "excel.number"),
        (MATERIALS, 7, "材料名称", "excel.required"),
    }
    letters = {(p["row"], p["header"]): p["column"] for p in problems if p["sheet"] == MAIN}
    headers = [c.header for c in layout.MAIN.columns]
    assert letters[(2, "事项类型")] == column_letter(headers.index("事项类型"))
    assert all(p["message"] for p in problems)


def test_not_an_xlsx_is_refused_by_content_not_by_name(world):
    for data in (b"hello, this is a text file renamed to .xlsx", b"PK\x03\x04 not really a zip"):
        problems = refused(world, data)
        assert [p["code"] for p in problems] == ["excel.not_xlsx"]
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("notes.txt", "a zip, but not a workbook")
    assert [p["code"] for p in refused(world, other_zip.getvalue())] == ["excel.not_xlsx"]


def test_size_rows_sheets_and_headers_are_checked(world, settings):
    settings.ZWFW_IMPORT_MAX_BYTES = 1000
    assert [p["code"] for p in refused(world, good_file())] == ["excel.too_large"]
    settings.ZWFW_IMPORT_MAX_BYTES = 20 * 1024 * 1024
    settings.ZWFW_IMPORT_MAX_ROWS = 1
    problems = refused(world, good_file(good_row("A"), good_row("B", "BB")))
    assert [p["code"] for p in problems] == ["excel.too_many_rows"]
    settings.ZWFW_IMPORT_MAX_ROWS = 100
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    out = io.BytesIO()
    wb.save(out)
    assert [p["code"] for p in refused(world, out.getvalue())] == ["excel.missing_sheet"]
    problems = refused(world, workbook({MAIN: [good_row()]}, extra_headers={MAIN: ["备注栏"]}))
    assert where(problems) == {(MAIN, 1, "备注栏", "excel.unknown_column")}


def test_rows_may_not_contradict_the_catalog_entry(world):
    make_item(world, base_code="BC-FOOD-1")
    problems = refused(world, good_file(good_row(事项名称="食品经营许可（改）", 行使层级="市级")))
    assert where(problems) == {
        (MAIN, 2, "事项名称", "excel.item_mismatch"),
        (MAIN, 2, "行使层级", "excel.item_mismatch"),
    }
    # the same values, or blanks, are fine (taken from the catalog)
    report = catalog_import(
        actor=world.catalog_admin_jh, file=good_file(good_row(设定依据=None, 行使层级=None)), filename="x"
    )
    assert report.created == 1 and report.items_created == 0


def test_a_new_item_needs_its_uniform_elements(world):
    problems = refused(world, good_file(good_row(设定依据=None, 行使层级=None)))
    assert where(problems) == {
        (MAIN, 2, "设定依据", "excel.required"),
        (MAIN, 2, "行使层级", "excel.required"),
    }


def test_a_draft_under_review_is_not_overwritten(world):
    implementation = make_implementation(world)
    services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=implementation, kind="add", reason="新增"
    )
    row = good_row(implementation.code, implementation.item.base_code, 行使层级=None)
    row["承诺办结时限"] = 5
    problems = refused(world, good_file(row))
    assert where(problems) == {(MAIN, 2, "实施编码", "excel.under_review")}


_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><sheetData>'
    '<row r="1" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>1</v></c><c r="C1" s="2"><v>20</v></c>'
    '<c r="D1" s="3"><v>2.5</v></c><c r="E1" t="b"><v>1</v></c><c r="F1" s="1"/></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve"> A &amp; B_x000D_ </t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>受理：核对</t></is></c></row>'
    "{odd}"
    '<row r="9"><c r="AA9" t="s"><v>0</v></c></row>'
    "</sheetData></worksheet>"
)
_ODD_ROWS = (
    # a formula with its cached value, rich text with a phonetic run, a pretty-printed cell
    '<row r="3"><c r="A3"><f>C1*2</f><v>40</v></c><c r="B3" t="inlineStr"><is><r><t>甲</t></r>'
    '<r><t>乙</t></r><rPh sb="0" eb="1"><t>ジャ</t></rPh></is></c></row>'
    '<row r="4"><c r="A4" t="str"><f>A1</f><v>x</v></c><c r="B4">\n  <v>7</v>\n</c></row>'
)


@pytest.mark.parametrize("odd", ["", _ODD_ROWS])
def test_the_fast_cell_reader_agrees_with_expat(odd):
    from zwfw.catalog.excel import reader

    data = _SHEET.format(odd=odd).encode()
    shared = ["共享", "字符串"]
    fast = list(reader._stream_rows(io.BytesIO(data), shared))
    slow = list(reader._expat_rows(iter([data]), shared))
    assert fast == slow
    assert fast[0] == (1, ["字符串", None, 20, 2.5, True, None])
    assert fast[1] == (2, [" A & B\r ", "受理：核对"])  # cells are stripped later, by column
    assert fast[-1] == (9, [None] * 26 + ["共享"])
    if odd:
        assert fast[2] == (3, [40, "甲乙"]) and fast[3] == (4, ["x", 7])


# --- permissions ---------------------------------------------------------------------------------


def test_a_menghai_catalog_admin_cannot_import_rows_of_jinghong(world, admin_mh):
    mh_row = good_row("MH-1", "BC-MH-1", 实施主体="勐海县市场监督管理局", 实施主体所在区划代码="532822")
    jh_row = good_row("JH-1", "BC-JH-1")
    problems = refused(world, good_file(mh_row, jh_row), actor=admin_mh)
    assert where(problems) == {(MAIN, 3, "实施主体所在区划代码", "excel.forbidden")}
    # alone, the 勐海县 row imports
    report = catalog_import(actor=admin_mh, file=good_file(mh_row), filename="mh.xlsx")
    assert report.created == 1
    assert Implementation.objects.get().region == world.menghai


def test_users_without_the_role_cannot_import_or_export(world):
    with pytest.raises(PermissionDenied):
        catalog_import(actor=world.clerk_jh, file=good_file(), filename="x")
    with pytest.raises(PermissionDenied):
        catalog_export(actor=world.clerk_jh)
    with pytest.raises(NotFound):
        catalog_export(actor=world.catalog_admin_jh, region=world.menghai)
    assert Implementation.objects.count() == 0


# --- idempotence, updates, both write paths ----------------------------------------------------


def test_a_good_file_imported_twice_leaves_one_copy(world):
    data = good_file(good_row("JH-A", "BC-A"), good_row("JH-B", "BC-A", 实施主体="景洪市公安局"))
    first = catalog_import(actor=world.catalog_admin_jh, file=data, filename="a.xlsx")
    assert (first.created, first.updated, first.unchanged, first.items_created) == (2, 0, 0, 1)
    assert first.drafts_failing_checks == 0
    after_first = counts()
    second = catalog_import(actor=world.catalog_admin_jh, file=data, filename="a.xlsx")
    assert (second.created, second.updated, second.unchanged, second.path) == (0, 0, 2, "none")
    assert counts() == after_first  # no rows, no ledger events
    implementation = Implementation.objects.get(code="JH-A")
    assert implementation.draft["steps"][0] == {"name": "受理", "description": "窗口核对材料"}
    assert [m["key"] for m in implementation.draft["materials"]] == ["application", "m2"]
    assert implementation.draft["service_objects"] == ["person", "legal_person"]
    assert list(ledger_verify()) == []


def test_a_changed_row_updates_the_draft_only(world, reviewer):
    catalog_import(actor=world.catalog_admin_jh, file=good_file(), filename="a.xlsx")
    implementation = Implementation.objects.get()
    adjustment = services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=implementation, kind="add", reason="新增"
    )
    services.adjustment_approve(actor=reviewer, adjustment=adjustment)
    published = services.adjustment_publish(actor=reviewer, adjustment=adjustment)
    version = published.current_version
    report = catalog_import(
        actor=world.catalog_admin_jh, file=good_file(good_row(承诺办结时限=5)), filename="a.xlsx"
    )
    assert (report.updated, report.created) == (1, 0)
    published.refresh_from_db()
    assert published.draft["promised_limit"] == 5
    assert published.current_version == version and version.content["promised_limit"] == 10
    event = AuditEvent.objects.filter(chain=f"implementation:{published.pk}").order_by("-seq").first()
    assert event.action == "draft_saved" and event.payload == {"changed": ["promised_limit"]}


def _file_for(prefix: str, agency: str, n: int = 3) -> list[dict[str, Any]]:
    return [good_row(f"{prefix}-{i}", f"{prefix}-B{i}", 实施主体=agency) for i in range(n)]


def test_the_bulk_path_writes_what_the_services_write(world):
    via_services = _file_for("S", "景洪市市场监督管理局")
    via_bulk = _file_for("K", "景洪市公安局")
    report_s = catalog_import(
        actor=world.catalog_admin_jh, file=good_file(*via_services), filename="s", path="services"
    )
    report_k = catalog_import(
        actor=world.catalog_admin_jh, file=good_file(*via_bulk), filename="k", path="bulk"
    )
    assert (report_s.path, report_k.path) == ("services", "bulk")
    assert (report_s.created, report_k.created) == (3, 3)

    def shape(prefix: str) -> list[Any]:
        out = []
        for impl in Implementation.objects.filter(code__startswith=f"{prefix}-").order_by("code"):
            item = impl.item
            events = list(
                AuditEvent.objects.filter(chain__in=[f"implementation:{impl.pk}", f"service_item:{item.pk}"])
                .order_by("chain", "seq")
                .values_list("object_type", "seq", "action", "payload")
            )
            for i, (kind, seq, action, payload) in enumerate(events):
                payload = {
                    k: v for k, v in payload.items() if k not in ("code", "item", "agency", "base_code")
                }
                events[i] = (kind, seq, action, payload)
            out.append(
                (
                    impl.draft,
                    impl.draft_failures,
                    impl.status,
                    impl.search_name,
                    impl.item_type,
                    item.name,
                    item.region_id,
                    item.exercised_levels,
                    events,
                )
            )
        return out

    assert shape("S") == shape("K")
    # updates through both paths
    for rows in (via_services, via_bulk):
        for row in rows:
            row["承诺办结时限"] = 3
    catalog_import(actor=world.catalog_admin_jh, file=good_file(*via_services), filename="s", path="services")
    catalog_import(actor=world.catalog_admin_jh, file=good_file(*via_bulk), filename="k", path="bulk")
    assert shape("S") == shape("K")
    summaries = AuditEvent.objects.filter(object_type="catalog_import", action="imported")
    assert summaries.count() == 4
    assert list(ledger_verify()) == []


def test_a_draft_edited_while_the_file_is_checked_is_compared_again(world, monkeypatch):
    from zwfw.catalog.excel import service as excel_service

    catalog_import(actor=world.catalog_admin_jh, file=good_file(), filename="a.xlsx")
    implementation = Implementation.objects.get()
    real_write = excel_service.write_plan

    def edit_then_write(**kwargs: Any) -> Any:
        services.implementation_update_draft(
            actor=world.catalog_admin_jh,
            implementation=implementation,
            draft={**implementation.draft, "hours": "全天"},
        )
        return real_write(**kwargs)

    monkeypatch.setattr(excel_service, "write_plan", edit_then_write)
    report = catalog_import(actor=world.catalog_admin_jh, file=good_file(), filename="a.xlsx")
    assert (report.unchanged, report.updated) == (0, 1)  # found unchanged by the check, not at writing
    implementation.refresh_from_db()
    assert implementation.draft["hours"] == "周一至周五 9:00-12:00, 14:30-18:00"


def test_an_implementation_created_while_the_file_is_checked_stops_the_import(world, monkeypatch):
    from zwfw.catalog.excel import service as excel_service

    real_write = excel_service.write_plan

    def create_then_write(**kwargs: Any) -> Any:
        make_implementation(world, item=make_item(world, base_code="OTHER-1"))
        Implementation.objects.update(code="JH-FOOD-1")
        return real_write(**kwargs)

    monkeypatch.setattr(excel_service, "write_plan", create_then_write)
    with pytest.raises(Conflict) as err:
        catalog_import(actor=world.catalog_admin_jh, file=good_file(), filename="a.xlsx")
    assert err.value.code == "catalog.import_stale"
    assert not ServiceItem.objects.filter(base_code="BC-FOOD-1").exists()


# --- export --------------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def test_export_then_import_into_a_fresh_catalog_gives_the_same_content(world, reviewer):
    rich = publishable_content(
        charged=True,
        fee_basis="《收费标准》",
        fees=[
            {
                "name": "证书工本费",
                "standard": "每件10元",
                "amount_yuan": 10.0,
                "basis": "文件",
                "reduction": "小微企业免收",
            }
        ],
        special_procedures=[
            {
                "name": "现场勘验",
                "limit": 10,
                "limit_unit": "working_days",
                "basis": "办法",
                "counts_toward_limit": False,
            }
        ],
        steps=[
            {"name": "受理", "description": "窗口：核对材料"},
            {"name": "审查"},
            {"name": "决定"},
            {"name": "送达"},
        ],
        intermediaries=[{"name": "场所检测", "basis": "规定"}],
        co_handling_agencies=["景洪市公安局", "景洪市卫生健康局"],
        person_themes=["出生"],
        legal_person_themes=["准营", "变更"],
        cross_region_scope="national",
        cross_region_modes=["full_online", "proxy_intake"],
        subject_nature="entrusted",
        entrusting_agency="西双版纳州市场监督管理局",
        extension_allowed=True,
        extension_limit=10,
        online_url_mobile="zwfw://item/1",
        online_payment=True,
        statutory_limit_note="不含特别程序",
        materials=[
            {
                "key": "application",
                "name": "申请书",
                "necessity": "required",
                "commitment_allowed": True,
                "form": "paper",
                "copy_kind": "both",
                "copies": 2,
                "filling_notes": "用黑色签字笔填写",
                "basis": "《办法》第五条",
            },
            {
                "key": "id-card",
                "name": "身份证明",
                "source": "e_license",
                "license_type": "居民身份证",
                "form": "electronic",
            },
            {"key": "formula", "name": "=SUM(A1:A2) 不是公式", "necessity": "optional"},
        ],
    )
    try:
        with transaction.atomic():
            implementation = make_implementation(world, **rich)
            adjustment = services.adjustment_submit(
                actor=world.catalog_admin_jh, implementation=implementation, kind="add", reason="新增"
            )
            services.adjustment_approve(actor=reviewer, adjustment=adjustment)
            published = services.adjustment_publish(actor=reviewer, adjustment=adjustment)
            services.implementation_update_draft(
                actor=world.catalog_admin_jh, implementation=published, draft={**rich, "promised_limit": 3}
            )
            expected = published.current_version.content
            item = published.item
            expected_item = (
                item.base_code,
                item.name,
                item.item_type,
                item.legal_basis,
                item.competent_department,
                item.exercised_levels,
            )
            code = published.code
            exported = catalog_export(actor=world.catalog_admin_jh, region=world.jinghong)
            with_drafts = catalog_export(
                actor=world.catalog_admin_jh, agency=world.jh_market, include_drafts=True
            )
            raise _Rollback
    except _Rollback:
        pass
    assert not Implementation.objects.exists() and not ServiceItem.objects.exists()

    report = catalog_import(actor=world.catalog_admin_jh, file=exported, filename="export.xlsx")
    assert (report.created, report.items_created, report.drafts_failing_checks) == (1, 1, 0)
    imported = Implementation.objects.get()
    assert imported.code == code and imported.agency == world.jh_market
    assert imported.draft == expected
    item = imported.item
    assert (
        item.base_code,
        item.name,
        item.item_type,
        item.legal_basis,
        item.competent_department,
        item.exercised_levels,
    ) == expected_item
    again = catalog_import(actor=world.catalog_admin_jh, file=exported, filename="export.xlsx")
    assert again.unchanged == 1
    drafts = catalog_import(actor=world.catalog_admin_jh, file=with_drafts, filename="drafts.xlsx")
    assert drafts.updated == 1
    imported.refresh_from_db()
    assert imported.draft == {**expected, "promised_limit": 3}
    rows = list(openpyxl.load_workbook(io.BytesIO(exported))[MATERIALS].iter_rows(values_only=True))
    cell = rows[3][2]
    assert cell == "=SUM(A1:A2) 不是公式"  # written as text, not as a formula


def test_export_is_scoped_and_only_published_by_default(world, admin_mh):
    make_implementation(world)  # a draft of 景洪市
    data = catalog_export(actor=world.catalog_admin_jh)
    assert openpyxl.load_workbook(io.BytesIO(data))[MAIN].max_row == 1  # headers only: nothing published
    drafts = catalog_export(actor=world.catalog_admin_jh, include_drafts=True)
    assert openpyxl.load_workbook(io.BytesIO(drafts))[MAIN].max_row == 2
    other = catalog_export(actor=admin_mh, include_drafts=True)
    assert openpyxl.load_workbook(io.BytesIO(other))[MAIN].max_row == 1


# --- pages ---------------------------------------------------------------------------------------


def _upload(data: bytes, name: str = "catalog.xlsx") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_pages_require_login_and_the_role(world, client):
    for name in ("catalog_import", "catalog_import_template", "catalog_export"):
        url = reverse(name)
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        client.force_login(world.clerk_jh)
        assert client.get(url).status_code == 403
        assert client.post(reverse("catalog_import"), {"file": _upload(good_file())}).status_code == 403
        client.logout()
    assert Implementation.objects.count() == 0


def test_the_import_form_has_csrf_protection(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.catalog_admin_jh)
    page = client.get(reverse("catalog_import"))
    assert page.status_code == 200 and b"csrfmiddlewaretoken" in page.content
    assert b'enctype="multipart/form-data"' in page.content
    response = client.post(reverse("catalog_import"), {"file": _upload(good_file())})
    assert response.status_code == 403
    assert Implementation.objects.count() == 0
    token = page.cookies["csrftoken"].value
    response = client.post(
        reverse("catalog_import"), {"file": _upload(good_file()), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200 and Implementation.objects.count() == 1


def test_the_page_imports_a_small_file_and_lists_every_problem_of_a_bad_one(world, client):
    client.force_login(world.catalog_admin_jh)
    bad = workbook({MAIN: [good_row(事项类型="许可"), good_row("X2", "B2", 法定办结时限="很久")]})
    response = client.post(reverse("catalog_import"), {"file": _upload(bad)})
    assert response.status_code == 422
    html = response.content.decode()
    assert html.count('data-code="excel.') == 2
    assert 'data-code="excel.enum"' in html and 'data-code="excel.number"' in html
    response = client.post(reverse("catalog_import"), {"file": _upload(b"plain text", "notes.xlsx")})
    assert response.status_code == 422 and 'data-code="excel.not_xlsx"' in response.content.decode()
    assert Implementation.objects.count() == 0
    response = client.post(reverse("catalog_import"), {"file": _upload(good_file())}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-import-report" in html and 'data-created="1"' in html and "<html" not in html


@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_imported_by_a_task_with_a_progress_row(world, client, settings, admin_mh):
    settings.ZWFW_IMPORT_SYNC_MAX_ROWS = 1
    client.force_login(world.catalog_admin_jh)
    data = good_file(good_row("T1", "BT1"), good_row("T2", "BT2"))
    response = client.post(reverse("catalog_import"), {"file": _upload(data)})
    assert response.status_code == 303
    status_url = response["Location"]
    page = client.get(status_url)
    assert page.status_code == 200 and 'data-import-status="waiting"' in page.content.decode()
    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert Implementation.objects.count() == 0
    call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0)
    fragment = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-import-status="done"' in fragment and 'data-created="2"' in fragment
    assert "hx-trigger" not in fragment  # polling stops
    assert Implementation.objects.count() == 2
    result_id = status_url.rstrip("/").rsplit("/", 1)[-1]
    with pytest.raises(NotFound):
        import_status(actor=admin_mh, result_id=result_id)
    client.force_login(admin_mh)
    assert client.get(status_url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_running_import_reports_its_stage_and_percentage(world):
    from django_tasks_db.models import DBTaskResult

    from zwfw.catalog.excel.tasks import ProgressRecorder, import_enqueue

    result_id = import_enqueue(actor=world.catalog_admin_jh, data=good_file(), filename="a.xlsx")
    assert import_status(actor=world.catalog_admin_jh, result_id=result_id).state == "waiting"
    DBTaskResult.objects.filter(id=result_id).update(status="RUNNING")
    recorder = ProgressRecorder(result_id, expected_rows=200)
    recorder("read", 100, 0)
    status = import_status(actor=world.catalog_admin_jh, result_id=result_id)
    assert (status.state, status.stage, status.done, status.total, status.percent) == (
        "running",
        "read",
        100,
        200,
        15,
    )
    recorder("validate", 50, 100)
    status = import_status(actor=world.catalog_admin_jh, result_id=result_id)
    assert (status.stage, status.percent) == ("validate", 42)
    recorder.close()
    from django.core.files.storage import default_storage

    default_storage.delete(DBTaskResult.objects.get(id=result_id).args_kwargs["kwargs"]["name"])


@pytest.mark.django_db(transaction=True)
def test_a_refused_background_import_shows_its_problems(world, client, settings):
    settings.ZWFW_IMPORT_SYNC_MAX_ROWS = 1
    client.force_login(world.catalog_admin_jh)
    data = good_file(good_row("T1", "BT1", 事项类型="许可"), good_row("T2", "BT2"))
    status_url = client.post(reverse("catalog_import"), {"file": _upload(data)})["Location"]
    call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0)
    html = client.get(status_url).content.decode()
    assert 'data-import-status="refused"' in html and 'data-code="excel.enum"' in html
    assert Implementation.objects.count() == 0


def test_the_export_page_downloads_the_workbook(world, client):
    make_implementation(world)
    client.force_login(world.catalog_admin_jh)
    assert client.get(reverse("catalog_export")).status_code == 200
    response = client.get(reverse("catalog_export"), {"download": "1", "region": "532801", "drafts": "on"})
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb[MAIN].max_row == 2
    response = client.get(reverse("catalog_export"), {"download": "1", "region": "532822"})
    assert response.status_code == 400  # 勐海县 is not among this admin's regions


# --- commands ------------------------------------------------------------------------------------


def test_the_management_commands_import_and_export(world, tmp_path, capsys):
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(good_file())
    call_command("catalog_import", str(path), user="catalog_jh", dry_run=True)
    assert Implementation.objects.count() == 0
    call_command("catalog_import", str(path), user="catalog_jh")
    assert "1 created" in capsys.readouterr().out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(good_file(good_row(事项类型="许可")))
    with pytest.raises(CommandError, match="catalog.import_invalid"):
        call_command("catalog_import", str(bad), user="catalog_jh", no_progress=True)
    out = tmp_path / "out.xlsx"
    call_command("catalog_export", user="catalog_jh", region="532801", drafts=True, output=str(out))
    assert openpyxl.load_workbook(out)[MAIN].max_row == 2
