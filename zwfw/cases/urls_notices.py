"""Downloads of case notices (PDF) and results."""

from django.urls import path

from zwfw.cases import views_notices

urlpatterns = [
    path(
        "cases/<int:case_id>/notices/<int:notice_id>.pdf",
        views_notices.case_notice_pdf,
        name="case_notice_pdf",
    ),
    path("cases/<int:case_id>/result", views_notices.case_result, name="case_result"),
]
