"""Customer writes and look-ups: phone numbers, profiles, subscription codes (A1, A2, A5, A6)."""

from __future__ import annotations

import logging
import re
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.permissions import Ability, has_ability
from core.text import to_ascii_digits
from customers.errors import (
    EmailInUse,
    InvalidChoice,
    InvalidEmail,
    InvalidPhone,
    OperatorRequired,
)
from customers.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CODE_PREFIX,
    CustomerProfile,
    TierChange,
    generate_subscription_code,
)
from notifications.services import notify

logger = logging.getLogger(__name__)

WELCOME_EVENT = "customers_welcome"
# Collisions are about one in a billion per code: a handful of tries is plenty.
CODE_ATTEMPTS = 8

# Spaces, dashes, dots, brackets, and the invisible direction marks and ZWNJ that copying
# a number out of a right-to-left text brings along.
_PHONE_NOISE = re.compile(r"[\s\-.()\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CODE_NOISE = re.compile(r"[\s\-_\u200c\u200e\u200f]")
_DIGITS = re.compile(r"[0-9]+")


def phone_normalise(raw: str) -> str:
    """One spelling per mobile number: "+98" and the ten national digits for Iran
    ("۰۹۱۲ ۳۴۵ ۶۷۸۹", "912-345-6789", "0098 912…", "+98 912…" -> "+989123456789"),
    "+" and the digits for a number abroad. Anything else raises InvalidPhone."""
    text = _PHONE_NOISE.sub("", to_ascii_digits(str(raw or "")))
    if not text:
        raise InvalidPhone(_("Enter a mobile number, such as 0912 345 6789."))
    if len(text) > 32:
        raise InvalidPhone()
    if text.startswith("+"):
        digits, international = text[1:], True
    elif text.startswith("00"):
        digits, international = text[2:], True
    else:
        digits, international = text, False
    if not _DIGITS.fullmatch(digits):
        raise InvalidPhone(
            _("A phone number has only digits, with an optional + in front, such as 0912 345 6789.")
        )
    if not international and len(digits) == 12 and digits.startswith("989"):
        digits, international = digits, True  # "989123456789": the + left out
    if international:
        if digits.startswith("98"):
            national = digits[2:]
            # "+98 0912…" is a common way to write it; the 0 is the domestic trunk prefix.
            return _iranian_mobile(national[1:] if national.startswith("0") else national)
        if digits.startswith("0") or not 8 <= len(digits) <= 15:
            raise InvalidPhone(
                _("A number abroad has 8 to 15 digits after the +, starting with the country code.")
            )
        return f"+{digits}"
    return _iranian_mobile(digits[1:] if digits.startswith("0") else digits)


def _iranian_mobile(national: str) -> str:
    # Iranian mobile numbers are 9 and nine more digits; we text them, so a landline will not do.
    if len(national) == 10 and national.startswith("9"):
        return f"+98{national}"
    raise InvalidPhone(
        _("Enter an Iranian mobile number of 11 digits starting with 09, such as 0912 345 6789 (landlines cannot "
          "receive our text messages).")
    )


def subscription_code_normalise(raw: str) -> str | None:
    """"ch 4k7q2m", "CH-4K7Q2M", "4k7q2m" -> "CH-4K7Q2M"; None if it cannot be a code."""
    text = _CODE_NOISE.sub("", to_ascii_digits(str(raw or ""))).upper()
    if text.startswith(CODE_PREFIX.rstrip("-")):
        text = text[len(CODE_PREFIX) - 1 :]
    if len(text) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in text):
        return None
    return CODE_PREFIX + text


def _default_language() -> str:
    language = settings.LANGUAGE_CODE.split("-")[0]
    return language if language in CustomerProfile.Language.values else CustomerProfile.Language.FA


def profile_create(*, user, tier: str = CustomerProfile.Tier.REGISTERED) -> CustomerProfile:
    """The user's profile with a fresh, unique subscription code (returns an existing one).

    Uniqueness is the database's job (a unique index); a colliding code is retried with a
    new one inside a savepoint, so a concurrent writer can never produce a duplicate.
    """
    for _attempt in range(CODE_ATTEMPTS):
        code = generate_subscription_code()
        try:
            with transaction.atomic():
                return CustomerProfile.objects.create(
                    user=user, subscription_code=code, tier=tier, preferred_language=_default_language()
                )
        except IntegrityError:
            existing = CustomerProfile.objects.filter(user=user).first()
            if existing is not None:
                return existing
            if not CustomerProfile.objects.filter(subscription_code=code).exists():
                raise
            logger.info("Subscription code %s was taken; drawing another", code)
    raise IntegrityError(f"No free subscription code after {CODE_ATTEMPTS} attempts")


def profile_for(user) -> CustomerProfile:
    """The user's profile, created on first use for users made without signals (bulk inserts)."""
    if not getattr(user, "pk", None):
        raise ValueError("profile_for() needs a saved user, not an anonymous one.")
    try:
        return user.profile
    except CustomerProfile.DoesNotExist:
        return profile_create(user=user)


