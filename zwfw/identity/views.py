"""Login, logout and the profile page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zwfw.core.views import REGION_SESSION_KEY
from zwfw.identity.selectors import staff_membership_list


class LoginForm(AuthenticationForm):
    """Django's login form without autofocus: on a phone it would pop the keyboard over the page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)


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
