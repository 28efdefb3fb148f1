"""URL configuration: pages, the admin, and the JSON API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from zwfw.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("zwfw.core.urls")),
    path("", include("zwfw.catalog.urls")),
    path("", include("zwfw.cases.urls")),
    path("", include("zwfw.bundles.urls")),
    path("", include("zwfw.licenses.urls")),
    path("", include("zwfw.evaluations.urls")),
    path("", include("zwfw.identity.urls")),
]
