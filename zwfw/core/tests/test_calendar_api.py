"""The public calendar API: wiring, the provisional flag, every bad-input code, anonymous access."""

from __future__ import annotations

import pytest

from zwfw.core.calendar import calendar_reset

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar_reset()
    yield
    calendar_reset()


@pytest.mark.smoke
def test_add_returns_the_due_date_to_an_anonymous_caller(client):
    response = client.get("/api/v1/calendar/add", {"start": "2025-09-30", "days": "1"})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2025-09-30",
        "days": 1,
        "unit": "working_days",
        "due": "2025-10-09",
        "provisional": False,
        "paused_days": 0,
    }


@pytest.mark.smoke
def test_between_counts_working_days(client):
    response = client.get("/api/v1/calendar/between", {"start": "2025-01-01", "end": "2025-12-31"})
    assert response.status_code == 200
    assert response.json() == {"working_days": 248, "provisional": False}


def test_add_in_natural_days(client):
    response = client.get(
        "/api/v1/calendar/add", {"start": "2025-09-30", "days": "10", "unit": "natural_days"}
    )
    assert response.json() == {
        "start": "2025-09-30",
        "days": 10,
        "unit": "natural_days",
        "due": "2025-10-10",
        "provisional": False,
        "paused_days": 0,
    }


def test_zero_days_is_the_start_day(client):
    response = client.get("/api/v1/calendar/add", {"start": "2025-10-01", "days": "0"})
    assert response.json()["due"] == "2025-10-01"


def test_a_year_without_a_notice_is_provisional(client):
    response = client.get("/api/v1/calendar/add", {"start": "2028-01-20", "days": "10"})
    assert response.json()["due"] == "2028-02-09"  # 25-28 Jan: the statutory Spring Festival
    assert response.json()["provisional"] is True
    response = client.get("/api/v1/calendar/between", {"start": "2026-12-01", "end": "2027-01-08"})
    assert response.json()["provisional"] is True
    response = client.get("/api/v1/calendar/between", {"start": "2027-01-08", "end": "2026-12-01"})
    assert response.json() == {"working_days": 0, "provisional": False}


def _error(client, path, params):
    response = client.get(f"/api/v1/calendar/{path}", params)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["message"]
    return body


@pytest.mark.parametrize(
    "params,code",
    [
        ({"days": "3"}, "calendar.missing_parameter"),
        ({"start": "2025-01-01"}, "calendar.missing_parameter"),
        ({"start": "", "days": "3"}, "calendar.missing_parameter"),
        ({"start": "2025-02-30", "days": "3"}, "calendar.invalid_date"),
        ({"start": "20250101", "days": "3"}, "calendar.invalid_date"),
        ({"start": "2025-W01-1", "days": "3"}, "calendar.invalid_date"),
        ({"start": "tomorrow", "days": "3"}, "calendar.invalid_date"),
        ({"start": "1989-12-31", "days": "3"}, "calendar.date_out_of_range"),
        ({"start": "2101-01-01", "days": "3"}, "calendar.date_out_of_range"),
        ({"start": "2025-01-01", "days": "three"}, "calendar.invalid_days"),
        ({"start": "2025-01-01", "days": "1.5"}, "calendar.invalid_days"),
        ({"start": "2025-01-01", "days": "-1"}, "calendar.days_out_of_range"),
        ({"start": "2025-01-01", "days": "3651"}, "calendar.days_out_of_range"),
        ({"start": "2025-01-01", "days": "9" * 40}, "calendar.days_out_of_range"),
        ({"start": "2025-01-01", "days": "3", "unit": "weeks"}, "calendar.invalid_unit"),
    ],
)
def test_add_refuses_bad_input_with_a_stable_code(client, params, code):
    body = _error(client, "add", params)
    assert body["code"] == code
    assert body["details"][0]["code"] == code


def test_every_bad_parameter_is_listed(client):
    body = _error(client, "add", {"start": "2025-13-01", "days": "-5", "unit": "hours"})
    assert body["code"] == "calendar.invalid_date"
    assert [(d["field"], d["code"]) for d in body["details"]] == [
        ("start", "calendar.invalid_date"),
        ("days", "calendar.days_out_of_range"),
        ("unit", "calendar.invalid_unit"),
    ]


@pytest.mark.parametrize(
    "params,code",
    [
        ({"end": "2025-01-01"}, "calendar.missing_parameter"),
        ({"start": "2025-01-01"}, "calendar.missing_parameter"),
        ({"start": "2025-01-01", "end": "2025-1-5"}, "calendar.invalid_date"),
        ({"start": "1900-01-01", "end": "2025-01-05"}, "calendar.date_out_of_range"),
    ],
)
def test_between_refuses_bad_input_with_a_stable_code(client, params, code):
    assert _error(client, "between", params)["code"] == code


def test_the_endpoints_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json()
    add = spec["paths"]["/api/v1/calendar/add"]["get"]
    assert add["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/CalendarAddOut"
    )
    assert "422" in add["responses"]
    assert {p["name"] for p in add["parameters"]} == {"start", "days", "unit", "pauses"}
    assert "/api/v1/calendar/between" in spec["paths"]
    schema = spec["components"]["schemas"]["CalendarAddOut"]
    assert set(schema["properties"]) == {"start", "days", "unit", "due", "provisional", "paused_days"}


def test_due_date_with_pauses_over_the_api(client):
    body = client.get("/api/v1/calendar/add?start=2025-03-03&days=10&pauses=2025-03-05/2025-03-07").json()
    assert (body["due"], body["paused_days"]) == ("2025-03-19", 2)
    two = client.get(
        "/api/v1/calendar/add?start=2025-03-03&days=10&pauses=2025-03-05/2025-03-07,2025-03-10/2025-03-11"
    ).json()
    assert (two["due"], two["paused_days"]) == ("2025-03-20", 3)
    assert client.get("/api/v1/calendar/add?start=2025-03-03&days=10").json()["paused_days"] == 0


@pytest.mark.parametrize(
    "pauses",
    [
        "2025-03-05",
        "2025-03-05/2025-03-40",
        "2025-03-01/2025-03-04",
        "2025-03-07/2025-03-05",
        "2025-03-05/2025-03-09,2025-03-08/2025-03-10",
    ],
)
def test_bad_pauses_are_422(client, pauses):
    response = client.get(f"/api/v1/calendar/add?start=2025-03-03&days=10&pauses={pauses}")
    assert response.status_code == 422
    assert response.json()["code"] in {"calendar.invalid_pause", "calendar.invalid_date"}
