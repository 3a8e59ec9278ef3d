"""Phone numbers and subscription codes, without a database (A2, A6)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from core.errors import DomainError
from customers.errors import InvalidPhone
from customers.models import generate_subscription_code
from customers.services import phone_normalise, subscription_code_normalise

MOBILE = "+989121234567"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("09121234567", MOBILE),
        ("9121234567", MOBILE),
        ("0912 123 4567", MOBILE),
        ("0912-123-4567", MOBILE),
        ("(0912) 123.4567", MOBILE),
        ("۰۹۱۲۱۲۳۴۵۶۷", MOBILE),  # Persian digits
        ("٠٩١٢١٢٣٤٥٦٧", MOBILE),  # Arabic-Indic digits
        ("  ۰۹۱۲-۱۲۳ ۴۵۶۷ ", MOBILE),
        ("0098 912 123 4567", MOBILE),
        ("00989121234567", MOBILE),
        ("+989121234567", MOBILE),
        ("+98 912 123 4567", MOBILE),
        ("+98 (0) 912 123 4567", MOBILE),
        ("+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷", MOBILE),
        ("989121234567", MOBILE),
        ("\u200e+98 912 123 4567\u200f", MOBILE),  # copied out of right-to-left text
        ("0935\u200c1234567", "+989351234567"),
        ("+49 151 12345678", "+4915112345678"),
        ("0044 7700 900123", "+447700900123"),
    ],
)
def test_every_way_of_writing_a_mobile_number_gives_one_spelling(raw, expected):
    assert phone_normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("", "mobile number"),
        ("   ", "mobile number"),
        ("02112345678", "landline"),  # Tehran landline: cannot receive SMS
        ("+982112345678", "landline"),
        ("0912123456", "11 digits"),  # one digit short
        ("091212345678", "11 digits"),  # one digit too many
        ("0912abc4567", "only digits"),
        ("++989121234567", "only digits"),
        ("+0049151123456", "country code"),
        ("+1234567", "8 to 15 digits"),
        ("+1234567890123456", "8 to 15 digits"),
        ("9" * 40, "mobile number"),
    ],
)
def test_a_number_that_cannot_be_texted_is_refused_with_a_message_to_act_on(raw, hint):
    with pytest.raises(InvalidPhone) as caught:
        phone_normalise(raw)
    error = caught.value
    assert isinstance(error, DomainError)
    assert error.code == "invalid_phone" and error.status_code == 400
    with translation.override("en"):
        assert hint in str(error.message)


def test_the_refusal_reads_in_persian_on_persian_pages():
    with pytest.raises(InvalidPhone) as caught:
        phone_normalise("02112345678")
    with translation.override("fa"):
        assert "تلفن ثابت" in str(caught.value.message)


def test_subscription_codes_have_no_characters_that_read_alike_A6():
    codes = {generate_subscription_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert re.fullmatch(r"CH-[A-Z2-9]{6}", code), code
        assert not set(code[3:]) & set("0O1I"), code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CH-4K7Q2M", "CH-4K7Q2M"),
        ("ch-4k7q2m", "CH-4K7Q2M"),
        ("ch 4k7 q2m", "CH-4K7Q2M"),
        ("4K7Q2M", "CH-4K7Q2M"),
        ("CH-۴K۷Q۲M", "CH-4K7Q2M"),  # typed on a Persian keyboard
        ("CH-4K7Q2", None),  # too short
        ("CH-4K7Q2O", None),  # O is never used
        ("09121234567", None),
        ("", None),
    ],
)
def test_a_subscription_code_is_recognised_however_it_is_typed(raw, expected):
    assert subscription_code_normalise(raw) == expected
