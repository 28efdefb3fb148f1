"""免证办 end to end through the services: attach a held license (issued by another agency) with
consent, the reviewer sees it verified and gets a watermarked copy, approval issues the new
license; shares with consent, their withdrawal, and the holder's access log."""

from __future__ import annotations

import pytest

from zwfw.cases import services as cases_services
from zwfw.cases.models import MaterialKind
from zwfw.core.errors import Conflict, NotFound, ValidationFailed
from zwfw.core.models import AuditEvent
from zwfw.licenses import selectors, services
from zwfw.licenses.models import AccessKind, License, LicenseGrant
from zwfw.licenses.tests.conftest import Bureau
from zwfw.licenses.tests.factories import (
    agency_staff,
    food_case,
    food_license_type,
    publish_food_item,
    walk_to_review,
)


def business_license(bureau: Bureau) -> License:
    """A 营业执照 issued to the citizen by 勐海县市场监督管理局 (another agency than the case's)."""
    world = bureau.desk.world
    return services.license_issue(
        actor=None,
        license_type=bureau.license_type,
        agency=world.mh_market,  # type: ignore[attr-defined]
        holder_person=bureau.desk.person,
        fields={"business_scope": "小吃服务"},
        system=True,
    )


def test_reuse_journey_attach_verify_copy_issue(bureau: Bureau) -> None:
    desk = bureau.desk
    impl = publish_food_item(desk.world)
    food_type = food_license_type(impl)
    held = business_license(bureau)
    assert selectors.licenses_for_material(user=desk.citizen, license_type="营业执照") == [held]
    assert selectors.licenses_for_material(user=desk.other_citizen, license_type="营业执照") == []
    assert selectors.licenses_for_material(user=desk.citizen, license_type="不存在的证") == []

    case = food_case(impl, desk.citizen)
    material = services.license_attach_to_case(
        actor=desk.citizen, case=case, requirement_key="business-license", license=held
    )
    assert (material.kind, material.license_reference) == (MaterialKind.E_LICENSE, held.number)
    consent = AuditEvent.objects.get(object_type="license", object_id=str(held.pk), action="consent")
    assert consent.actor_id == desk.citizen.pk and consent.payload["case"] == case.number
    assert LicenseGrant.objects.get(license=held).agency == case.agency

    case = walk_to_review(case, citizen=desk.citizen, clerk=desk.clerk, reviewer=desk.reviewer)
    result = services.license_check_for_case(actor=desk.reviewer, case=case, material=material)
    assert (result.genuine, result.state, result.number) == (True, "valid", held.number)
    assert result.issuer_name == "勐海县市场监督管理局"
    copy = services.license_copy_for_agency(
        actor=desk.reviewer, license=held, case=case, purpose="食品经营许可"
    )
    assert copy.startswith(b"%PDF")
    kinds = [a.kind for a in selectors.accesses_of_holder(actor=desk.citizen)]
    assert sorted(kinds) == sorted([AccessKind.ATTACH, AccessKind.VIEW, AccessKind.COPY])

    # someone outside the case sees nothing
    with pytest.raises(NotFound):
        services.license_check_for_case(actor=desk.other_citizen, case=case, material=material)

    with pytest.raises(Conflict):
        services.license_issue_for_case(case=case, actor=desk.approver)
    case = cases_services.case_decide(actor=desk.approver, case=case, approved=True, reasons="符合条件")
    issued = services.license_issue_for_case(case=case, actor=desk.approver)
    assert issued is not None and issued.license_type == food_type
    assert issued.fields == {
        "operator": "玉香小吃店",
        "business_scope": "热食类食品制售",
        "address": "景洪市宣慰大道88号",
    }
    assert services.license_issue_for_case(case=case, actor=desk.approver) == issued  # idempotent
    assert issued in selectors.licenses_of_holder(actor=desk.citizen)
    assert selectors.license_verify(token=issued.token).state == "valid"


def test_attach_refusals(bureau: Bureau) -> None:
    desk = bureau.desk
    impl = publish_food_item(desk.world)
    food_type = food_license_type(impl)
    held = business_license(bureau)
    case = food_case(impl, desk.citizen)
    with pytest.raises(NotFound):  # not the holder
        services.license_attach_to_case(
            actor=desk.other_citizen, case=case, requirement_key="business-license", license=held
        )
    with pytest.raises(ValidationFailed) as exc:  # not an e-license material
        services.license_attach_to_case(
            actor=desk.citizen, case=case, requirement_key="application", license=held
        )
    assert exc.value.code == "license.not_an_e_license_material"
    other_type = services.license_issue(
        actor=None,
        license_type=food_type,
        agency=desk.world.jh_market,
        holder_person=desk.person,  # type: ignore[attr-defined]
        fields={"operator": "x", "business_scope": "y"},
        system=True,
    )
    with pytest.raises(ValidationFailed) as exc:
        services.license_attach_to_case(
            actor=desk.citizen, case=case, requirement_key="business-license", license=other_type
        )
    assert exc.value.code == "license.type_mismatch"
    services.license_suspend(actor=_issuer_approver(bureau), license=held, reason="核查中")
    with pytest.raises(Conflict) as exc:
        services.license_attach_to_case(
            actor=desk.citizen, case=case, requirement_key="business-license", license=held
        )
    assert exc.value.code == "license.not_in_force"
    assert not case.materials.filter(kind=MaterialKind.E_LICENSE).exists()
    assert not LicenseGrant.objects.exists()


def _issuer_approver(bureau: Bureau):  # type: ignore[no-untyped-def]
    return agency_staff(bureau.desk.world, "approver_mh", bureau.desk.world.mh_market, "approver")  # type: ignore[attr-defined]


def test_share_access_withdraw(bureau: Bureau) -> None:
    desk = bureau.desk
    lic = bureau.issue()
    police = agency_staff(desk.world, "police_officer", desk.world.jh_police)  # type: ignore[attr-defined]
    with pytest.raises(NotFound):  # no grant yet
        services.license_access(actor=police, license=lic)
    with pytest.raises(ValidationFailed):
        services.license_share(
            actor=desk.citizen, license=lic, agency=desk.world.jh_police, purpose="", days=0
        )  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        services.license_share(
            actor=desk.other_citizen, license=lic, agency=desk.world.jh_police, purpose="核验", days=3
        )  # type: ignore[attr-defined]
    grant = services.license_share(
        actor=desk.citizen, license=lic, agency=desk.world.jh_police, purpose="户籍业务核验", days=3
    )  # type: ignore[attr-defined]
    access = services.license_access(actor=police, license=lic)
    assert access.grant == grant and access.agency == desk.world.jh_police  # type: ignore[attr-defined]
    assert [a.pk for a in selectors.accesses_of_holder(actor=desk.citizen)] == [access.pk]
    assert list(selectors.accesses_of_holder(actor=desk.other_citizen)) == []
    services.license_share_withdraw(actor=desk.citizen, grant=grant)
    with pytest.raises(NotFound):
        services.license_access(actor=police, license=lic)
    with pytest.raises(Conflict):
        services.license_share_withdraw(actor=desk.citizen, grant=grant)
    # the issuing agency needs no grant
    assert services.license_access(actor=desk.reviewer, license=lic).grant is None
    actions = set(
        AuditEvent.objects.filter(object_type="license", object_id=str(lic.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"issue", "share", "access", "share_withdraw"} <= actions
