"""The customer's own profile form (A1)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from customers.errors import InvalidPhone
from customers.models import CustomerProfile
from customers.services import phone_normalise


class ProfileForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=32,
        help_text=_("We text you about your orders and service requests here. Example: 0912 345 6789."),
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "type": "tel",
                "inputmode": "tel",
                "autocomplete": "tel",
                # Numbers read left to right, also on a right-to-left page.
                "dir": "ltr",
            }
        ),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for messages and pages"),
        choices=CustomerProfile.Language.choices,
        widget=forms.Select(attrs={"class": "form-control"}),
    )

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if not raw.strip():
            return ""
        try:
            return phone_normalise(raw)
        except InvalidPhone as exc:
            raise forms.ValidationError(exc.message, code=exc.code)
