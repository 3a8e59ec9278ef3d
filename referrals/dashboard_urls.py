"""Referrals and gift points: work pages, mounted under /<lang>/dashboard/."""

from django.urls import path  # noqa: F401

app_name = "referrals-dashboard"
urlpatterns: list = []
