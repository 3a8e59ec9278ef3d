"""`/api/v1/auth/…`: accounts for the mobile app (issue 17 point 1-3, issue 14 point 2).

Every endpoint calls the service the site's pages call, with the site's forms
(customers.account_services, customers.phone_services); refusals answer `{code, detail}`
(core.api). Devices sign in with a knox token, sent as "Authorization: Bearer <token>".
"""

from __future__ import annotations

from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.throttle import reset_refused, sign_in_refused
from customers import account_services, phone_services
from customers.auth_serializers import (
    DetailSerializer,
    DeviceSerializer,
    ExpirySerializer,
    LinkSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetSerializer,
    PhoneCodeSentSerializer,
    PhoneConfirmSerializer,
    PhoneRequestSerializer,
    PhoneVerifiedSerializer,
    RegisterSerializer,
    RevokedSerializer,
    SignedInUserSerializer,
    SignInResultSerializer,
    SignInSerializer,
    errors,
)
from customers.errors import NotADeviceToken, ResendTooSoon
from customers.models import DeviceToken
from customers.registration import NamedUserCreationForm
from customers.selectors import devices_for

SIGN_IN_WAIT_SECONDS = 300
# The form's names for what the API calls `password`.
_FORM_FIELD_NAMES = {"password1": "password", "password2": "password", "new_password1": "new_password",
                     "new_password2": "new_password", "__all__": "non_field_errors"}
CHECK_YOUR_EMAIL = _("We have sent a mail to the address you gave. Open the link in it to continue.")


def _form_invalid(form) -> exceptions.ValidationError:
    fields: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        fields.setdefault(_FORM_FIELD_NAMES.get(name, name), []).extend(str(message) for message in messages)
    return exceptions.ValidationError(fields)


