"""Pages of 好差评, the rectification desk, the public page, the dashboard and the plan tracker."""

from django.urls import URLPattern, path

from zwfw.evaluations import views, views_dashboard

urlpatterns: list[URLPattern] = [
    path("my/cases/<int:case_id>/rate/", views.rate, name="evaluation_rate"),
    path("my/ratings/", views.my_ratings, name="my_ratings"),
    path(
        "my/rectifications/<int:rectification_id>/rate/", views.rate_rectification, name="rectification_rate"
    ),
    path("workbench/ratings/window/<int:case_id>/", views.rate_at_window, name="evaluation_window"),
    path("workbench/rectifications/", views.rectification_queue, name="rectification_queue"),
    path(
        "workbench/rectifications/<int:rectification_id>/",
        views.rectification_detail,
        name="rectification_detail",
    ),
    path(
        "workbench/rectifications/<int:rectification_id>/<slug:step>/",
        views.rectification_step,
        name="rectification_step",
    ),
    path("ratings/public/", views.public, name="evaluation_public"),
    path("ratings/public/<str:region_code>/", views.public, name="evaluation_public_region"),
    path("dashboard/", views_dashboard.dashboard, name="quality_dashboard"),
    path("dashboard/export/", views_dashboard.export, name="quality_dashboard_export"),
    path("plan/", views_dashboard.plan, name="plan_tasks"),
    path("plan/report/", views_dashboard.plan_report, name="plan_report"),
    path("plan/tasks/<int:number>/report/", views_dashboard.plan_file_report, name="plan_file_report"),
]
