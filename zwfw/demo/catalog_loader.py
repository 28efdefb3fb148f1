"""Load the demo catalog: the items of ``zwfw.catalog.demo_items``, published through review.

Every item is created with ``service_item_create`` and every implementation with
``implementation_create``, then submitted, approved by a second catalog administrator of the
region's 政务服务管理局 (four eyes) and published, exactly as a real adjustment is. The prefecture
publishes first, so that the county versions are checked against it (五级十二同). Finally the demo
权责清单 of 景洪市 (``data/lists/``) is imported, which links most 景洪市 power items.

Idempotent: everything is looked up by its natural key (username, base code, implementation
code, list kind and region) first, so a second run creates nothing and writes nothing to the
ledger. Run ``zwfw.demo.loader.demo_load`` first: it creates the regions, agencies and the
``catalog`` account this loader builds on.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from zwfw.catalog import demo_items as data
from zwfw.catalog import lists, services
from zwfw.catalog.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    Implementation,
    LinkedList,
    LinkedListKind,
    ServiceItem,
)
from zwfw.core import demo_regions
from zwfw.core import services as core_services
from zwfw.core.ledger import ledger_checkpoint
from zwfw.core.models import Agency, AgencyKind, Region
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role, User

if TYPE_CHECKING:
    from zwfw.demo.loader import DemoAccount

DEMO_LIST_FILE = Path(settings.BASE_DIR) / "data" / "lists" / "532801-power-responsibility-demo.csv"
PUBLISH_REASON = "演示数据：新增实施清单"


@dataclass(frozen=True)
class CatalogStaff:
    """The author and the reviewer of one region's catalog (a 政务服务管理局's catalog admins)."""

    region: str
    author: str
    author_name: str
    reviewer: str
    reviewer_name: str


# "catalog" is created by zwfw.demo.loader; the others by this loader. Names are fictional.
CATALOG_STAFF = (
    CatalogStaff(
        data.PREFECTURE,
        "catalog_pref",
        "李明（州事项管理员）",
        "catalog_pref_reviewer",
        "刀丽（州事项审核员）",
    ),
    CatalogStaff(data.JINGHONG, "catalog", "王芳（事项管理员）", "catalog_reviewer", "玉罕（事项审核员）"),
    CatalogStaff(
        data.MENGHAI, "catalog_mh", "岩光（事项管理员）", "catalog_mh_reviewer", "玉叶（事项审核员）"
    ),
    CatalogStaff(
        data.MENGLA, "catalog_ml", "张勇（事项管理员）", "catalog_ml_reviewer", "玉香兰（事项审核员）"
    ),
)
REGION_ORDER = (data.PREFECTURE, data.JINGHONG, data.MENGHAI, data.MENGLA)


def _service_administration(region: Region) -> Agency:
    """The region's 政务服务管理局 (made by demo_load)."""
    agency = Agency.objects.filter(region=region, kind=AgencyKind.SERVICE_ADMINISTRATION).first()
    if agency is None:
        raise RuntimeError(f"{region.name} has no 政务服务管理局: run demo_load first.")
    return agency


def _staff_user(username: str, display_name: str, agency: Agency) -> User:
    """The catalog admin ``username`` of ``agency`` (created, with its role, when missing)."""
    from zwfw.demo.loader import DEMO_PASSWORD

    user = User.objects.filter(username=username).first()
    if user is None:
        user = identity_services.user_create(
            username=username, password=DEMO_PASSWORD, display_name=display_name, home_region=agency.region
        )
    if not user.memberships.filter(agency=agency, role=Role.CATALOG_ADMIN).exists():
        identity_services.staff_membership_grant(
            user=user, agency=agency, role=Role.CATALOG_ADMIN, system=True
        )
    return user


def catalog_demo_accounts() -> list[DemoAccount]:
    """The catalog logins this loader adds (for ``demo_accounts`` listings)."""
    from zwfw.demo.loader import DemoAccount

    prefixes = _agency_prefixes()
    out = []
    for staff in CATALOG_STAFF:
        agency = f"{prefixes[staff.region]}政务服务管理局"
        if staff.author != "catalog":
            out.append(
                DemoAccount(staff.author, staff.author_name, Role.CATALOG_ADMIN, agency, note="事项编制")
            )
        out.append(
            DemoAccount(staff.reviewer, staff.reviewer_name, Role.CATALOG_ADMIN, agency, note="事项审核")
        )
    return out


def _agency_prefixes() -> dict[str, str]:
    """How agency names of each region begin (西双版纳州, 景洪市 …), read from the demo data."""
    out = {}
    for code, entries in demo_regions.AGENCIES.items():
        for name, kind in entries:
            if kind == "service_administration":
                out[code] = name.removesuffix("政务服务管理局")
    return out


def _venue_name(region_code: str) -> str:
    """The name of the region's 政务服务中心."""
    return demo_regions.VENUES[region_code][0][0]


def _agency_for(region: Region, department: str) -> Agency:
    """The region's agency of a department kind (e.g. 景洪市市场监督管理局 for "market")."""
    suffixes = data.DEPARTMENTS[department].suffixes
    for suffix in suffixes:
        agency = Agency.objects.filter(region=region, name__endswith=suffix).first()
        if agency is not None:
            return agency
    raise RuntimeError(f"{region.name} has no agency ending in {'/'.join(suffixes)}.")


def implementation_code(item: data.DemoItem, region_code: str) -> str:
    """The demo implementation code: the item's demo base code and the region's code."""
    return f"{item.base_code}-{region_code}"


