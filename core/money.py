"""Money: `Decimal` with its currency beside it, never float. One rounding rule for the
whole platform (`quantize`), and the conversion to the integer minor units Stripe takes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
# Currencies Stripe charges without a minor unit (amounts are whole units).
ZERO_DECIMAL_CURRENCIES = frozenset(
    "BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split()
)


def minor_units(currency: str) -> int:
    """Decimal places of `currency`'s smallest unit (2 for EUR, 0 for JPY)."""
    return 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def quantize(amount: Decimal | int | str, currency: str) -> Decimal:
    """`amount` rounded half up to `currency`'s smallest unit: the one rounding rule."""
    return Decimal(amount).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def is_whole_minor(amount: Decimal, currency: str) -> bool:
    """Whether `amount` is already a whole number of the currency's smallest unit."""
    return Decimal(amount) == Decimal(amount).quantize(quantum(currency))


def to_minor(amount: Decimal, currency: str) -> int:
    """12.34 EUR -> 1234; 500 JPY -> 500. Rounds half up to the unit Stripe accepts."""
    return int((quantize(amount, currency) * (10 ** minor_units(currency))).to_integral_value())


def from_minor(amount: int, currency: str) -> Decimal:
    return (Decimal(amount) / (10 ** minor_units(currency))).quantize(quantum(currency))
