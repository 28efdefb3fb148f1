"""The catalog workbench pages for catalog administrators, under /workbench/catalog/."""

from django.urls import URLPattern, path

from zwfw.catalog import views_workbench as views

urlpatterns: list[URLPattern] = [
    path("workbench/catalog/", views.implementation_list, name="workbench_catalog"),
    path("workbench/catalog/reviews/", views.review_queue, name="workbench_catalog_reviews"),
    path("workbench/catalog/dashboard/", views.dashboard, name="workbench_catalog_dashboard"),
    path("workbench/catalog/new/", views.implementation_new, name="workbench_catalog_new"),
    path("workbench/catalog/items/new/", views.service_item_new, name="workbench_catalog_item_new"),
    path("workbench/catalog/<int:pk>/edit/", views.implementation_edit, name="workbench_catalog_edit"),
    path("workbench/catalog/<int:pk>/submit/", views.adjustment_submit, name="workbench_catalog_submit"),
    path("workbench/catalog/<int:pk>/history/", views.version_history, name="workbench_catalog_history"),
    path("workbench/catalog/<int:pk>/compare/", views.version_compare, name="workbench_catalog_compare"),
    path("workbench/catalog/adjustments/<int:pk>/", views.adjustment_review, name="workbench_catalog_review"),
]
