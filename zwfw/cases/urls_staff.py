"""The staff case workbench under /workbench/cases/: queues, front-desk intake, the case page."""

from django.urls import URLPattern, path

from zwfw.cases import views_staff as views

urlpatterns: list[URLPattern] = [
    path("workbench/cases/", views.queues, name="workbench_cases"),
    path("workbench/cases/intake/", views.intake, name="workbench_intake"),
    path("workbench/cases/<int:case_id>/", views.case_detail, name="workbench_case"),
    path("workbench/cases/<int:case_id>/act/<slug:action>/", views.case_action, name="workbench_case_action"),
    path(
        "workbench/cases/<int:case_id>/materials/<int:material_id>/",
        views.material_file,
        name="workbench_case_material",
    ),
    path("workbench/cases/<int:case_id>/result/", views.result_file, name="workbench_case_result"),
]
