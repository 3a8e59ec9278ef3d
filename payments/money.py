"""Kept for callers of the gateway: the money rules live in core.money."""

from core.money import ZERO_DECIMAL_CURRENCIES, from_minor, minor_units, to_minor

__all__ = ["ZERO_DECIMAL_CURRENCIES", "from_minor", "minor_units", "to_minor"]
