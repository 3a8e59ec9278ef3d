"""Search: work pages, mounted under /<lang>/dashboard/."""

from django.urls import path  # noqa: F401

app_name = "site_search-dashboard"
urlpatterns: list = []
