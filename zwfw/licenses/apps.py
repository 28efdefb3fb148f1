"""App config of e-licenses and e-seals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensesConfig(AppConfig):
    """E-licenses (电子证照), seals (电子印章), verification, 免证办, archives."""

    name = "zwfw.licenses"
    label = "licenses"
    verbose_name = _("E-licenses")
