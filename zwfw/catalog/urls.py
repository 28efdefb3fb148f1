"""Catalog pages: public guides and search, the catalog workbench, Excel import and export."""

from django.urls import include, path

urlpatterns = [
    path("", include("zwfw.catalog.urls_search")),
    path("", include("zwfw.catalog.urls_guide")),
    path("", include("zwfw.catalog.urls_workbench")),
    path("", include("zwfw.catalog.urls_excel")),
]
