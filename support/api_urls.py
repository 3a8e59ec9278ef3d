"""Support desk: API endpoints, mounted under /api/v1/."""

from django.urls import path  # noqa: F401

app_name = "support-api"
urlpatterns: list = []
