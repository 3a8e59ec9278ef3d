"""Iranian addresses: postcodes as people write them (issue 15 point 10) and the country's
name in the reader's language (issue 15 point 7).

Oscar knows an Iranian postcode only as "12345-67890"; most Iranians write the ten digits
without the dash, often in Persian digits, and were refused with no hint. Every address
model (the customer's, the order's shipping and billing address) shares Oscar's
`AbstractAddress`, so the rule is set there once, when the shop starts: ten digits, with
or without the dash, in any digits; stored as "12345-67890".

Oscar's country table holds one English name per country ("Iran"), printed on every address
(checkout, order pages, the address book, vendors' shipments, the dashboard). The names of
the countries we ship to are translated here, by ISO code; the stored name stays as it is
(the address hash that finds duplicates is computed from it) and is shown only for a
country we have no name for.
"""

from __future__ import annotations

import re

from django.core import exceptions
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.address.abstract_models import AbstractAddress, AbstractCountry

from core.text import to_ascii_digits

IRAN = "IR"
# The countries the shop ships to, by ISO 3166-1 alpha-2 code.
COUNTRY_NAMES = {IRAN: gettext_lazy("Iran")}
_IRANIAN_POSTCODE = re.compile(r"^([0-9]{5})-?([0-9]{5})$")


def _ensure_postcode_is_valid_for_country(self) -> None:
    country_code = self.country.iso_3166_1_a2 if self.country_id else ""
    if self.postcode and country_code == IRAN:
        postcode = to_ascii_digits(self.postcode).replace(" ", "").replace("\u200c", "")
        match = _IRANIAN_POSTCODE.match(postcode)
        if match is None:
            raise exceptions.ValidationError({"postcode": [
                _("An Iranian postcode has ten digits, such as 1434843311 or 14348-43311.")
            ]})
        self.postcode = f"{match.group(1)}-{match.group(2)}"
        return
    _oscar_check(self)


_oscar_check = AbstractAddress.ensure_postcode_is_valid_for_country


def accept_iranian_postcodes() -> None:
    AbstractAddress.POSTCODES_REGEX[IRAN] = _IRANIAN_POSTCODE.pattern
    AbstractAddress.ensure_postcode_is_valid_for_country = _ensure_postcode_is_valid_for_country


def country_name(country: AbstractCountry) -> str:
    """The country's name in the active language (the stored English one if we have none)."""
    name = COUNTRY_NAMES.get(country.iso_3166_1_a2)
    return str(name) if name is not None else (country.printable_name or country.name)


def _active_address_fields(self: AbstractAddress) -> list[str]:
    """Oscar's address lines (summary, address blocks) with the country's name translated."""
    values = []
    for field in self.base_fields:
        if field == "country" and self.country_id:
            values.append(country_name(self.country))
        else:
            values.extend(self.get_field_values([field]))
    return [value.strip() for value in values if value]


def translate_country_names() -> None:
    AbstractCountry.__str__ = country_name
    AbstractAddress.active_address_fields = _active_address_fields
