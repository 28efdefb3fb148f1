"""Object-level access: nobody learns that someone else's case, material, notice, license or
rating exists. For an object outside one's scope the answer is exactly the answer for an id that
does not exist (404, the same error code), never a 403; nothing changes; and one case's notice or
material cannot be reached through another case."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction

from conftest import make_id_number
from tests.access.conftest import AccessWorld
from tests.access.routes import changed_tables, fingerprint
from zwfw.cases import services as case_services
from zwfw.cases.models import Channel
from zwfw.licenses.models import License, LicenseGrant

pytestmark = pytest.mark.django_db

MISSING = 999_999
J = "application/json"


def _answer(access: AccessWorld, actor: str, method: str, path: str, body: Any = None) -> tuple[int, str]:
    """The status and (for the API) the error code; the request is rolled back."""
    client = access.client(actor)
    with transaction.atomic():
        if method == "GET":
            response = client.get(path)
        elif path.startswith("/api/"):
            response = client.post(path, json.dumps(body or {}), content_type=J)
        else:
            response = client.post(path, body or {})
        transaction.set_rollback(True)
    code = ""
    if path.startswith("/api/") and response.get("Content-Type", "").startswith("application/json"):
        code = str(response.json().get("code", "")) if isinstance(response.json(), dict) else ""
    return response.status_code, code


def _same_as_missing(
    access: AccessWorld, actor: str, method: str, template: str, body: Any = None, **ids: Any
) -> None:
    """``template`` filled with the real objects answers ``actor`` exactly as with a missing id, 404."""
    real = template.format(**ids)
    for name in ids:
        missing = template.format(**{**ids, name: MISSING})
        got, expected = (
            _answer(access, actor, method, real, body),
            _answer(access, actor, method, missing, body),
        )
        assert got == expected, f"{actor} {method} {real} answers {got}, a missing {name} {expected}"
    assert _answer(access, actor, method, real, body)[0] == 404, f"{actor} {method} {real} is not 404"


def test_b_cannot_tell_a_case_of_a_from_a_missing_one(access_world: AccessWorld) -> None:
    """Citizen B on citizen A's case: pages and API alike, reads and writes alike."""
    case = access_world.objects["case_a"]
    notice = access_world.objects["notice_a"]
    before = fingerprint()
    for method, template, body in (
        ("GET", "/my/cases/{case}/", None),
        ("GET", "/my/cases/{case}/withdraw/", None),
        ("POST", "/my/cases/{case}/withdraw/", {"reason": "x", "confirm": "on"}),
        ("POST", "/my/cases/{case}/draft/", {"action": "submit"}),
        ("POST", "/my/cases/{case}/resubmit/", None),
        ("GET", "/cases/{case}/result", None),
        ("GET", "/my/cases/{case}/rate/", None),
        ("POST", "/my/cases/{case}/rate/", {"stage": "acceptance", "grade": "1"}),
        ("POST", "/my/cases/{case}/licenses/attach/", {"attach": "business-license:1"}),
        ("GET", "/api/v1/cases/{case}", None),
        ("POST", "/api/v1/cases/{case}/submit", None),
        ("POST", "/api/v1/cases/{case}/withdraw", {"reason": "x"}),
        ("POST", "/api/v1/cases/{case}/resubmit", None),
        ("GET", "/api/v1/evaluations/cases/{case}/stages", None),
        ("POST", "/api/v1/evaluations/cases/{case}/ratings", {"grade": 1, "stage": "acceptance"}),
    ):
        _same_as_missing(access_world, "citizen_b", method, template, body, case=case)
    _same_as_missing(
        access_world, "citizen_b", "GET", "/cases/{case}/notices/{notice}.pdf", case=case, notice=notice
    )
    assert not changed_tables(before, fingerprint())


def test_a_citizen_is_refused_the_workbench_alike_for_every_case(access_world: AccessWorld) -> None:
    """The staff workbench refuses citizens by role (403) before looking at the case, so the answer
    is the same for A's case, A's material and an id that does not exist: it tells nothing."""
    objects = access_world.objects
    for template in (
        "/workbench/cases/{case}/",
        "/workbench/cases/{case}/result/",
        "/workbench/cases/{case}/materials/{material}/",
    ):
        for actor in ("citizen_b", "citizen_a"):
            real = _answer(
                access_world,
                actor,
                "GET",
                template.format(case=objects["case_a"], material=objects["material_a"]),
            )
            missing = _answer(access_world, actor, "GET", template.format(case=MISSING, material=MISSING))
            assert real == missing and real[0] == 403, (actor, template, real, missing)


