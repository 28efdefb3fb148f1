"""Public guide pages: the current and every published version, PDF, QR code, file downloads."""

from django.urls import URLPattern, path

from zwfw.catalog import views_guide

urlpatterns: list[URLPattern] = [
    path("guides/files/<int:file_id>/", views_guide.catalog_file, name="catalog_file"),
    path("guides/<int:implementation_id>/", views_guide.guide, name="guide"),
    path("guides/<int:implementation_id>/guide.pdf", views_guide.guide_pdf, name="guide_pdf"),
    path("guides/<int:implementation_id>/qr.svg", views_guide.guide_qr, name="guide_qr"),
    path("guides/<int:implementation_id>/v<int:number>/", views_guide.guide, name="guide_version"),
    path(
        "guides/<int:implementation_id>/v<int:number>/guide.pdf",
        views_guide.guide_pdf,
        name="guide_version_pdf",
    ),
    path(
        "guides/<int:implementation_id>/v<int:number>/qr.svg",
        views_guide.guide_qr,
        name="guide_version_qr",
    ),
]
