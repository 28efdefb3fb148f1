"""Case pages (placeholder, filled by its owner)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