def test_b_cannot_reach_a_license_of_a(access_world: AccessWorld) -> None:
    """A's license, its PDF, its credential, its shares: 404 for B as for a missing id; nothing changes."""
    objects = access_world.objects
    before = fingerprint()
    share = {"agency": objects["agency_x"], "purpose": "查看", "days": "5"}
    for method, template, body in (
        ("GET", "/my/licenses/{license}/", None),
        ("GET", "/my/licenses/{license}/pdf/", None),
        ("POST", "/my/licenses/{license}/share/", share),
        ("GET", "/api/v1/licenses/mine/{license}/credential", None),
        (
            "POST",
            "/api/v1/licenses/mine/{license}/shares",
            {"agency_id": objects["agency_x"], "purpose": "x", "days": 5},
        ),
    ):
        _same_as_missing(access_world, "citizen_b", method, template, body, license=objects["license_a"])
    for template in ("/my/licenses/grants/{grant}/withdraw/", "/api/v1/licenses/shares/{grant}/withdraw"):
        _same_as_missing(access_world, "citizen_b", "POST", template, grant=objects["grant_a"])
    assert not changed_tables(before, fingerprint())
    assert LicenseGrant.objects.get(pk=objects["grant_a"]).withdrawn_at is None


def test_withdrawing_someone_elses_grant_reveals_nothing(access_world: AccessWorld) -> None:
    """Regression: the page used to answer another holder's grant with a redirect to that
    holder's license (its id in the address) and a missing grant with 404."""
    client = access_world.client("citizen_b")
    with transaction.atomic():
        response = client.post(f"/my/licenses/grants/{access_world.objects['grant_a']}/withdraw/")
        transaction.set_rollback(True)
    assert response.status_code == 404 and not response.has_header("Location")


def test_the_public_verification_shows_only_what_the_holder_shows(access_world: AccessWorld) -> None:
    """亮证 is public by design (docs/licenses.md): anyone holding the QR code verifies it, and the
    page shows the masked ID number, never the full one."""
    license_a = License.objects.get(pk=access_world.objects["license_a"])
    full_id = make_id_number(seq="201")
    response = access_world.client("anon").get("/licenses/verify/", {"t": license_a.token})
    body = response.content.decode()
    assert response.status_code == 200
    assert license_a.holder_id_masked in body and full_id not in body
    assert (
        access_world.client("anon")
        .post("/api/v1/licenses/verify", json.dumps({"token": license_a.token}), content_type=J)
        .json()["holder_id_masked"]
        == license_a.holder_id_masked
    )


def test_b_cannot_reach_the_rating_of_a(access_world: AccessWorld) -> None:
    """A's 差评 and its rectification: 404 for B as for a missing id (pages and API)."""
    rect = access_world.objects["rectification_a"]
    before = fingerprint()
    for method, template, body in (
        ("GET", "/api/v1/evaluations/rectifications/{rect}", None),
        ("POST", "/api/v1/evaluations/rectifications/{rect}/rating", {"grade": 5}),
        ("POST", "/my/rectifications/{rect}/rate/", {"grade": "5"}),
        ("GET", "/workbench/rectifications/{rect}/", None),
        ("POST", "/workbench/rectifications/{rect}/callback/", {"reached": "1", "note": "x"}),
    ):
        _same_as_missing(access_world, "citizen_b", method, template, body, rect=rect)
    assert not changed_tables(before, fingerprint())


def test_the_rater_never_gets_the_rectification_desk(access_world: AccessWorld) -> None:
    """Regression: a step posted by the rater rendered the staff page (with its internal notes)."""
    rect = access_world.objects["rectification_a"]
    before = fingerprint()
    assert _answer(access_world, "citizen_a", "GET", f"/workbench/rectifications/{rect}/")[0] == 403
    for step in ("callback", "classify", "answer", "appeal"):
        status, _code = _answer(
            access_world, "citizen_a", "POST", f"/workbench/rectifications/{rect}/{step}/"
        )
        assert status == 403, step
    assert not changed_tables(before, fingerprint())


