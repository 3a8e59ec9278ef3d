"""T3, T5: business time is a pure function of (start, calendar, pauses); these tests inject
every moment, so no test reads the clock."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from support import business_time as bt

TEHRAN = ZoneInfo("Asia/Tehran")
WEEK = bt.standard_week()  # Sat–Wed 8–17, Thu 8–13, Fri off
CAL = bt.Calendar(periods=((None, WEEK),), tz=TEHRAN)


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime.datetime:
    """A moment in Tehran in December 2026 (5 December is a Saturday)."""
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=TEHRAN)


def test_minutes_inside_one_staffed_day():
    assert bt.business_minutes(at(5, 9), at(5, 11, 30), CAL) == 150


def test_the_night_counts_nothing():
    # Saturday 16:00 to Sunday 9:00: one hour before closing, one after opening.
    assert bt.business_minutes(at(5, 16), at(6, 9), CAL) == 120


def test_thursday_half_day_and_friday_off():
    # Thursday 12:00 -> Saturday 9:00: Thursday 12-13, Friday nothing, Saturday 8-9.
    assert bt.business_minutes(at(10, 12), at(12, 9), CAL) == 120
    assert bt.due_at(at(10, 12), 120, CAL) == at(12, 9)


def test_due_time_rolls_over_the_weekend():
    # 4 business hours from Thursday 11:00: 2 on Thursday, Friday off, 2 on Saturday.
    assert bt.due_at(at(10, 11), 240, CAL) == at(12, 10)


def test_a_filing_at_night_starts_counting_at_opening():
    assert bt.due_at(at(5, 22), 60, CAL) == at(6, 9)
    assert bt.business_minutes(at(5, 22), at(6, 7), CAL) == 0


def test_a_holiday_is_skipped():
    holiday = bt.Calendar(periods=((None, WEEK),), holidays=frozenset({datetime.date(2026, 12, 6)}), tz=TEHRAN)
    # Saturday 16:00 + 2h: Saturday 16-17, Sunday is a holiday, Monday 8-9.
    assert bt.due_at(at(5, 16), 120, holiday) == at(7, 9)
    assert bt.business_minutes(at(5, 16), at(7, 9), holiday) == 120


def test_a_pause_spanning_the_night_removes_only_its_business_minutes():
    # Filed Saturday 15:00; waited for the customer from 16:00 to Sunday 10:00.
    pause = (at(5, 16), at(6, 10))
    # Counted: Sat 15-16 (60) + Sun 10-12 (120); the pause removed Sat 16-17 and Sun 8-10.
    assert bt.business_minutes(at(5, 15), at(6, 12), CAL, [pause]) == 180
    # Wall-clock pause time would have been 18 hours; business time removes 3 hours only.
    assert bt.due_at(at(5, 15), 180, CAL, [pause]) == at(6, 12)


def test_an_open_pause_stops_the_clock():
    assert bt.due_at(at(5, 9), 120, CAL, [(at(5, 10), None)]) is None
    assert bt.business_minutes(at(5, 9), at(7, 12), CAL, [(at(5, 10), None)]) == 60


def test_a_calendar_change_mid_ticket_applies_from_its_date():
    late = bt.Week({day: ((datetime.time(12), datetime.time(20)),) for day in bt.IRANIAN_WEEK[:6]})
    changing = bt.Calendar(periods=((None, WEEK), (datetime.date(2026, 12, 6), late)), tz=TEHRAN)
    # Saturday (old hours) 16-17 = 60; Sunday (new hours, 12-20) until 14:00 = 120.
    assert bt.business_minutes(at(5, 16), at(6, 14), changing) == 180
    assert bt.due_at(at(5, 16), 180, changing) == at(6, 14)


def test_is_open_and_next_opening():
    assert bt.is_open(at(5, 9), CAL)
    assert not bt.is_open(at(11, 9), CAL)  # Friday
    assert bt.next_opening(at(10, 14), CAL) == at(12, 8)  # Thursday afternoon -> Saturday


def test_due_and_minutes_agree():
    start = at(7, 13, 17)
    for minutes in (1, 59, 600, 2000):
        due = bt.due_at(start, minutes, CAL)
        assert round(bt.business_minutes(start, due, CAL)) == minutes
