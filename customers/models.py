"""The customer's profile: phone, subscription code (A6), tier (A5) and language."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

from core.models import TransitionEvent

# Read aloud on the phone and typed from paper: no 0/O and no 1/I to confuse.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_PREFIX = "CH-"
CODE_LENGTH = 6


def generate_subscription_code() -> str:
    """A fresh random code like "CH-4K7Q2M" (32^6, about a billion, possibilities)."""
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))


class CustomerProfile(models.Model):
    class Tier(models.TextChoices):
        ONE_OFF = "one_off", _("One-off service customer")
        REGISTERED = "registered", _("Registered customer")
        LOYAL = "loyal", _("Loyal customer")

    class Language(models.TextChoices):
        # Each language is named in itself, so anyone can find their own.
        FA = "fa", "فارسی"
        EN = "en", "English"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="profile"
    )
    # Normalised ("+989121234567", see customers.services.phone_normalise); one account per number.
    phone = models.CharField(_("mobile number"), max_length=16, unique=True, null=True, blank=True)
    subscription_code = models.CharField(_("subscription code"), max_length=12, unique=True, editable=False)
    tier = models.CharField(_("tier"), max_length=12, choices=Tier.choices, default=Tier.REGISTERED)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.FA
    )
    # When the customer proved by SMS code that they hold `phone` (customers.phone_services).
    phone_verified_at = models.DateTimeField(_("mobile number verified"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("customer profile")
        verbose_name_plural = _("customer profiles")
        constraints = [
            models.CheckConstraint(condition=Q(tier__in=["one_off", "registered", "loyal"]), name="profile_tier_known"),
            models.CheckConstraint(condition=Q(preferred_language__in=["fa", "en"]), name="profile_language_known"),
            # No number is NULL (never ""), so the unique index allows many profiles without one.
            models.CheckConstraint(
                condition=Q(phone__isnull=True) | Q(phone__startswith="+"), name="profile_phone_normalised"
            ),
            models.CheckConstraint(condition=Q(subscription_code__startswith=CODE_PREFIX), name="profile_code_format"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_code} ({self.user})"

    def save(self, *args, **kwargs) -> None:
        # Forms hand over "" for an empty field; store NULL so the unique index ignores it.
        if not self.phone:
            self.phone = None
        super().save(*args, **kwargs)

    @property
    def is_loyal(self) -> bool:
        return self.tier == self.Tier.LOYAL


class TierChange(TransitionEvent):
    """A staff member moved the customer to another tier (A5): who, when, from and to."""

    profile = models.ForeignKey(CustomerProfile, verbose_name=_("profile"), on_delete=models.CASCADE,
                                related_name="tier_changes")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("tier change")
        verbose_name_plural = _("tier changes")


class DeviceToken(AbstractAuthToken):
    """One signed-in device of the mobile app (knox's token fields and manager): the token
    is stored as a hash; the name is what the customer sees in "signed-in devices" (sent by
    the app, else read from its User-Agent)."""

    # knox's fields again, only to give them names an admin reads in both languages.
    digest = models.CharField(_("token digest"), max_length=CONSTANTS.DIGEST_LENGTH, primary_key=True)
    token_key = models.CharField(
        _("token prefix"), db_index=True,
        max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH,
    )
    created = models.DateTimeField(_("signed in"), auto_now_add=True)
    expiry = models.DateTimeField(_("expires"), null=True, blank=True)
    # Its own reverse name: knox's AuthToken (installed, unused) keeps "auth_token_set".
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="device_tokens")
    name = models.CharField(_("device name"), max_length=120, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    # Written at most once a minute (customers.device_auth), so a busy app costs no writes.
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("signed-in device")
        verbose_name_plural = _("signed-in devices")
        indexes = [models.Index(fields=["user", "expiry"], name="device_token_user_expiry")]


class PhoneVerification(models.Model):
    """A code texted to a mobile number to prove the customer holds it (issue 17).

    Only a hash of the code is kept. A number another account already holds gets a row
    whose code was never sent (the answer must not say the number is taken), so it can
    never be confirmed; its owner is told by SMS instead.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="phone_verifications")
    phone = models.CharField(_("mobile number"), max_length=16)
    code_hash = models.CharField(_("code hash"), max_length=128, blank=True)
    created = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("code sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone verification")
        verbose_name_plural = _("phone verifications")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(phone__startswith="+"), name="phone_verification_normalised"),
        ]

    def __str__(self) -> str:
        return f"{self.phone} ({self.user})"
