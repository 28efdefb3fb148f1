"""Results together: a bundle that says so holds every child's result (delivery, download,
e-license) until all its children have concluded; the clerk who tries earlier is told why."""

from __future__ import annotations

import pytest

from zwfw.bundles import selectors, services
from zwfw.bundles.models import Bundle, BundleCase
from zwfw.bundles.tests.factories import catalog_reviewer, decide, form_values, newborn_content, uploads
from zwfw.cases import services as case_services
from zwfw.cases.models import Case, CaseState, Delivery
from zwfw.core.errors import Conflict
from zwfw.core.models import AuditEvent
from zwfw.licenses import selectors as license_selectors
from zwfw.licenses import services as license_services
from zwfw.licenses.models import License, SubjectKind


@pytest.fixture
def together(world, newborn) -> Bundle:
    """The newborn items as a bundle whose results are delivered together."""
    content = newborn_content(newborn.impls) | {"result_delivery": "together"}
    bundle = services.bundle_create(
        actor=world.catalog_admin_jh, region=world.jinghong, code="NEWBORN-TOGETHER", draft=content
    )
    adjustment = services.bundle_adjustment_submit(actor=world.catalog_admin_jh, bundle=bundle, reason="新增")
    services.bundle_adjustment_approve(actor=catalog_reviewer(world), adjustment=adjustment)
    bundle.refresh_from_db()
    # the birth certificate is an e-license: the decision issues it to the parent
    license_services.license_type_create(
        actor=None,
        code="birth-certificate",
        name="出生医学证明",
        item=newborn.impls["birth"].item,
        subject_kind=SubjectKind.PERSON,
        fields=[{"key": "child_name", "label": "新生儿姓名", "required": True}],
        system=True,
    )
    return bundle


def _apply(bundle: Bundle, parent) -> BundleCase:
    return services.bundle_apply(
        actor=parent,
        bundle=bundle,
        answers={"need-card": False},
        values=form_values(),
        uploads=uploads(),
        contact_phone="13800000000",
    )


def _child(bundle_case: BundleCase, key: str) -> Case:
    return Case.objects.get(bundle_child__bundle_case=bundle_case, bundle_child__item_key=key)


def test_a_result_is_held_until_every_item_has_concluded(together, newborn, parent, client):
    bundle_case = _apply(together, parent)
    birth = decide(_child(bundle_case, "birth"), newborn.staff["birth"])
    assert birth.state == CaseState.APPROVED
    license = License.objects.get(case=birth)

    # the clerk may not hand the birth certificate over yet, and is told why; nothing changes
    before = AuditEvent.objects.count()
    with pytest.raises(Conflict) as exc:
        case_services.case_deliver(actor=newborn.staff["birth"], case=birth, method="online")
    assert exc.value.code == "bundles.results_together" and exc.value.status == 409
    message = str(exc.value.message)
    assert bundle_case.number in message and "一并送达" in message
    open_items = {d["item"] for d in exc.value.details}
    assert open_items == {"household", "insurance", "vaccine"}  # what is still open, by name too
    assert all(d["name"] in message for d in exc.value.details)
    assert Case.objects.get(pk=birth.pk).state == CaseState.APPROVED
    assert not Delivery.objects.filter(case=birth).exists()
    assert AuditEvent.objects.count() == before

    # nor does the parent see the e-license or the result early
    assert license not in license_selectors.licenses_of_holder(actor=parent)
    client.force_login(parent)
    assert client.get(f"/my/licenses/{license.pk}/").status_code == 404
    assert client.get(f"/cases/{birth.pk}/result").status_code == 404
    page = client.get(f"/bundles/cases/{bundle_case.pk}/").content.decode()
    assert "data-result>" not in page and "data-results-held" in page
    # staff queues mark the held result
    assert selectors.bundle_marks(case_ids=[birth.pk])[birth.pk].results_held

    # the household registration, started by the certificate, and the others conclude
    for key in ("household", "insurance"):
        decided = decide(_child(bundle_case, key), newborn.staff[key])
        with pytest.raises(Conflict):
            case_services.case_deliver(actor=newborn.staff[key], case=decided, method="online")
    last = decide(_child(bundle_case, "vaccine"), newborn.staff["vaccine"])

    # now every result is released together, and each can be delivered
    bundle_case.refresh_from_db()
    assert bundle_case.concluded_at is not None
    released = AuditEvent.objects.get(chain=f"bundle_case:{bundle_case.pk}", action="results_released")
    assert len(released.payload["cases"]) == 4
    assert license in license_selectors.licenses_of_holder(actor=parent)
    assert not selectors.bundle_marks(case_ids=[birth.pk])[birth.pk].results_held
    for key in ("birth", "household", "insurance"):
        case = _child(bundle_case, key)
        case_services.case_deliver(actor=newborn.staff[key], case=case, method="online")
    case_services.case_deliver(actor=newborn.staff["vaccine"], case=last, method="online")
    assert set(
        Case.objects.filter(bundle_child__bundle_case=bundle_case).values_list("state", flat=True)
    ) == {CaseState.DELIVERED}
    assert client.get(f"/cases/{birth.pk}/result").status_code == 200
    assert client.get(f"/my/licenses/{license.pk}/").status_code == 200
    assert "data-result>" in client.get(f"/bundles/cases/{bundle_case.pk}/").content.decode()


