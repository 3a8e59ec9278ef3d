"""Pure ledger rules (no database): which legs may be posted, what a partial reversal posts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from ledger.errors import AppendOnly, CurrencyMismatch, InvalidTransfer, UnbalancedTransfer
from ledger.models import Account
from ledger.rules import reversal_amounts, validate_legs

D = Decimal


def account(pk: int | None, currency: str = "EUR") -> Account:
    return Account(pk=pk, code=f"unit:{pk}", currency=currency)


def test_balanced_legs_in_one_currency_are_accepted_and_name_that_currency():
    assert validate_legs([(account(1), D("-10.50")), (account(2), D("7.50")), (account(3), D("3"))]) == "EUR"


def test_legs_that_do_not_sum_to_zero_are_refused():
    with pytest.raises(UnbalancedTransfer):
        validate_legs([(account(1), D("-10.00")), (account(2), D("9.99"))])


def test_legs_in_different_currencies_are_refused():
    with pytest.raises(CurrencyMismatch):
        validate_legs([(account(1, "EUR"), D("-10")), (account(2, "PTS"), D("10"))])


@pytest.mark.parametrize(
    "legs",
    [
        pytest.param([(1, D("0"))], id="a single leg"),
        pytest.param([(1, D("0")), (2, D("0"))], id="zero amounts"),
        pytest.param([(1, D("-0.005")), (2, D("0.005"))], id="fractions of a cent"),
        pytest.param([(1, D("-5")), (1, D("5"))], id="one account twice"),
        pytest.param([(1, -5.0), (2, 5.0)], id="floats"),
        pytest.param([(None, D("-5")), (2, D("5"))], id="an unsaved account"),
    ],
)
def test_malformed_legs_are_refused(legs):
    with pytest.raises(InvalidTransfer):
        validate_legs([(account(pk), amount) for pk, amount in legs])


def test_a_full_reversal_negates_every_leg():
    original = [(1, D("-100.00")), (2, D("85.00")), (3, D("15.00"))]
    reversed_legs = reversal_amounts(original, D("85.00"), currency="EUR")
    assert reversed_legs == [(1, D("100.00")), (2, D("-85.00")), (3, D("-15.00"))]


def test_a_partial_reversal_is_measured_on_the_first_positive_leg_and_scales_the_others():
    original = [(1, D("-100.00")), (2, D("85.00")), (3, D("15.00"))]
    reversed_legs = reversal_amounts(original, D("17.00"), currency="EUR")
    assert reversed_legs == [(1, D("20.00")), (2, D("-17.00")), (3, D("-3.00"))]


def test_a_partial_reversal_that_rounds_still_sums_to_zero_with_the_largest_leg_absorbing_the_cent():
    original = [(1, D("-10.00")), (2, D("3.00")), (3, D("3.50")), (4, D("3.50"))]
    # Rounded one by one these would be 3.33, -1.00, -1.17, -1.17: a cent short.
    reversed_legs = reversal_amounts(original, D("1.00"), currency="EUR")
    assert reversed_legs == [(1, D("3.34")), (2, D("-1.00")), (3, D("-1.17")), (4, D("-1.17"))]


def test_legs_that_scale_to_less_than_a_cent_are_left_out_of_a_partial_reversal():
    original = [(1, D("-1000.01")), (2, D("1000.00")), (3, D("0.01"))]
    reversed_legs = reversal_amounts(original, D("100.00"), currency="EUR")
    assert reversed_legs == [(1, D("100.00")), (2, D("-100.00"))]


def test_ledger_errors_speak_persian_on_persian_pages():
    with translation.override("en"):
        english = str(AppendOnly().message)
    with translation.override("fa"):
        persian = str(AppendOnly().message)
    assert english.startswith("Ledger entries can never be changed")
    assert persian != english and "تراکنش" in persian


def test_a_partial_reversal_rounds_to_the_currency_smallest_unit_through_core_money():
    """Yen have no minor unit: the scaled legs are whole yen (core.money.quantize), not
    cents that no account in that currency can ever settle."""
    original = [(1, D("-10")), (2, D("3")), (3, D("7"))]
    assert reversal_amounts(original, D("1"), currency="JPY") == [(1, D("3")), (2, D("-1")), (3, D("-2"))]
