"""Excel import and export of the catalog, under /workbench/catalog/ (see views_excel.py)."""

from django.urls import URLPattern, path

from zwfw.catalog import views_excel as views

urlpatterns: list[URLPattern] = [
    path("workbench/catalog/import/", views.import_page, name="catalog_import"),
    path("workbench/catalog/import/template.xlsx", views.import_template, name="catalog_import_template"),
    path(
        "workbench/catalog/import/<uuid:result_id>/", views.import_status_page, name="catalog_import_status"
    ),
    path("workbench/catalog/export/", views.export_page, name="catalog_export"),
]
