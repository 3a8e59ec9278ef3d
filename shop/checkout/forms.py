from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.checkout.payment_methods import available_payment_methods


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How would you like to pay?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you would like to pay."),
            "invalid_choice": _("That payment method is not offered. Choose another one."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        methods = available_payment_methods()
        self.fields["method"].choices = [(m.code, m.label) for m in methods]
        if len(methods) == 1:
            self.fields["method"].initial = methods[0].code
