"""Accounts: sign-up, activation, password reset and device sign-in (issue 17 point 1-2,
issue 14 point 2). The site's pages and the API (customers.auth_api) call these, with the
site's own forms, so every rule lives once.

Sign-up never says whether an address is in use: a free address gets an inactive account
and a mail with an activation link; a taken one gets no account, and its owner a mail
saying someone tried to register with it. Both answers read "check your email". Until the
link is followed the account cannot sign in, so signing in cannot tell them apart either.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import update_last_login
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.db import transaction
from django.http import HttpRequest
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext
from knox.settings import knox_settings
from oscar.apps.customer.signals import user_registered

from core import clock
from customers.auth_forms import PasswordResetForm
from customers.errors import DeviceNotFound, InvalidCredentials, InvalidLink, InvalidPhone, RefreshLimitReached
from customers.models import CustomerProfile, DeviceToken
from customers.phone_services import phone_remember
from customers.services import phone_normalise
from notifications.services import notify

logger = logging.getLogger(__name__)

ACTIVATION_EVENT = "customers_activate"
SIGNUP_ATTEMPT_EVENT = "customers_signup_attempt"
DEVICE_ID_LENGTH = 16  # the first characters of the token's digest: names a device, opens nothing


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Django's signed, expiring link, under its own salt (a reset link cannot activate,
    nor the reverse) and bound to the account being inactive, so it works once."""

    key_salt = "customers.account_services.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}|{user.is_active}"


activation_token_generator = ActivationTokenGenerator()


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def _user_from_uid(uidb64: str):
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        return get_user_model()._default_manager.get(pk=pk)
    except (TypeError, ValueError, OverflowError, get_user_model().DoesNotExist):
        return None


def _send_activation(user) -> None:
    # notify() stores the mail now and sends it once the transaction commits.
    notify(event=ACTIVATION_EVENT, recipient=user,
           context={"name": user.get_full_name(), "uidb64": _uid(user),
                    "token": activation_token_generator.make_token(user)})


def registration_submit(*, form, request: HttpRequest):
    """Sign up from a valid `NamedUserCreationForm` (the site's form, also behind the API).

    Returns the new, inactive user, or None when the address was taken (the caller must
    answer exactly as for a new account)."""
    email = form.cleaned_data["email"]
    User = get_user_model()
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).order_by("pk").first()
        if existing is not None:
            # A new account costs a password hash; so must this answer, or its speed would tell.
            make_password(form.cleaned_data["password1"])
            if not existing.is_active and existing.last_login is None:
                _send_activation(existing)  # signed up before and lost the mail: send it again
            else:
                notify(event=SIGNUP_ATTEMPT_EVENT, recipient=existing, context={"name": existing.get_full_name()})
            return None
        user = form.save(commit=False)
        user.is_active = False
        user.save()
        phone = form.cleaned_data.get("phone") or ""
        if phone:
            phone_remember(user=user, phone=phone)
        # Referral attribution (referrals.signup) and anything else that listens to Oscar's signal.
        user_registered.send_robust(sender=form.__class__, request=request, user=user)
        _send_activation(user)
    return user


def account_activate(*, uidb64: str, token: str):
    """Follow the activation link: the account can sign in from now on."""
    user = _user_from_uid(uidb64)
    if user is None or user.is_active or not activation_token_generator.check_token(user, token):
        raise InvalidLink()
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def password_reset_request(*, email: str, request: HttpRequest) -> None:
    """The site's reset form: a link to every active account with the address, and the
    same silence when there is none."""
    form = PasswordResetForm(data={"email": email})
    if form.is_valid():
        form.save(request=request)


def reset_link_user(*, uidb64: str, token: str):
    """The account a password-reset link (the site's token generator) was made for."""
    user = _user_from_uid(uidb64)
    if user is None or not user.is_active or not default_token_generator.check_token(user, token):
        raise InvalidLink()
    return user


def password_reset_complete(*, form) -> None:
    """Save the new password (a valid SetPasswordForm) and sign every device out."""
    with transaction.atomic():
        user = form.save()
        DeviceToken.objects.filter(user=user).delete()


# ---- devices ----

def _authenticate(request: HttpRequest, identifier: str, password: str):
    identifier = (identifier or "").strip()
    if not identifier or not password:
        return None
    username = identifier
    if "@" not in identifier:
        try:
            number = phone_normalise(identifier)
        except InvalidPhone:
            number = None
        if number is not None:
            owner = CustomerProfile.objects.filter(phone=number).select_related("user").first()
            if owner is not None:
                username = owner.user.get_username()
    try:
        return authenticate(request, username=username, password=password)
    except get_user_model().MultipleObjectsReturned:
        # Two accounts with this address and password: the site refuses too; so do we.
        logger.warning("sign-in refused: several accounts share the address and password")
        return None


_PLATFORM = re.compile(r"\(([^)]{1,80})\)")


def device_name_from_user_agent(user_agent: str) -> str:
    """"Chaarsoo/2.1 (iPhone; iOS 17.2)" -> "Chaarsoo (iPhone; iOS 17.2)"."""
    user_agent = (user_agent or "").strip()
    if not user_agent:
        return gettext("Unnamed device")
    product = user_agent.split()[0].split("/")[0]
    platform = _PLATFORM.search(user_agent)
    return (f"{product} ({platform.group(1)})" if platform else product)[:120]


def device_sign_in(*, request: HttpRequest, identifier: str, password: str, device_name: str = "",
                   user_agent: str = "") -> tuple[DeviceToken, str]:
    """A new device token for the account (username, email or mobile number + password)."""
    user = _authenticate(request, identifier, password)
    if user is None:
        raise InvalidCredentials()
    name = " ".join((device_name or "").split())[:120] or device_name_from_user_agent(user_agent)
    with transaction.atomic():
        token, key = DeviceToken.objects.create(user=user, name=name, user_agent=(user_agent or "")[:300])
        update_last_login(None, user)
    return token, key


def device_refresh(*, token: DeviceToken, now: datetime | None = None) -> DeviceToken:
    """Extend the token by its TTL, never past its longest life from sign-in."""
    now = clock.now(now)
    if token.expiry is None:
        return token
    extended = now + knox_settings.TOKEN_TTL
    longest = knox_settings.AUTO_REFRESH_MAX_TTL
    if longest is not None:
        cap = token.created + longest
        if cap <= token.expiry:
            raise RefreshLimitReached()
        extended = min(extended, cap)
    DeviceToken.objects.filter(pk=token.pk).update(expiry=extended)
    token.expiry = extended
    return token


def device_sign_out(*, token: DeviceToken) -> None:
    DeviceToken.objects.filter(pk=token.pk).delete()


def public_device_id(token: DeviceToken) -> str:
    return token.digest[:DEVICE_ID_LENGTH]


def device_revoke(*, user, device_id: str) -> None:
    """Sign one of the user's devices out."""
    if len(device_id or "") != DEVICE_ID_LENGTH:
        raise DeviceNotFound()
    deleted, _rows = DeviceToken.objects.filter(user=user, digest__startswith=device_id).delete()
    if not deleted:
        raise DeviceNotFound()


def device_revoke_others(*, user, keep: DeviceToken | None = None) -> int:
    """Sign every device of the user out but `keep` (the one asking); returns how many."""
    devices = DeviceToken.objects.filter(user=user)
    if keep is not None:
        devices = devices.exclude(pk=keep.pk)
    deleted, _rows = devices.delete()
    return deleted

