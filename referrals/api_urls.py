"""Referrals and gift points: API endpoints, mounted under /api/v1/."""

from django.urls import path  # noqa: F401

app_name = "referrals-api"
urlpatterns: list = []
