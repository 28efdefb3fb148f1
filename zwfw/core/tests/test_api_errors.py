"""The API's one error format holds everywhere: in the OpenAPI document (declared on every
operation, one schema per name), for Django's own refusals under /api/ (unknown path, wrong
method, unreadable body, CSRF), and for a value the database cannot hold."""

from __future__ import annotations

import inspect
import json
import sys
from collections import defaultdict

import pytest
from django.db import DataError
from django.test import Client
from django.utils import translation
from ninja import Schema

from zwfw.api import ERROR_RESPONSES, api
from zwfw.identity import services as identity_services

pytestmark = pytest.mark.django_db


def chinese(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code
    return body


def test_every_operation_declares_the_error_answers_in_the_shared_format():
    document = api.get_openapi_schema()
    assert set(document["components"]["schemas"]["ErrorOut"]["required"]) == {"code", "message"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            declared = {str(status) for status in operation["responses"]}
            expected = {str(s) for s in ERROR_RESPONSES if s != 401 or operation.get("security")}
            assert expected <= declared, (method, path)


def test_no_two_api_schemas_share_a_name():
    """The OpenAPI document keys schemas by class name: a second class of the same name would
    silently replace the first (CaseOut's materials were once described as a bundle's)."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("zwfw."):
            continue
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, Schema) and obj.__module__ == module_name:
                by_name[obj.__name__].add(json.dumps(obj.model_json_schema(), sort_keys=True))
    assert {name for name, shapes in by_name.items() if len(shapes) > 1} == set()


def test_an_unknown_api_path_answers_404_in_the_error_format(client: Client):
    body = assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert body["message"] == chinese("Not found.")


def test_a_method_the_path_does_not_take_answers_405_with_allow(client: Client):
    response = client.delete("/api/v1/regions")
    body = assert_error(response, 405, "request.method_not_allowed")
    assert body["message"] == chinese("This method is not allowed here.")
    assert "GET" in response["Allow"]


def test_an_unreadable_json_body_answers_400_in_chinese(client: Client):
    user = identity_services.user_create(username="yuxiang", password="pw")
    client.force_login(user)
    response = client.post("/api/v1/cases", "{not json", content_type="application/json")
    body = assert_error(response, 400, "request.malformed")
    assert body["message"] == chinese("The request could not be read.")


def test_a_post_without_the_csrf_token_answers_403_in_chinese():
    user = identity_services.user_create(username="yuxiang", password="pw")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/api/v1/cases", {"implementation_id": 1}, content_type="application/json")
    body = assert_error(response, 403, "auth.csrf_failed")
    assert body["message"] == chinese("The security check failed. Reload the page and try again.")


@pytest.mark.parametrize(
    "error",
    [
        DataError("value too long for type character varying(12)"),  # PostgreSQL
        OverflowError("Python int too large to convert to SQLite INTEGER"),  # SQLite
    ],
)
def test_a_value_the_database_cannot_hold_is_422_not_500(client: Client, monkeypatch, error):
    def refuse(**kwargs):
        raise error

    monkeypatch.setattr("zwfw.core.api.region_list", refuse)
    body = assert_error(client.get("/api/v1/regions"), 422, "request.invalid")
    assert body["message"] == chinese("Some fields are missing or invalid.")


def test_pages_outside_the_api_keep_their_html_errors(client: Client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_the_openapi_document_is_built_once_per_process(client) -> None:
    from zwfw.api import api

    first = client.get("/api/v1/openapi.json")
    assert first.status_code == 200
    assert api.get_openapi_schema(path_prefix="/api/v1/") is api.get_openapi_schema(path_prefix="/api/v1/")
    assert client.get("/api/v1/openapi.json").json() == first.json()
    # the throttled lookup declares its 429 with the shared error body
    lookup = first.json()["paths"]["/api/v1/cases/lookup"]["get"]["responses"]
    assert lookup["429"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


@pytest.mark.django_db
def test_each_bad_field_is_explained_in_chinese(client: Client, django_user_model):
    """A lookup without its code and a non-number page size: each detail says why in Chinese."""
    body = assert_error(client.get("/api/v1/cases/lookup?number=X"), 422, "request.invalid")
    by_field = {d["field"].split(".")[-1]: d for d in body["details"]}
    assert by_field["code"]["code"] == "missing"
    assert by_field["code"]["message"] == chinese("This value is required.") != "This value is required."
    client.force_login(django_user_model.objects.create_user(username="paging", password="x-long-pass-1"))
    body = assert_error(client.get("/api/v1/cases?limit=abc"), 422, "request.invalid")
    by_field = {d["field"].split(".")[-1]: d for d in body["details"]}
    assert by_field["limit"]["code"] == "int_parsing"
    assert by_field["limit"]["message"] == chinese("Must be a whole number.") == "须为整数。"


def test_schema_messages_name_the_limit_and_never_fall_back_to_english_alone():
    from zwfw.core.errors import schema_error_message

    with translation.override("zh-hans"):
        assert schema_error_message({"type": "string_too_long", "ctx": {"max_length": 20}}) == chinese(
            "At most %(n)s characters."
        ) % {"n": 20}
        odd = schema_error_message({"type": "url_scheme", "msg": "URL scheme should be http"})
        assert odd.endswith("（URL scheme should be http）。") or "URL scheme should be http" in odd
        assert odd != "URL scheme should be http"
