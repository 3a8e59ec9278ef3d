"""Registration asks the customer's name (issue 15 point 3).

Oscar's sign-up form takes an email and a password only, so operators and vendors saw
generated usernames. Ours asks the first and last name too; both of Oscar's sign-up
pages (the combined sign-in page and /register/) use it (wired in shop/urls.py).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.forms import EmailUserCreationForm
from oscar.apps.customer.views import AccountAuthView, AccountRegistrationView


class NamedUserCreationForm(EmailUserCreationForm):
    field_order = ["first_name", "last_name", "email", "password1", "password2", "redirect_url"]

    class Meta(EmailUserCreationForm.Meta):
        fields = ("first_name", "last_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (("first_name", _("First name")), ("last_name", _("Last name"))):
            self.fields[name].required = True
            self.fields[name].label = label
        self.order_fields(self.field_order)

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self):
        return " ".join(self.cleaned_data["last_name"].split())


class NamedAccountAuthView(AccountAuthView):
    registration_form_class = NamedUserCreationForm


class NamedAccountRegistrationView(AccountRegistrationView):
    form_class = NamedUserCreationForm
