"""Error pages outside the API speak the visitor's language (Chinese by default) and say what to
do next: a missing page, a refused page, an unreadable request, a server fault, an expired form."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db


def _request(path: str = "/somewhere/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.session = SessionStore()
    return request


def test_a_missing_page_is_explained_in_chinese_inside_the_site_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text and "返回首页" in text
    assert 'class="skip-link"' in text  # the usual header and navigation, not a bare page
    assert "Not Found" not in text


def test_a_visitor_who_chose_english_gets_the_english_page(client):
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_an_expired_form_says_what_happened_and_that_nothing_was_saved():
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("login"), {"username": "someone", "password": "x"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "页面已过期" in text and "本次提交的内容未被保存" in text
    assert "CSRF" not in text


@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (lambda r: defaults.permission_denied(r, PermissionDenied()), 403, "您无权打开此页面"),
        (lambda r: defaults.bad_request(r, SuspiciousOperation()), 400, "无法识别该请求"),
        (lambda r: defaults.server_error(r), 500, "系统出现故障"),
    ],
)
def test_refused_unreadable_and_failed_requests_get_a_chinese_page(view, status, heading):
    with translation.override("zh-hans"):
        response = view(_request())
    assert response.status_code == status
    assert heading in response.content.decode()


def test_the_server_error_page_tells_an_applicant_to_check_before_submitting_again():
    with translation.override("zh-hans"):
        text = defaults.server_error(_request()).content.decode()
    assert "我的办件" in text and "无需重复提交" in text
