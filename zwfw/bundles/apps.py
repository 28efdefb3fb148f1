"""App config of bundles (一件事一次办) and cross-region handling (跨省通办/省内通办)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BundlesConfig(AppConfig):
    """Bundles of items applied for in one form, and remote intake across regions."""

    name = "zwfw.bundles"
    label = "bundles"
    verbose_name = _("Bundles and cross-region handling")
