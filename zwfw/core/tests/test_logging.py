"""Structured logs: JSON lines with the request id and the user, one access line per request."""

from __future__ import annotations

import datetime
import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from gunicorn.config import Config

from zwfw.core.gunicorn_logger import GunicornLogger
from zwfw.core.logging import JsonFormatter, RequestFilter, logging_settings
from zwfw.identity import services as identity_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """Records of ``zwfw.access`` and ``django.request`` as the production handler writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestFilter())
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger("zwfw.access"), logging.getLogger("django.request")]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    for lg, level in saved:
        lg.removeHandler(handler)
        lg.setLevel(level)


def test_access_line_carries_request_id_user_status_and_duration(client, log_lines):
    user = identity_services.user_create(username="yuxiang", password="pw")
    client.force_login(user)

    response = client.get("/accounts/profile/", HTTP_X_REQUEST_ID="req-42")

    assert response.status_code == 200
    (line,) = [x for x in log_lines() if x["logger"] == "zwfw.access"]
    assert line["request_id"] == "req-42"
    assert line["user_id"] == user.pk
    assert line["method"] == "GET"
    assert line["path"] == "/accounts/profile/"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert datetime.datetime.fromisoformat(line["time"]).tzinfo is not None


def test_anonymous_request_has_no_user_and_the_generated_request_id_of_the_response(client, log_lines):
    response = client.get("/healthz")

    (line,) = log_lines()
    assert line["user_id"] is None
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32


def test_logging_never_queries_the_database_to_find_the_user(client, log_lines, django_assert_num_queries):
    client.force_login(identity_services.user_create(username="yuxiang", password="pw"))

    with django_assert_num_queries(0):
        client.get("/healthz")  # a page that never looks at the user

    (line,) = log_lines()
    assert line["user_id"] is None
    assert line["path"] == "/healthz"


def test_access_line_leaves_out_the_query_string(client, log_lines):
    client.get("/guides/", {"q": "532801199501011234"})

    (line,) = [x for x in log_lines() if x["logger"] == "zwfw.access"]
    assert line["path"] == "/guides/"
    assert "532801199501011234" not in json.dumps(line)


def test_records_logged_while_serving_a_request_carry_its_request_id(client, log_lines):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="abc-123")

    assert response.status_code == 404
    warning = next(x for x in log_lines() if x["logger"] == "django.request")
    assert warning["level"] == "WARNING"
    assert warning["request_id"] == "abc-123"
    assert "/no-such-page/" in warning["message"]


def test_outside_a_request_the_fields_are_empty_and_chinese_stays_readable():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("zwfw.test_logging")
    logger.addHandler(handler)
    try:
        logger.warning("办件 %s 已超期", "530000-001")
    finally:
        logger.removeHandler(handler)

    raw = stream.getvalue()
    assert "办件 530000-001 已超期" in raw  # UTF-8, not \\u escapes
    line = json.loads(raw)
    assert line["message"] == "办件 530000-001 已超期"
    assert line["request_id"] == ""
    assert line["user_id"] is None


def test_an_exception_is_logged_with_its_traceback_in_the_same_line():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("zwfw.test_logging")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("task failed")
    finally:
        logger.removeHandler(handler)

    (raw,) = stream.getvalue().splitlines()
    line = json.loads(raw)
    assert line["level"] == "ERROR"
    assert "ValueError: boom" in line["exc_info"]


def _log_from_a_fresh_process(tmp_path, **env: str) -> str:
    """Start Django as manage.py would with ``env``, log one warning, return what reached stderr."""
    script = "import django, logging; django.setup(); logging.getLogger('zwfw.example').warning('办件已受理')"
    keys = {
        "ZWFW_SECRET_KEY": "s" * 50,
        "ZWFW_ID_ENCRYPTION_KEY": "0" * 43 + "=",
        "ZWFW_ID_HASH_KEY": "h" * 40,
        "ZWFW_ALLOWED_HOSTS": "127.0.0.1",
        "ZWFW_VAR_DIR": str(tmp_path),
    }
    clean = {k: v for k, v in os.environ.items() if k not in ("ZWFW_LOG_FORMAT", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**clean, **keys, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stderr.strip()


def test_production_logs_json_and_the_demo_text_unless_zwfw_log_format_says_otherwise(tmp_path):
    production = _log_from_a_fresh_process(tmp_path, DJANGO_SETTINGS_MODULE="zwfw.settings_production")
    line = json.loads(production.splitlines()[-1])
    assert line["message"] == "办件已受理"
    assert line["logger"] == "zwfw.example"
    assert line["level"] == "WARNING"

    demo = _log_from_a_fresh_process(tmp_path, DJANGO_SETTINGS_MODULE="zwfw.settings")
    assert demo.splitlines()[-1].endswith("WARNING zwfw.example [] 办件已受理")

    chosen = _log_from_a_fresh_process(
        tmp_path, DJANGO_SETTINGS_MODULE="zwfw.settings_production", ZWFW_LOG_FORMAT="text"
    )
    assert chosen.splitlines()[-1].endswith("WARNING zwfw.example [] 办件已受理")


def test_an_unknown_log_format_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="ZWFW_LOG_FORMAT"):
        logging_settings("xml", "INFO")


def test_access_log_can_be_turned_off():
    assert logging_settings("json", "INFO", access_log=False)["loggers"]["zwfw.access"]["level"] == "WARNING"
    assert logging_settings("json", "INFO")["loggers"]["zwfw.access"]["level"] == "NOTSET"


def test_gunicorn_messages_come_out_as_json(capsys):
    error_log = logging.getLogger("gunicorn.error")
    before = list(error_log.handlers)
    cfg = Config()
    cfg.set("errorlog", "-")
    glog = GunicornLogger(cfg)
    try:
        glog.info("Booting worker with pid: %s", 4242)
    finally:
        for handler in error_log.handlers:
            if handler not in before:
                error_log.removeHandler(handler)
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["message"] == "Booting worker with pid: 4242"
    assert line["logger"] == "gunicorn.error"
    assert line["level"] == "INFO"
