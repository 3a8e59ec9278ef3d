"""Support desk: site pages, mounted under /<lang>/."""

from django.urls import path  # noqa: F401

app_name = "support"
urlpatterns: list = []
