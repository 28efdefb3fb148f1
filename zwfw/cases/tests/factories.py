"""Test factories for cases: published implementations and ready files."""

from __future__ import annotations

import io
from typing import Any

from zwfw.catalog import services as catalog_services
from zwfw.catalog.models import Implementation
from zwfw.catalog.tests.factories import make_item, publishable_content
from zwfw.core import services as core_services
from zwfw.core.models import AgencyKind
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role, User

# A tiny but structurally sound PDF.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n97\n%%EOF\n"
)


def png() -> bytes:
    """A real 2x2 PNG."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def case_content(**overrides: Any) -> dict[str, Any]:
    """A licensing item with a required, a deficiency-allowed and a commitment-allowed material,
    and a site inspection outside the limit."""
    content = publishable_content(
        materials=[
            {"key": "application", "name": "申请书", "necessity": "required"},
            {"key": "licence", "name": "营业执照", "necessity": "required", "commitment_allowed": True},
            {"key": "floor-plan", "name": "经营场所平面图", "necessity": "deficiency_allowed"},
        ],
        special_procedures=[{"name": "现场勘验", "limit": 5, "counts_toward_limit": False}],
        extension_allowed=True,
        extension_limit=10,
    )
    content.update(overrides)
    return content


def publish(
    world: Any, *, base_code: str = "CASE-1", name: str = "食品经营许可", **content: Any
) -> Implementation:
    """Publish an implementation of 景洪市市场监督管理局 (via the real review cycle)."""
    item = make_item(world, base_code=base_code, name=name)
    impl = catalog_services.implementation_create(
        actor=world.catalog_admin_jh, item=item, agency=world.jh_market, draft=case_content(**content)
    )
    reviewer = User.objects.filter(username="catalog_reviewer").first()
    if reviewer is None:
        bureau = core_services.agency_create(
            name="景洪市政务服务管理局", region=world.jinghong, kind=AgencyKind.SERVICE_ADMINISTRATION
        )
        reviewer = identity_services.user_create(username="catalog_reviewer", password="pw")
        identity_services.staff_membership_grant(
            user=reviewer, agency=bureau, role=Role.CATALOG_ADMIN, system=True
        )
    adjustment = catalog_services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=impl, kind="add", reason="新增"
    )
    catalog_services.adjustment_approve(actor=reviewer, adjustment=adjustment)
    return catalog_services.adjustment_publish(actor=reviewer, adjustment=adjustment)


def staff(world: Any, username: str, role: str, venue: Any = None) -> User:
    """A staff user of 景洪市市场监督管理局 with one role."""
    user = identity_services.user_create(username=username, password="pw")
    identity_services.staff_membership_grant(
        user=user, agency=world.jh_market, role=role, venue=venue, system=True
    )
    return user
