"""Referrals and gift points: site pages, mounted under /<lang>/."""

from django.urls import path  # noqa: F401

app_name = "referrals"
urlpatterns: list = []
