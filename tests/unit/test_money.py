from decimal import Decimal

from payments.money import from_minor, to_minor


def test_amounts_go_to_stripe_in_minor_units():
    assert to_minor(Decimal("12.34"), "EUR") == 1234
    assert to_minor(Decimal("0.005"), "usd") == 1  # half up
    assert to_minor(Decimal("500"), "JPY") == 500  # zero-decimal currency


def test_minor_units_come_back_as_decimals():
    assert from_minor(1234, "EUR") == Decimal("12.34")
    assert from_minor(500, "JPY") == Decimal("500")
