"""Wiring of the shared pages: elder-friendly mode, region switcher, login and logout."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from zwfw.core.models import AgencyKind, Region
from zwfw.core.services import agency_create, region_create
from zwfw.core.views import ELDER_COOKIE, REGION_SESSION_KEY
from zwfw.identity.models import Role
from zwfw.identity.services import staff_membership_grant, user_create

pytestmark = pytest.mark.django_db

ELDER_URL = "/preferences/elder-mode"
REGION_URL = "/preferences/region"
PASSWORD = "a-Long-pass-phrase-42"


@pytest.fixture
def regions() -> dict[str, Region]:
    province = region_create(code="530000", name="云南省", level="province", parent=None)
    prefecture = region_create(code="532800", name="西双版纳傣族自治州", level="prefecture", parent=province)
    county = region_create(code="532801", name="景洪市", level="county", parent=prefecture)
    township = region_create(code="532801001000", name="允景洪街道", level="township", parent=county)
    return {"province": province, "prefecture": prefecture, "county": county, "township": township}


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def csrf_token(client: Client, path: str = "/") -> str:
    """Load a page the way a browser does and take the CSRF token from its header forms."""
    html = client.get(path).content.decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


# ---------- urls ----------


def test_url_names() -> None:
    assert reverse("elder_mode_set") == ELDER_URL
    assert reverse("region_set") == REGION_URL
    assert reverse("login") == "/accounts/login/"
    assert reverse("logout") == "/accounts/logout/"


# ---------- elder-friendly mode ----------


def test_elder_mode_on_sets_cookie_for_a_year_and_redirects_to_next(csrf_client: Client) -> None:
    token = csrf_token(csrf_client)
    response = csrf_client.post(ELDER_URL, {"elder": "1", "next": "/?q=abc", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == "/?q=abc"
    cookie = response.cookies[ELDER_COOKIE]
    assert cookie.value == "1"
    assert int(cookie["max-age"]) == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"


def test_elder_mode_renders_on_every_page_and_can_be_turned_off(client: Client) -> None:
    assert 'class="elder"' not in client.get("/").content.decode()
    client.post(ELDER_URL, {"elder": "1", "next": "/"})
    for path in ("/", "/accounts/login/"):
        html = client.get(path).content.decode()
        assert '<html lang="zh-hans" class="elder">' in html
        assert 'aria-pressed="true"' in html
    response = client.post(ELDER_URL, {"elder": "0", "next": "/"})
    assert response.cookies[ELDER_COOKIE].value == ""
    assert response.cookies[ELDER_COOKIE]["max-age"] == 0
    html = client.get("/").content.decode()
    assert 'class="elder"' not in html
    assert 'aria-pressed="false"' in html


def test_elder_mode_without_a_value_flips(client: Client) -> None:
    assert client.post(ELDER_URL).cookies[ELDER_COOKIE].value == "1"
    assert client.post(ELDER_URL).cookies[ELDER_COOKIE].value == ""


def test_elder_mode_answers_json_to_the_enhanced_form(client: Client) -> None:
    response = client.post(ELDER_URL, {"elder": "1"}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"elder_mode": True}
    assert response.cookies[ELDER_COOKIE].value == "1"


def test_elder_mode_refuses_a_post_without_csrf_token(csrf_client: Client) -> None:
    response = csrf_client.post(ELDER_URL, {"elder": "1", "next": "/"})
    assert response.status_code == 403
    assert ELDER_COOKIE not in response.cookies


def test_elder_mode_accepts_the_token_in_a_header(csrf_client: Client) -> None:
    token = csrf_token(csrf_client)
    response = csrf_client.post(
        ELDER_URL, {"elder": "1"}, headers={"X-CSRFToken": token, "Accept": "application/json"}
    )
    assert response.status_code == 200


def test_elder_mode_is_post_only(client: Client) -> None:
    assert client.get(ELDER_URL + "?elder=1").status_code == 405


@pytest.mark.parametrize(
    "unsafe",
    [
        "https://evil.example/phish",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
    ],
)
def test_elder_mode_refuses_an_unsafe_next(client: Client, unsafe: str) -> None:
    response = client.post(ELDER_URL, {"elder": "1", "next": unsafe})
    assert response.status_code == 302
    assert response["Location"] == "/"


# ---------- region switcher ----------


def test_region_switcher_lists_prefectures_and_counties_only(
    client: Client, regions: dict[str, Region]
) -> None:
    html = client.get("/").content.decode()
    assert 'id="region-select"' in html
    assert 'value="532800"' in html
    assert 'value="532801"' in html
    assert 'value="530000"' not in html
    assert 'value="532801001000"' not in html


def test_region_switcher_is_hidden_without_regions(client: Client) -> None:
    assert 'id="region-select"' not in client.get("/").content.decode()


def test_region_switch_stores_the_code_in_the_session(client: Client, regions: dict[str, Region]) -> None:
    response = client.post(REGION_URL, {"region": "532801", "next": "/?q=x"})
    assert response.status_code == 302
    assert response["Location"] == "/?q=x"
    assert client.session[REGION_SESSION_KEY] == "532801"
    [message] = list(get_messages(response.wsgi_request))
    assert message.level_tag == "success"
    html = client.get("/").content.decode()
    assert 'data-current-region="532801"' in html
    assert '<option value="532801" selected>' in html


def test_region_switch_with_a_bad_code_changes_nothing(client: Client, regions: dict[str, Region]) -> None:
    client.post(REGION_URL, {"region": "532800"}, follow=True)  # the success message is shown
    for bad in ("999999", "530000", "532801001000", "<script>", "5" * 40):
        response = client.post(REGION_URL, {"region": bad, "next": "/"})
        assert response.status_code == 302
        assert client.session[REGION_SESSION_KEY] == "532800"
        [message] = list(get_messages(response.wsgi_request))
        assert message.level_tag == "error"
        html = client.get("/").content.decode()  # shows (and so consumes) the message
        assert html.count('data-message-level="error"') == 1
        assert 'data-current-region="532800"' in html


def test_region_switch_error_message_is_shown_in_the_status_area(
    client: Client, regions: dict[str, Region]
) -> None:
    response = client.post(REGION_URL, {"region": "999999", "next": "/"}, follow=True)
    html = response.content.decode()
    status = re.search(r'<div class="messages" id="messages" role="status">(.*?)</div>', html, re.S)
    assert status and 'data-message-level="error"' in status.group(1)


def test_region_switch_with_an_empty_choice_clears_the_region(
    client: Client, regions: dict[str, Region]
) -> None:
    client.post(REGION_URL, {"region": "532801"})
    client.post(REGION_URL, {"region": ""})
    assert REGION_SESSION_KEY not in client.session


def test_region_switch_refuses_a_post_without_csrf_token(
    csrf_client: Client, regions: dict[str, Region]
) -> None:
    response = csrf_client.post(REGION_URL, {"region": "532801"})
    assert response.status_code == 403
    assert REGION_SESSION_KEY not in csrf_client.session


def test_region_switch_with_token_works_under_csrf_checks(
    csrf_client: Client, regions: dict[str, Region]
) -> None:
    token = csrf_token(csrf_client)
    response = csrf_client.post(REGION_URL, {"region": "532801", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert csrf_client.session[REGION_SESSION_KEY] == "532801"


def test_region_switch_refuses_an_unsafe_next(client: Client, regions: dict[str, Region]) -> None:
    response = client.post(REGION_URL, {"region": "532801", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_region_switch_is_post_only(client: Client) -> None:
    assert client.get(REGION_URL + "?region=532801").status_code == 405


# ---------- login and logout ----------


@pytest.fixture
def clerk(regions: dict[str, Region]):
    user = user_create(username="clerk1", password=PASSWORD, display_name="李娜")
    agency = agency_create(
        name="景洪市政务服务管理局", region=regions["county"], kind=AgencyKind.SERVICE_ADMINISTRATION
    )
    staff_membership_grant(user=user, agency=agency, role=Role.WINDOW_CLERK, system=True)
    return user


def test_login_page_has_an_accessible_form(client: Client) -> None:
    html = client.get("/accounts/login/?next=/").content.decode()
    assert re.search(r'<label class="field__label" for="id_username">', html)
    assert re.search(r'<label class="field__label" for="id_password">', html)
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<input type="hidden" name="next" value="/">' in html
    assert 'role="alert"' not in html
    assert "autofocus" not in html  # on a phone it would pop the keyboard over the page


def test_login_with_wrong_password_shows_an_error_summary(client: Client, clerk) -> None:
    response = client.post("/accounts/login/", {"username": "clerk1", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "data-error-summary" in html
    assert not response.wsgi_request.user.is_authenticated


def test_login_with_empty_fields_links_each_error_to_its_field(client: Client) -> None:
    html = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert 'href="#id_username"' in html
    assert 'href="#id_password"' in html
    assert 'aria-describedby="id_username_error"' in html
    assert 'id="id_username_error"' in html
    assert 'aria-invalid="true"' in html


def test_login_refuses_a_post_without_csrf_token(csrf_client: Client, clerk) -> None:
    response = csrf_client.post("/accounts/login/", {"username": "clerk1", "password": PASSWORD})
    assert response.status_code == 403


def test_login_shows_name_and_roles_in_the_header(csrf_client: Client, clerk) -> None:
    token = csrf_token(csrf_client, "/accounts/login/")
    response = csrf_client.post(
        "/accounts/login/",
        {"username": "clerk1", "password": PASSWORD, "next": "/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    html = csrf_client.get("/").content.decode()
    assert 'data-account-name href="/accounts/profile/">李娜</a>' in html
    roles = re.search(r"<ul class=\"account__roles\" data-account-roles[^>]*>(.*?)</ul>", html, re.S)
    assert roles and roles.group(1).count("<li>") == 1
    assert 'data-action="logout"' in html
    assert 'data-action="login"' not in html


def test_login_refuses_an_unsafe_next(client: Client, clerk) -> None:
    response = client.post(
        "/accounts/login/", {"username": "clerk1", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logged_in_user_skips_the_login_page(client: Client, clerk) -> None:
    client.force_login(clerk)
    assert client.get("/accounts/login/").status_code == 302


def test_logout_is_post_only_and_says_so(client: Client, clerk) -> None:
    client.force_login(clerk)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/", follow=True)
    assert not response.wsgi_request.user.is_authenticated
    html = response.content.decode()
    assert 'data-message-level="info"' in html
    assert 'data-action="login"' in html


def test_logout_keeps_the_chosen_region(client: Client, clerk) -> None:
    client.force_login(clerk)
    client.post(REGION_URL, {"region": "532801"})
    client.post("/accounts/logout/")
    assert client.session[REGION_SESSION_KEY] == "532801"


def test_logout_refuses_a_post_without_csrf_token(csrf_client: Client, clerk) -> None:
    csrf_client.force_login(clerk)
    assert csrf_client.post("/accounts/logout/").status_code == 403


# ---------- home ----------


def test_home_page_structure(client: Client) -> None:
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert 'role="search"' in html
    assert '<label for="search-q"' in html
    for area in ("catalog", "apply", "status", "evaluation"):
        assert f'data-area="{area}"' in html
    assert "defer></script>" in html
    assert "onclick=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, "no inline scripts"
    assert 'style="' not in html


def test_home_search_goes_to_the_guides_and_escapes_the_query(client: Client) -> None:
    html = client.get("/", {"q": "<b>sfz</b>"}).content.decode()
    assert 'action="/guides/"' in html  # the catalog search page
    assert "&lt;b&gt;sfz&lt;/b&gt;" in html
    assert "<b>sfz</b>" not in html


def test_language_switch_posts_to_set_language(client: Client) -> None:
    html = client.get("/").content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language" value="en"' in html
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en"' in client.get("/").content.decode()


def test_chinese_is_shown_whatever_the_browser_asks_until_english_is_chosen(client: Client) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
