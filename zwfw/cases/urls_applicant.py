"""The applicant's pages: apply online, my cases, a case's status and actions, the status lookup."""

from django.urls import URLPattern, path

from zwfw.cases import views_applicant as views

urlpatterns: list[URLPattern] = [
    path("apply/<int:implementation_id>/", views.apply_start, name="apply_start"),
    path("my/cases/", views.my_cases, name="my_cases"),
    path("my/cases/<int:case_id>/", views.my_case, name="my_case"),
    path("my/cases/<int:case_id>/draft/", views.draft_save, name="my_case_draft"),
    path("my/cases/<int:case_id>/materials/", views.material_add, name="my_case_material"),
    path("my/cases/<int:case_id>/resubmit/", views.correction_answer, name="my_case_resubmit"),
    path("my/cases/<int:case_id>/withdraw/", views.withdraw, name="my_case_withdraw"),
    path("cases/status/", views.status_lookup, name="case_status_lookup"),
]
