"""Search: site pages, mounted under /<lang>/."""

from django.urls import path  # noqa: F401

app_name = "site_search"
urlpatterns: list = []
