"""Pages of the shared kernel: home, health endpoints and the browser preferences."""

from django.urls import path

from zwfw.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("preferences/elder-mode", views.elder_mode_set, name="elder_mode_set"),
    path("preferences/region", views.region_set, name="region_set"),
]
