"""Money for the gateway: Decimal amounts in, integers in the currency's minor unit out."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# Currencies Stripe charges without a minor unit (amounts are whole units).
ZERO_DECIMAL_CURRENCIES = frozenset(
    "BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split()
)


def minor_units(currency: str) -> int:
    return 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2


def to_minor(amount: Decimal, currency: str) -> int:
    """12.34 EUR -> 1234; 500 JPY -> 500. Rounds half up to the unit Stripe accepts."""
    places = minor_units(currency)
    quantum = Decimal(1).scaleb(-places)
    return int((Decimal(amount).quantize(quantum, rounding=ROUND_HALF_UP) * (10**places)).to_integral_value())


def from_minor(amount: int, currency: str) -> Decimal:
    places = minor_units(currency)
    return (Decimal(amount) / (10**places)).quantize(Decimal(1).scaleb(-places))
