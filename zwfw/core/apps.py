"""App config of the shared kernel."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Regions, agencies, venues, the calendar and the audit ledger."""

    name = "zwfw.core"
    label = "core"
    verbose_name = _("Platform core")
