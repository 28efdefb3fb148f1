"""Overlong strings and invalid identifiers, in the API and in the pages: always a 4xx with the
standard error format (or the page's own Chinese error), never a 500, and nothing changes.

"Nothing changes" is checked on the ledger: every change of the platform appends an audit event,
so a refused request leaves the event count as it was.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.hostile.conftest import ROLES, Seeded, chinese
from zwfw.api import api
from zwfw.cases.models import Case
from zwfw.catalog.models import ServiceItem
from zwfw.core.errors import ValidationFailed
from zwfw.core.identifiers import parse_id_number, parse_uscc
from zwfw.core.models import AuditEvent
from zwfw.identity.models import Person

pytestmark = pytest.mark.django_db

LONG = "长" * 5000
BAD_IDS = [
    "9223372036854775808",
    "99999999999999999999999999",
    "-1",
    "0",
    "abc",
    "1.5",
    "１２",
    "1e3",
    "0x1f",
]


def client_as(seeded: Seeded, role: str) -> Client:
    client = Client()
    session = seeded.sessions[role]
    for name, value in session.cookies().items():
        client.cookies[name] = value
    return client


def assert_refused(response, *statuses: int) -> dict[str, Any]:
    """A 4xx in the API's error format (of one of ``statuses`` when given)."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    if statuses:
        assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] and body["message"], body
    return body


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = api.get_openapi_schema()
    return [(m.upper(), path, op) for path, ops in document["paths"].items() for m, op in ops.items()]


def _json_body(schema: dict[str, Any], components: dict[str, Any], ids: dict[str, list[Any]]) -> Any:
    """A body of the operation's shape whose every string is 5000 characters long."""
    if "$ref" in schema:
        return _json_body(components[schema["$ref"].rsplit("/", 1)[1]], components, ids)
    if "anyOf" in schema:
        first = next((s for s in schema["anyOf"] if s.get("type") != "null"), schema["anyOf"][0])
        return _json_body(first, components, ids)
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties") or {"note": {"type": "string"}}
        return {
            name: (ids.get(name) or [1])[0] if name.endswith("_id") else _json_body(sub, components, ids)
            for name, sub in properties.items()
        }
    if kind == "array":
        return [_json_body(schema.get("items", {}), components, ids)]
    if kind == "integer":
        return 1
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2026-03-02"
    return LONG


