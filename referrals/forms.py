"""Forms of the referral pages: redeem a gift, staff settings, ship, cancel, block, gifts."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from core.private_files import validate_upload
from referrals.models import Gift, ProgrammeSettings


class Bootstrap:
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput | forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")


class RedeemForm(Bootstrap, forms.Form):
    recipient_name = forms.CharField(label=_("Recipient's name"), max_length=150)
    phone = forms.CharField(label=_("Mobile number"), max_length=32)
    address = forms.CharField(label=_("Delivery address"), widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(label=_("Postcode"), max_length=20, required=False)
    client_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_key"].initial = uuid.uuid4().hex


class SettingsForm(Bootstrap, forms.ModelForm):
    class Meta:
        model = ProgrammeSettings
        fields = ["referrer_share", "buyer_share", "buyer_share_without_referrer", "points_per_unit",
                  "job_window_days", "expiry_months", "reminder_days", "note"]

    def clean(self):
        cleaned = super().clean()
        for name in ("referrer_share", "buyer_share"):
            value = cleaned.get(name)
            if value is not None and not 0 <= value <= 1:
                self.add_error(name, _("Enter a share between 0 and 1 (0.10 is a tenth)."))
        return cleaned


class GiftForm(Bootstrap, forms.ModelForm):
    class Meta:
        model = Gift
        fields = ["title_fa", "title_en", "description_fa", "description_en", "image", "points_price", "stock",
                  "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The stored image's file name is an identifier: kept in its own characters on fa pages.
        self.fields["image"].widget.template_name = "referrals/widgets/clearable_file_input.html"

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload: judge it by its content
            validate_upload(image, kinds=("image",))
        return image


class ShipForm(Bootstrap, forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=100, required=False)
    tracking_reference = forms.CharField(label=_("Tracking reference"), max_length=128)


class ReasonForm(Bootstrap, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
