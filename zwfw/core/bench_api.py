"""The floor endpoint of the intake benchmark: mounted only when ``ZWFW_BENCH_ENDPOINTS`` is on.

It goes through the same server, middleware and session authentication (with CSRF) as a case
submission and inserts exactly one row, so ``bench/intake.py`` can compare submission throughput
with the cheapest write the platform could possibly answer.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

router = Router(tags=["benchmark"])

FLOOR_TABLE = "zwfw_bench_floor"


class FloorOut(Schema):
    ok: bool


@router.post("/floor", response={201: FloorOut}, auth=django_auth)
def floor(request: HttpRequest) -> Status:
    """Insert one row (the table is created by the benchmark)."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FLOOR_TABLE} (user_id) VALUES (%s)", [request.user.pk])  # noqa: S608  # nosec B608
    return Status(201, FloorOut(ok=True))
