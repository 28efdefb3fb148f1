"""Login, logout and the profile page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zwfw.core.views import REGION_SESSION_KEY
from zwfw.identity.selectors import staff_membership_list

# Longer passwords are refused before they are hashed (hashing megabytes costs CPU).
PASSWORD_MAX_LENGTH = 1024


class LoginForm(AuthenticationForm):
    """Django's login form without autofocus: on a phone it would pop the keyboard over the page.

    The username's length is checked before any authentication: Django's form only tells the
    browser (``maxlength``), and an overlong name would reach the lockout's attempt log.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.widget.attrs.pop("autofocus", None)
        username.validators.append(MaxLengthValidator(getattr(username, "max_length", None) or 150))
        self.fields["password"].validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The username the lockout counts failures for (AXES_USERNAME_CALLABLE), cut to the column
    of its attempt log: a login from elsewhere (the admin's) with a huge name is still counted."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(raw)[:150]


class LoginView(auth_views.LoginView):
    """The login form; a user who is already logged in goes straight on."""

    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Welcome, %(name)s.") % {"name": str(form.get_user())})
        return response


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, with a CSRF token), keep the browser's chosen region, and say so."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        region = request.session.get(REGION_SESSION_KEY)
        response = super().post(request, *args, **kwargs)
        if region:
            request.session[REGION_SESSION_KEY] = region
        messages.info(request, _("You have logged out."))
        return response


def login_locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """What django-axes answers once a username has failed too often from one address (429).

    The login page again, with the reason and how long to wait; the password is never checked
    while the lockout lasts, right or wrong.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm(request, initial={"username": str((credentials or {}).get("username") or "")[:150]})
    message = _(
        "Too many failed logins: this account is locked on this device for %(minutes)d minutes. "
        "Please try again later, or ask at a service hall window or call 12345."
    ) % {"minutes": minutes}
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out_message": message, "next": request.POST.get("next", "")},
        status=429,
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """My account: who I am to the platform (the ID number masked), my enterprise, my roles."""
    user = request.user
    return render(
        request,
        "identity/profile.html",
        {
            "person": getattr(user, "person", None),
            "enterprise": getattr(user, "enterprise", None),
            "memberships": staff_membership_list(actor=user).filter(user_id=getattr(user, "pk", 0)),
        },
    )