def _validated(serializer_class, request: Request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _device_token(request: Request) -> DeviceToken:
    if not isinstance(request.auth, DeviceToken):
        raise NotADeviceToken()
    return request.auth


class JSONAPIView(APIView):
    # JSON bodies only: the app sends JSON, and one content type per operation keeps the
    # schema simple for generated clients (openapi-python-client).
    parser_classes = [JSONParser]


class AnonymousAPIView(JSONAPIView):
    """Open to everyone, and never reads a session: no CSRF for the app, no confusion with
    a browser that happens to be signed in."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


class RegisterView(AnonymousAPIView):
    @extend_schema(tags=["auth"], request=RegisterSerializer,
                   responses={202: DetailSerializer, **errors(400, 429)},
                   description="The same answer whether or not the address is in use: check your email.")
    def post(self, request: Request) -> Response:
        data = _validated(RegisterSerializer, request)
        form = NamedUserCreationForm(data={
            "first_name": data["first_name"], "last_name": data["last_name"], "email": data["email"],
            "phone": data["phone"], "password1": data["password"], "password2": data["password"],
            "referral_code": data["referral_code"],
        })
        if not form.is_valid():
            raise _form_invalid(form)
        account_services.registration_submit(form=form, request=request)
        return Response({"detail": str(CHECK_YOUR_EMAIL)}, status=status.HTTP_202_ACCEPTED)


class ActivateView(AnonymousAPIView):
    @extend_schema(tags=["auth"], request=LinkSerializer, responses={200: DetailSerializer, **errors(400, 429)},
                   description="The uid and token of the activation mail's link (/account/activate/<uid>/<token>/).")
    def post(self, request: Request) -> Response:
        data = _validated(LinkSerializer, request)
        account_services.account_activate(uidb64=data["uid"], token=data["token"])
        return Response({"detail": gettext("Your account is active. Sign in with your email and password.")})


class PasswordResetView(AnonymousAPIView):
    @extend_schema(tags=["auth"], request=PasswordResetSerializer,
                   responses={202: DetailSerializer, **errors(400, 429)},
                   description="The same answer whether or not the address has an account; one mail per address "
                               "per few minutes (the site's rule).")
    def post(self, request: Request) -> Response:
        email = _validated(PasswordResetSerializer, request)["email"]
        refused = reset_refused(request._request, email)
        if refused == "throttled":
            raise exceptions.Throttled(wait=3600)
        if refused is None:
            account_services.password_reset_request(email=email, request=request._request)
        return Response({"detail": gettext("If an account has this address, we have sent it a link to choose a "
                                           "new password.")}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(AnonymousAPIView):
    @extend_schema(tags=["auth"], request=PasswordResetConfirmSerializer,
                   responses={200: DetailSerializer, **errors(400, 429)},
                   description="The uid and token of the reset mail's link and the new password. Signs every "
                               "device out.")
    def post(self, request: Request) -> Response:
        data = _validated(PasswordResetConfirmSerializer, request)
        user = account_services.reset_link_user(uidb64=data["uid"], token=data["token"])
        password = data["new_password"]
        form = SetPasswordForm(user, data={"new_password1": password, "new_password2": password})
        if not form.is_valid():
            raise _form_invalid(form)
        account_services.password_reset_complete(form=form)
        return Response({"detail": gettext("Your password has been changed. Sign in with the new one.")})


class SignInView(AnonymousAPIView):
    # Its answer carries a new token: never stored for an Idempotency-Key replay.
    idempotency_exempt = True

    @extend_schema(tags=["auth"], request=SignInSerializer, responses={200: SignInResultSerializer, **errors(400, 429)},
                   description="Username, email or mobile number and password: a new device token. Throttled per "
                               "account and per IP like the site's sign-in.")
    def post(self, request: Request) -> Response:
        data = _validated(SignInSerializer, request)
        if sign_in_refused(request._request, data["username"]):
            raise exceptions.Throttled(wait=SIGN_IN_WAIT_SECONDS)
        token, key = account_services.device_sign_in(
            request=request._request, identifier=data["username"], password=data["password"],
            device_name=data["device_name"], user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        return Response({
            "token": key, "expiry": token.expiry,
            "device": DeviceSerializer(token, context={"request": request}).data,
            "user": SignedInUserSerializer(token.user).data,
        })


class SignOutView(JSONAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], request=None, responses={204: None, **errors(400, 401, 403)},
                   description="Revokes the device token this request is signed with.")
    def post(self, request: Request) -> Response:
        account_services.device_sign_out(token=_device_token(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RefreshView(JSONAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], request=None, responses={200: ExpirySerializer, **errors(400, 401, 403)},
                   description="Extends this device token's life (never past its longest life from sign-in).")
    def post(self, request: Request) -> Response:
        token = account_services.device_refresh(token=_device_token(request))
        return Response({"expiry": token.expiry})


class DeviceListView(JSONAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], responses={200: DeviceSerializer(many=True), **errors(401, 403)},
                   description="Your signed-in devices (live device tokens), newest first.")
    def get(self, request: Request) -> Response:
        devices = devices_for(user=request.user)
        return Response(DeviceSerializer(devices, many=True, context={"request": request}).data)


class DeviceRevokeView(JSONAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], responses={204: None, **errors(401, 403, 404)}, description="Sign one device out.")
    def delete(self, request: Request, device_id: str) -> Response:
        account_services.device_revoke(user=request.user, device_id=device_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeviceRevokeOthersView(JSONAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], request=None, responses={200: RevokedSerializer, **errors(401, 403)},
                   description="Sign out every device but this one (all of them when not signed in with a device "
                               "token).")
    def post(self, request: Request) -> Response:
        keep = request.auth if isinstance(request.auth, DeviceToken) else None
        return Response({"revoked": account_services.device_revoke_others(user=request.user, keep=keep)})


class PhoneRequestView(JSONAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], request=PhoneRequestSerializer,
                   responses={202: PhoneCodeSentSerializer, **errors(400, 401, 403, 429)},
                   description="Texts a code to the number (the same answer whether or not another account holds "
                               "it). One code a minute, five an hour.")
    def post(self, request: Request) -> Response:
        phone = _validated(PhoneRequestSerializer, request)["phone"]
        try:
            verification = phone_services.phone_code_request(user=request.user, phone=phone)
        except ResendTooSoon as exc:
            return Response({"code": exc.code, "detail": str(exc.message)}, status=exc.status_code,
                            headers={"Retry-After": str(exc.retry_after)})
        return Response({
            "detail": gettext("We have texted a code to %(phone)s.") % {"phone": verification.phone},
            "phone": verification.phone, "expires_at": verification.expires_at,
        }, status=status.HTTP_202_ACCEPTED)


@method_decorator(transaction.non_atomic_requests, name="dispatch")  # wrong codes must stay counted
class PhoneConfirmView(JSONAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], request=PhoneConfirmSerializer,
                   responses={200: PhoneVerifiedSerializer, **errors(400, 401, 403, 429)},
                   description="The code from the text message: the number goes on your profile, verified.")
    def post(self, request: Request) -> Response:
        code = _validated(PhoneConfirmSerializer, request)["code"]
        profile = phone_services.phone_code_confirm(user=request.user, code=code)
        return Response({"phone": profile.phone, "phone_verified_at": profile.phone_verified_at})


