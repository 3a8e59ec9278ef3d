"""Device tokens of the mobile app (django-rest-knox): "Authorization: Bearer <token>".

Why knox: each sign-in is one row (hashed token, expiry), so a customer can see their
devices and revoke any one at once; DRF's single `Token` per account (kept for staff
integrations, "Authorization: Token <key>") cannot do either. Knox stores a digest only,
so a leaked database holds no usable token. Our rows are `customers.DeviceToken` (knox's
abstract token plus a name and "last used"); knox's authentication reads them here.
"""

from __future__ import annotations

import binascii
from datetime import timedelta
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from customers.models import DeviceToken

# "Last used" is a hint for the customer, not an audit log: one write a minute is plenty.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class DeviceTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        refused = exceptions.AuthenticationFailed(_("Invalid token."))
        text = token.decode("utf-8")
        now = timezone.now()
        for device in DeviceToken.objects.filter(token_key=text[: CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user"):
            if device.expiry is not None and device.expiry < now:
                device.delete()  # expired: gone from the customer's list too
                continue
            try:
                digest = hash_token(text)
            except (TypeError, binascii.Error):
                raise refused
            if compare_digest(digest, device.digest):
                return self.validate_user(device)
        raise refused

    def validate_user(self, auth_token: DeviceToken):
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
            DeviceToken.objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
            # Now and then, the user's expired devices are cleared away too.
            DeviceToken.objects.filter(user=user, expiry__lt=now).delete()
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
