"""The ranges our columns and calendars can hold, checked before a value reaches them.

A number past a column's range is a 500 on PostgreSQL (integer 2^31-1, numeric(12, 2))
and silently different on SQLite; a date past what the Jalali calendar can format breaks
every Persian page that shows it. Forms, serializers and services check against these.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings

# The smallest integer column on any backend we run (PostgreSQL `integer`).
MAX_INT = 2**31 - 1
# Every money column is DecimalField(max_digits=12, decimal_places=2).
MAX_AMOUNT = Decimal("9999999999.99")
# Quote-line quantities are DecimalField(max_digits=10, decimal_places=2).
MAX_QUANTITY = Decimal("99999999.99")
# jdatetime formats Gregorian years 623..3000 or so; we accept a narrower, sane window.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2999, 12, 31)


def amount_fits(amount: Decimal | int) -> bool:
    """Whether `amount` fits a money column (either sign)."""
    return Decimal(amount).is_finite() and abs(Decimal(amount)) <= MAX_AMOUNT


def int_fits(value: int) -> bool:
    return -MAX_INT - 1 <= int(value) <= MAX_INT


def date_fits(value: dt.date) -> bool:
    """Whether `value` lies where both calendars can show it."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return MIN_DATE <= day <= MAX_DATE


def booking_horizon_days() -> int:
    return int(getattr(settings, "CHAARSOO_BOOKING_HORIZON_DAYS", 365))


def latest_booking_date(today: dt.date) -> dt.date:
    """The furthest day a visit can be booked for (a sensible horizon, not year 9999)."""
    return today + dt.timedelta(days=booking_horizon_days())
