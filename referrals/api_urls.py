"""Referrals and gift points: API endpoints, mounted under /api/v1/referrals/."""

from django.urls import path

from referrals import api

app_name = "referrals-api"
urlpatterns = [
    path("code/", api.CodeView.as_view(), name="code"),
    path("balances/", api.BalancesView.as_view(), name="balances"),
    path("statement/", api.StatementView.as_view(), name="statement"),
    path("gifts/", api.GiftsView.as_view(), name="gifts"),
    path("redemptions/", api.RedemptionsView.as_view(), name="redemptions"),
]
