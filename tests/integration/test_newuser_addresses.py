"""Issue 15 point 10: an Iranian postcode is accepted as people write it (ten digits, with
or without the dash, Persian digits too); a wrong one says what is expected."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from oscar.core.loading import get_model

from tests.factories_vendors import iran

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
UserAddress = get_model("address", "UserAddress")


@pytest.mark.parametrize("typed", ["1434843311", "14348-43311", "۱۴۳۴۸۴۳۳۱۱", "14348 43311"])
def test_ten_digits_with_or_without_the_dash_are_accepted(typed):
    address = UserAddress(first_name="Sara", line1="Azadi St.", line4="Tehran", postcode=typed, country=iran())
    address.ensure_postcode_is_valid_for_country()
    assert address.postcode == "14348-43311"


def test_a_wrong_postcode_says_what_an_iranian_postcode_looks_like():
    address = UserAddress(first_name="Sara", line1="Azadi St.", line4="Tehran", postcode="12345", country=iran())
    with translation.override("en"), pytest.raises(ValidationError) as error:
        address.ensure_postcode_is_valid_for_country()
    assert "1434843311" in str(error.value)
