"""The Solar Hijri fixed public holidays (our own list), seeded into the holiday table;
lunar holidays move every year and are entered by staff."""

from __future__ import annotations

import jdatetime

from support.models import Holiday

# (month, day, name in Persian) of the Solar Hijri calendar.
FIXED_HOLIDAYS = (
    (1, 1, "نوروز"),
    (1, 2, "نوروز"),
    (1, 3, "نوروز"),
    (1, 4, "نوروز"),
    (1, 12, "روز جمهوری اسلامی"),
    (1, 13, "روز طبیعت"),
    (3, 14, "رحلت امام خمینی"),
    (3, 15, "قیام ۱۵ خرداد"),
    (11, 22, "پیروزی انقلاب اسلامی"),
    (12, 29, "ملی شدن صنعت نفت"),
)


def seed_fixed_holidays(jalali_year: int) -> int:
    """Add the year's fixed holidays (idempotent); returns how many rows were new."""
    created = 0
    for month, day, name in FIXED_HOLIDAYS:
        try:
            date = jdatetime.date(jalali_year, month, day).togregorian()
        except ValueError:
            continue
        _row, new = Holiday.objects.get_or_create(date=date, defaults={"name": name, "kind": Holiday.Kind.SOLAR})
        created += int(new)
    return created
