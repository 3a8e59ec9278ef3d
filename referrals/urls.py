"""Referrals and gift points: site pages, mounted under /<lang>/."""

from django.urls import path

from referrals import views

app_name = "referrals"
urlpatterns = [
    path("r/<str:code>/", views.landing, name="landing"),
    path("account/points/", views.points, name="points"),
    path("account/points/qr.svg", views.qr_code, name="qr"),
    path("account/points/gifts/<int:pk>/redeem/", views.redeem, name="redeem"),
]
