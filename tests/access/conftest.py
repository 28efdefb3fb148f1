"""The access world: nine actors and the objects each owns, built once for this package's tests.

The world is created inside one transaction that stays open while this package's tests run and
is rolled back after them; each test runs in a savepoint of it (pytest-django's ``db``), and each
request the matrix sends runs in a savepoint of its own that is rolled back, so that an action
one actor is allowed to take never changes what the next actor sees.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from stdnum.cn import uscc

from conftest import World, build_world, make_id_number
from zwfw.bundles import services as bundle_services
from zwfw.bundles.models import BundleCase
from zwfw.bundles.tests.factories import form_values, make_newborn, newborn_content, uploads
from zwfw.cases import services as case_services
from zwfw.cases.models import Case, CaseMaterial, CaseNotice, Channel
from zwfw.cases.tests.factories import PDF, case_content, publish, staff
from zwfw.catalog import services as catalog_services
from zwfw.catalog.models import CatalogFile
from zwfw.catalog.tests.factories import make_item, publishable_content
from zwfw.core import services as core_services
from zwfw.evaluations import plan as plan_module
from zwfw.evaluations import services as evaluation_services
from zwfw.evaluations.models import PlanTask
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role, User
from zwfw.licenses import services as license_services
from zwfw.licenses.models import License, SubjectKind

# The nine actors of the matrix, in the order the reports list them.
ACTORS = (
    "anon",
    "citizen_a",
    "citizen_b",
    "enterprise",
    "clerk_x",
    "clerk_y",
    "catalog_x",
    "catalog_pref",
    "supervisor",
)

# The 营业执照 an applicant may attach instead of uploading it (免证办).
E_LICENSE_MATERIAL = {
    "key": "business-license",
    "name": "营业执照",
    "necessity": "optional",
    "source": "e_license",
    "license_type": "营业执照",
}
THREE = ("application", "licence", "floor-plan")


@dataclass
class AccessWorld:
    """Everyone and everything the matrix points at.

    ``users`` maps an actor name to its account (``anon`` has none); ``objects`` maps an object
    name (``case_a``, ``license_a`` …) to the value that goes into a URL (an id, a number, a code).
    """

    world: World
    users: dict[str, User | None]
    objects: dict[str, Any]
    sessions: dict[str, str] = field(default_factory=dict)

    def client(self, actor: str) -> Client:
        """A test client logged in as ``actor`` (the same session every time)."""
        client = Client()
        key = self.sessions.get(actor)
        if key:
            client.cookies[settings.SESSION_COOKIE_NAME] = key
        return client


def _uscc(body: str) -> str:
    return body + uscc.calc_check_digit(body)


def _citizen(username: str, name: str, seq: str, region: Any) -> User:
    person = identity_services.person_register(
        name=name, id_number=make_id_number(seq=seq), region=region, system=True
    )
    return identity_services.user_create(username=username, password="pw", person=person)


def _conclude(case: Case, *, uploader: User, clerk: User, reviewer: User, approver: User) -> Case:
    """Submit, accept, review and approve (with a result document)."""
    for key in THREE:
        case_services.case_material_add(
            actor=uploader, case=case, requirement_key=key, content=PDF, filename=f"{key}.pdf"
        )
    case_services.case_submit(actor=uploader, case=case)
    case_services.case_accept(actor=clerk, case=case)
    case_services.case_start_review(actor=reviewer, case=case)
    case_services.case_decide(
        actor=approver,
        case=case,
        approved=True,
        reasons="符合条件",
        result_content=PDF,
        result_filename="许可证.pdf",
    )
    case.refresh_from_db()
    return case


def _submitted(case: Case, *, uploader: User) -> Case:
    for key in THREE:
        case_services.case_material_add(
            actor=uploader, case=case, requirement_key=key, content=PDF, filename=f"{key}.pdf"
        )
    case_services.case_submit(actor=uploader, case=case)
    case.refresh_from_db()
    return case


def build_access_world() -> AccessWorld:
    """The regions and staff of ``conftest.World`` plus the actors and their objects."""
    world = build_world()
    catalog_pref = identity_services.user_create(username="catalog_pref", password="pw")
    identity_services.staff_membership_grant(
        user=catalog_pref, agency=world.pref_service, role=Role.CATALOG_ADMIN, system=True
    )
    citizen_a = _citizen("citizen_a", "玉香", "201", world.jinghong)
    citizen_b = _citizen("citizen_b", "岩温", "203", world.jinghong)
    company = identity_services.enterprise_register(
        name="景洪市勐泐餐饮有限公司", uscc=_uscc("91532801MA6K0AB1X"), legal_representative="岩罕"
    )
    enterprise = identity_services.user_create(username="enterprise", password="pw", enterprise=company)
    reviewer_x = staff(world, "reviewer_x", Role.REVIEWER)
    approver_x = staff(world, "approver_x", Role.APPROVER)

    # A blank form offered by the published guide of county X (public download).
    blank = CatalogFile.objects.create(
        file=ContentFile(b"blank form", name="申请书.docx"),
        original_name="申请书.docx",
        content_type="application/msword",
        size=10,
        sha256="0" * 64,
    )
    materials = [dict(m) for m in case_content()["materials"]]
    materials[0]["blank_form"] = str(blank.pk)
    impl_x = publish(
        world,
        materials=[*materials, E_LICENSE_MATERIAL],
        cross_region_scope="prefecture",
        cross_region_modes=["proxy_intake"],
    )

    # County Y (勐海县): its own catalog administrator writes, the prefecture's reviews.
    catalog_y = identity_services.user_create(username="catalog_y", password="pw")
    identity_services.staff_membership_grant(
        user=catalog_y, agency=world.mh_market, role=Role.CATALOG_ADMIN, system=True
    )
    impl_y = catalog_services.implementation_create(
        actor=catalog_y,
        item=make_item(world, base_code="CASE-Y", name="食品经营许可（勐海）"),
        agency=world.mh_market,
        draft=case_content(place="勐海县政务服务中心"),
    )
    adjustment = catalog_services.adjustment_submit(
        actor=catalog_y, implementation=impl_y, kind="add", reason="新增"
    )
    catalog_services.adjustment_approve(actor=catalog_pref, adjustment=adjustment)
    impl_y = catalog_services.adjustment_publish(actor=catalog_pref, adjustment=adjustment)

    # An adjustment of county X waiting for review.
    impl_x2 = catalog_services.implementation_create(
        actor=world.catalog_admin_jh,
        item=make_item(world, base_code="CASE-X2", name="食品生产许可"),
        agency=world.jh_market,
        draft=publishable_content(),
    )
    adjustment_x = catalog_services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=impl_x2, kind="add", reason="新增"
    )

    # The 营业执照 of citizen A, issued by 景洪市市场监督管理局, shared with the agency.
    license_type = license_services.license_type_create(
        actor=None,
        code="business-license",
        name="营业执照",
        subject_kind=SubjectKind.PERSON,
        fields=[{"key": "business_scope", "label": "经营范围", "required": True}],
        validity_years=5,
        system=True,
    )
    license_a: License = license_services.license_issue(
        actor=None,
        license_type=license_type,
        agency=world.jh_market,
        holder_person=citizen_a.person,
        fields={"business_scope": "预包装食品销售"},
        system=True,
    )
    license_b: License = license_services.license_issue(
        actor=None,
        license_type=license_type,
        agency=world.jh_market,
        holder_person=citizen_b.person,
        fields={"business_scope": "热食类食品制售"},
        system=True,
    )
    grant_a = license_services.license_share(
        actor=citizen_a, license=license_a, agency=world.jh_market, purpose="年检", days=30
    )

    # Citizen A's case: filed at the window of county X for A, the license attached by A,
    # concluded, delivered, rated 非常不满意 (which opens a rectification).
    case_a = case_services.case_create(
        actor=world.clerk_jh,
        implementation=impl_x,
        channel=Channel.WINDOW,
        person=citizen_a.person,
        venue=world.jh_center,
        form_data={"business_scope": "预包装食品销售"},
    )
    license_services.license_attach_to_case(
        actor=citizen_a, case=case_a, requirement_key="business-license", license=license_a
    )
    case_a = _conclude(
        case_a, uploader=world.clerk_jh, clerk=world.clerk_jh, reviewer=reviewer_x, approver=approver_x
    )
    case_services.case_deliver(actor=world.clerk_jh, case=case_a, method="window", recipient="玉香")
    rating_a = evaluation_services.evaluation_submit(
        actor=citizen_a, case=case_a, stage="conclusion", grade=1, comment="太慢"
    )
    rectification_a = rating_a.rectification
    assert rectification_a is not None  # a 差评 opens one

    # Citizen B's case online in county X (submitted), and one in county Y (submitted).
    case_b = _submitted(
        case_services.case_create(actor=citizen_b, implementation=impl_x, channel=Channel.ONLINE),
        uploader=citizen_b,
    )
    case_y = _submitted(
        case_services.case_create(actor=citizen_b, implementation=impl_y, channel=Channel.ONLINE),
        uploader=citizen_b,
    )
    # The enterprise's application (submitted).
    case_e = _submitted(
        case_services.case_create(actor=enterprise, implementation=impl_x, channel=Channel.ONLINE),
        uploader=enterprise,
    )

    # A bundle (一件事) of county X, applied for by citizen A; a change of it under review.
    newborn = make_newborn(world)
    bundle_case: BundleCase = bundle_services.bundle_apply(
        actor=citizen_a,
        bundle=newborn.bundle,
        answers={"need-card": False},
        values=form_values(),
        uploads=uploads(),
    )
    changed = newborn_content(newborn.impls)
    changed["summary"] = "出生医学证明、户口登记、医保参保一次办。"
    bundle_services.bundle_update_draft(actor=world.catalog_admin_jh, bundle=newborn.bundle, draft=changed)
    bundle_adjustment = bundle_services.bundle_adjustment_submit(
        actor=world.catalog_admin_jh, bundle=newborn.bundle, reason="更新说明"
    )

    # A remote intake: received at county Y's cross-region window for county X's item, forwarded.
    window = core_services.window_create(
        venue=world.mh_center, number="09", name="跨域通办窗口", kind="cross_region"
    )
    intake = bundle_services.remote_intake_receive(
        actor=world.clerk_mh,
        window=window,
        implementation=impl_x,
        person=citizen_b.person,
        materials=[
            {"requirement_key": key, "kind": "upload", "content": PDF, "filename": f"{key}.pdf"}
            for key in THREE
        ],
    )
    bundle_services.remote_intake_forward(actor=world.clerk_mh, intake=intake)

    # The plan's tasks and a background catalog import of catalog_x.
    plan_module.plan_load()
    task = PlanTask.objects.order_by("number").first()
    assert task is not None
    from zwfw.catalog.excel import tasks as import_tasks

    import_id = import_tasks.import_enqueue(
        actor=world.catalog_admin_jh, data=b"PK\x03\x04", filename="c.xlsx"
    )

    notice = CaseNotice.objects.filter(case=case_a).order_by("pk").first()
    material = CaseMaterial.objects.filter(case=case_a, kind="upload").order_by("pk").first()
    e_material = CaseMaterial.objects.filter(case=case_a, kind="e_license").first()
    assert notice is not None and material is not None and e_material is not None
    users: dict[str, User | None] = {
        "anon": None,
        "citizen_a": citizen_a,
        "citizen_b": citizen_b,
        "enterprise": enterprise,
        "clerk_x": world.clerk_jh,
        "clerk_y": world.clerk_mh,
        "catalog_x": world.catalog_admin_jh,
        "catalog_pref": catalog_pref,
        "supervisor": world.supervisor_pref,
    }
    objects: dict[str, Any] = {
        "impl_x": impl_x.pk,
        "impl_y": impl_y.pk,
        "impl_x2": impl_x2.pk,
        "item_x": impl_x.item_id,
        "agency_x": world.jh_market.pk,
        "venue_x": world.jh_center.pk,
        "version": 1,
        "adjustment_x": adjustment_x.pk,
        "catalog_file": blank.pk,
        "import_x": import_id,
        "case_a": case_a.pk,
        "case_b": case_b.pk,
        "case_y": case_y.pk,
        "case_e": case_e.pk,
        "material_a": material.pk,
        "e_material_a": e_material.pk,
        "notice_a": notice.pk,
        "case_number_a": case_a.number,
        "lookup_code_a": case_a.lookup_code,
        "license_a": license_a.pk,
        "license_b": license_b.pk,
        "license_number_a": license_a.number,
        "status_list": license_a.status_list_id,
        "grant_a": grant_a.pk,
        "rectification_a": rectification_a.pk,
        "bundle_code": newborn.bundle.code,
        "bundle_id": newborn.bundle.pk,
        "bundle_case_a": bundle_case.pk,
        "bundle_adjustment": bundle_adjustment.pk,
        "intake": intake.pk,
        "window_y": window.pk,
        "plan_task": task.number,
        "plan_unit": task.lead_units[0],
        "region_x": world.jinghong.code,
        "region_y": world.menghai.code,
        "person_a": citizen_a.person_id,
        "quarter": plan_module.quarter_of(datetime.date.today()),
        "uuid_missing": str(uuid.uuid4()),
    }
    access = AccessWorld(world=world, users=users, objects=objects)
    for name, user in users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            access.sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return access


@pytest.fixture(scope="package")
def access_world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[AccessWorld]:
    """The access world, built once for this package's tests inside a transaction rolled back
    after the last of them."""
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("access-media")))
    media.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            from django.db import connection

            if connection.vendor == "sqlite":
                from zwfw.core import ledger_triggers

                ledger_triggers.install(connection)
            yield build_access_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            media.disable()