def customer_find(*, query: str) -> AbstractBaseUser | None:
    """The customer whose subscription code (A6) or mobile number (A2) is `query`, or None."""
    User = get_user_model()
    code = subscription_code_normalise(query)
    if code is not None:
        found = User.objects.filter(profile__subscription_code=code).first()
        if found is not None:
            return found
    try:
        number = phone_normalise(query)
    except InvalidPhone:
        return None
    return User.objects.filter(profile__phone=number).first()


def _require_operator(operator) -> None:
    """Phone intake is the operator's ability to file for a caller, not `is_staff`; a
    partner-office clerk registers the customer at the counter the same way (A3)."""
    if not (has_ability(operator, Ability.FILE_FOR_CALLER) or has_ability(operator, Ability.FILE_OFFICE_ERRANDS)):
        raise OperatorRequired()


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidEmail()
    return email


def _user_with_phone(number: str) -> AbstractBaseUser | None:
    return get_user_model().objects.filter(profile__phone=number).select_related("profile").first()


def customer_find_or_create_by_phone(
    *, phone: str, name: str = "", email: str = "", operator, language: str = ""
) -> tuple[AbstractBaseUser, bool]:
    """The customer with this mobile number, or a new one-off customer (A2, A5).

    A new customer gets an account named after their subscription code with no usable
    password (given an email, they set one through a password reset), and the welcome SMS with
    that code. Calling it again for the same number returns the same user and sends nothing.
    """
    _require_operator(operator)
    number = phone_normalise(phone)
    email = _clean_email(email)
    language = language or _default_language()
    if language not in CustomerProfile.Language.values:
        raise InvalidChoice(_("Choose one of the languages offered."))
    User = get_user_model()
    with transaction.atomic():
        found = _user_with_phone(number)
        if found is not None:
            return found, False
        if email and User.objects.filter(email__iexact=email).exists():
            raise EmailInUse()
        try:
            # A savepoint: when another operator registers the same number at the same
            # moment, their row wins the unique index and we return it instead.
            with transaction.atomic():
                user = _create_one_off_customer(number=number, name=name, email=email, language=language)
        except IntegrityError:
            found = _user_with_phone(number)
            if found is None:
                raise
            return found, False
        profile = user.profile
        notify(
            event=WELCOME_EVENT,
            recipient=user,
            context={"code": profile.subscription_code, "name": user.get_full_name(), "phone": profile.phone},
        )
    return user, True


def _create_one_off_customer(*, number: str, name: str, email: str, language: str) -> AbstractBaseUser:
    User = get_user_model()
    first_name, _space, last_name = " ".join((name or "").split()).partition(" ")
    # A throwaway unique name: the post_save signal creates the profile (and its code)
    # first, then the account takes the code as its username.
    user = User(username=f"intake-{uuid.uuid4().hex}", email=email, first_name=first_name[:150],
                last_name=last_name[:150])
    user.set_unusable_password()
    user.save()
    profile = profile_for(user)
    profile.phone = number
    profile.tier = CustomerProfile.Tier.ONE_OFF
    profile.preferred_language = language
    profile.save(update_fields=["phone", "tier", "preferred_language", "updated"])
    if not User.objects.filter(username=profile.subscription_code).exists():
        user.username = profile.subscription_code
        user.save(update_fields=["username"])
    return user


def profile_update(*, user, preferred_language: str, remove_phone: bool = False) -> CustomerProfile:
    """Change the customer's own language, or remove their number (the profile page, A1).

    A new number is not written here: it goes on the profile once proved by SMS code
    (customers.phone_services.profile_change), and the answer never says whether another
    account holds it (issue 14 point 2)."""
    if preferred_language not in CustomerProfile.Language.values:
        raise InvalidChoice(_("Choose one of the languages offered."))
    profile_for(user)
    with transaction.atomic():
        profile = CustomerProfile.objects.select_for_update().get(user=user)
        profile.preferred_language = preferred_language
        fields = ["preferred_language", "updated"]
        if remove_phone:
            profile.phone, profile.phone_verified_at = None, None
            fields += ["phone", "phone_verified_at"]
        profile.save(update_fields=fields)
    return profile


def customer_set_tier(*, user, tier: str, operator) -> CustomerProfile:
    """Staff move a customer between tiers (A5: errands are for loyal customers only)."""
    _require_operator(operator)
    if tier not in CustomerProfile.Tier.values:
        raise InvalidChoice(_("Choose one of the customer tiers."))
    profile_for(user)
    with transaction.atomic():
        profile = CustomerProfile.objects.select_for_update().get(user=user)
        if profile.tier != tier:
            TierChange.objects.create(
                profile=profile, action="tier", from_status=profile.tier, to_status=tier, actor=operator
            )
            profile.tier = tier
            profile.save(update_fields=["tier", "updated"])
    return profile
