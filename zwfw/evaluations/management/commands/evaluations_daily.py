"""Daily job of 好差评: invite unrated concluded cases once, flag and escalate rectifications."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zwfw.evaluations import services
from zwfw.evaluations.metrics import stats_refresh


class Command(BaseCommand):
    """Run once a day (cron or a scheduled task); safe to re-run: nothing is sent twice."""

    help = (
        "Invite unrated cases (ZWFW_EVALUATION_INVITE_DAYS after conclusion), escalate due-soon/overdue "
        "rectifications, roll up closed months for the dashboard."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Invite, then escalate, then report the counts."""
        invited = services.invite_unrated()
        escalated = services.rectification_escalate_all()
        rolled = stats_refresh(only_missing=True)
        self.stdout.write(
            f"invited={invited} due_soon={escalated['due_soon']} overdue={escalated['overdue']} rolled_months={rolled}"
        )
