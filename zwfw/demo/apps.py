"""App config of the demo data (Xishuangbanna): loaded by scripts/demo, never in production."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data loader and the list of demo accounts."""

    name = "zwfw.demo"
    label = "demo"
    verbose_name = "Demo data"