def implementation_content(
    item: data.DemoItem, spec: data.DemoImplementation, *, region_code: str, code: str
) -> dict[str, Any]:
    """The draft elements of one region's implementation: the standard, its changes, local elements."""
    content = copy.deepcopy(item.content)
    content.update(copy.deepcopy(spec.changes))
    relax = dict(spec.relax_materials)
    content["materials"] = [
        {**m, "necessity": relax.get(m["key"], m.get("necessity", "required"))}
        for m in content.get("materials", [])
        if m["key"] not in spec.drop_materials
    ]
    department = data.DEPARTMENTS[item.department]
    region_name = _agency_prefixes()[region_code]
    place = content.get("place") or "{venue}（{window}）"
    content["place"] = place.format(
        venue=_venue_name(region_code), window=department.window, region=region_name
    )
    content.setdefault("hours", data.HOURS)
    content["consultation_phone"] = f"0691-0{data.REGION_DIGITS[region_code]}{department.digit}1000"
    content["complaint_phone"] = data.COMPLAINT_PHONE
    content["complaint_other"] = data.COMPLAINT_OTHER
    if content.get("online_depth", 1) >= 2:
        content["online_url_pc"] = f"{data.DEMO_PORTAL}/apply/{code}"
        content["online_url_mobile"] = f"{data.DEMO_PORTAL}/m/apply/{code}"
    content["result_sample"] = data.DEMO_SAMPLE
    return content


def _items(author: User, prefecture: Region) -> dict[str, ServiceItem]:
    """Every demo catalog entry by base code (created in the prefecture's catalog when missing)."""
    items: dict[str, ServiceItem] = {}
    for spec in data.ITEMS:  # parents come before their handling items
        item = ServiceItem.objects.filter(base_code=spec.base_code).first()
        if item is None:
            item = services.service_item_create(
                actor=author,
                region=prefecture,
                base_code=spec.base_code,
                name=spec.name,
                item_type=spec.item_type,
                legal_basis=spec.legal_basis,
                competent_department=spec.competent_department,
                exercised_levels=list(spec.exercised_levels),
                layer=spec.layer,
                parent=items[spec.parent] if spec.parent else None,
                situation=spec.situation,
            )
        items[spec.base_code] = item
    return items


def _publish(implementation: Implementation, author: User, reviewer: User) -> bool:
    """Take an unpublished implementation through submit, approve and publish (True if it did)."""
    if implementation.current_version_id is not None:
        return False
    adjustment = implementation.adjustments.filter(
        status__in=[AdjustmentStatus.SUBMITTED, AdjustmentStatus.APPROVED]
    ).first()
    if adjustment is None:
        adjustment = services.adjustment_submit(
            actor=author, implementation=implementation, kind=AdjustmentKind.ADD, reason=PUBLISH_REASON
        )
    if adjustment.status == AdjustmentStatus.SUBMITTED:
        adjustment = services.adjustment_approve(
            actor=reviewer, adjustment=adjustment, comment="演示数据审核通过"
        )
    services.adjustment_publish(actor=reviewer, adjustment=Adjustment.objects.get(pk=adjustment.pk))
    return True


@transaction.atomic
def catalog_demo_load() -> str:
    """Load (or complete) the demo catalog and return a one-line summary."""
    regions = {r.code: r for r in Region.objects.filter(code__in=REGION_ORDER)}
    if len(regions) != len(REGION_ORDER):
        raise RuntimeError("The demo regions are missing: run demo_load first.")
    staff = {}
    for entry in CATALOG_STAFF:
        bureau = _service_administration(regions[entry.region])
        staff[entry.region] = (
            _staff_user(entry.author, entry.author_name, bureau),
            _staff_user(entry.reviewer, entry.reviewer_name, bureau),
        )
    for code, entries in data.EXTRA_AGENCIES.items():
        for name, kind in entries:
            if not Agency.objects.filter(region=regions[code], name=name).exists():
                core_services.agency_create(name=name, region=regions[code], kind=kind)

    items = _items(staff[data.PREFECTURE][0], regions[data.PREFECTURE])
    published = 0
    for region_code in REGION_ORDER:
        region = regions[region_code]
        author, reviewer = staff[region_code]
        for item_spec in data.ITEMS:
            for spec in item_spec.implementations:
                if spec.region != region_code:
                    continue
                code = implementation_code(item_spec, region_code)
                implementation = Implementation.objects.filter(code=code).first()
                if implementation is None:
                    implementation = services.implementation_create(
                        actor=author,
                        item=items[item_spec.base_code],
                        agency=_agency_for(region, item_spec.department),
                        code=code,
                        draft=implementation_content(item_spec, spec, region_code=region_code, code=code),
                    )
                published += _publish(implementation, author, reviewer)
                Implementation.objects.filter(pk=implementation.pk).exclude(use_count=spec.use_count).update(
                    use_count=spec.use_count
                )

    jinghong = regions[data.JINGHONG]
    if not LinkedList.objects.filter(kind=LinkedListKind.POWER_RESPONSIBILITY, region=jinghong).exists():
        lists.linked_list_import(
            actor=staff[data.JINGHONG][0],
            kind=LinkedListKind.POWER_RESPONSIBILITY,
            region=jinghong,
            rows=DEMO_LIST_FILE.read_bytes(),
            name="景洪市权责清单（演示样例）",
        )
    ledger_checkpoint()
    total = Implementation.objects.filter(code__startswith="DEMO-", current_version__isnull=False).count()
    missing = lists.implementations_missing_links(Implementation.objects.filter(region=jinghong)).count()
    return (
        f"demo catalog: {len(items)} items, {total} published implementations ({published} new), "
        f"{missing} power implementations of 景洪市 without a 权责清单 link"
    )
