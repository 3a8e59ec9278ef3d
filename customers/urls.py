from django.urls import path

from customers import account_views, views

app_name = "customers"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("signup/check-your-email/", account_views.signup_sent, name="signup-sent"),
    path("activate/<str:uidb64>/<str:token>/", account_views.activate, name="activate"),
    path("phone/resend/", account_views.phone_code_resend, name="phone-resend"),
    path("phone/confirm/", account_views.phone_code_confirm, name="phone-confirm"),
    path("devices/<str:device_id>/revoke/", account_views.device_revoke, name="device-revoke"),
    path("devices/revoke-all/", account_views.device_revoke_all, name="device-revoke-all"),
]
