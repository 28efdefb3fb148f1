"""Login and logout pages (Django's views with our template and a confirmation message)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


class LoginView(auth_views.LoginView):
    """The login form; a user who is already logged in goes straight on."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        messages.success(self.request, _("Welcome, %(name)s.") % {"name": str(user)})
        return response


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, with a CSRF token) and say so on the next page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have logged out."))
        return response