def test_a_clerk_of_another_county_gets_404_on_county_x_cases(access_world: AccessWorld) -> None:
    """Clerk Y (勐海县) on cases of 景洪市, clerk X on a case of 勐海县: 404 as for a missing id."""
    objects = access_world.objects
    before = fingerprint()
    for actor, case in (
        ("clerk_y", objects["case_a"]),
        ("clerk_y", objects["case_b"]),
        ("clerk_x", objects["case_y"]),
    ):
        for method, template, body in (
            ("GET", "/workbench/cases/{case}/", None),
            ("POST", "/workbench/cases/{case}/act/accept/", None),
            ("GET", "/workbench/cases/{case}/result/", None),
            ("GET", "/cases/{case}/result", None),
            ("GET", "/api/v1/cases/{case}", None),
            ("POST", "/api/v1/cases/{case}/accept", {}),
            ("POST", "/api/v1/cases/{case}/reject", {"reason": "x"}),
            (
                "POST",
                "/api/v1/evaluations/cases/{case}/ratings",
                {"grade": 5, "channel": "window", "stage": "intake"},
            ),
            ("GET", "/workbench/ratings/window/{case}/", None),
        ):
            _same_as_missing(access_world, actor, method, template, body, case=case)
    case, material = objects["case_a"], objects["material_a"]
    _same_as_missing(
        access_world,
        "clerk_y",
        "GET",
        "/workbench/cases/{case}/materials/{material}/",
        case=case,
        material=material,
    )
    _same_as_missing(
        access_world,
        "clerk_y",
        "GET",
        "/cases/{case}/notices/{notice}.pdf",
        case=case,
        notice=objects["notice_a"],
    )
    _same_as_missing(
        access_world,
        "clerk_y",
        "GET",
        "/staff/cases/{case}/licenses/{material}/",
        case=case,
        material=objects["e_material_a"],
    )
    assert not changed_tables(before, fingerprint())


def test_a_notice_or_material_is_reached_only_through_its_own_case(access_world: AccessWorld) -> None:
    """Clerk X sees cases A and B; A's material is not served under B's case, nor A's notice to B."""
    objects = access_world.objects
    assert (
        _answer(
            access_world,
            "clerk_x",
            "GET",
            f"/workbench/cases/{objects['case_b']}/materials/{objects['material_a']}/",
        )[0]
        == 404
    )
    assert (
        _answer(
            access_world, "citizen_b", "GET", f"/cases/{objects['case_b']}/notices/{objects['notice_a']}.pdf"
        )[0]
        == 404
    )
    assert (
        _answer(
            access_world,
            "clerk_x",
            "GET",
            f"/staff/cases/{objects['case_b']}/licenses/{objects['e_material_a']}/",
        )[0]
        == 404
    )


def test_staff_do_not_see_an_applicants_draft(access_world: AccessWorld) -> None:
    """A draft belongs to its applicant until submitted: the agency's clerk gets 404."""
    from zwfw.catalog.models import Implementation
    from zwfw.identity.models import User

    citizen_a = User.objects.get(username="citizen_a")
    draft = case_services.case_create(
        actor=citizen_a,
        implementation=Implementation.objects.get(pk=access_world.objects["impl_x"]),
        channel=Channel.ONLINE,
    )
    assert _answer(access_world, "citizen_a", "GET", f"/api/v1/cases/{draft.pk}")[0] == 200
    for actor in ("clerk_x", "catalog_x", "supervisor", "citizen_b"):
        _same_as_missing(access_world, actor, "GET", "/api/v1/cases/{case}", case=draft.pk)
    _same_as_missing(access_world, "clerk_x", "GET", "/workbench/cases/{case}/", case=draft.pk)


def test_the_enterprise_and_its_case_are_its_own(access_world: AccessWorld) -> None:
    """The enterprise's application: its account sees it; citizen A does not."""
    case = access_world.objects["case_e"]
    assert _answer(access_world, "enterprise", "GET", f"/api/v1/cases/{case}")[0] == 200
    assert _answer(access_world, "enterprise", "GET", f"/my/cases/{case}/")[0] == 200
    _same_as_missing(access_world, "citizen_a", "GET", "/api/v1/cases/{case}", case=case)
    _same_as_missing(access_world, "citizen_a", "GET", "/my/cases/{case}/", case=case)


def test_an_unpublished_implementation_has_no_public_guide(access_world: AccessWorld) -> None:
    """A draft is the catalog administrators' business: its guide, PDF, QR code and open data
    answer 404 to everyone, as for a missing id (the workbench is where drafts are seen)."""
    for actor in ("anon", "citizen_a", "catalog_x"):
        for template in (
            "/guides/{impl}/",
            "/guides/{impl}/guide.pdf",
            "/guides/{impl}/qr.svg",
            "/api/v1/catalog/implementations/{impl}/jsonld",
            "/api/v1/catalog/implementations/{impl}/versions",
        ):
            _same_as_missing(access_world, actor, "GET", template, impl=access_world.objects["impl_x2"])
