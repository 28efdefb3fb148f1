"""App config of evaluations (好差评), rectifications, the dashboard and the plan tracker."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """Ratings, the bad-rating rectification loop, quality figures and the plan's own tasks."""

    name = "zwfw.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")
