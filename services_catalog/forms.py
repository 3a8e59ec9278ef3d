"""Forms of the service pages: they validate input and shape it for one service call.

Business rules (lead time, tiers, documents, fees) are checked by
`services_catalog.services`; a DomainError it raises is shown on the form by the view.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import latest_booking_date
from core.private_files import validate_upload
from referrals.signup import validate_code as validate_referral_code
from services_catalog.models import (
    Area,
    Complaint,
    JobDocument,
    Provider,
    Service,
    ServiceCategory,
    Slot,
    Weekday,
)

MAX_PHOTOS = 6
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
DOCUMENT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")


class BootstrapForm(forms.Form):
    """Bootstrap 4 classes on every widget, so the templates stay plain."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.HiddenInput)):
                continue
            css = "form-control-file" if isinstance(widget, forms.ClearableFileInput) else "form-control"
            classes = widget.attrs.get("class", "").split()
            if css not in classes:
                widget.attrs["class"] = " ".join([*classes, css])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.ImageField):
    """Up to MAX_PHOTOS images from one <input multiple>."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("Attach at most %(count)s photos.") % {"count": MAX_PHOTOS})
        cleaned = []
        for upload in files:
            check_photo(upload)
            cleaned.append(super().clean(upload, initial))
        return cleaned


def check_photo(upload) -> None:
    """A job photo (the request form and the API): at most 8 MB, truly an image."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("Each photo must be smaller than 8 MB."))
    # The content, not the name: a pixel bomb or a renamed file is refused here.
    validate_upload(upload, kinds=("image",), max_bytes=MAX_UPLOAD_BYTES)


def check_document_file(upload) -> None:
    """A document scan (S6; the request form and the API): PDF, JPG or PNG, at most 8 MB."""
    if upload is None:
        return
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("Each document must be smaller than 8 MB."))
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in DOCUMENT_EXTENSIONS:
        raise forms.ValidationError(_("Upload a PDF, JPG or PNG file."))
    validate_upload(upload, kinds=("image", "pdf"), max_bytes=MAX_UPLOAD_BYTES)


class ServiceFilterForm(BootstrapForm):
    """The filters of the service list: category and area, by slug (bookmarkable)."""

    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ServiceCategory.objects.all(), to_field_name="slug", required=False,
        empty_label=_("All categories"),
    )
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.all(), to_field_name="slug", required=False,
        empty_label=_("All areas"),
    )


