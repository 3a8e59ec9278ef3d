"""Business time (T3, T5): pure functions over a support calendar, no database, no clock.

A `Calendar` is the weekly staffed hours (Iranian week: Saturday is the first day, Friday
is off unless hours are given for it), in effect from a date on (`periods`, so the hours
can change while a ticket is open), plus the holidays (whole days off) and the time zone.

    due_at(start, minutes, calendar, pauses)       -> when `minutes` of business time have run
    business_minutes(start, end, calendar, pauses) -> business minutes between two moments

A pause (the ticket waits for the customer) stops the clock: the business minutes that fall
inside a pause do not count. A pause spanning a night removes only that pause's business
minutes, never the night (which counted nothing anyway). An open pause (end None) stops
the clock for good: `due_at` answers None.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

# Python's weekday numbers: Monday 0 … Sunday 6. The Iranian week starts on Saturday (5).
SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = 5, 6, 0, 1, 2, 3, 4
IRANIAN_WEEK = (SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY)
# How far ahead due_at looks before giving up (a calendar with no hours at all).
HORIZON_DAYS = 800

Span = tuple[datetime.time, datetime.time]
Pause = tuple[datetime.datetime, datetime.datetime | None]


@dataclass(frozen=True)
class Week:
    """Staffed hours per weekday (Python numbering); a day missing is a day off."""

    hours: dict[int, tuple[Span, ...]] = field(default_factory=dict)

    def spans(self, weekday: int) -> tuple[Span, ...]:
        return self.hours.get(weekday, ())


@dataclass(frozen=True)
class Calendar:
    # (valid_from, week), the first valid_from may be None ("always").
    periods: tuple[tuple[datetime.date | None, Week], ...]
    holidays: frozenset[datetime.date] = frozenset()
    tz: datetime.tzinfo = ZoneInfo("Asia/Tehran")

    def week_on(self, day: datetime.date) -> Week:
        chosen = Week()
        for valid_from, week in sorted(self.periods, key=lambda p: p[0] or datetime.date.min):
            if valid_from is None or valid_from <= day:
                chosen = week
        return chosen

    def open_spans_on(self, day: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
        if day in self.holidays:
            return []
        spans = []
        for opens, closes in self.week_on(day).spans(day.weekday()):
            start = datetime.datetime.combine(day, opens, tzinfo=self.tz)
            end = (datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0), tzinfo=self.tz)
                   if closes == datetime.time(0) else datetime.datetime.combine(day, closes, tzinfo=self.tz))
            if end > start:
                spans.append((start, end))
        return spans


def standard_week(opens: datetime.time = datetime.time(8), closes: datetime.time = datetime.time(17),
                  thursday_closes: datetime.time | None = datetime.time(13)) -> Week:
    """Saturday to Wednesday full days, Thursday a half day, Friday off."""
    hours: dict[int, tuple[Span, ...]] = {day: ((opens, closes),) for day in IRANIAN_WEEK[:5]}
    if thursday_closes is not None:
        hours[THURSDAY] = ((opens, thursday_closes),)
    return Week(hours)


def _open_spans(calendar: Calendar, start: datetime.datetime, end: datetime.datetime | None
                ) -> Iterator[tuple[datetime.datetime, datetime.datetime]]:
    """The staffed spans that overlap [start, end) (end None: open-ended), in order."""
    day = start.astimezone(calendar.tz).date() - datetime.timedelta(days=1)
    last_day = (end.astimezone(calendar.tz).date() if end is not None
                else day + datetime.timedelta(days=HORIZON_DAYS))
    while day <= last_day:
        for span_start, span_end in calendar.open_spans_on(day):
            lo = max(span_start, start)
            hi = span_end if end is None else min(span_end, end)
            if hi > lo:
                yield lo, hi
        day += datetime.timedelta(days=1)


def _subtract(span: tuple[datetime.datetime, datetime.datetime], pauses: Sequence[Pause],
              far: datetime.datetime) -> list[tuple[datetime.datetime, datetime.datetime]]:
    pieces = [span]
    for pause_start, pause_end in pauses:
        pause_end = pause_end or far
        cut = []
        for lo, hi in pieces:
            if pause_end <= lo or pause_start >= hi:
                cut.append((lo, hi))
                continue
            if pause_start > lo:
                cut.append((lo, pause_start))
            if pause_end < hi:
                cut.append((pause_end, hi))
        pieces = cut
    return pieces


def business_minutes(start: datetime.datetime, end: datetime.datetime, calendar: Calendar,
                     pauses: Iterable[Pause] = ()) -> float:
    """Business minutes from `start` to `end`, less those spent in a pause."""
    if end <= start:
        return 0.0
    pauses = list(pauses)
    total = datetime.timedelta()
    for span in _open_spans(calendar, start, end):
        for lo, hi in _subtract(span, pauses, end):
            total += hi - lo
    return total.total_seconds() / 60


def due_at(start: datetime.datetime, minutes: float, calendar: Calendar,
           pauses: Iterable[Pause] = ()) -> datetime.datetime | None:
    """The moment `minutes` of business time after `start` have run, pauses not counted.

    None when the clock is stopped for good (an open pause reached before the target) or
    the calendar has no staffed hours within the horizon."""
    pauses = sorted(pauses, key=lambda p: p[0])
    remaining = datetime.timedelta(minutes=minutes)
    far = start + datetime.timedelta(days=HORIZON_DAYS + 2)
    if remaining <= datetime.timedelta():
        return start
    for span in _open_spans(calendar, start, None):
        for lo, hi in _subtract(span, pauses, far):
            if hi - lo >= remaining:
                return lo + remaining
            remaining -= hi - lo
        if any(pause_end is None and pause_start <= span[1] for pause_start, pause_end in pauses):
            return None
    return None


def is_open(moment: datetime.datetime, calendar: Calendar) -> bool:
    day = moment.astimezone(calendar.tz).date()
    return any(lo <= moment < hi for lo, hi in calendar.open_spans_on(day))


def next_opening(moment: datetime.datetime, calendar: Calendar) -> datetime.datetime | None:
    """`moment` itself when staffed, else the start of the next staffed span."""
    for lo, _hi in _open_spans(calendar, moment, None):
        return lo
    return None
