"""App config of identity: users, persons, enterprises, staff roles."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    """Users, applicants and staff memberships."""

    name = "zwfw.identity"
    label = "identity"
    verbose_name = _("Identity")
