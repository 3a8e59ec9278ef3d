"""Forms of the office console and the staff pages (shape input for one service call)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from offices.models import Errand, PartnerOffice, Region
from services_catalog.forms import BootstrapForm, CustomerCreateForm, CustomerLookupForm

__all__ = ["CustomerCreateForm", "CustomerLookupForm"]


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.parent.get_name()} › {obj.get_name()}"


class ErrandFileForm(BootstrapForm):
    service = forms.ModelChoiceField(label=_("Errand"), queryset=None)
    county = CountyChoiceField(label=_("Destination (province › county)"), queryset=None)
    address = forms.CharField(label=_("Where the errand is done (office, address)"),
                              widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label=_("What exactly is to be done"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    originals = forms.ChoiceField(label=_("Originals"), choices=Errand.Originals.choices,
                                  initial=Errand.Originals.NONE)
    tracking_number = forms.CharField(label=_("Tracking number (post or courier)"), max_length=60, required=False)

    def __init__(self, *args, services, service=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["county"].queryset = Region.objects.filter(kind=Region.Kind.COUNTY).select_related(
            "parent").order_by("parent__name", "name")
        self.requirements = list(service.required_documents.all()) if service is not None else []
        for requirement in self.requirements:
            label = requirement.get_name()
            if requirement.original_needed:
                label = _("%(name)s (scan; the original travels as chosen above)") % {"name": label}
            self.fields[f"doc_{requirement.pk}"] = forms.FileField(
                label=label, required=not requirement.original_needed)
        self.style_widgets()

    def documents(self) -> list[dict]:
        return [{"requirement": requirement, "delivery": "upload",
                 "file": self.cleaned_data.get(f"doc_{requirement.pk}")} for requirement in self.requirements]


class DeclineForm(BootstrapForm):
    reason = forms.CharField(label=_("Why the office declines"), widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(BootstrapForm):
    note = forms.CharField(label=_("Progress note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResultForm(BootstrapForm):
    reference = forms.CharField(label=_("Reference number"), max_length=100, required=False)
    note = forms.CharField(label=_("Result"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Receipt or scanned certificate"), required=False)
    negative = forms.BooleanField(label=_("The third party's answer was negative"), required=False)


class RefundRequestForm(BootstrapForm):
    reason = forms.CharField(label=_("What went wrong, and why it was not the customer's fault"),
                             widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence (the office's answer, a receipt)"), required=False)


class RefundDecisionForm(BootstrapForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=(("approve", _("Approve")), ("reject", _("Reject"))))
    amount = forms.DecimalField(label=_("Amount to refund (empty: everything paid)"), required=False,
                                max_digits=12, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Note"), required=False)


class RerouteForm(BootstrapForm):
    office = forms.ModelChoiceField(label=_("Office"), queryset=PartnerOffice.objects.filter(is_active=True))
    note = forms.CharField(label=_("Why"), required=False)


class ClerkForm(BootstrapForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=8)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)


class PayoutForm(BootstrapForm):
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0)
    reference = forms.CharField(label=_("Bank reference"), max_length=100)


class OfficeForm(forms.ModelForm):
    class Meta:
        model = PartnerOffice
        fields = ["code", "kind", "name", "name_en", "county", "address", "latitude", "longitude", "services",
                  "open_days", "opens_at", "closes_at", "phone", "email", "is_active"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2}), "opens_at": forms.TimeInput(attrs={"type": "time"}),
                   "closes_at": forms.TimeInput(attrs={"type": "time"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from offices.services import errand_services

        self.fields["county"] = CountyChoiceField(
            label=_("Province › county"),
            queryset=Region.objects.filter(kind=Region.Kind.COUNTY).select_related("parent").order_by("parent__name",
                                                                                                      "name"))
        self.fields["services"].queryset = errand_services()
        self.fields["services"].required = False
        for field in self.fields.values():
            if not isinstance(field.widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
                field.widget.attrs.setdefault("class", "form-control")

    def save(self, commit: bool = True):
        office = super().save(commit=False)
        office.province = office.county.parent
        if commit:
            office.save()
            self.save_m2m()
        return office
