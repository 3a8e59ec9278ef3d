"""Attribution at sign-up: an optional "referral code" field on Oscar's registration form
(added to the form class here, so no template or view is forked), and the code the share
link left in the session, applied when the account is created (Oscar's user_registered)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_code(value: str) -> None:
    from referrals.services import referrer_for_code

    if value and referrer_for_code(value) is None:
        raise ValidationError(_("No customer has this referral code. Check it, or leave the field empty."))


def on_registered(sender, request, user, **kwargs) -> None:
    from referrals.services import attribute_from_session

    attribute_from_session(request, user)


def connect() -> None:
    from oscar.apps.customer.signals import user_registered
    from oscar.core.loading import get_class

    from customers.registration import NamedUserCreationForm

    # Oscar's form and ours (which asks the name) copied their fields when their classes
    # were made, so each gets the field.
    for form_class in (get_class("customer.forms", "EmailUserCreationForm"), NamedUserCreationForm):
        if "referral_code" not in form_class.base_fields:
            form_class.base_fields["referral_code"] = forms.CharField(
                label=_("Referral code (optional)"), max_length=20, required=False, validators=[validate_code],
                help_text=_("The code of the customer who told you about us: you both earn gift points."),
            )
    user_registered.connect(on_registered, dispatch_uid="referrals-attribution")
