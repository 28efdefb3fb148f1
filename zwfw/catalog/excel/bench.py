"""The import benchmark: a synthetic workbook of n rows, imported as a superuser, timed.

``bench/catalog.py`` calls ``import_rows_benchmark(50_000)`` and reports the seconds it returns as
``import.rows_50k_s`` (target: under 60 s on PostgreSQL). The workbook is built the way the
export writes files (openpyxl write-only), outside the timing; the regions and agencies it needs
(a fictitious prefecture 539900 with two counties and five agencies each) are created directly
the first time. Each call uses fresh codes, so it can be repeated against the same database.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from zwfw.catalog.excel import layout
from zwfw.catalog.excel.cells import format_cell
from zwfw.core import services as core_services
from zwfw.core.models import Agency, Region, RegionLevel
from zwfw.identity.models import User

BENCH_USER = "bench_excel_import"
AGENCIES_PER_COUNTY = 5


def _region(code: str, name: str, level: str, parent: Region | None) -> Region:
    found = Region.objects.filter(code=code).first()
    return found or core_services.region_create(code=code, name=name, level=level, parent=parent)


def bench_agencies() -> list[Agency]:
    """Ten agencies in two counties of the fictitious prefecture 539900 (created once)."""
    province = _region("530000", "云南省", RegionLevel.PROVINCE, None)
    prefecture = _region("539900", "基准测试州", RegionLevel.PREFECTURE, province)
    agencies = []
    for county_code, county_name in (("539901", "基准一县"), ("539902", "基准二县")):
        county = _region(county_code, county_name, RegionLevel.COUNTY, prefecture)
        for i in range(AGENCIES_PER_COUNTY):
            name = f"{county_name}第{i + 1}局"
            agency = Agency.objects.filter(region=county, name=name).first()
            agencies.append(agency or core_services.agency_create(name=name, region=county))
    return agencies


def _content_row(index: int) -> dict[str, Any]:
    """A complete, publishable draft with a little variety."""
    return {
        "subject_nature": "statutory",
        "service_objects": ["person", "legal_person"],
        "handling_kind": "promised",
        "acceptance_conditions": f"申请人具有完全民事行为能力，符合第{index % 97}号规定的条件。",
        "statutory_limit": 20,
        "statutory_limit_unit": "working_days",
        "promised_limit": 5 + index % 10,
        "promised_limit_unit": "working_days",
        "steps": [
            {"name": "受理", "description": "窗口核对申请材料"},
            {"name": "审查", "description": ""},
            {"name": "决定", "description": ""},
            {"name": "送达", "description": "邮寄或窗口领取"},
        ],
        "handling_forms": ["window", "online", "post"],
        "visits_required": 1,
        "visit_reason": "现场核验身份及原件。",
        "charged": False,
        "place": f"基准政务服务中心{index % 30 + 1}号窗口",
        "hours": "周一至周五 9:00-12:00, 14:30-18:00",
        "consultation_phone": f"0691-21{index % 10000:04d}",
        "complaint_phone": "0691-12345",
        "online_depth": 3,
        "online_url_pc": f"https://zwfw.example.cn/item/{index}",
        "online_url_mobile": f"zwfw://item/{index}",
        "express_delivery": True,
        "booking": True,
        "cross_region_scope": "province",
        "result_name": f"基准许可证{index % 50}",
        "result_type": "certificate",
        "result_sample": "sample-1",
        "person_themes": ["出生"],
        "legal_person_themes": ["准营"],
    }


_MATERIALS: list[dict[str, Any]] = [
    {"key": "application", "name": "申请书", "necessity": "required", "form": "either", "copies": 1},
    {
        "key": "id-card",
        "name": "身份证明",
        "necessity": "required",
        "source": "e_license",
        "license_type": "居民身份证",
        "form": "electronic",
    },
    {"key": "plan", "name": "场所平面图", "necessity": "deficiency_allowed", "copy_kind": "copy"},
]
_FAQ: list[dict[str, Any]] = [{"question": "可以网上办理吗？", "answer": "可以，登录政务服务网办理。"}]


def synthetic_workbook(path: Path, n: int, agencies: list[Agency], token: str) -> None:
    """Write n implementation rows (n / len(agencies) new items, each implemented by every agency).

    openpyxl writes every text inline in its cell (Excel and WPS use a shared-string table), so
    this is the heavier case for the reader: 50,000 rows are about 120 MB of sheet XML.
    """
    wb = Workbook(write_only=True)
    sheets = {s.name: wb.create_sheet(s.name) for s in layout.SHEETS}
    for sheet in layout.SHEETS:
        sheets[sheet.name].append([c.header for c in sheet.columns])
    for index in range(n):
        agency = agencies[index % len(agencies)]
        item_no = index // len(agencies)
        base_code = f"B{token}-{item_no:06d}"
        code = f"{base_code}-{agency.pk}"
        item: dict[str, Any] = {
            "base_code": base_code,
            "name": f"基准事项{item_no}",
            "item_type": "licensing",
            "legal_basis": "《中华人民共和国行政许可法》",
            "competent_department": "基准主管部门",
            "exercised_levels": ["county"],
        }
        content = _content_row(index)
        row = []
        for column in layout.MAIN.columns:
            area, _sep, name = column.target.partition(".")
            impl: dict[str, Any] = {"code": code, "agency": agency.name, "region": agency.region.code}
            source: dict[str, Any] = impl if area == "impl" else item if area == "item" else content
            value = source.get(name)
            row.append(format_cell(column, value))
        sheets[layout.MAIN_SHEET].append(row)
        for entry in _MATERIALS:
            sheets[layout.MATERIAL_SHEET].append(
                [code, *(format_cell(c, entry.get(c.field)) for c in layout.MATERIALS.columns[1:])]
            )
        for entry in _FAQ:
            sheets[layout.FAQ_SHEET].append(
                [code, *(format_cell(c, entry.get(c.field)) for c in layout.FAQS.columns[1:])]
            )
    wb.save(path)


def import_rows_benchmark(n: int) -> float:
    """Seconds taken to import a synthetic workbook of n rows (the import only, not its building)."""
    from zwfw.catalog.excel.service import catalog_import

    agencies = bench_agencies()
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = User.objects.create_user(
            username=BENCH_USER, password=uuid.uuid4().hex, is_superuser=True, is_staff=True
        )
    token = uuid.uuid4().hex[:8]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        synthetic_workbook(path, n, agencies, token)
        started = time.perf_counter()
        report = catalog_import(actor=user, file=path, filename=path.name)
        seconds = time.perf_counter() - started
    if report.created != n:
        raise RuntimeError(f"the benchmark import created {report.created} of {n} rows")
    return seconds
