"""Security headers: a strict CSP on every page, HSTS and secure cookies in production.

The browser tests fail on any CSP violation they meet; here the policy itself is checked, the
templates are checked for inline code the policy would block, and the production settings are
loaded in a separate process as a deployment would load them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/guide/", "/healthz"])
def test_every_response_carries_a_strict_content_security_policy(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code < 500
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I),
        "inline script",
    ),
    (re.compile(r"<style\b", re.I), "style element"),
    (re.compile(r"\sstyle=\"", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=\"", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_carries_code_the_policy_would_block() -> None:
    problems = []
    for template in sorted((ROOT / "zwfw").rglob("templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{template.relative_to(ROOT)}:{line}: {what}")
    assert not problems, "\n".join(problems)


def test_the_inline_check_catches_what_it_looks_for() -> None:
    samples = ["<script>alert(1)</script>", "<style>p{}</style>", '<p style="x">', '<a onclick="x">']
    for sample in samples:
        assert any(pattern.search(sample) for pattern, _what in INLINE), sample
    assert not any(p.search('<script src="/static/js/zwfw.js" defer></script>') for p, _w in INLINE)


def _production_settings() -> dict[str, object]:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({k: getattr(settings, k) for k in ("
        "'SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SESSION_COOKIE_SECURE',"
        "'CSRF_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY','SECURE_SSL_REDIRECT','DEBUG','ZWFW_API_DOCS',"
        "'CONTENT_SECURITY_POLICY','MIDDLEWARE','CACHES')}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zwfw.settings_production",
        "ZWFW_SECRET_KEY": "x" * 50,
        "ZWFW_ID_HASH_KEY": "y" * 50,
        "ZWFW_ID_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ZWFW_ALLOWED_HOSTS": "zwfw.example.gov.cn",
    }
    for name in ("ZWFW_SSL_REDIRECT", "ZWFW_HSTS_SECONDS", "ZWFW_API_DOCS", "ZWFW_CACHE_URL"):
        env.pop(name, None)
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_production_settings_turn_on_hsts_secure_cookies_and_turn_off_the_api_docs_page() -> None:
    settings = _production_settings()
    assert settings["DEBUG"] is False
    assert settings["SECURE_HSTS_SECONDS"] >= 31536000
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["ZWFW_API_DOCS"] is False
    assert "csp.middleware.CSPMiddleware" in settings["MIDDLEWARE"]
    assert "unsafe-inline" not in json.dumps(settings["CONTENT_SECURITY_POLICY"])


def test_production_shares_one_cache_between_processes_so_throttles_hold_across_workers() -> None:
    cache = _production_settings()["CACHES"]["default"]  # type: ignore[index]
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["LOCATION"] == "zwfw_cache"
    assert cache["OPTIONS"]["MAX_ENTRIES"] >= 100_000  # a full cache would drop throttle blocks
