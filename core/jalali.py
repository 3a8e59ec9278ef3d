"""Format dates in the Persian (Jalali) calendar with Django's date-format letters."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import jdatetime

from core.text import to_persian_digits

MONTHS_FA = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)
# jdatetime counts weekdays from Saturday (0) to Friday (6).
WEEKDAYS_FA = ("شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه")


def to_jalali(value: dt.date) -> jdatetime.date:
    if isinstance(value, dt.datetime):
        return jdatetime.datetime.fromgregorian(datetime=value)
    return jdatetime.date.fromgregorian(date=value)


@lru_cache(maxsize=4096)
def _jalali_day(day: dt.date) -> tuple[int, int, int, int]:
    """(year, month, day, weekday from Saturday) of a Gregorian day. A list page shows
    the same few days on every row, and jdatetime re-reads the process locale on every
    conversion and weekday (issue 16: a tenth of a 50-row dashboard page), so each day is
    converted once per process."""
    jvalue = jdatetime.date.fromgregorian(date=day)
    return jvalue.year, jvalue.month, jvalue.day, jvalue.weekday()


def format_jalali(value: dt.date, fmt: str) -> str:
    """Render `value` with a Django date format string, Jalali calendar, Persian digits."""
    try:
        # The wall-clock day of a datetime, as jdatetime.datetime.fromgregorian reads it.
        year, month, day, weekday = _jalali_day(value.date() if isinstance(value, dt.datetime) else value)
    except ValueError:  # beyond the Jalali calendar's range (year 9999): show it as stored
        return to_persian_digits(value.isoformat()[:10])
    hour = getattr(value, "hour", 0)
    minute = getattr(value, "minute", 0)
    second = getattr(value, "second", 0)
    pieces = {
        "d": f"{day:02d}",
        "j": str(day),
        "m": f"{month:02d}",
        "n": str(month),
        "y": f"{year % 100:02d}",
        "Y": str(year),
        "F": MONTHS_FA[month - 1],
        "N": MONTHS_FA[month - 1],
        "M": MONTHS_FA[month - 1],
        "b": MONTHS_FA[month - 1],
        "E": MONTHS_FA[month - 1],
        "D": WEEKDAYS_FA[weekday],
        "l": WEEKDAYS_FA[weekday],
        "H": f"{hour:02d}",
        "G": str(hour),
        "i": f"{minute:02d}",
        "s": f"{second:02d}",
        "A": "ب‌ظ" if hour >= 12 else "ق‌ظ",
        "a": "ب‌ظ" if hour >= 12 else "ق‌ظ",
        "P": f"{hour}:{minute:02d}",
        "S": "",
    }
    out: list[str] = []
    escaped = False
    for char in fmt:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(pieces.get(char, char))
    return to_persian_digits("".join(out))
