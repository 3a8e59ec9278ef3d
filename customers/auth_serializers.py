"""Request and answer bodies of /api/v1/auth/ (customers.auth_api)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from core.openapi import ErrorSerializer
from customers.account_services import public_device_id
from customers.models import DeviceToken

_TEXT = {
    400: "Refused: see `code` (invalid input carries `fields`).",
    401: "A token was sent and refused (signed out, revoked, expired): sign in again.",
    403: "Not signed in (no credentials sent), or not allowed.",
    404: "No such object of yours.",
    429: "Too many attempts: wait (see Retry-After) and try again.",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_TEXT[code]) for code in codes}


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class RegisterSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    phone = serializers.CharField(max_length=32)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    referral_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class LinkSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)


class PasswordResetSerializer(serializers.Serializer):
    email = serializers.EmailField()


class PasswordResetConfirmSerializer(LinkSerializer):
    new_password = serializers.CharField(write_only=True, style={"input_type": "password"})


class SignInSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=254, help_text="Username, email address or mobile number.")
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    device_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="",
                                        help_text="Shown in the customer's signed-in devices; else the User-Agent.")


class DeviceSerializer(serializers.ModelSerializer):
    id = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField()

    class Meta:
        model = DeviceToken
        fields = ["id", "name", "created", "last_used", "expiry", "current"]

    def get_id(self, device: DeviceToken) -> str:
        return public_device_id(device)

    def get_current(self, device: DeviceToken) -> bool:
        request = self.context.get("request")
        auth = getattr(request, "auth", None)
        return isinstance(auth, DeviceToken) and auth.pk == device.pk


class SignedInUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class SignInResultSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as: Authorization: Bearer <token>.")
    expiry = serializers.DateTimeField(allow_null=True)
    device = DeviceSerializer()
    user = SignedInUserSerializer()


class ExpirySerializer(serializers.Serializer):
    expiry = serializers.DateTimeField(allow_null=True)


class RevokedSerializer(serializers.Serializer):
    revoked = serializers.IntegerField()


class PhoneRequestSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="",
                                  help_text="Leave empty to verify the number given at sign-up.")


class PhoneCodeSentSerializer(serializers.Serializer):
    detail = serializers.CharField()
    phone = serializers.CharField()
    expires_at = serializers.DateTimeField()


class PhoneConfirmSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12)


class PhoneVerifiedSerializer(serializers.Serializer):
    phone = serializers.CharField()
    phone_verified_at = serializers.DateTimeField()