def _path_with(path: str, operation: dict[str, Any], ids: dict[str, list[Any]], value: str | None) -> str:
    """The path with ``value`` (or a real id of the parameter's kind) in every path parameter."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "path":
            continue
        name = parameter["name"]
        if value is not None:
            real: Any = value
        elif name == "number":
            real = (ids["license_number"] if path.startswith("/api/v1/licenses/") else ids["task_number"])[0]
        elif name == "purpose":
            real = "revocation"
        else:
            real = (ids.get(name) or [1])[0]
        path = path.replace("{" + name + "}", str(real))
    return path


# --- the API: overlong strings --------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_every_write_refuses_overlong_strings_without_a_server_error(seeded: Seeded, role: str):
    """Every POST/PUT of the API whose body has text, every text 5000 characters long, on real objects."""
    client = client_as(seeded, role)
    components = api.get_openapi_schema()["components"]["schemas"]
    accepted = []
    for method, path, operation in _operations():
        content = operation.get("requestBody", {}).get("content", {}).get("application/json")
        body = _json_body(content["schema"], components, seeded.ids) if content else None
        if method not in ("POST", "PUT") or LONG not in json.dumps(body, ensure_ascii=False):
            continue
        url = _path_with(path, operation, seeded.ids, None)
        events = AuditEvent.objects.count()
        response = client.generic(method, url, json.dumps(body), content_type="application/json")
        assert response.status_code < 500, (method, url, response.content[:300])
        if response.status_code >= 400:
            assert_refused(response)
        if AuditEvent.objects.count() != events:
            accepted.append((method, url, response.status_code))
    assert accepted == []  # nothing overlong was stored anywhere


def test_a_contact_phone_longer_than_its_column_is_refused_by_the_schema(seeded: Seeded):
    client = client_as(seeded, "citizen")
    cases = Case.objects.count()
    response = client.post(
        "/api/v1/cases",
        {"implementation_id": seeded.ids["implementation_id"][0], "contact_phone": "1" * 21},
        content_type="application/json",
    )
    body = assert_refused(response, 422)
    assert body["code"] == "request.invalid"
    assert [d["field"] for d in body["details"]] == ["body.payload.contact_phone"]
    assert Case.objects.count() == cases


def test_a_catalog_item_with_overlong_codes_is_refused_by_the_schema(seeded: Seeded):
    client = client_as(seeded, "catalog_admin")
    items = ServiceItem.objects.count()
    response = client.post(
        "/api/v1/catalog/items",
        {
            "base_code": "X" * 41,
            "name": "名" * 201,
            "item_type": "licensing",
            "competent_department": "市场监督管理部门",
            "exercised_levels": ["county"],
            "region": "532801",
        },
        content_type="application/json",
    )
    body = assert_refused(response, 422)
    assert {d["field"] for d in body["details"]} == {"body.payload.base_code", "body.payload.name"}
    assert ServiceItem.objects.count() == items


@pytest.mark.parametrize("url", ["/api/v1/cases", "/api/v1/catalog/implementations"])
@pytest.mark.parametrize(
    "query", ["offset=100000000000000000000", "limit=100000000000000000000", "offset=-5"]
)
def test_paging_far_beyond_the_list_answers_an_empty_page(seeded: Seeded, url: str, query: str):
    role = "catalog_admin" if "catalog" in url else "window_clerk"
    response = client_as(seeded, role).get(f"{url}?{query}")
    assert response.status_code == 200, response.content[:300]
    assert isinstance(response.json(), list)
    if query.startswith("offset=1"):  # past the end: nothing, not the first page again
        assert response.json() == []


def test_overlong_query_strings_are_refused_or_find_nothing(seeded: Seeded):
    client = client_as(seeded, "anonymous")
    for url in (
        f"/api/v1/cases/lookup?number={LONG}&code={LONG}",
        f"/api/v1/regions?parent={LONG}",
        f"/api/v1/catalog/search?q={LONG}&region={LONG}",
        f"/api/v1/bundles/{LONG}",
        f"/api/v1/evaluations/public/{LONG}",
        f"/api/v1/licenses/status/1/{LONG}",
    ):
        response = client.get(url)
        assert response.status_code < 500, (url[:80], response.content[:300])
        if response.status_code >= 400:
            assert_refused(response)


# --- the API: invalid ids -----------------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_IDS)
def test_every_path_id_refuses_huge_negative_and_non_numeric_values(seeded: Seeded, bad: str):
    client = client_as(seeded, "window_clerk")
    events = AuditEvent.objects.count()
    for method, path, operation in _operations():
        if "{" not in path:
            continue
        url = _path_with(path, operation, seeded.ids, bad)
        response = client.generic(method, url, "{}", content_type="application/json")
        body = assert_refused(response)
        assert response.status_code in (403, 404, 422), (method, url, body)
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("code", ["9" * 40, "5328", "abc", "532801' OR '1'='1", "５３２８０１", "532801%00"])
def test_region_codes_that_do_not_exist_are_refused(seeded: Seeded, code: str):
    client = client_as(seeded, "supervisor")
    for url in (f"/api/v1/evaluations/public/{code}", f"/api/v1/evaluations/dashboard/{code}"):
        assert_refused(client.get(url), 404, 422)
    assert_refused(client.get(f"/api/v1/catalog/search?region={code}"), 422)
    assert_refused(client.get(f"/api/v1/agencies?region={code}"), 404, 422)  # NUL: PostgreSQL refuses it


@pytest.mark.parametrize(
    "number",
    [
        "532801199603120240",  # wrong check character
        "53280119960312024",  # 17 characters
        "5328011996031202400",  # 19 characters
        "53280119961312024X",  # month 13
        "ABCDEFGHIJKLMNOPQR",
        "５３２８０１１９９６０３１２０２４Ｘ",  # full-width digits
        "532801 19960312 024X",
        LONG,
        "",
    ],
)
def test_invalid_id_numbers_are_refused_and_nobody_is_registered(seeded: Seeded, number: str):
    client = client_as(seeded, "window_clerk")
    persons = Person.objects.count()
    response = client.post(
        "/api/v1/persons", {"name": "玉香", "id_number": number}, content_type="application/json"
    )
    body = assert_refused(response, 422)
    assert body["code"] in ("identity.id_number_invalid", "request.invalid")
    assert Person.objects.count() == persons
    with pytest.raises(ValidationFailed):
        parse_id_number(number)


@pytest.mark.parametrize(
    "code",
    ["91532801MA6D8W7K01", "91532801MA6D8W7K0", "91532801MA6D8W7K0XX", "IOZSV1234567890123", LONG, ""],
)
def test_invalid_unified_social_credit_codes_are_refused(code: str):
    with pytest.raises(ValidationFailed) as refused:
        parse_uscc(code)
    assert refused.value.code == "identity.uscc_invalid"


# --- the pages --------------------------------------------------------------------------------


def test_the_login_form_refuses_an_overlong_username_and_user_agent(client: Client):
    response = client.post(
        "/accounts/login/", {"username": "u" * 5000, "password": "x" * 5000}, HTTP_USER_AGENT="A" * 5000
    )
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    # Within the username's limit the attempt is counted by the lockout, even with a huge User-Agent.
    response = client.post(
        "/accounts/login/", {"username": "u" * 150, "password": "x"}, HTTP_USER_AGENT="A" * 5000
    )
    assert response.status_code == 200
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.filter(username="u" * 150).exists()


@pytest.mark.parametrize(
    "url",
    [
        f"/cases/status/?number={LONG}&code={LONG}",
        f"/guides/?q={LONG}&region={LONG}",
        "/guides/99999999999999999999999/",
        "/apply/99999999999999999999999/",
        "/my/cases/99999999999999999999999/",
    ],
)
def test_pages_answer_overlong_or_huge_input_without_a_server_error(seeded: Seeded, url: str):
    response = client_as(seeded, "citizen").get(url)
    assert response.status_code in (200, 404, 422), (url[:60], response.status_code)


def test_a_page_form_post_with_an_overlong_region_is_refused_in_chinese(seeded: Seeded):
    client = client_as(seeded, "anonymous")
    response = client.post("/preferences/region", {"region": LONG, "next": "/"}, follow=True)
    assert response.status_code == 200
    assert (
        chinese("That region does not exist. Please choose a region from the list.")
        in response.content.decode()
    )


# --- malformed requests -----------------------------------------------------------------------

MALFORMED = [
    ("POST", "/api/v1/cases", "{not json", "application/json"),
    ("POST", "/api/v1/cases", "[" * 100_000 + "]" * 100_000, "application/json"),  # nesting bomb
    ("POST", "/api/v1/cases", b'{"implementation_id": "\xff\xfe"}', "application/json"),  # not UTF-8
    ("POST", "/api/v1/cases", '"just a string"', "application/json"),
    ("POST", "/api/v1/cases", "[1, 2, 3]", "application/json"),
    ("POST", "/api/v1/cases", '{"implementation_id": 1e400}', "application/json"),
    ("POST", "/api/v1/cases", '{"implementation_id": 99999999999999999999999999}', "application/json"),
    ("POST", "/api/v1/cases", '{"implementation_id": 1, "form_data": "x"}', "application/json"),
    ("POST", "/api/v1/cases", "implementation_id=1", "application/x-www-form-urlencoded"),
    ("POST", "/api/v1/cases", "--x\r\n\r\n--x--", "multipart/form-data; boundary=x"),
    ("POST", "/api/v1/cases", "--x\r\nbroken", "multipart/form-data"),  # no boundary
    ("POST", "/api/v1/cases/apply", "implementation_id=%FF%FE", "application/x-www-form-urlencoded"),
    ("POST", "/api/v1/cases/apply", "implementation_id=１", "application/x-www-form-urlencoded"),
    ("PUT", "/api/v1/cases", "{}", "application/json"),
    ("DELETE", "/api/v1/cases/1", "", "application/json"),
    ("PATCH", "/api/v1/persons", "{}", "application/json"),
    ("OPTIONS", "/api/v1/cases", "", "application/json"),
    ("GET", "/api/v1/cases/1%00", "", "application/json"),
    ("GET", "/api/v1/" + "a/" * 2000, "", "application/json"),
    ("GET", "/api/v1/../../etc/passwd", "", "application/json"),
    ("GET", "/api/v1/cases?limit=abc&offset=1.5", "", "application/json"),
    ("GET", "/api/v1/cases?queue=%00", "", "application/json"),
    ("GET", "/api/v2/cases", "", "application/json"),
]


@pytest.mark.parametrize(("method", "url", "body", "content_type"), MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_requests_get_a_4xx_in_the_error_format_and_change_nothing(
    seeded: Seeded, method: str, url: str, body: str | bytes, content_type: str
):
    client = client_as(seeded, "citizen")
    events, cases = AuditEvent.objects.count(), Case.objects.count()
    response = client.generic(method, url, body, content_type=content_type)
    assert_refused(response)
    assert (AuditEvent.objects.count(), Case.objects.count()) == (events, cases)


def test_a_body_larger_than_django_reads_is_a_400_in_the_error_format(seeded: Seeded, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client_as(seeded, "citizen").post(
        "/api/v1/cases",
        json.dumps({"implementation_id": 1, "form_data": {"x": "y" * 5000}}),
        content_type="application/json",
    )
    assert_refused(response, 400)


def test_a_foreign_host_header_is_a_400_in_the_error_format(seeded: Seeded):
    response = client_as(seeded, "anonymous").get("/api/v1/regions", HTTP_HOST="evil.example")
    assert_refused(response, 400)
