"""Pages of bundles (一件事一次办) and remote intake (跨省通办/省内通办)."""

from django.urls import URLPattern, path

from zwfw.bundles import views, views_editor

urlpatterns: list[URLPattern] = [
    path("bundles/", views.bundle_index, name="bundle_index"),
    path("bundles/cases/<int:bundle_case_id>/", views.bundle_case, name="bundle_case"),
    path(
        "bundles/cases/<int:bundle_case_id>/corrections/", views.bundle_correction, name="bundle_correction"
    ),
    path("bundles/remote/", views.remote_index, name="remote_index"),
    path("bundles/remote/new/", views.remote_new, name="remote_new"),
    path("bundles/remote/<int:intake_id>/", views.remote_detail, name="remote_detail"),
    path("bundles/remote/<int:intake_id>/<str:action>/", views.remote_action, name="remote_action"),
    path("bundles/editor/", views.editor_index, name="bundle_editor"),
    path("bundles/editor/<int:bundle_id>/", views_editor.editor_detail, name="bundle_editor_detail"),
    path(
        "bundles/editor/<int:bundle_id>/items/<str:key>/", views_editor.editor_item, name="bundle_editor_item"
    ),
    path("bundles/editor/<int:bundle_id>/json/", views_editor.editor_json, name="bundle_editor_json"),
    path("bundles/<str:code>/", views.bundle_guide, name="bundle_guide"),
    path("bundles/<str:code>/apply/", views.bundle_apply, name="bundle_apply"),
]
