"""Pages of e-licenses: public verification, the holder's space, 免证办 attach, reviewer's view."""

from django.urls import URLPattern, path

from zwfw.licenses import views

urlpatterns: list[URLPattern] = [
    path("licenses/verify/", views.verify, name="license_verify"),
    path("my/licenses/", views.my_licenses, name="my_licenses"),
    path("my/licenses/<int:license_id>/", views.my_license, name="my_license"),
    path("my/licenses/<int:license_id>/pdf/", views.my_license_pdf, name="my_license_pdf"),
    path("my/licenses/<int:license_id>/share/", views.my_license_share, name="my_license_share"),
    path(
        "my/licenses/grants/<int:grant_id>/withdraw/",
        views.my_license_grant_withdraw,
        name="my_license_grant_withdraw",
    ),
    path("my/cases/<int:case_id>/licenses/attach/", views.attach, name="license_attach"),
    path(
        "staff/cases/<int:case_id>/licenses/<int:material_id>/",
        views.case_license,
        name="staff_case_license",
    ),
    path(
        "staff/cases/<int:case_id>/licenses/<int:material_id>/copy.pdf",
        views.case_license_copy,
        name="staff_case_license_copy",
    ),
]
