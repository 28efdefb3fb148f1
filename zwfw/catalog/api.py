"""Catalog API: implementation drafts, adjustments, versions and their diff; search; open data."""

from __future__ import annotations

from ninja import Router

from zwfw.catalog.api_open import router as open_router
from zwfw.catalog.api_search import router as search_router
from zwfw.catalog.api_workflow import router as workflow_router

router = Router(tags=["catalog"])
router.add_router("", search_router)
router.add_router("", open_router)
router.add_router("", workflow_router)
