"""Login lockout (django-axes): five failures of one username from one address lock that pair
for fifteen minutes, with a clear Chinese message on the login page; nothing else is locked."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from zwfw.identity import services

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "a-long-pass-2026"
LOCKED_MESSAGE = "登录失败次数过多，该账号已在本设备上锁定15分钟"


@pytest.fixture
def user():
    return services.user_create(username="yuxiang", password=PASSWORD)


def attempt(client: Client, password: str, *, username: str = "yuxiang", ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client: Client, times: int, **kwargs) -> list[int]:
    return [attempt(client, "wrong", **kwargs).status_code for _ in range(times)]


def test_the_limits_are_five_failures_and_fifteen_minutes_by_default():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_four_failures_show_the_usual_error_and_the_fifth_locks_with_a_clear_message(client, user):
    assert fail(client, 4) == [200, 200, 200, 200]
    response = attempt(client, "wrong")
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_MESSAGE in html
    assert "data-locked-out" in html and 'role="alert"' in html
    assert 'name="username"' in html and 'value="yuxiang"' in html  # the form is still there
    assert not response.wsgi_request.user.is_authenticated


def test_the_right_password_is_refused_while_locked(client, user):
    fail(client, 5)
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_only_for_that_username_from_that_address(client, user):
    services.user_create(username="yanwen", password=PASSWORD)
    fail(client, 5)
    # The same account from another address, and another account from the same address, log in.
    assert attempt(Client(), PASSWORD, ip="10.0.0.2").status_code == 302
    assert attempt(Client(), PASSWORD, username="yanwen").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, user):
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_successful_login_clears_the_earlier_failures(client, user):
    fail(client, 4)
    assert attempt(client, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    assert fail(client, 4) == [200, 200, 200, 200]  # counting starts again from zero


def test_behind_the_proxy_the_lock_follows_the_real_client_address(client, user):
    fail(client, 5, ip="127.0.0.1")  # nginx forwards, X-Real-IP absent: the peer address counts
    other = client.post(
        LOGIN,
        {"username": "yuxiang", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="10.9.9.9",
    )
    assert other.status_code == 302


def test_an_overlong_username_is_a_form_error_not_a_server_error(client):
    response = client.post(LOGIN, {"username": "u" * 5000, "password": "x"}, HTTP_USER_AGENT="A" * 5000)
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    assert not AccessAttempt.objects.exists()  # refused before any authentication


def test_the_admin_login_counts_an_overlong_username_without_a_server_error(client):
    response = client.post("/admin/login/", {"username": "u" * 5000, "password": "x"})
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "u" * 150


def test_an_overlong_password_is_refused_before_it_is_hashed(client, user, monkeypatch):
    from zwfw.identity.views import PASSWORD_MAX_LENGTH

    def never(*args, **kwargs):
        raise AssertionError("an overlong password must not reach the hasher")

    monkeypatch.setattr("django.contrib.auth.hashers.check_password", never)
    monkeypatch.setattr("django.contrib.auth.base_user.check_password", never)
    response = attempt(client, "x" * (PASSWORD_MAX_LENGTH + 1))
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    monkeypatch.undo()
    assert attempt(client, PASSWORD).status_code == 302  # the right password still logs in
