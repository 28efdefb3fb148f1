"""Completeness and consistency reports of the catalog (placeholder)."""
