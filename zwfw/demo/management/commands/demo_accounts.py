"""manage.py demo_accounts: print the demo accounts, their password and roles."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from zwfw.identity.models import Role


class Command(BaseCommand):
    help = "Print the demo accounts, the demo password and each account's role."

    def handle(self, *args: Any, **options: Any) -> None:
        from zwfw.demo.catalog_loader import catalog_demo_accounts
        from zwfw.demo.loader import DEMO_PASSWORD, demo_accounts

        labels = {"superuser": "系统管理员（全部权限）", "citizen": "个人用户", "enterprise": "企业用户"}
        with translation.override("zh-hans"):
            self.stdout.write(f"demo accounts (password for all: {DEMO_PASSWORD}):")
            for account in [*demo_accounts(), *catalog_demo_accounts()]:
                role = labels.get(account.role) or str(Role(account.role).label)
                where = " · ".join(x for x in (account.agency, account.venue, account.note) if x)
                self.stdout.write(f"  {account.username:<11} {role:<12} {account.display_name}  {where}")
