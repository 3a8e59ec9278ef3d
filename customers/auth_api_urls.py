from django.urls import path

from customers import auth_api

app_name = "auth-api"
urlpatterns = [
    path("register/", auth_api.RegisterView.as_view(), name="register"),
    path("activate/", auth_api.ActivateView.as_view(), name="activate"),
    path("password-reset/", auth_api.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/confirm/", auth_api.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("sign-in/", auth_api.SignInView.as_view(), name="sign-in"),
    path("sign-out/", auth_api.SignOutView.as_view(), name="sign-out"),
    path("refresh/", auth_api.RefreshView.as_view(), name="refresh"),
    path("devices/", auth_api.DeviceListView.as_view(), name="devices"),
    path("devices/revoke-others/", auth_api.DeviceRevokeOthersView.as_view(), name="devices-revoke-others"),
    path("devices/<str:device_id>/", auth_api.DeviceRevokeView.as_view(), name="device-revoke"),
    path("phone/request/", auth_api.PhoneRequestView.as_view(), name="phone-request"),
    path("phone/confirm/", auth_api.PhoneConfirmView.as_view(), name="phone-confirm"),
]
