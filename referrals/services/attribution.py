"""Who referred whom (issue 10 points 1 and 7): by link, by code at sign-up, by code at the
operator's phone intake. One referrer per customer, set once; self-referral refused."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core import clock
from core.text import normalize_persian, to_ascii_digits
from customers.models import CustomerProfile
from customers.services import subscription_code_normalise
from referrals.errors import SelfReferral, UnknownCode
from referrals.models import Referral
from referrals.sources import had_paid_purchase

SESSION_KEY = "referral_code"


def referrer_for_code(code: str):
    """The active customer whose referral code (their subscription code) this is, or None."""
    normalised = subscription_code_normalise(code or "")
    if normalised is None:
        return None
    profile = CustomerProfile.objects.select_related("user").filter(
        subscription_code=normalised, user__is_active=True
    ).first()
    return profile.user if profile else None


def _phone(user) -> str | None:
    return CustomerProfile.objects.filter(user_id=user.pk).values_list("phone", flat=True).first()


def address_key(line1: str, line2: str, line3: str, line4: str, postcode: str) -> str:
    """An address without the names on it (Oscar's own hash includes them), so two people
    at one address match; normalised Persian, digits, case and spaces."""
    text = " ".join(part for part in (line1, line2, line3, line4, postcode) if part)
    return " ".join(to_ascii_digits(normalize_persian(text)).lower().replace("-", " ").split())


def address_keys(user_ids) -> dict[int, set[str]]:
    from oscar.core.loading import get_model

    UserAddress = get_model("address", "UserAddress")
    found: dict[int, set[str]] = {}
    rows = UserAddress.objects.filter(user_id__in=list(user_ids)).values_list(
        "user_id", "line1", "line2", "line3", "line4", "postcode")
    for user_id, *parts in rows:
        found.setdefault(user_id, set()).add(address_key(*parts))
    return found


def _address_hashes(user_id: int) -> set[str]:
    return address_keys([user_id]).get(user_id, set())


def self_referral_reason(referrer, referred) -> str:
    """Why this pair looks like one person referring themself ("" when it doesn't)."""
    if referrer.pk == referred.pk:
        return str(_("the same account"))
    phone = _phone(referrer)
    if phone and phone == _phone(referred):
        return str(_("the same mobile number"))
    email = normalize_persian(referrer.email or "").strip().lower()
    if email and email == normalize_persian(referred.email or "").strip().lower():
        return str(_("the same email address"))
    if _address_hashes(referrer.pk) & _address_hashes(referred.pk):
        return str(_("the same delivery address"))
    return ""


def referral_attribute(*, referred, code: str, source: str, now: dt.datetime | None = None) -> Referral:
    """Attribute `referred` to the owner of `code`. A customer who already has a referrer
    keeps it (the existing referral is returned). Raises UnknownCode or SelfReferral."""
    referrer = referrer_for_code(code)
    if referrer is None:
        raise UnknownCode(_("No customer has the referral code %(code)s.") % {"code": code})
    existing = Referral.objects.filter(referred=referred).first()
    if existing is not None:
        return existing
    reason = self_referral_reason(referrer, referred)
    if reason:
        raise SelfReferral(_("You cannot use your own referral code (%(reason)s).") % {"reason": reason})
    try:
        with transaction.atomic():
            return Referral.objects.create(
                referrer=referrer, referred=referred, source=source, created=clock.now(now),
                referrer_earns=not had_paid_purchase(referred.pk),
            )
    except IntegrityError:
        # A concurrent attribution won: one referrer per customer.
        return Referral.objects.get(referred=referred)


def attribute_from_session(request, user) -> Referral | None:
    """At sign-up: the code typed in the form, else the one the share link left in the
    session. Bad codes are ignored here (the form validated what was typed)."""
    body = getattr(request, "data", None)  # the API's JSON body (customers.auth_api), a form's POST otherwise
    typed = (request.POST.get("registration-referral_code") or request.POST.get("referral_code")
             or (body.get("referral_code") if isinstance(body, dict) else "") or "").strip()
    code = typed or request.session.get(SESSION_KEY) or request.COOKIES.get(SESSION_KEY) or ""
    if not code:
        return None
    source = Referral.Source.SIGNUP if typed else Referral.Source.LINK
    try:
        referral = referral_attribute(referred=user, code=code, source=source)
    except (UnknownCode, SelfReferral):
        return None
    request.session.pop(SESSION_KEY, None)
    return referral


def intake_attribute(request, user, code: str) -> Referral | None:
    """The operator typed the caller's referral code at phone intake (A2), for a caller just
    registered or one found by phone or subscription code. One referrer per customer, set
    once: a caller who already has one keeps it, and the operator is told by whom (the name
    and code they could look up at intake anyway). The abuse rules are those of sign-up."""
    from django.contrib import messages

    existing = Referral.objects.select_related("referrer__profile").filter(referred=user).first()
    owner = referrer_for_code(code)
    try:
        if owner is None:
            raise UnknownCode(_("No customer has the referral code %(code)s.") % {"code": code})
        referral = existing or referral_attribute(referred=user, code=code, source=Referral.Source.INTAKE)
    except (UnknownCode, SelfReferral) as error:
        messages.warning(request, str(error.message))
        return None
    if existing is not None or referral.referrer_id != owner.pk:
        # Already referred (before, or by a concurrent attribution): nothing changes.
        referrer = referral.referrer
        profile = getattr(referrer, "profile", None)
        messages.warning(request, _(
            "This customer was already referred by %(name)s (code %(code)s); "
            "a customer has one referrer, so the code %(typed)s was not applied."
        ) % {
            "name": referrer.get_full_name() or _("another customer"),
            "code": profile.subscription_code if profile else "-",
            "typed": code,
        })
        return None
    if referral.referrer_earns:
        messages.success(request, _("The caller is now referred by %(name)s.") % {
            "name": referral.referrer.get_full_name() or referral.referrer.profile.subscription_code})
    else:
        messages.info(request, _(
            "The referral by %(name)s is recorded, but this caller had already paid for a purchase, "
            "so the referrer earns no points from them."
        ) % {"name": referral.referrer.get_full_name() or referral.referrer.profile.subscription_code})
    return referral

