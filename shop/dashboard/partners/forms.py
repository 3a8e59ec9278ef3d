"""The partner forms with the English name beside Oscar's (Persian) name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.partners.forms import *  # noqa: F403 (Oscar's get_class looks here for every form)
from oscar.apps.dashboard.partners.forms import PartnerAddressForm as OscarPartnerAddressForm
from oscar.apps.dashboard.partners.forms import PartnerCreateForm as OscarPartnerCreateForm


class PartnerCreateForm(OscarPartnerCreateForm):
    class Meta(OscarPartnerCreateForm.Meta):
        fields = ("name", "name_en")


class PartnerAddressForm(OscarPartnerAddressForm):
    # The address form edits the partner's address row; the names belong to the partner,
    # so the view copies them across (as Oscar's view does for `name`).
    name_en = forms.CharField(required=False, max_length=128, label=_("Name (English)"),
                              help_text=_("Shown on English pages; leave empty to show the Persian name."))

    field_order = ["name", "name_en"]
