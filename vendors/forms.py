"""Forms of the vendor pages: the public application, staff decisions, the seller
dashboard's actions and the customer's warranty claim. They validate input; every rule
of the business lives in vendors.services, whose errors the views show on these forms."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from oscar.core.loading import get_model

from core.bounds import MAX_INT
from core.private_files import validate_upload
from core.text import to_ascii_digits
from vendors.models import WarrantyClaim, iban_normalise, validate_iban

Category = get_model("catalogue", "Category")

MAX_CLAIM_PHOTOS = 5
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}


class CategoryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, category) -> str:
        return category.get_name() if hasattr(category, "get_name") else category.name


class VendorApplicationForm(forms.Form):
    company_name = forms.CharField(label=_("Company name"), max_length=200)
    company_name_en = forms.CharField(label=_("Company name in English"), max_length=200, required=False)
    registration_number = forms.CharField(label=_("Registration number"), max_length=50)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone"), max_length=32)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 3}))
    categories = CategoryChoiceField(
        label=_("What do you sell?"),
        queryset=Category.objects.filter(depth=1).order_by("path"),
        widget=forms.CheckboxSelectMultiple,
    )
    bank_account_holder = forms.CharField(label=_("Bank account holder"), max_length=200)
    iban = forms.CharField(
        label=_("IBAN (Sheba)"), max_length=40, help_text=_("IR followed by 24 digits, or your bank's IBAN.")
    )
    stripe_account_id = forms.CharField(
        label=_("Stripe account (optional)"), max_length=64, required=False,
        help_text=_("Your Stripe Connect account id (acct_…) if you want payouts sent by Stripe."),
    )
    message = forms.CharField(
        label=_("Anything else we should know?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_iban(self) -> str:
        iban = iban_normalise(self.cleaned_data["iban"])
        validate_iban(iban)
        return iban

    def clean_stripe_account_id(self) -> str:
        value = self.cleaned_data["stripe_account_id"].strip()
        if value and not re.fullmatch(r"acct_[A-Za-z0-9]{6,}", value):
            raise ValidationError(_("A Stripe account id starts with acct_, e.g. acct_1Nv0FG…."))
        return value

    def service_data(self) -> dict:
        """The fields `application_submit(data=...)` takes (categories are passed apart)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "categories"}


# ---------------------------------------------------------------- staff decisions
class ApproveApplicationForm(forms.Form):
    commission_rate = forms.DecimalField(
        label=_("Commission rate"), required=False, min_value=Decimal("0"), max_value=Decimal("1"),
        max_digits=5, decimal_places=4,
        help_text=_("A share between 0 and 1, e.g. 0.1000 for 10%. Empty: the default."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class FineForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    # One key per rendered form: a double click or a resubmitted page fines once.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", f"dashboard-fine:{uuid.uuid4()}")


class PayoutForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
    # One key per rendered form: a double click or a resubmitted page records one payout.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", f"dashboard-payout:{uuid.uuid4()}")


# ---------------------------------------------------------------- seller dashboard
class ShipForm(forms.Form):
    tracking_reference = forms.CharField(
        label=_("Tracking reference"), max_length=100,
        error_messages={"required": _("Enter the carrier's tracking reference to ship this order.")},
    )
    carrier = forms.CharField(label=_("Carrier"), max_length=100, required=False)

    def clean_tracking_reference(self) -> str:
        value = to_ascii_digits(self.cleaned_data["tracking_reference"]).strip()
        if not value:
            raise ValidationError(_("Enter the carrier's tracking reference to ship this order."))
        return value


class ClaimRespondForm(forms.Form):
    ACCEPT, REJECT = "accept", "reject"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept: we will replace or repair it")), (REJECT, _("Reject"))],
        widget=forms.RadioSelect,
    )
    response = forms.CharField(
        label=_("Your answer to the customer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["decision"] == self.ACCEPT


class StockForm(forms.Form):
    num_in_stock = forms.IntegerField(label=pgettext_lazy("stock count", "In stock"), min_value=0, max_value=MAX_INT)
    price = forms.DecimalField(
        label=_("Price"), min_value=Decimal("0"), max_digits=12, decimal_places=2, required=False
    )


# ---------------------------------------------------------------- customer warranty
class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.ImageField):
    """Several images in one input; each one is opened by Pillow (ImageField) and
    checked for its real type and size, so a renamed file is refused."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(sorted(PHOTO_TYPES))}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_CLAIM_PHOTOS:
            raise ValidationError(
                _("Attach at most %(count)d photos.") % {"count": MAX_CLAIM_PHOTOS}, code="too_many"
            )
        cleaned = []
        for upload in files:
            if upload.size > MAX_PHOTO_BYTES:
                raise ValidationError(
                    _("%(name)s is larger than %(size)d MB.") % {"name": upload.name, "size": MAX_PHOTO_BYTES >> 20},
                    code="too_large",
                )
            # The content, not the name: a pixel bomb or a renamed file is refused here.
            try:
                validate_upload(upload, kinds=("image",), max_bytes=MAX_PHOTO_BYTES)
            except ValidationError as error:
                if error.code != "file_kind":
                    raise
                super().clean(upload, initial)  # not an image at all: Django's own answer
                raise
            image = super().clean(upload, initial)
            if getattr(image, "content_type", None) not in PHOTO_TYPES:
                raise ValidationError(
                    _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": upload.name}, code="bad_type"
                )
            image.seek(0)
            cleaned.append(image)
        return cleaned


class WarrantyClaimForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("warranty claim", "What do you need?"),
        choices=WarrantyClaim.Kind.choices,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("What is wrong?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Describe the fault so the vendor can act on it."),
    )
    photos = MultipleImageField(
        label=_("Photos"), required=False,
        help_text=_("Up to 5 photos (JPEG, PNG or WebP, 5 MB each)."),
    )


class CustomerCancelForm(forms.Form):
    """P5: why the customer cancels (the vendor is told): a choice, and words of their own."""

    REASONS = (
        ("changed_mind", _("I changed my mind")),
        ("mistake", _("I ordered it by mistake")),
        ("too_slow", _("Delivery would take too long")),
        ("cheaper", _("I found it cheaper elsewhere")),
        ("other", _("Another reason")),
    )
    reason = forms.ChoiceField(label=_("Why are you cancelling?"), choices=REASONS, widget=forms.RadioSelect)
    details = forms.CharField(label=_("In your own words"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required when you choose another reason."))

    def clean(self):
        data = super().clean()
        if data.get("reason") == "other" and not (data.get("details") or "").strip():
            self.add_error("details", _("Tell us the reason in a few words."))
        return data

    def reason_text(self) -> str:
        label = str(dict(self.REASONS)[self.cleaned_data["reason"]])
        details = " ".join((self.cleaned_data.get("details") or "").split())
        return f"{label}: {details}" if details else label
