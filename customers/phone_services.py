"""Proving a mobile number by SMS code (issue 17 point 3; issue 14 point 2).

A code is six digits, kept only as a keyed hash, valid for `CODE_MINUTES`, allows
`MAX_ATTEMPTS` wrong tries, and a new one may be asked for once per `RESEND_SECONDS` (and
`MAX_CODES_PER_HOUR` in all). The number goes on the profile, marked verified, only when
the right code comes back.

The answer never says whether another account holds the number: asking for it looks the
same, its owner gets an SMS saying someone tried, and no code that could confirm it is
ever sent.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from core import clock
from customers.errors import (
    CodeExpired,
    NoCodePending,
    NoPhoneToVerify,
    ResendTooSoon,
    TooManyAttempts,
    WrongCode,
)
from customers.models import CustomerProfile, PhoneVerification
from customers.services import phone_normalise, profile_for, profile_update
from notifications.services import notify

CODE_EVENT = "customers_phone_code"
CLAIM_ATTEMPT_EVENT = "customers_phone_claim_attempt"
CODE_DIGITS = 6
CODE_MINUTES = 10
MAX_ATTEMPTS = 5
RESEND_SECONDS = 60
MAX_CODES_PER_HOUR = 5


def _code_hash(*, verification_phone: str, user_id: int, code: str) -> str:
    # Keyed by SECRET_KEY: a copy of the table alone cannot be searched for the code.
    return salted_hmac("customers.phone-code", f"{user_id}|{verification_phone}|{code}", algorithm="sha256").hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice("0123456789") for _digit in range(CODE_DIGITS))


def phone_pending(*, user) -> str | None:
    """The number the customer gave last (at sign-up or on the profile) and has not yet proved."""
    latest = PhoneVerification.objects.filter(user=user).order_by("-created", "-pk").first()
    if latest is None or latest.confirmed_at is not None:
        return None
    return latest.phone


def phone_remember(*, user, phone: str, now: datetime | None = None) -> PhoneVerification:
    """Keep a number given at sign-up, to be proved later (no code is sent yet)."""
    number = phone_normalise(phone)
    return PhoneVerification.objects.create(user=user, phone=number, created=clock.now(now))


def phone_code_request(*, user, phone: str | None = None, now: datetime | None = None) -> PhoneVerification:
    """Text a fresh code to `phone` (or the number the customer gave before)."""
    now = clock.now(now)
    number = phone_normalise(phone) if phone and phone.strip() else None
    profile = profile_for(user)
    with transaction.atomic():
        # One request at a time per customer: the resend limits cannot be raced.
        CustomerProfile.objects.select_for_update().get(pk=profile.pk)
        number = number or phone_pending(user=user) or (profile.phone if not profile.phone_verified_at else None)
        if not number:
            raise NoPhoneToVerify()
        sent = PhoneVerification.objects.filter(user=user, sent_at__isnull=False)
        last = sent.order_by("-sent_at").first()
        if last is not None and (now - last.sent_at).total_seconds() < RESEND_SECONDS:
            raise ResendTooSoon(retry_after=RESEND_SECONDS - int((now - last.sent_at).total_seconds()))
        if sent.filter(sent_at__gt=now - timedelta(hours=1)).count() >= MAX_CODES_PER_HOUR:
            raise ResendTooSoon(retry_after=3600)
        # Older codes stop working: only the newest one confirms.
        PhoneVerification.objects.filter(user=user, confirmed_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        code = _new_code()
        verification = PhoneVerification.objects.create(
            user=user, phone=number, created=now, sent_at=now, expires_at=now + timedelta(minutes=CODE_MINUTES),
            code_hash=_code_hash(verification_phone=number, user_id=user.pk, code=code),
        )
        owner = CustomerProfile.objects.filter(phone=number).exclude(user=user).select_related("user").first()
        # notify() stores the message now and sends it once this transaction commits.
        if owner is None:
            notify(event=CODE_EVENT, recipient=user, phone=number, context={"code": code, "minutes": CODE_MINUTES})
        else:
            # The code is never sent, so this row can never be confirmed; the holder is told.
            notify(event=CLAIM_ATTEMPT_EVENT, recipient=owner.user, phone=number, context={})
    return verification


def phone_code_confirm(*, user, code: str, now: datetime | None = None) -> CustomerProfile:
    """The right code puts the number on the profile, verified. A wrong one counts.

    Call it outside the request's transaction (the views are `non_atomic_requests`): the
    count of wrong tries must be kept even though the answer is an error.
    """
    now = clock.now(now)
    code = "".join((code or "").split())
    profile = profile_for(user)
    failure: Exception | None = None
    with transaction.atomic():
        CustomerProfile.objects.select_for_update().get(pk=profile.pk)
        verification = (
            PhoneVerification.objects.select_for_update()
            .filter(user=user, sent_at__isnull=False, confirmed_at__isnull=True)
            .order_by("-sent_at", "-pk").first()
        )
        if verification is None:
            raise NoCodePending()
        if verification.attempts >= MAX_ATTEMPTS:
            raise TooManyAttempts()
        if verification.expires_at is None or verification.expires_at <= now:
            raise CodeExpired()
        expected = _code_hash(verification_phone=verification.phone, user_id=user.pk, code=code)
        if not constant_time_compare(expected, verification.code_hash):
            verification.attempts += 1
            verification.save(update_fields=["attempts"])
            failure = TooManyAttempts() if verification.attempts >= MAX_ATTEMPTS else WrongCode()
        else:
            try:
                with transaction.atomic():
                    updated = CustomerProfile.objects.get(pk=profile.pk)
                    updated.phone = verification.phone
                    updated.phone_verified_at = now
                    updated.save(update_fields=["phone", "phone_verified_at", "updated"])
            except IntegrityError:
                # Another account proved the number first: the same answer as a wrong code.
                verification.attempts += 1
                verification.save(update_fields=["attempts"])
                failure = WrongCode()
            else:
                verification.confirmed_at = now
                verification.save(update_fields=["confirmed_at"])
    if failure is not None:
        raise failure
    return CustomerProfile.objects.get(pk=profile.pk)


def profile_change(*, user, phone: str, preferred_language: str,
                   now: datetime | None = None) -> tuple[CustomerProfile, PhoneVerification | None]:
    """The profile form: language at once; a number removed at once; a new number texted a
    code (returned) and stored only when the code comes back."""
    number = phone_normalise(phone) if phone and phone.strip() else None
    current = profile_for(user).phone
    profile = profile_update(user=user, preferred_language=preferred_language, remove_phone=number is None)
    if number is None or number == current:
        return profile, None
    return profile, phone_code_request(user=user, phone=number, now=now)
