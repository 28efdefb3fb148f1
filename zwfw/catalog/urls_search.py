"""The public search page: /guides/ (the guides themselves live at /guides/<id>/)."""

from django.urls import URLPattern, path

from zwfw.catalog import views_search

urlpatterns: list[URLPattern] = [
    path("guides/", views_search.search_page, name="catalog_search"),
]
