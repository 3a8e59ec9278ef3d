"""Device tokens of the mobile app (django-rest-knox): "Authorization: Bearer <token>".

Why knox: each sign-in is one row (hashed token, expiry), so a customer can see their
devices and revoke any one at once; DRF's single `Token` per account (kept for staff
integrations, "Authorization: Token <key>") cannot do either. Knox stores a digest only,
so a leaked database holds no usable token.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication

from customers.models import DeviceToken

# "Last used" is a hint for the customer, not an audit log: one write a minute is plenty.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class DeviceTokenAuthentication(TokenAuthentication):
    def validate_user(self, auth_token: DeviceToken):
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
            DeviceToken.objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
        return user, token


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "customers.device_auth.DeviceTokenAuthentication"
    name = "deviceToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A device token from POST /api/v1/auth/sign-in/ (header: Authorization: Bearer <token>).",
        }
