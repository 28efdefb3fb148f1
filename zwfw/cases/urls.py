"""Case pages: the applicant's side, notice downloads, the staff workbench."""

from django.urls import include, path

urlpatterns = [
    path("", include("zwfw.cases.urls_applicant")),
    path("", include("zwfw.cases.urls_notices")),
    path("", include("zwfw.cases.urls_staff")),
]
