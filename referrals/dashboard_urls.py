"""Referrals and gift points: work pages, mounted under /<lang>/dashboard/referrals/."""

from django.urls import path

from referrals import dashboard_views as views

app_name = "referrals-dashboard"
urlpatterns = [
    path("", views.report, name="report"),
    path("settings/", views.settings_page, name="settings"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/block/", views.referral_block, name="referral-block"),
    path("gifts/", views.gift_list, name="gift-list"),
    path("gifts/new/", views.gift_edit, name="gift-create"),
    path("gifts/<int:pk>/", views.gift_edit, name="gift-edit"),
    path("redemptions/", views.redemption_list, name="redemption-list"),
    path("redemptions/<int:pk>/ship/", views.redemption_ship, name="redemption-ship"),
    path("redemptions/<int:pk>/deliver/", views.redemption_deliver, name="redemption-deliver"),
    path("redemptions/<int:pk>/cancel/", views.redemption_cancel, name="redemption-cancel"),
]
