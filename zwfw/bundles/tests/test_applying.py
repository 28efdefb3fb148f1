"""Applying for a bundle: one transaction, each child with only its fields and materials,
dependent children started by the hooks, one status and one due date."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from zwfw.bundles import selectors, services
from zwfw.bundles.models import BundleCase, BundleChild, BundleChildState, BundleMaterial
from zwfw.bundles.services import applying
from zwfw.bundles.tests.factories import decide, form_values, uploads
from zwfw.cases import selectors as case_selectors
from zwfw.cases import services as case_services
from zwfw.cases.models import Case, CaseMaterial, CaseState
from zwfw.cases.tests.factories import PDF
from zwfw.core.calendar import due_date
from zwfw.core.errors import NotFound, PermissionDenied, ValidationFailed
from zwfw.core.models import AuditEvent


def _apply(newborn, parent, *, card: bool = False, **overrides):
    return services.bundle_apply(
        actor=parent,
        bundle=newborn.bundle,
        answers={"need-card": card},
        values={**form_values(), **overrides},
        uploads=uploads(),
        contact_phone="13800000000",
    )


def _children(bundle_case: BundleCase) -> dict[str, BundleChild]:
    return {c.item_key: c for c in bundle_case.children.select_related("case")}


def test_merged_form_asks_each_thing_once(newborn):
    form = selectors.bundle_form(version=newborn.bundle.current_version, answers={"need-card": False})
    assert [i.key for i in form.items] == ["birth", "household", "insurance", "vaccine"]
    concepts = [f.concept for f in form.fields]
    assert len(concepts) == len(set(concepts))
    assert set(concepts) == {
        "child.name",
        "child.birth_date",
        "birth.hospital",
        "family.address",
        "family.phone",
    }
    name = next(f for f in form.fields if f.concept == "child.name")
    assert {t[0] for t in name.targets} == {"birth", "household", "insurance"}
    keys = [m.key for m in form.materials]
    assert sorted(keys) == ["birth-record", "household", "mother-id"]  # guardian-id mapped onto mother-id
    assert [(r.item, r.key) for r in form.from_results] == [("household", "birth-certificate")]


def test_apply_creates_one_bundle_case_and_a_child_per_applicable_item(newborn, parent):
    bundle_case = _apply(newborn, parent)
    children = _children(bundle_case)
    assert set(children) == {"birth", "household", "insurance", "vaccine"}  # no card asked for
    # each agency gets only its own fields, under its own names
    assert children["birth"].case.form_data == {
        "child_name": "岩罕",
        "child_birth": "2026-11-20",
        "hospital": "西双版纳州人民医院",
    }
    assert children["household"].case.form_data == {"name": "岩罕", "address": "景洪市嘎洒镇曼景保村"}
    assert children["insurance"].case.form_data == {"insured_name": "岩罕", "phone": "13800000000"}
    assert children["vaccine"].case.form_data == {"child_birth": "2026-11-20"}
    # each child only its materials; a shared file stored once
    assert BundleMaterial.objects.filter(bundle_case=bundle_case).count() == 3
    mother = BundleMaterial.objects.get(bundle_case=bundle_case, key="mother-id")
    rows = CaseMaterial.objects.filter(file=mother.file.name)
    assert {(r.case_id, r.requirement_key) for r in rows} == {
        (children["birth"].case_id, "mother-id"),
        (children["household"].case_id, "mother-id"),
        (children["insurance"].case_id, "guardian-id"),
    }
    assert set(children["vaccine"].case.materials.values_list("requirement_key", flat=True)) == {
        "birth-record"
    }
    # the household registration waits for the birth certificate; the others went to their agencies
    assert children["household"].state == BundleChildState.WAITING
    assert children["household"].case.state == CaseState.DRAFT
    assert {children[k].case.state for k in ("birth", "insurance", "vaccine")} == {CaseState.SUBMITTED}
    assert bundle_case.due_date == due_date(bundle_case.submitted_on, 5).due
    assert selectors.bundle_case_status(bundle_case).state == "submitted"
    events = AuditEvent.objects.filter(object_type="bundle_case", object_id=str(bundle_case.pk))
    assert list(events.values_list("action", flat=True)) == ["submitted"]


def test_agencies_see_only_their_child_case(newborn, parent):
    bundle_case = _apply(newborn, parent)
    children = _children(bundle_case)
    police = newborn.staff["household"]
    health = newborn.staff["birth"]
    assert (
        not case_selectors.case_list(actor=police).filter(pk=children["household"].case_id).exists()
    )  # waiting
    seen = set(case_selectors.case_list(actor=health).values_list("pk", flat=True))
    assert seen == {children["birth"].case_id, children["vaccine"].case_id}
    marks = selectors.bundle_marks(case_ids=seen | {children["household"].case_id})
    assert marks[children["birth"].case_id].bundle_case_number == bundle_case.number
    assert marks[children["household"].case_id].waiting_for == ("birth",)


def test_the_card_applies_when_asked_for(newborn, parent):
    bundle_case = _apply(newborn, parent, card=True)
    assert set(_children(bundle_case)) == {"birth", "household", "insurance", "vaccine", "card"}


def test_invalid_application_reports_everything_and_creates_nothing(newborn, parent):
    before = (Case.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as exc:
        services.bundle_apply(
            actor=parent,
            bundle=newborn.bundle,
            answers={"need-card": False},
            values={"child.birth_date": "20-11-2026", "family.phone": "abc", "bogus": "1"},
            uploads={"mother-id": (b"not a pdf", "x.pdf")},
        )
    assert exc.value.code == "bundles.form_invalid"
    fields = {d["field"]: d["code"] for d in exc.value.details}
    assert fields["fields.child.name"] == "bundles.field_required"
    assert fields["fields.child.birth_date"] == "bundles.field_invalid"
    assert fields["fields.family.phone"] == "bundles.field_invalid"
    assert fields["fields.bogus"] == "bundles.unknown_field"
    assert fields["materials.household"] == "bundles.material_missing"
    assert "materials.mother-id" in fields
    with pytest.raises(ValidationFailed) as exc:
        services.bundle_apply(actor=parent, bundle=newborn.bundle, answers={}, values={}, uploads={})
    assert exc.value.code == "bundles.answers_missing"
    with pytest.raises(PermissionDenied):
        services.bundle_apply(actor=None, bundle=newborn.bundle, answers={}, values={}, uploads={})
    assert (Case.objects.count(), AuditEvent.objects.count()) == before
    assert not BundleCase.objects.exists()


def test_a_failure_while_creating_five_children_leaves_nothing(newborn, parent, monkeypatch):
    """Raise after three of five children: no bundle case, case, material, ledger row or file remains."""
    original = applying._child_create
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["item"].key)
        if len(calls) == 4:
            raise RuntimeError("process killed")
        return original(**kwargs)

    monkeypatch.setattr(applying, "_child_create", failing)
    saved: list[str] = []
    save = default_storage.save

    def remember(name, content, max_length=None):
        stored = save(name, content, max_length=max_length)
        saved.append(stored)
        return stored

    monkeypatch.setattr(default_storage, "save", remember)
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        _apply(newborn, parent, card=True)
    assert len(calls) == 4
    assert not BundleCase.objects.exists()
    assert not BundleChild.objects.exists()
    assert not Case.objects.exists()
    assert not CaseMaterial.objects.exists()
    assert not BundleMaterial.objects.exists()
    assert AuditEvent.objects.count() == before
    assert saved and not any(default_storage.exists(name) for name in saved)
    monkeypatch.setattr(applying, "_child_create", original)
    bundle_case = _apply(newborn, parent, card=True)  # and a retry succeeds whole
    assert bundle_case.children.count() == 5


def test_household_starts_when_the_birth_certificate_exists(newborn, parent):
    bundle_case = _apply(newborn, parent)
    children = _children(bundle_case)
    birth = decide(children["birth"].case, newborn.staff["birth"])
    assert services.bundle_child_decided(case=birth, actor=newborn.staff["birth"]) == bundle_case
    household = Case.objects.get(pk=children["household"].case_id)
    assert household.state == CaseState.SUBMITTED
    passed = household.materials.get(requirement_key="birth-certificate")
    assert passed.file.name == birth.result_file.name  # the result, passed on without the parent
    assert BundleChild.objects.get(pk=children["household"].pk).state == BundleChildState.STARTED
    police = newborn.staff["household"]
    assert case_selectors.case_list(actor=police).filter(pk=household.pk).exists()
    assert selectors.bundle_case_status(bundle_case).state == "in_progress"
    for key in ("household", "insurance", "vaccine"):
        decided = decide(Case.objects.get(pk=children[key].case_id), newborn.staff[key])
        services.bundle_child_decided(case=decided, actor=newborn.staff[key])
    bundle_case.refresh_from_db()
    status = selectors.bundle_case_status(bundle_case)
    assert status.state == "completed" and status.results_visible
    assert bundle_case.concluded_at is not None
    actions = list(
        AuditEvent.objects.filter(object_type="bundle_case", object_id=str(bundle_case.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions[:3] == ["submitted", "child_concluded", "child_started"] and actions[-1] == "concluded"


def test_a_refused_birth_certificate_cancels_the_household_registration(newborn, parent):
    bundle_case = _apply(newborn, parent)
    children = _children(bundle_case)
    birth = decide(children["birth"].case, newborn.staff["birth"], approved=False)
    services.bundle_child_decided(case=birth)
    household = BundleChild.objects.select_related("case").get(pk=children["household"].pk)
    assert household.state == BundleChildState.CANCELLED
    assert household.case.state == CaseState.WITHDRAWN


def test_hook_ignores_cases_outside_bundles_and_unfinished_children(newborn, parent, desk):
    case = case_services.case_create(actor=desk.citizen, implementation=desk.impl, channel="online")
    assert services.bundle_child_decided(case=case) is None
    assert services.bundle_child_correction_requested(case=case) is None
    bundle_case = _apply(newborn, parent)
    vaccine = _children(bundle_case)["vaccine"].case
    services.bundle_child_decided(case=vaccine)  # still submitted: nothing starts or ends
    assert _children(bundle_case)["household"].state == BundleChildState.WAITING


def test_a_correction_from_any_agency_is_answered_in_the_bundle(newborn, parent):
    bundle_case = _apply(newborn, parent)
    children = _children(bundle_case)
    staff = newborn.staff["insurance"]
    case_services.case_request_correction(
        actor=staff, case=children["insurance"].case, defects=[{"key": "guardian-id", "note": "照片不清晰"}]
    )
    assert (
        services.bundle_child_correction_requested(case=children["insurance"].case, actor=staff)
        == bundle_case
    )
    assert selectors.bundle_case_status(bundle_case).state == "correction_requested"
    with pytest.raises(ValidationFailed) as exc:
        services.bundle_correction_answer(
            actor=parent, bundle_case=bundle_case, key="household", content=PDF, filename="h.pdf"
        )
    assert exc.value.code == "bundles.material_not_requested"
    with pytest.raises(NotFound):
        services.bundle_correction_answer(
            actor=newborn.staff["birth"],
            bundle_case=bundle_case,
            key="mother-id",
            content=PDF,
            filename="a.pdf",
        )
    resubmitted = services.bundle_correction_answer(
        actor=parent, bundle_case=bundle_case, key="mother-id", content=PDF, filename="clear.pdf"
    )
    assert [c.pk for c in resubmitted] == [children["insurance"].case_id]
    assert Case.objects.get(pk=children["insurance"].case_id).state == CaseState.RESUBMITTED
    assert selectors.bundle_case_status(bundle_case).state == "submitted"


def test_the_applicant_sees_only_their_bundle_cases(newborn, parent, desk):
    bundle_case = _apply(newborn, parent)
    assert selectors.bundle_case_get(actor=parent, bundle_case_id=bundle_case.pk) == bundle_case
    with pytest.raises(NotFound):
        selectors.bundle_case_get(actor=desk.citizen, bundle_case_id=bundle_case.pk)


def test_staff_see_a_child_case_in_their_queue_marked_as_part_of_the_bundle(newborn, parent, client):
    bundle_case = _apply(newborn, parent, card=True)
    child = bundle_case.children.exclude(case__state="draft").select_related("case").first()
    staff = newborn.staff[child.item_key]
    client.force_login(staff)
    html = client.get("/workbench/cases/?tab=all").content.decode()
    assert f'data-bundle="{bundle_case.number}"' in html