class JobRequestForm(BootstrapForm):
    """The request of one service (issue 5 point 3): where, when, how much, documents (S6)."""

    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), empty_label=None)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)
    preferred_date = forms.DateField(
        label=_("Preferred date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    slot = forms.ChoiceField(label=_("Time of day"), choices=Slot.choices)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10000, initial=1)
    description = forms.CharField(
        label=_("What do you need?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    photos = MultiplePhotoField(label=_("Photos"), required=False)

    def __init__(self, *args, service: Service, earliest: datetime.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.earliest = earliest
        self.fields["area"].queryset = service.areas.all()
        self.fields["preferred_date"].widget.attrs["min"] = earliest.isoformat()
        self.fields["preferred_date"].widget.attrs["max"] = latest_booking_date(earliest).isoformat()
        self.fields["preferred_date"].initial = earliest
        if service.pricing_model == Service.PricingModel.PER_UNIT:
            unit = service.get_unit_name()
            if unit:
                self.fields["quantity"].label = _("Quantity (%(unit)s)") % {"unit": unit}
        else:
            # One job, one visit: the quantity only prices per-unit services (S3).
            self.fields["quantity"].widget = forms.HiddenInput()
        self.documents = list(service.required_documents.all())
        for document in self.documents:
            choices = JobDocument.Delivery.choices
            if document.original_needed:
                # S6: the original must travel; a scan alone will not do.
                choices = [c for c in choices if c[0] != JobDocument.Delivery.UPLOAD]
            self.fields[f"document_{document.pk}_delivery"] = forms.ChoiceField(
                label=_("How %(name)s reaches us") % {"name": document.get_name()}, choices=choices,
            )
            self.fields[f"document_{document.pk}_file"] = forms.FileField(
                label=_("Scan of %(name)s") % {"name": document.get_name()}, required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,image/*"}),
                help_text=_("Needed when you choose to upload it; useful with an original too."),
            )
        self.style_widgets()

    def document_fields(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [
            (document, self[f"document_{document.pk}_delivery"], self[f"document_{document.pk}_file"])
            for document in self.documents
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for document in self.documents:
            upload = cleaned.get(f"document_{document.pk}_file")
            try:
                check_document_file(upload)
            except forms.ValidationError as error:
                self.add_error(f"document_{document.pk}_file", error)
            delivery = cleaned.get(f"document_{document.pk}_delivery")
            if delivery == JobDocument.Delivery.UPLOAD and not upload:
                self.add_error(f"document_{document.pk}_file", _("Attach the file to upload."))
        return cleaned

    def documents_payload(self) -> list[dict[str, Any]]:
        return [
            {
                "requirement": document,
                "delivery": self.cleaned_data[f"document_{document.pk}_delivery"],
                "file": self.cleaned_data.get(f"document_{document.pk}_file"),
            }
            for document in self.documents
        ]

    def request_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "service": self.service,
            "area": data["area"],
            "address": data["address"],
            "preferred_date": data["preferred_date"],
            "slot": data["slot"],
            "quantity": data.get("quantity") or 1,
            "description": data.get("description", ""),
            "photos": data.get("photos") or [],
            "documents": self.documents_payload(),
        }


class CancelForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Why are you cancelling? (optional)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
        required=False,
    )
    # The fee the person saw: if it changed before they confirmed, the service refuses.
    expected_fee = forms.DecimalField(widget=forms.HiddenInput(), max_digits=12, decimal_places=2)


class RatingForm(BootstrapForm):
    score = forms.TypedChoiceField(
        label=_("Score"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)], widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000, required=False
    )


class WarrantyForm(BootstrapForm):
    reason = forms.CharField(label=_("What must be redone?"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)


class ComplaintForm(BootstrapForm):
    text = forms.CharField(label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class DocumentAddForm(BootstrapForm):
    requirement = forms.ModelChoiceField(label=_("Document"), queryset=None, required=False,
                                         empty_label=_("Another document"))
    delivery = forms.ChoiceField(label=_("How it reaches us"), choices=JobDocument.Delivery.choices)
    file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args, service: Service, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = service.required_documents.all()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        check_document_file(upload)
        return upload


# ------------------------------------------------------------------ staff and providers
class QuoteForm(BootstrapForm):
    """Line items of a quote: up to five rows (description, quantity, unit price)."""

    ROWS = 5
    valid_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=60, initial=3)

    def __init__(self, *args, initial_lines: list[dict[str, Any]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        initial_lines = initial_lines or []
        for row in range(self.ROWS):
            line = initial_lines[row] if row < len(initial_lines) else {}
            self.fields[f"line_{row}_description"] = forms.CharField(
                label=_("Description"), max_length=300, required=False, initial=line.get("description", ""),
                widget=forms.TextInput(attrs={"placeholder": _("Description")}),
            )
            self.fields[f"line_{row}_quantity"] = forms.DecimalField(
                label=_("Quantity"), max_digits=10, decimal_places=2, min_value=Decimal("0.01"), required=False,
                initial=line.get("quantity", 1 if row == 0 else None),
                widget=forms.NumberInput(attrs={"placeholder": _("Quantity"), "step": "any"}),
            )
            self.fields[f"line_{row}_unit_price"] = forms.DecimalField(
                label=_("Unit price"), max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False,
                initial=line.get("unit_price"),
                widget=forms.NumberInput(attrs={"placeholder": _("Unit price"), "step": "0.01"}),
            )
        self.style_widgets()

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"line_{row}_description"], self[f"line_{row}_quantity"], self[f"line_{row}_unit_price"])
            for row in range(self.ROWS)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        lines = []
        for row in range(self.ROWS):
            description = (cleaned.get(f"line_{row}_description") or "").strip()
            quantity = cleaned.get(f"line_{row}_quantity")
            unit_price = cleaned.get(f"line_{row}_unit_price")
            if not description and quantity in (None, "") and unit_price in (None, ""):
                continue
            if not description:
                self.add_error(f"line_{row}_description", _("Describe this line."))
            if unit_price is None:
                self.add_error(f"line_{row}_unit_price", _("Enter the unit price."))
            lines.append({"description": description, "quantity": quantity or Decimal("1"), "unit_price": unit_price})
        if not lines and not self.errors:
            raise forms.ValidationError(_("A quote needs at least one line."))
        cleaned["lines"] = lines
        return cleaned


class NotFeasibleForm(BootstrapForm):
    reason = forms.CharField(label=_("Why it cannot be done (the customer reads this)"),
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReassignForm(BootstrapForm):
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.filter(status=Provider.Status.ACTIVE), required=False,
        empty_label=_("Next best free provider"),
    )
    # The provider the staff member saw on the job (0: none): a colleague's change in the
    # meantime, or a double-submitted form, then changes nothing.
    expected_provider = forms.IntegerField(widget=forms.HiddenInput(), min_value=0)

    def expected_provider_id(self) -> int | None:
        return self.cleaned_data["expected_provider"] or None


class DispatchForm(BootstrapForm):
    visit_time = forms.TimeField(label=_("Visit time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                 input_formats=["%H:%M"])

    def visit_at(self, day: datetime.date) -> datetime.datetime:
        tz = timezone.get_default_timezone()
        return datetime.datetime.combine(day, self.cleaned_data["visit_time"], tzinfo=tz)


class DeclineForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=1000, required=False)


class ChangeOrderForm(BootstrapForm):
    description = forms.CharField(label=_("Extra work"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    amount = forms.DecimalField(label=_("Price of the extra work"), max_digits=12, decimal_places=2,
                                min_value=Decimal("0.01"))


class WorkDoneForm(BootstrapForm):
    amount = forms.DecimalField(label=_("Value of the work done so far"), max_digits=12, decimal_places=2,
                                min_value=Decimal("0"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class WarrantyRejectForm(BootstrapForm):
    note = forms.CharField(label=_("Why it is rejected (the customer reads this)"),
                           widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ComplaintResolveForm(BootstrapForm):
    action = forms.ChoiceField(label=_("Action"), choices=Complaint.Action.choices)
    amount = forms.DecimalField(label=_("Fine amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
                                required=False,
                                help_text=_("Only for a fine, in %(currency)s.") % {
                                    "currency": settings.OSCAR_DEFAULT_CURRENCY})
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("action") == Complaint.Action.FINE and not cleaned.get("amount"):
            self.add_error("amount", _("Enter the amount of the fine."))
        return cleaned


class CustomerLookupForm(BootstrapForm):
    query = forms.CharField(label=_("Mobile number or subscription code"), max_length=40)


class CustomerCreateForm(BootstrapForm):
    phone = forms.CharField(label=_("Mobile number"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    # Issue 10: the code of the customer who referred the caller (validated by referrals/).
    referral_code = forms.CharField(label=_("Referral code (optional)"), max_length=20, required=False,
                                    validators=[validate_referral_code])


class IntakeReferralForm(BootstrapForm):
    """The referral code a caller already registered gives on the phone (issue 10 point 1)."""

    referral_code = forms.CharField(label=_("Referral code"), max_length=20, validators=[validate_referral_code])


class IntakeServiceForm(BootstrapForm):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.filter(is_active=True).select_related("category"),
    )


WEEK_ORDER = (Weekday.SATURDAY, Weekday.SUNDAY, Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY,
              Weekday.THURSDAY, Weekday.FRIDAY)


class AvailabilityForm(BootstrapForm):
    """The provider's weekly grid: one checkbox per weekday and slot (S13)."""

    def __init__(self, *args, current: set[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for weekday in Weekday:
            for slot in Slot:
                self.fields[f"slot_{weekday.value}_{slot.value}"] = forms.BooleanField(
                    label=slot.label, required=False,
                    initial=(weekday.value, slot.value) in current,
                )

    def grid(self) -> list[tuple[str, list[forms.BoundField]]]:
        # The Iranian week starts on Saturday (issue 15 point 6); the values stay Python's.
        return [
            (weekday.label, [self[f"slot_{weekday.value}_{slot.value}"] for slot in Slot]) for weekday in WEEK_ORDER
        ]

    def chosen(self) -> list[tuple[int, str]]:
        return [
            (weekday.value, slot.value)
            for weekday in Weekday
            for slot in Slot
            if self.cleaned_data.get(f"slot_{weekday.value}_{slot.value}")
        ]