def test_a_denial_is_held_too_and_a_withdrawn_item_counts_as_concluded(together, newborn, parent):
    bundle_case = _apply(together, parent)
    vaccine = decide(_child(bundle_case, "vaccine"), newborn.staff["vaccine"], approved=False)
    with pytest.raises(Conflict) as exc:
        case_services.case_deliver(actor=newborn.staff["vaccine"], case=vaccine, method="window")
    assert exc.value.code == "bundles.results_together"
    # the birth certificate is refused: the household registration that needed it is cancelled
    decide(_child(bundle_case, "birth"), newborn.staff["birth"], approved=False)
    assert _child(bundle_case, "household").state == CaseState.WITHDRAWN
    insurance = decide(_child(bundle_case, "insurance"), newborn.staff["insurance"])
    case_services.case_deliver(actor=newborn.staff["insurance"], case=insurance, method="online")
    case_services.case_deliver(actor=newborn.staff["vaccine"], case=vaccine, method="window")
    assert selectors.bundle_case_status(bundle_case).state == "partly_refused"


def test_results_as_they_come_are_delivered_at_once(newborn, parent):
    bundle_case = _apply(newborn.bundle, parent)
    birth = decide(_child(bundle_case, "birth"), newborn.staff["birth"])
    delivery = case_services.case_deliver(actor=newborn.staff["birth"], case=birth, method="online")
    assert delivery.case.state == CaseState.DELIVERED
    assert selectors.bundle_case_status(bundle_case).results_visible


def test_the_clerk_sees_why_on_the_case_page(together, newborn, parent, client):
    bundle_case = _apply(together, parent)
    birth = decide(_child(bundle_case, "birth"), newborn.staff["birth"])
    client.force_login(newborn.staff["birth"])
    response = client.post(
        f"/workbench/cases/{birth.pk}/act/deliver/", {"deliver-method": "online", "deliver-recipient": "玉香"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert bundle_case.number in html and "一并送达" in html
    assert Case.objects.get(pk=birth.pk).state == CaseState.APPROVED


def test_licenses_outside_bundles_stay_visible(bureau_license, desk):
    assert bureau_license in license_selectors.licenses_of_holder(actor=desk.citizen)


@pytest.fixture
def bureau_license(desk) -> License:
    """A license issued without a case (not part of any bundle)."""
    license_type = license_services.license_type_create(
        actor=None,
        code="business-license",
        name="营业执照",
        subject_kind=SubjectKind.PERSON,
        fields=[{"key": "business_scope", "label": "经营范围", "required": True}],
        system=True,
    )
    return license_services.license_issue(
        actor=desk.approver,
        license_type=license_type,
        agency=desk.world.jh_market,
        holder_person=desk.person,
        fields={"business_scope": "预包装食品销售"},
    )


def test_the_decision_letter_is_held_from_the_applicant_with_the_result(together, newborn, parent, client):
    from zwfw.cases.models import CaseNotice, NoticeKind

    bundle_case = _apply(together, parent)
    birth = decide(_child(bundle_case, "birth"), newborn.staff["birth"])
    letter = CaseNotice.objects.get(case=birth, kind=NoticeKind.DECISION)
    pdf = f"/cases/{birth.pk}/notices/{letter.pk}.pdf"

    client.force_login(parent)
    assert client.get(pdf).status_code == 404  # as if it did not exist
    assert pdf not in client.get(f"/my/cases/{birth.pk}/").content.decode()
    api_kinds = {n["kind"] for n in client.get(f"/api/v1/cases/{birth.pk}").json()["notices"]}
    assert NoticeKind.DECISION not in api_kinds and NoticeKind.ACCEPTANCE in api_kinds
    client.force_login(newborn.staff["birth"])  # the deciding agency reads it as always
    assert client.get(pdf).status_code == 200

    for key in ("household", "insurance", "vaccine"):
        decide(_child(bundle_case, key), newborn.staff[key])
    client.force_login(parent)  # released with the other results
    assert client.get(pdf).status_code == 200
    assert pdf in client.get(f"/my/cases/{birth.pk}/").content.decode()
