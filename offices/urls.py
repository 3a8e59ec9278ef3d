"""Partner offices: site pages, mounted under /<lang>/."""

from django.urls import path  # noqa: F401

app_name = "offices"
urlpatterns: list = []
