"""Load the Xishuangbanna demo: real regions, agencies and venues, one account per role.

Idempotent: every object is looked up by its natural key first, so a second run creates
nothing and writes nothing to the ledger. People, enterprises and passwords are fictional
demo values; places and agency names are real (see ``zwfw.core.demo_regions``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from stdnum.cn import ric, uscc

from zwfw.core import demo_regions as data
from zwfw.core import services as core_services
from zwfw.core.ledger import ledger_checkpoint
from zwfw.core.models import Agency, Region, RegionLevel, Venue, Window, WindowKind
from zwfw.identity import services as identity_services
from zwfw.identity.models import Enterprise, Person, Role, User
from zwfw.identity.selectors import person_find_by_id_number

DEMO_PASSWORD = "zwfw-demo-2026"  # noqa: S105 - printed on purpose: a public demo password  # nosec B105


@dataclass(frozen=True)
class DemoAccount:
    """One demo login and what it is for."""

    username: str
    display_name: str
    role: str
    agency: str = ""
    venue: str = ""
    note: str = ""


def _id_number(region: str, birth: str, seq: str) -> str:
    body = region + birth + seq
    return body + ric.calc_check_digit(body + "0")


def _uscc(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


def _region(code: str, name: str, level: str, parent: Region | None) -> Region:
    found = Region.objects.filter(code=code).first()
    return found or core_services.region_create(code=code, name=name, level=level, parent=parent)


def _agency(name: str, region: Region, kind: str) -> Agency:
    found = Agency.objects.filter(region=region, name=name).first()
    return found or core_services.agency_create(name=name, region=region, kind=kind)


def _venue(name: str, region: Region, agencies: list[Agency], address: str = "") -> Venue:
    found = Venue.objects.filter(name=name).first()
    if found:
        return found
    return core_services.venue_create(
        name=name,
        region=region,
        agencies=agencies,
        address=address,
        opening_hours="周一至周五 9:00-12:00, 14:30-18:00（法定节假日除外）",
    )


def _window(venue: Venue, number: str, name: str, kind: str) -> Window:
    found = Window.objects.filter(venue=venue, number=number).first()
    return found or core_services.window_create(venue=venue, number=number, name=name, kind=kind)


def _user(username: str, display_name: str, **links: object) -> User:
    found = User.objects.filter(username=username).first()
    if found:
        return found
    return identity_services.user_create(
        username=username,
        password=DEMO_PASSWORD,
        display_name=display_name,
        **links,  # type: ignore[arg-type]
    )


def _load_regions() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    province = _region(data.PROVINCE[0], data.PROVINCE[1], RegionLevel.PROVINCE, None)
    prefecture = _region(data.PREFECTURE[0], data.PREFECTURE[1], RegionLevel.PREFECTURE, province)
    regions[province.code] = province
    regions[prefecture.code] = prefecture
    for code, name in data.COUNTIES:
        county = regions[code] = _region(code, name, RegionLevel.COUNTY, prefecture)
        for t_code, t_name in data.TOWNSHIPS.get(code, []):
            township = regions[t_code] = _region(t_code, t_name, RegionLevel.TOWNSHIP, county)
            for v_code, v_name, *_full in data.VILLAGES.get(t_code, []):
                regions[v_code] = _region(v_code, v_name, RegionLevel.VILLAGE, township)
    return regions


@transaction.atomic
def demo_load() -> str:
    """Load (or complete) the demo data and return a one-line summary."""
    regions = _load_regions()
    agencies: dict[str, list[Agency]] = {}
    for code, agency_entries in data.AGENCIES.items():
        agencies[code] = [_agency(name, regions[code], kind) for name, kind in agency_entries]

    venues: dict[str, Venue] = {}
    for code, venue_entries in data.VENUES.items():
        region = regions[code]
        for name, _kind, address, _basis in venue_entries:
            venues[name] = _venue(name, region, agencies.get(code, []), address)
    for venue in venues.values():
        if venue.kind == "center":
            _window(venue, "01", "无差别综合受理窗口", WindowKind.GENERAL)
            _window(venue, "02", "跨省通办窗口", WindowKind.CROSS_REGION)
            _window(venue, "03", "帮办代办窗口", WindowKind.ASSIST)
            _window(venue, "04", "“办不成事”反映窗口", WindowKind.COMPLAINT)
        else:
            _window(venue, "01", "综合便民服务窗口", WindowKind.GENERAL)

    _load_people(regions, agencies, venues)
    ledger_checkpoint()
    return (
        f"demo data: {Region.objects.count()} regions, {Agency.objects.count()} agencies, "
        f"{Venue.objects.count()} venues, {User.objects.count()} accounts"
    )


def _by_suffix(items: list[Agency], suffix: str) -> Agency:
    return next(a for a in items if a.name.endswith(suffix))


def demo_accounts() -> list[DemoAccount]:
    """The demo logins, one per role plus two citizens and one enterprise."""
    jh = "景洪市"
    return [
        DemoAccount("admin", "系统管理员", "superuser", note="Django admin /admin/"),
        DemoAccount(
            "clerk", "玉应（窗口人员）", Role.WINDOW_CLERK, f"{jh}政务服务管理局", f"{jh}政务服务中心"
        ),
        DemoAccount(
            "reviewer", "岩罕（审核人员）", Role.REVIEWER, f"{jh}市场监督管理局", f"{jh}政务服务中心"
        ),
        DemoAccount(
            "approver", "刀建华（审批人员）", Role.APPROVER, f"{jh}市场监督管理局", f"{jh}政务服务中心"
        ),
        DemoAccount(
            "chief",
            "李红梅（首席事务代表）",
            Role.CHIEF_REPRESENTATIVE,
            f"{jh}市场监督管理局",
            f"{jh}政务服务中心",
        ),
        DemoAccount("catalog", "王芳（事项管理员）", Role.CATALOG_ADMIN, f"{jh}政务服务管理局"),
        DemoAccount("center", "赵强（中心管理员）", Role.CENTER_ADMIN, f"{jh}政务服务管理局"),
        DemoAccount("supervisor", "陈静（督查人员）", Role.SUPERVISOR, "西双版纳州政务服务管理局"),
        DemoAccount("citizen1", "玉香", "citizen", note="景洪市居民"),
        DemoAccount("citizen2", "岩温", "citizen", note="勐海县居民"),
        DemoAccount("enterprise", "西双版纳演示茶业有限公司", "enterprise", note="企业账号"),
    ]


def _load_people(
    regions: dict[str, Region], agencies: dict[str, list[Agency]], venues: dict[str, Venue]
) -> None:
    all_agencies = {a.name: a for items in agencies.values() for a in items}
    venue_by_name = venues
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = _user("admin", "系统管理员")
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    for account in demo_accounts():
        if account.role in ("superuser", "citizen", "enterprise"):
            continue
        user = _user(account.username, account.display_name, home_region=all_agencies[account.agency].region)
        identity_services.staff_membership_grant(
            user=user,
            agency=all_agencies[account.agency],
            role=account.role,
            venue=venue_by_name.get(account.venue),
            system=True,
        )

    jinghong, menghai = regions["532801"], regions["532822"]
    citizens = [
        ("citizen1", "玉香", _id_number("532801", "19960312", "024"), jinghong, "13800000001"),
        ("citizen2", "岩温", _id_number("532822", "19880705", "017"), menghai, "13800000002"),
    ]
    for username, name, number, region, phone in citizens:
        person = person_find_by_id_number(id_number=number) or identity_services.person_register(
            name=name, id_number=number, phone=phone, region=region, system=True
        )
        _user(username, name, person=person, home_region=region)

    code = _uscc("91532801MA6D8W7K0")
    enterprise = Enterprise.objects.filter(uscc=code).first() or identity_services.enterprise_register(
        name="西双版纳演示茶业有限公司",
        uscc=code,
        legal_representative="玉香",
        region=jinghong,
        legal_representative_person=Person.objects.filter(user__username="citizen1").first(),
        address="景洪市（演示地址）",
    )
    _user("enterprise", enterprise.name, enterprise=enterprise, home_region=jinghong)
