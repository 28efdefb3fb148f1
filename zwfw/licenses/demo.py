"""Demo e-licenses: 营业执照, 出生医学证明, 居民户口簿, 社会保障卡 and 食品经营许可证 (as W3C
credentials), issued to the demo citizen 玉香 through real demo cases of 景洪市.

Needs the base demo (``demo_load``) and the demo catalog (``catalog_demo_load``). Each case goes
through the case engine's services (apply online, materials, submit, accept, review, approve),
with e-license materials attached from the licenses issued before (免证办), then the license is
issued by ``license_issue_for_case``. Every demo agency that issues gets one staff account per
role (``lic-<agency id>-<role>``). Loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from zwfw.cases import services as cases_services
from zwfw.cases.models import Case, Channel
from zwfw.catalog.models import Implementation, ImplementationStatus, ServiceItem
from zwfw.core.errors import DomainError
from zwfw.core.models import Agency
from zwfw.identity import services as identity_services
from zwfw.identity.models import Person, Role, User
from zwfw.licenses import selectors, services
from zwfw.licenses.models import License, LicenseType, SubjectKind

# A tiny but structurally sound PDF, uploaded for every paper material of the demo cases.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n97\n%%EOF\n"
)


@dataclass(frozen=True)
class DemoType:
    """One demo license type, the demo item that issues it, and the demo values of its fields."""

    code: str
    name: str
    base_code: str
    validity_years: int | None
    fields: tuple[tuple[str, str, str], ...]  # key, label, demo value


DEMO_TYPES = (
    DemoType(
        "business-license",
        "营业执照",
        "DEMO-XK-0007-01",
        None,
        (
            ("operator", "名称", "景洪市玉香小吃店"),
            ("form", "组成形式", "个人经营"),
            ("business_scope", "经营范围", "餐饮服务；食品销售"),
            ("address", "经营场所", "景洪市宣慰大道88号"),
        ),
    ),
    DemoType(
        "birth-certificate",
        "出生医学证明",
        "DEMO-GG-0001",
        None,
        (
            ("newborn", "新生儿姓名", "玉罕"),
            ("birth_date", "出生日期", "2026-10-08"),
            ("birth_place", "出生地点", "西双版纳州人民医院"),
            ("mother", "母亲姓名", "玉香"),
        ),
    ),
    DemoType(
        "household-register",
        "居民户口簿",
        "DEMO-QR-0004",
        None,
        (
            ("household_head", "户主姓名", "玉香"),
            ("household_type", "户别", "家庭户"),
            ("address", "住址", "景洪市允景洪街道曼听社区"),
        ),
    ),
    DemoType(
        "social-security-card",
        "社会保障卡",
        "DEMO-GG-0008",
        10,
        (
            ("card_number", "社会保障号码", "5328**********0242"),
            ("bank", "金融账户开户行", "中国农业银行景洪支行"),
        ),
    ),
    DemoType(
        "food-business-license",
        "食品经营许可证",
        "DEMO-XK-0006",
        5,
        (
            ("operator", "经营者名称", "景洪市玉香小吃店"),
            ("main_business", "主体业态", "餐饮服务经营者（小餐饮）"),
            ("business_scope", "经营项目", "热食类食品制售"),
            ("address", "经营场所", "景洪市宣慰大道88号"),
        ),
    ),
)


def _license_type(demo: DemoType, item: ServiceItem | None) -> LicenseType:
    found = LicenseType.objects.filter(code=demo.code).first()
    if found is not None:
        return found
    return services.license_type_create(
        actor=None,
        code=demo.code,
        name=demo.name,
        item=item,
        subject_kind=SubjectKind.PERSON,
        fields=[{"key": k, "label": label, "required": True} for k, label, _v in demo.fields],
        validity_years=demo.validity_years,
        system=True,
    )


def _staff(agency: Agency, role: str) -> User:
    username = f"lic-{agency.pk}-{role}"
    user = User.objects.filter(username=username).first()
    if user is None:
        from zwfw.demo.loader import DEMO_PASSWORD

        user = identity_services.user_create(
            username=username, password=DEMO_PASSWORD, display_name=f"{agency.name}（演示）"
        )
        identity_services.staff_membership_grant(user=user, agency=agency, role=role, system=True)
    return user


def _walk(case: Case, citizen: User) -> Case:
    """Materials, submission, acceptance, review and approval of one demo case."""
    held_by_type = {lic.license_type.name: lic for lic in selectors.licenses_of_holder(actor=citizen)}
    for requirement in cases_services.requirements(case):
        if requirement.necessity not in ("required", "deficiency_allowed"):
            continue
        held = held_by_type.get(requirement.license_type) if requirement.source == "e_license" else None
        if held is not None:
            services.license_attach_to_case(
                actor=citizen, case=case, requirement_key=requirement.key, license=held
            )
        else:
            cases_services.case_material_add(
                actor=citizen,
                case=case,
                requirement_key=requirement.key,
                content=DEMO_PDF,
                filename="demo.pdf",
            )
    agency = case.agency
    cases_services.case_submit(actor=citizen, case=case)
    cases_services.case_accept(actor=_staff(agency, Role.WINDOW_CLERK), case=case)
    cases_services.case_start_review(actor=_staff(agency, Role.REVIEWER), case=case)
    return cases_services.case_decide(
        actor=_staff(agency, Role.APPROVER),
        case=case,
        approved=True,
        reasons="演示：材料齐全，符合法定条件。",
    )


def _issue(demo: DemoType, license_type: LicenseType, person: Person, citizen: User) -> tuple[License, bool]:
    """Issue through a demo case (True), or directly when the item cannot be walked (False)."""
    implementation = (
        Implementation.objects.filter(
            item__base_code=demo.base_code, region__code="532801", status=ImplementationStatus.PUBLISHED
        ).first()
        or Implementation.objects.filter(
            item__base_code=demo.base_code, status=ImplementationStatus.PUBLISHED
        ).first()
    )
    form = {k: v for k, _label, v in demo.fields}
    if implementation is not None:
        try:
            with transaction.atomic():
                case = cases_services.case_create(
                    actor=citizen, implementation=implementation, channel=Channel.ONLINE, form_data=form
                )
                case = _walk(case, citizen)
                issued = services.license_issue_for_case(case=case, actor=_staff(case.agency, Role.APPROVER))
                if issued is not None:
                    return issued, True
        except DomainError:
            pass
    agency = implementation.agency if implementation is not None else Agency.objects.order_by("pk").first()
    assert agency is not None
    lic = services.license_issue(
        actor=None, license_type=license_type, agency=agency, holder_person=person, fields=form, system=True
    )
    return lic, False


def licenses_demo_load() -> str:
    """Load (or complete) the demo licenses and return a one-line summary."""
    citizen = User.objects.filter(username="citizen1").select_related("person").first()
    if citizen is None or citizen.person is None:
        return "demo licenses: skipped (load the base demo first)"
    person = citizen.person
    through_cases = direct = 0
    for demo in DEMO_TYPES:
        item = ServiceItem.objects.filter(base_code=demo.base_code).first()
        license_type = _license_type(demo, item)
        if License.objects.filter(license_type=license_type, holder_person=person).exists():
            continue
        _lic, walked = _issue(demo, license_type, person, citizen)
        through_cases += walked
        direct += not walked
    return (
        f"demo licenses: {License.objects.count()} licenses of {LicenseType.objects.count()} types "
        f"({through_cases} issued through demo cases, {direct} directly now)"
    )
