"""App config of case handling."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Cases (办件): intake, materials, the statutory clock, decisions, notices, delivery."""

    name = "zwfw.cases"
    label = "cases"
    verbose_name = _("Cases")
