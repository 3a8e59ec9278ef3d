"""Shared pieces of the service models: money rounding, slots, weekdays, volume pricing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.money import quantize

ZERO = Decimal("0.00")
CENT = Decimal("0.01")  # kept for importers; rounding goes through core.money.quantize


def _wants_english() -> bool:
    return (get_language() or "fa").startswith("en")


def default_currency() -> str:
    return settings.OSCAR_DEFAULT_CURRENCY


def money(value: Decimal | int | str, currency: str | None = None) -> Decimal:
    """Round to the currency's smallest unit, half up (core.money.quantize, the one
    rounding rule); `currency` defaults to the site's currency."""
    return quantize(value, currency or default_currency())


# --------------------------------------------------------------------------- slots (S13)
class Slot(models.TextChoices):
    MORNING = "morning", _("Morning (08:00–12:00)")
    AFTERNOON = "afternoon", _("Afternoon (12:00–16:00)")
    EVENING = "evening", _("Evening (16:00–20:00)")


# Fixed daily slots: (start hour, end hour) in the site's time zone.
SLOTS: dict[str, tuple[int, int]] = {
    Slot.MORNING: (8, 12),
    Slot.AFTERNOON: (12, 16),
    Slot.EVENING: (16, 20),
}


def slot_bounds(day: datetime.date, slot: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware start and end of `slot` on `day`, in the site's time zone."""
    from django.utils import timezone

    start_hour, end_hour = SLOTS[slot]
    tz = timezone.get_default_timezone()
    start = datetime.datetime.combine(day, datetime.time(start_hour), tzinfo=tz)
    end = datetime.datetime.combine(day, datetime.time(end_hour), tzinfo=tz)
    return start, end


class Weekday(models.IntegerChoices):
    # Python's date.weekday() numbering, so availability compares without conversion.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def unit_price_at(quantity: int, *, base_price: Decimal, tiers: Iterable[tuple[int, Decimal]]) -> Decimal:
    """S3: the unit price of the highest volume tier `quantity` reaches, else the base price."""
    price = base_price
    for min_quantity, unit_price in sorted(tiers):
        if quantity >= min_quantity:
            price = unit_price
    return price
