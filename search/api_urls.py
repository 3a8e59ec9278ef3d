"""Search: API endpoints, mounted under /api/v1/."""

from django.urls import path  # noqa: F401

app_name = "site_search-api"
urlpatterns: list = []
