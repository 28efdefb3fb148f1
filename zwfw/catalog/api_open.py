"""Catalog API endpoints (placeholder, filled by its owner)."""

from ninja import Router

router = Router(tags=["catalog"])
