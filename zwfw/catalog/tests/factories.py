"""Test factories for the catalog: a complete, publishable content and a ready implementation."""

from __future__ import annotations

from typing import Any

from zwfw.catalog import services
from zwfw.catalog.models import Implementation, ItemType, ServiceItem


def publishable_content(**overrides: Any) -> dict[str, Any]:
    """Elements that pass every publication check for a licensing item."""
    content: dict[str, Any] = {
        "service_objects": ["person", "legal_person"],
        "handling_kind": "promised",
        "acceptance_conditions": "申请人具有完全民事行为能力。",
        "statutory_limit": 20,
        "promised_limit": 10,
        "steps": [{"name": "受理"}, {"name": "审查"}, {"name": "决定"}, {"name": "送达"}],
        "handling_forms": ["window", "online", "post"],
        "visits_required": 1,
        "visit_reason": "现场核验身份及原件。",
        "place": "景洪市政务服务中心一楼综合窗口",
        "hours": "周一至周五 9:00-12:00, 14:30-18:00",
        "consultation_phone": "0691-2123456",
        "complaint_phone": "0691-12345",
        "online_depth": 3,
        "online_url_pc": "https://zwfw.yn.gov.cn/item/1",
        "result_name": "食品经营许可证",
        "result_sample": "sample-1",
        "faq": [{"question": "可以网上办理吗？", "answer": "可以，登录云南政务服务网办理。"}],
        "materials": [
            {"key": "application", "name": "食品经营许可申请书", "necessity": "required"},
            {
                "key": "id-card",
                "name": "法定代表人身份证明",
                "necessity": "required",
                "source": "e_license",
                "license_type": "居民身份证",
            },
            {"key": "floor-plan", "name": "经营场所平面图", "necessity": "deficiency_allowed"},
        ],
    }
    content.update(overrides)
    return content


def make_item(world: Any, **overrides: Any) -> ServiceItem:
    """A licensing catalog entry at the prefecture (inherited by the counties)."""
    fields: dict[str, Any] = {
        "region": world.prefecture,
        "base_code": "11530000MB0000001-XK-001",
        "name": "食品经营许可",
        "item_type": ItemType.LICENSING,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "competent_department": "市场监督管理部门",
        "exercised_levels": ["county"],
    }
    fields.update(overrides)
    return ServiceItem.objects.create(**fields)


def make_implementation(world: Any, *, item: ServiceItem | None = None, **draft: Any) -> Implementation:
    """A draft implementation by 景洪市市场监督管理局 with publishable elements."""
    return services.implementation_create(
        actor=world.catalog_admin_jh,
        item=item or make_item(world),
        agency=world.jh_market,
        draft=publishable_content(**draft),
    )
