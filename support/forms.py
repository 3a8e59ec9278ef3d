from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from services_catalog.models import Area, Service
from support.models import Category, Feedback, Priority, QualityCall
from support.uploads import validate_attachment


class Styled:
    """Bootstrap's classes on every widget (full width on a phone)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-control"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class AttachmentField(forms.FileField):
    def validate(self, value):
        super().validate(value)
        if value:
            validate_attachment(value)


class ReportForm(Styled, forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "data-help-suggest": ""}))
    body = forms.CharField(label=_("Describe the problem"), widget=forms.Textarea(attrs={"rows": 5}))
    attachment = AttachmentField(label=_("Photo or PDF (optional)"), required=False)


class ReplyForm(Styled, forms.Form):
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = AttachmentField(label=_("Photo or PDF (optional)"), required=False)


class AgentReplyForm(Styled, forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    internal = forms.BooleanField(label=_("Internal note (the customer does not see it)"), required=False)
    wait = forms.BooleanField(label=_("Then wait for the customer's answer"), required=False)


class StatusForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, name) for name in ("wait", "resolve", "escalate", "close", "priority")])
    priority = forms.ChoiceField(choices=Priority.choices, required=False)
    note = forms.CharField(required=False, max_length=500)


class CallerLookupForm(Styled, forms.Form):
    query = forms.CharField(label=_("Mobile number or subscription code"), max_length=30)


class CallForm(Styled, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    notes = forms.CharField(label=_("What the caller said and what you did"), widget=forms.Textarea(attrs={"rows": 4}))
    minutes = forms.IntegerField(label=_("Call length (minutes)"), min_value=0, max_value=600, initial=3)
    ticket = forms.CharField(label=_("Add to ticket (number, optional)"), required=False, max_length=20)


class FeedbackForm(Styled, forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ("kind", "body")


class QualityCallForm(Styled, forms.ModelForm):
    class Meta:
        model = QualityCall
        fields = ("outcome", "score", "notes")


class VisitForm(Styled, forms.Form):
    """S18: book an on-site support visit (a service job)."""

    service = forms.ModelChoiceField(label=_("Service"), queryset=None)
    area = forms.ModelChoiceField(label=_("Area"), queryset=None)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 2}))
    fault = forms.ChoiceField(label=_("Whose fault is it?"), choices=(
        ("platform", _("Chaarsoo's: the visit is free")),
        ("customer", _("Not Chaarsoo's: priced from the price list")),
    ))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(is_active=True).order_by("name")
        self.fields["area"].queryset = Area.objects.order_by("name")
