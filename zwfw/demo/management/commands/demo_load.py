"""manage.py demo_load: load the Xishuangbanna demo data (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo data: regions, agencies, venues, accounts. Running it twice changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        from zwfw.demo.catalog_loader import catalog_demo_load
        from zwfw.demo.loader import demo_load

        self.stdout.write(demo_load())
        self.stdout.write(catalog_demo_load())
        from zwfw.bundles.demo import bundles_demo_load
        from zwfw.licenses.demo import licenses_demo_load

        self.stdout.write(str(bundles_demo_load()))
        self.stdout.write(str(licenses_demo_load()))
        from django.core.management import call_command

        call_command("plan_load", stdout=self.stdout)
