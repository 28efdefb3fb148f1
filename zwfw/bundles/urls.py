"""Pages of this context (placeholder, filled by its owner)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
