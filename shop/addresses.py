"""Iranian postcodes as people write them (issue 15 point 10).

Oscar knows an Iranian postcode only as "12345-67890"; most Iranians write the ten digits
without the dash, often in Persian digits, and were refused with no hint. Every address
model (the customer's, the order's shipping and billing address) shares Oscar's
`AbstractAddress`, so the rule is set there once, when the shop starts: ten digits, with
or without the dash, in any digits; stored as "12345-67890".
"""

from __future__ import annotations

import re

from django.core import exceptions
from django.utils.translation import gettext as _
from oscar.apps.address.abstract_models import AbstractAddress

from core.text import to_ascii_digits

IRAN = "IR"
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
