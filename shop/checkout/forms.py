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


class InstallationForm(forms.Form):
    """Which of the basket's installable items the shopper wants installed (P1).

    `options` come from vendors.services.basket_installation_options: only lines whose
    vendor contract offers installation can be ticked.
    """

    installation = forms.TypedMultipleChoiceField(
        label=_("Installation"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Installation is not offered for that item any more. Choose again.")},
    )

    def __init__(self, *args, options: list[dict], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["installation"].choices = [(str(o["line"].pk), o["product"].get_title()) for o in options]

    def chosen_line_ids(self) -> set[int]:
        return set(self.cleaned_data.get("installation") or [])
