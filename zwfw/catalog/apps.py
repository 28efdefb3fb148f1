"""App config of the service item catalog."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Service items (基本目录), implementations (实施清单), versions, adjustments, guides, search."""

    name = "zwfw.catalog"
    label = "catalog"
    verbose_name = _("Service catalog")
