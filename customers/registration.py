"""Registration asks the customer's name and mobile number (issue 15 point 3, issue 17).

Oscar's sign-up form takes an email and a password only, so operators and vendors saw
generated usernames. Ours asks the first and last name too, and optionally a mobile
number (proved later by SMS code); both of Oscar's sign-up pages (the combined sign-in
page and /register/) use it (wired in shop/urls.py), and so does the API.

Oscar's form says "A user with that email address already exists": ours does not check,
and `registration_submit` answers a taken address exactly like a free one (issue 14
point 2). Neither page signs the visitor in: the mail's link activates the account.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.forms import EmailUserCreationForm
from oscar.apps.customer.utils import normalise_email
from oscar.apps.customer.views import AccountAuthView, AccountRegistrationView

from customers.account_services import registration_submit
from customers.errors import InvalidPhone
from customers.services import phone_normalise


class NamedUserCreationForm(EmailUserCreationForm):
    field_order = ["first_name", "last_name", "email", "phone", "password1", "password2", "redirect_url"]

    phone = forms.CharField(
        label=_("Mobile number (optional)"), max_length=32, required=False,
        help_text=_("We text you a code to prove it. Example: 0912 345 6789."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )

    class Meta(EmailUserCreationForm.Meta):
        fields = ("first_name", "last_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (("first_name", _("First name")), ("last_name", _("Last name"))):
            self.fields[name].required = True
            self.fields[name].label = label
        self.order_fields(self.field_order)

    def clean_email(self) -> str:
        # Oscar's check for an existing address is the leak: the service decides, silently.
        return normalise_email(self.cleaned_data["email"])

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if not raw.strip():
            return ""
        try:
            return phone_normalise(raw)
        except InvalidPhone as exc:
            raise forms.ValidationError(exc.message, code=exc.code)

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self):
        return " ".join(self.cleaned_data["last_name"].split())


def _check_your_email() -> HttpResponse:
    return redirect("customers:signup-sent")


class NamedAccountAuthView(AccountAuthView):
    registration_form_class = NamedUserCreationForm

    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if form.is_valid():
            registration_submit(form=form, request=self.request)
            return _check_your_email()
        return self.render_to_response(self.get_context_data(registration_form=form))


class NamedAccountRegistrationView(AccountRegistrationView):
    form_class = NamedUserCreationForm

    def form_valid(self, form):
        registration_submit(form=form, request=self.request)
        return _check_your_email()
