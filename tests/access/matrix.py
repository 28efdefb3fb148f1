"""The access-control matrix: every page and API operation, who may use it, and on which object.

One entry per route. Pages are keyed ``page:<URL name>`` (every Django admin URL shares the key
``page:admin``); API operations ``<METHOD> <OpenAPI path>``. ``test_matrix.py`` walks the URL
resolver and the OpenAPI document: a route without an entry here fails, naming it.

An entry says, in this order, what stops an actor (docs/security.md explains the vocabulary):

``gate``
    who gets past the door: ``PUBLIC`` everyone; ``USER`` a logged-in account (else the login
    page, or 401); ``STAFF`` a staff role (citizens 403); ``STAFF_404`` a staff role (citizens
    404: the page does not exist for them); ``CATALOG`` the catalog_admin role (others 403);
    ``CATALOG_404`` the same, others 404; ``ADMIN_SITE`` the Django admin (``is_staff``; none of
    the nine actors, who all land on the admin login).
``sees``
    of those past the gate, who may see the object the path points at; the others get 404,
    never learning that it exists. ``None``: no object, or everyone past the gate.
``acts``
    of those who see it, who may take the action; the others get ``refuse`` (403 unless the
    route says otherwise). ``None``: everyone who sees it.

Outcomes: ``ok`` (2xx or a redirect that is not the login page; for POST/PUT/DELETE anything
but a refusal), ``pass`` (any answer but a refusal: the actor got through access control and
met a rule of the domain, e.g. 409 or 422), ``login`` (login page or 401), ``forbidden`` (403),
``hidden`` (404), ``bounced`` (the page reports the refusal as a message and redirects; nothing
changes). Every refusal of an unsafe method is also checked to have changed nothing.

``params`` fill the path (``"@name"`` is an object of the access world, anything else a
literal); ``query`` and ``data`` likewise. ``data`` of a page is form data, of the API a JSON
body unless ``multipart=True``; the value ``PDF_FILE`` is an uploaded PDF.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# --- actors ------------------------------------------------------------------------------------

ANON = "anon"
A, B, E = "citizen_a", "citizen_b", "enterprise"
CX, CY = "clerk_x", "clerk_y"  # window clerks of the market bureaus of county X and county Y
KX, KP = "catalog_x", "catalog_pref"  # catalog administrators of county X and of the prefecture
S = "supervisor"  # supervisor of the prefecture
ACTORS = (ANON, A, B, E, CX, CY, KX, KP, S)
CITIZENS = frozenset({A, B, E})
STAFF_ACTORS = frozenset({CX, CY, KX, KP, S})
CATALOG_ADMINS = frozenset({KX, KP})

# Who sees citizen A's case (filed at county X's window, handled by its market bureau): the
# applicant, the bureau's staff (any role in the agency) and the prefecture's supervisor.
CASE_A = frozenset({A, CX, KX, S})
STAFF_ON_CASE_A = CASE_A - CITIZENS
# The remote intake received in county Y for county X's item, forwarded: both venues' clerks,
# the deciding agency's staff and the prefecture's supervisor.
INTAKE = frozenset({CX, CY, KX, S})
# Citizen A's 差评 and its rectification: the rater, the handling agency's case staff, overseers.
RECTIFICATION_A = frozenset({A, CX, S})

# --- outcomes ----------------------------------------------------------------------------------

OK, PASS, LOGIN, FORBIDDEN, HIDDEN, BOUNCED = "ok", "pass", "login", "forbidden", "hidden", "bounced"
REFUSALS = frozenset({LOGIN, FORBIDDEN, HIDDEN, BOUNCED})

# --- gates -------------------------------------------------------------------------------------

PUBLIC, USER, STAFF, STAFF_404 = "public", "user", "staff", "staff_404"
CATALOG, CATALOG_404, ADMIN_SITE = "catalog", "catalog_404", "admin_site"

PDF_FILE = object()  # stands for an uploaded PDF in ``data``


@dataclass(frozen=True)
class Route:
    """Who may use one route, on which object, and how the matrix calls it."""

    gate: str
    sees: frozenset[str] | None = None
    acts: frozenset[str] | None = None
    refuse: str = FORBIDDEN
    allow: str = OK
    params: Mapping[str, Any] = field(default_factory=dict)
    methods: tuple[str, ...] = ("GET",)
    query: Mapping[str, Any] = field(default_factory=dict)
    data: Mapping[str, Any] | None = None
    multipart: bool = False
    headers: Mapping[str, str] = field(default_factory=dict)
    override: Mapping[str, str] = field(default_factory=dict)
    optional: bool = False  # present only under some settings (e.g. the API docs page)
    also: tuple[str, ...] = ()  # more paths checked the same way (the admin's model pages)
    note: str = ""

    def expect(self, actor: str) -> str:
        """The outcome the route must give ``actor``."""
        if actor in self.override:
            return self.override[actor]
        gate = self.gate
        if gate == ADMIN_SITE:
            return LOGIN
        if gate != PUBLIC and actor == ANON:
            return LOGIN
        if gate in (STAFF, STAFF_404) and actor not in STAFF_ACTORS:
            return FORBIDDEN if gate == STAFF else HIDDEN
        if gate in (CATALOG, CATALOG_404) and actor not in CATALOG_ADMINS:
            return FORBIDDEN if gate == CATALOG else HIDDEN
        if self.sees is not None and actor not in self.sees:
            return HIDDEN
        if self.acts is not None and actor not in self.acts:
            return self.refuse
        return self.allow


def _set(actors: Iterable[str]) -> frozenset[str]:
    return frozenset(actors)


def page(gate: str, sees: Iterable[str] | None = None, acts: Iterable[str] | None = None, **kw: Any) -> Route:
    """A page entry."""
    return Route(gate, None if sees is None else _set(sees), None if acts is None else _set(acts), **kw)


api = page  # an API entry is written the same way; its method is in its key

GET_POST = ("GET", "POST")
POST = ("POST",)
J_CASE = {"case_id": "@case_a"}
RECT = {"rectification_id": "@rectification_a"}
INTAKE_ID = {"intake_id": "@intake"}
DRAFT = {"draft": {"steps": [{"name": "受理"}]}}

MATRIX: dict[str, Route] = {
    # --- the shared kernel ---------------------------------------------------------------------
    "page:home": page(PUBLIC),
    "page:healthz": page(PUBLIC),
    "page:readyz": page(PUBLIC),
    "page:elder_mode_set": page(PUBLIC, methods=POST, data={"elder": "1"}),
    "page:region_set": page(PUBLIC, methods=POST, data={"region": "@region_x"}),
    "page:set_language": page(PUBLIC, methods=POST, data={"language": "zh-hans"}),
    "page:admin": page(
        ADMIN_SITE,
        also=("/admin/identity/person/", "/admin/core/auditevent/"),
        note="Django admin: only is_staff accounts; the nine actors all land on its login",
    ),
    "page:api:openapi-json": page(PUBLIC, note="the API's description is public"),
    "page:api:openapi-view": page(PUBLIC, optional=True, note="off in production (ZWFW_API_DOCS)"),
    "page:api:api-root": page(PUBLIC, allow=HIDDEN, note="ninja's root: nothing there"),
    "GET /api/v1/regions": api(PUBLIC),
    "GET /api/v1/agencies": api(PUBLIC),
    "GET /api/v1/venues": api(PUBLIC),
    "GET /api/v1/calendar/add": api(PUBLIC, query={"start": "2026-01-05", "days": "5"}),
    "GET /api/v1/calendar/between": api(PUBLIC, query={"start": "2026-01-05", "end": "2026-01-12"}),
    # --- identity ------------------------------------------------------------------------------
    "page:login": page(PUBLIC, methods=GET_POST, data={"username": "nobody", "password": "x"}),
    "page:logout": page(PUBLIC, methods=POST),
    "page:profile": page(USER),
    "GET /api/v1/me": api(USER),
    "GET /api/v1/persons": api(USER, note="each sees the persons of their scope (own; region admins)"),
    "POST /api/v1/persons": api(
        USER,
        acts={CX, CY},
        data={"name": "岩庄", "id_number": "532801199501011238"},
        allow=PASS,
        note="window real-name registration: window staff only",
    ),
    "GET /api/v1/persons/{person_id}": api(
        USER,
        sees={A, KX, KP, S},
        params={"person_id": "@person_a"},
        note="own record; region-wide roles (catalog admin, center admin, supervisor) their regions",
    ),
    # --- catalog: public guides and search -------------------------------------------------------
    "page:catalog_search": page(PUBLIC, query={"q": "食品"}),
    "page:catalog_file": page(PUBLIC, params={"file_id": "@catalog_file"}),
    "page:guide": page(PUBLIC, params={"implementation_id": "@impl_x"}),
    "page:guide_pdf": page(PUBLIC, params={"implementation_id": "@impl_x"}),
    "page:guide_qr": page(PUBLIC, params={"implementation_id": "@impl_x"}),
    "page:guide_version": page(PUBLIC, params={"implementation_id": "@impl_x", "number": "@version"}),
    "page:guide_version_pdf": page(PUBLIC, params={"implementation_id": "@impl_x", "number": "@version"}),
    "page:guide_version_qr": page(PUBLIC, params={"implementation_id": "@impl_x", "number": "@version"}),
    "GET /api/v1/catalog/search": api(PUBLIC, query={"q": "食品"}),
    "GET /api/v1/catalog/implementations/{implementation_id}/jsonld": api(
        PUBLIC, params={"implementation_id": "@impl_x"}
    ),
    "GET /api/v1/catalog/implementations/{implementation_id}/versions/{number}/jsonld": api(
        PUBLIC, params={"implementation_id": "@impl_x", "number": "@version"}
    ),
    "GET /api/v1/catalog/implementations/{implementation_id}/versions": api(
        PUBLIC, params={"implementation_id": "@impl_x"}
    ),
    "GET /api/v1/catalog/implementations/{implementation_id}/diff": api(
        PUBLIC,
        params={"implementation_id": "@impl_x"},
        query={"from_version": "@version", "to_version": "@version"},
    ),
    # --- catalog: the workbench (catalog administrators over their region) ------------------------
    "page:workbench_catalog": page(CATALOG),
    "page:workbench_catalog_reviews": page(CATALOG),
    "page:workbench_catalog_dashboard": page(CATALOG),
    "page:workbench_catalog_new": page(CATALOG, methods=GET_POST, data={"item": "@item_x"}, allow=PASS),
    "page:workbench_catalog_item_new": page(CATALOG, methods=GET_POST, data={"name": "x"}, allow=PASS),
    "page:workbench_catalog_edit": page(
        CATALOG, sees=CATALOG_ADMINS, params={"pk": "@impl_x"}, methods=GET_POST, allow=PASS
    ),
    "page:workbench_catalog_submit": page(
        CATALOG, sees=CATALOG_ADMINS, params={"pk": "@impl_x"}, methods=GET_POST, allow=PASS
    ),
    "page:workbench_catalog_history": page(CATALOG, sees=CATALOG_ADMINS, params={"pk": "@impl_x"}),
    "page:workbench_catalog_compare": page(CATALOG, sees=CATALOG_ADMINS, params={"pk": "@impl_x"}),
    "page:workbench_catalog_review": page(
        CATALOG,
        sees=CATALOG_ADMINS,
        params={"pk": "@adjustment_x"},
        methods=GET_POST,
        data={"decision": "reject", "comment": "请补充"},
        allow=PASS,
        note="the review of county X's adjustment; the decision belongs to the service administration",
    ),
    "page:catalog_import": page(CATALOG, methods=GET_POST, allow=PASS),
    "page:catalog_import_template": page(CATALOG),
    "page:catalog_import_status": page(
        CATALOG, sees={KX}, params={"result_id": "@import_x"}, note="one's own background import only"
    ),
    "page:catalog_export": page(CATALOG),
    "POST /api/v1/catalog/items": api(
        CATALOG,
        data={
            "base_code": "ACCESS-1",
            "name": "测试事项",
            "item_type": "licensing",
            "competent_department": "市场监督管理部门",
            "exercised_levels": ["county"],
            "region": "@region_x",
        },
        allow=PASS,
    ),
    "GET /api/v1/catalog/implementations": api(CATALOG),
    "POST /api/v1/catalog/implementations": api(
        CATALOG, data={"item_id": "@item_x", "agency_id": "@agency_x"}, allow=PASS
    ),
    "GET /api/v1/catalog/implementations/{implementation_id}": api(
        CATALOG, sees=CATALOG_ADMINS, params={"implementation_id": "@impl_x"}
    ),
    "PUT /api/v1/catalog/implementations/{implementation_id}/draft": api(
        CATALOG, sees=CATALOG_ADMINS, params={"implementation_id": "@impl_x"}, data=DRAFT
    ),
    "POST /api/v1/catalog/implementations/{implementation_id}/adjustments": api(
        CATALOG,
        sees=CATALOG_ADMINS,
        params={"implementation_id": "@impl_x"},
        data={"kind": "change", "reason": "调整"},
    ),
    "GET /api/v1/catalog/adjustments": api(CATALOG),
    "POST /api/v1/catalog/adjustments/{adjustment_id}/approve": api(
        CATALOG,
        sees=CATALOG_ADMINS,
        acts={KP},
        params={"adjustment_id": "@adjustment_x"},
        data={"comment": "同意"},
        note="four eyes: the author (catalog_x) may not review; the prefecture's service administration may",
    ),
    "POST /api/v1/catalog/adjustments/{adjustment_id}/reject": api(
        CATALOG,
        sees=CATALOG_ADMINS,
        acts={KP},
        params={"adjustment_id": "@adjustment_x"},
        data={"comment": "退回"},
    ),
    "POST /api/v1/catalog/adjustments/{adjustment_id}/withdraw": api(
        CATALOG,
        sees=CATALOG_ADMINS,
        acts=CATALOG_ADMINS,
        params={"adjustment_id": "@adjustment_x"},
        note="any catalog administrator who may edit the region's catalog",
    ),
    "POST /api/v1/catalog/adjustments/{adjustment_id}/publish": api(
        CATALOG, sees=CATALOG_ADMINS, acts={KP}, params={"adjustment_id": "@adjustment_x"}
    ),
    # --- cases: the applicant's pages (own cases only; staff too get 404) --------------------------
    "page:apply_start": page(
        USER,
        params={"implementation_id": "@impl_x"},
        allow=PASS,
        note="starts or resumes the user's own draft; staff without a person record get 422",
    ),
    "page:my_cases": page(USER),
    "page:my_case": page(USER, sees={A}, params=J_CASE),
    "page:my_case_draft": page(USER, sees={A}, params=J_CASE, methods=POST, data={"action": "submit"}),
    "page:my_case_material": page(
        USER, sees={A}, params=J_CASE, methods=POST, data={"application": PDF_FILE}
    ),
    "page:my_case_resubmit": page(USER, sees={A}, params=J_CASE, methods=POST),
    "page:my_case_withdraw": page(
        USER, sees={A}, params=J_CASE, methods=GET_POST, data={"reason": "不办了", "confirm": "on"}
    ),
    "page:case_status_lookup": page(
        PUBLIC,
        methods=GET_POST,
        data={"number": "@case_number_a", "code": "@lookup_code_a"},
        note="by design: the number and the code printed on the notice, no account",
    ),
    "page:case_notice_pdf": page(USER, sees=CASE_A, params={"case_id": "@case_a", "notice_id": "@notice_a"}),
    "page:case_result": page(USER, sees=CASE_A, params=J_CASE),
    # --- cases: the staff workbench ----------------------------------------------------------------
    "page:workbench_cases": page(STAFF),
    "page:workbench_intake": page(STAFF, acts={CX, CY}, methods=GET_POST, data={"step": "reset"}),
    "page:workbench_case": page(STAFF, sees=STAFF_ON_CASE_A, params=J_CASE),
    "page:workbench_case_action": page(
        STAFF,
        sees=STAFF_ON_CASE_A,
        acts={CX},
        params={"case_id": "@case_a", "action": "close"},
        methods=POST,
        note="closing a delivered case: its clerks, reviewers and approvers",
    ),
    "page:workbench_case_material": page(
        STAFF, sees=STAFF_ON_CASE_A, params={"case_id": "@case_a", "material_id": "@material_a"}
    ),
    "page:workbench_case_result": page(STAFF, sees=STAFF_ON_CASE_A, params=J_CASE),
    # --- cases: the API ------------------------------------------------------------------------------
    "POST /api/v1/cases/apply": api(
        USER,
        data={"implementation_id": "@impl_x"},
        multipart=True,
        headers={"Idempotency-Key": "access-matrix"},
        allow=PASS,
        note="anyone logged in applies for themself (staff without a person record: 422)",
    ),
    "POST /api/v1/cases": api(USER, data={"implementation_id": "@impl_x"}, allow=PASS),
    "GET /api/v1/cases": api(USER, note="each sees their own scope"),
    "GET /api/v1/cases/lookup": api(
        PUBLIC, query={"number": "@case_number_a", "code": "@lookup_code_a"}, note="number + notice code"
    ),
    "GET /api/v1/cases/{case_id}": api(USER, sees=CASE_A, params=J_CASE),
    "POST /api/v1/cases/{case_id}/materials": api(
        USER,
        sees=CASE_A,
        params=J_CASE,
        data={"requirement_key": "floor-plan", "file": PDF_FILE},
        multipart=True,
    ),
    "POST /api/v1/cases/{case_id}/submit": api(
        USER, sees=CASE_A, acts={A, CX}, refuse=HIDDEN, params=J_CASE, note="the applicant or a clerk"
    ),
    "POST /api/v1/cases/{case_id}/accept": api(USER, sees=CASE_A, acts={CX}, params=J_CASE, data={}),
    "POST /api/v1/cases/{case_id}/correction": api(
        USER, sees=CASE_A, acts={CX, S}, params=J_CASE, data={}, note="a supervisor may override"
    ),
    "POST /api/v1/cases/{case_id}/resubmit": api(
        USER, sees=CASE_A, acts={A, CX}, refuse=HIDDEN, params=J_CASE
    ),
    "POST /api/v1/cases/{case_id}/reject": api(
        USER, sees=CASE_A, acts={CX}, params=J_CASE, data={"reason": "不符合"}
    ),
    "POST /api/v1/cases/{case_id}/review": api(
        USER, sees=CASE_A, acts=(), params=J_CASE, note="reviewers and approvers (none of the actors)"
    ),
    "POST /api/v1/cases/{case_id}/suspend": api(
        USER, sees=CASE_A, acts=(), params=J_CASE, data={"reason": "现场勘验", "procedure": "现场勘验"}
    ),
    "POST /api/v1/cases/{case_id}/resume": api(USER, sees=CASE_A, acts=(), params=J_CASE),
    "POST /api/v1/cases/{case_id}/extend": api(
        USER, sees=CASE_A, acts=(), params=J_CASE, data={"days": 1, "reason": "复杂"}
    ),
    "POST /api/v1/cases/{case_id}/decide": api(
        USER, sees=CASE_A, acts=(), params=J_CASE, data={"approved": True, "reasons": "符合"}
    ),
    "POST /api/v1/cases/{case_id}/deliver": api(
        USER, sees=CASE_A, acts={CX}, params=J_CASE, data={"method": "window"}
    ),
    "POST /api/v1/cases/{case_id}/close": api(USER, sees=CASE_A, acts={CX}, params=J_CASE),
    "POST /api/v1/cases/{case_id}/withdraw": api(
        USER, sees=CASE_A, acts={A, CX}, refuse=HIDDEN, params=J_CASE, data={"reason": "不办了"}
    ),
    # --- bundles (一件事) and remote intake -----------------------------------------------------------
    "page:bundle_index": page(PUBLIC),
    "page:bundle_guide": page(PUBLIC, params={"code": "@bundle_code"}),
    "page:bundle_apply": page(USER, params={"code": "@bundle_code"}, methods=GET_POST, allow=PASS),
    "page:bundle_case": page(USER, sees={A}, params={"bundle_case_id": "@bundle_case_a"}),
    "page:bundle_correction": page(
        USER,
        sees={A},
        params={"bundle_case_id": "@bundle_case_a"},
        methods=POST,
        data={"key": "mother-id", "file": PDF_FILE},
    ),
    "page:remote_index": page(STAFF_404),
    "page:remote_new": page(STAFF_404, methods=GET_POST, allow=PASS),
    "page:remote_detail": page(STAFF_404, sees=INTAKE, params=INTAKE_ID),
    "page:remote_action": page(
        STAFF_404,
        sees=INTAKE,
        acts={CX},
        refuse=BOUNCED,
        params={"intake_id": "@intake", "action": "accept"},
        methods=POST,
        note="the deciding agency's clerk accepts; others in scope see the refusal as a message",
    ),
    "page:bundle_editor": page(CATALOG_404, methods=GET_POST, allow=PASS),
    "page:bundle_editor_detail": page(
        CATALOG_404, sees=CATALOG_ADMINS, params={"bundle_id": "@bundle_id"}, methods=GET_POST, allow=PASS
    ),
    "page:bundle_editor_item": page(
        CATALOG_404,
        sees=CATALOG_ADMINS,
        params={"bundle_id": "@bundle_id", "key": "birth"},
        methods=GET_POST,
        allow=PASS,
    ),
    "page:bundle_editor_json": page(
        CATALOG_404, sees=CATALOG_ADMINS, params={"bundle_id": "@bundle_id"}, methods=GET_POST, allow=PASS
    ),
    "GET /api/v1/bundles/": api(PUBLIC),
    "GET /api/v1/bundles/cases": api(USER),
    "GET /api/v1/bundles/cases/{bundle_case_id}": api(
        USER, sees={A}, params={"bundle_case_id": "@bundle_case_a"}
    ),
    "POST /api/v1/bundles/cases/{bundle_case_id}/corrections": api(
        USER,
        sees={A},
        params={"bundle_case_id": "@bundle_case_a"},
        data={"key": "mother-id", "file": PDF_FILE},
        multipart=True,
    ),
    "POST /api/v1/bundles/definitions": api(
        USER,
        acts=CATALOG_ADMINS,
        data={"code": "ACCESS", "region_code": "@region_x", "draft": {"name": "测试"}},
        allow=PASS,
    ),
    "PUT /api/v1/bundles/definitions/{bundle_id}/draft": api(
        CATALOG_404, sees=CATALOG_ADMINS, params={"bundle_id": "@bundle_id"}, data={"draft": {"name": "x"}}
    ),
    "POST /api/v1/bundles/definitions/{bundle_id}/adjustments": api(
        CATALOG_404, sees=CATALOG_ADMINS, params={"bundle_id": "@bundle_id"}, data={"reason": "调整"}
    ),
    "POST /api/v1/bundles/adjustments/{adjustment_id}/approve": api(
        CATALOG_404, sees=CATALOG_ADMINS, acts={KP}, params={"adjustment_id": "@bundle_adjustment"}, data={}
    ),
    "POST /api/v1/bundles/adjustments/{adjustment_id}/reject": api(
        CATALOG_404,
        sees=CATALOG_ADMINS,
        acts={KP},
        params={"adjustment_id": "@bundle_adjustment"},
        data={"comment": "退回"},
    ),
    "GET /api/v1/bundles/remote/intakes": api(USER, note="scoped list (empty for citizens)"),
    "POST /api/v1/bundles/remote/intakes": api(
        USER,
        acts={CY},
        data={"window_id": "@window_y", "implementation_id": "@impl_x", "person_id": "@person_a"},
        multipart=True,
        allow=PASS,
        note="a clerk of the venue with the cross-region window",
    ),
    "GET /api/v1/bundles/remote/intakes/{intake_id}": api(USER, sees=INTAKE, params=INTAKE_ID),
    "POST /api/v1/bundles/remote/intakes/{intake_id}/forward": api(
        USER, sees=INTAKE, acts={CY}, params=INTAKE_ID, data={}
    ),
    "POST /api/v1/bundles/remote/intakes/{intake_id}/accept": api(
        USER, sees=INTAKE, acts={CX}, params=INTAKE_ID, data={}
    ),
    "POST /api/v1/bundles/remote/intakes/{intake_id}/return": api(
        USER, sees=INTAKE, acts={CX}, params=INTAKE_ID, data={"reasons": "材料不符"}
    ),
    "POST /api/v1/bundles/remote/intakes/{intake_id}/result": api(
        USER, sees=INTAKE, acts={CX}, params=INTAKE_ID, data={"route": "window"}
    ),
    "POST /api/v1/bundles/remote/intakes/{intake_id}/arrived": api(
        USER, sees=INTAKE, acts={CY}, params=INTAKE_ID
    ),
    "POST /api/v1/bundles/remote/intakes/{intake_id}/hand-over": api(
        USER, sees=INTAKE, acts={CY}, params=INTAKE_ID, data={"recipient": "岩温"}
    ),
    "GET /api/v1/bundles/{code}": api(PUBLIC, params={"code": "@bundle_code"}),
    "POST /api/v1/bundles/{code}/apply": api(
        USER, params={"code": "@bundle_code"}, data={"answers": "{}"}, multipart=True, allow=PASS
    ),
    # --- e-licenses -------------------------------------------------------------------------------------
    "page:license_verify": page(PUBLIC, methods=GET_POST, data={"token": "ZL1.x.y.z"}, note="亮证: public"),
    "page:my_licenses": page(USER),
    "page:my_license": page(USER, sees={A}, params={"license_id": "@license_a"}),
    "page:my_license_pdf": page(USER, sees={A}, params={"license_id": "@license_a"}),
    "page:my_license_share": page(
        USER,
        sees={A},
        params={"license_id": "@license_a"},
        methods=POST,
        data={"agency": "@agency_x", "purpose": "年检", "days": "5"},
    ),
    "page:my_license_grant_withdraw": page(USER, sees={A}, params={"grant_id": "@grant_a"}, methods=POST),
    "page:license_attach": page(
        USER,
        sees=CASE_A,
        params=J_CASE,
        methods=POST,
        data={"attach": "business-license:{license_a}"},
        note="免证办: the holder attaches; anyone else who sees the case is told the license is not theirs",
    ),
    "page:staff_case_license": page(
        USER,
        sees={CX, KX},
        params={"case_id": "@case_a", "material_id": "@e_material_a"},
        note="the issuing agency (or one holding the holder's grant) on a case in its scope",
    ),
    "page:staff_case_license_copy": page(
        USER, sees={CX, KX}, params={"case_id": "@case_a", "material_id": "@e_material_a"}
    ),
    "POST /api/v1/licenses/verify": api(PUBLIC, data={"token": "ZL1.x.y.z"}),
    "GET /api/v1/licenses/keys": api(PUBLIC),
    "GET /api/v1/licenses/status/{list_id}/{purpose}": api(
        PUBLIC, params={"list_id": "@status_list", "purpose": "revocation"}
    ),
    "GET /api/v1/licenses/mine": api(USER),
    "GET /api/v1/licenses/mine/{license_id}/credential": api(
        USER, sees={A}, params={"license_id": "@license_a"}
    ),
    "POST /api/v1/licenses/{number}/suspend": api(
        STAFF_404,
        acts=(),
        params={"number": "@license_number_a"},
        data={"reason": "核查"},
        note="the issuing agency's approvers (none of the actors)",
    ),
    "POST /api/v1/licenses/{number}/reinstate": api(
        STAFF_404, acts=(), params={"number": "@license_number_a"}, data={}
    ),
    "POST /api/v1/licenses/{number}/revoke": api(
        STAFF_404, acts=(), params={"number": "@license_number_a"}, data={"reason": "吊销"}
    ),
    "POST /api/v1/licenses/mine/{license_id}/shares": api(
        USER,
        sees={A},
        params={"license_id": "@license_a"},
        data={"agency_id": "@agency_x", "purpose": "年检", "days": 5},
    ),
    "POST /api/v1/licenses/shares/{grant_id}/withdraw": api(USER, sees={A}, params={"grant_id": "@grant_a"}),
    "GET /api/v1/licenses/mine/accesses": api(USER),
    # --- evaluations (好差评), the dashboard and the plan ------------------------------------------------
    "page:evaluation_rate": page(
        USER, sees={A}, params=J_CASE, methods=GET_POST, data={"stage": "acceptance", "grade": "5"}
    ),
    "page:my_ratings": page(USER),
    "page:rectification_rate": page(
        USER,
        sees=RECTIFICATION_A,
        acts={A},
        refuse=BOUNCED,
        params=RECT,
        methods=POST,
        data={"grade": "5"},
        note="the rater, once; staff who handle it are told they may not",
    ),
    "page:evaluation_window": page(
        USER, sees={CX}, params=J_CASE, methods=GET_POST, data={"stage": "intake", "grade": "5"}, allow=PASS
    ),
    "page:rectification_queue": page(STAFF),
    "page:rectification_detail": page(
        USER, sees=RECTIFICATION_A, acts=STAFF_ACTORS, params=RECT, note="the rater gets 403: a staff page"
    ),
    "page:rectification_step": page(
        USER,
        sees=RECTIFICATION_A,
        acts={CX, S},
        params={"rectification_id": "@rectification_a", "step": "callback"},
        methods=POST,
        data={"reached": "1", "note": "已联系"},
    ),
    "page:evaluation_public": page(PUBLIC),
    "page:evaluation_public_region": page(PUBLIC, params={"region_code": "@region_x"}),
    "page:quality_dashboard": page(STAFF),
    "page:quality_dashboard_export": page(STAFF),
    "page:plan_tasks": page(STAFF),
    "page:plan_report": page(STAFF),
    "page:plan_file_report": page(
        USER,
        acts={S},
        refuse=BOUNCED,
        params={"number": "@plan_task"},
        methods=POST,
        data={"unit": "@plan_unit", "quarter": "@quarter", "status": "done"},
        note="center administrators and supervisors file; others are told so",
    ),
    "POST /api/v1/evaluations/cases/{case_id}/ratings": api(
        USER,
        sees=CASE_A,
        acts={A},
        params=J_CASE,
        data={"grade": 5, "stage": "acceptance"},
        note="online rating: the applicant only",
    ),
    "GET /api/v1/evaluations/cases/{case_id}/stages": api(USER, sees={A}, params=J_CASE),
    "GET /api/v1/evaluations/ratings": api(USER),
    "GET /api/v1/evaluations/rectifications": api(USER),
    "GET /api/v1/evaluations/rectifications/{rectification_id}": api(USER, sees=RECTIFICATION_A, params=RECT),
    "POST /api/v1/evaluations/rectifications/{rectification_id}/callback": api(
        USER, sees=RECTIFICATION_A, acts={CX, S}, params=RECT, data={"reached": True, "note": "已联系"}
    ),
    "POST /api/v1/evaluations/rectifications/{rectification_id}/classify": api(
        USER,
        sees=RECTIFICATION_A,
        acts={CX, S},
        params=RECT,
        data={"classification": "explain", "finding": "情况属实"},
    ),
    "POST /api/v1/evaluations/rectifications/{rectification_id}/answer": api(
        USER,
        sees=RECTIFICATION_A,
        acts={CX, S},
        params=RECT,
        data={"fix_text": "已整改", "answer_text": "抱歉"},
    ),
    "POST /api/v1/evaluations/rectifications/{rectification_id}/appeal-decision": api(
        USER, sees=RECTIFICATION_A, acts={S}, params=RECT, data={"upheld": False, "decision": "维持"}
    ),
    "POST /api/v1/evaluations/rectifications/{rectification_id}/rating": api(
        USER, sees=RECTIFICATION_A, acts={A}, params=RECT, data={"grade": 5}
    ),
    "GET /api/v1/evaluations/public/{region_code}": api(PUBLIC, params={"region_code": "@region_x"}),
    "GET /api/v1/evaluations/dashboard/{region_code}": api(
        STAFF, sees={CX, KX, KP, S}, params={"region_code": "@region_x"}, note="staff over the region"
    ),
    "GET /api/v1/evaluations/plan/tasks": api(STAFF),
    "POST /api/v1/evaluations/plan/tasks/{number}/reports": api(
        USER,
        acts={S},
        params={"number": "@plan_task"},
        data={"unit": "@plan_unit", "quarter": "@quarter", "status": "done"},
    ),
    "POST /api/v1/evaluations/national-test": api(
        PUBLIC, allow=HIDDEN, note="test stand-in: 404 unless ZWFW_BENCH_ENDPOINTS (docs/security.md)"
    ),
}
