"""Helpers shared by the support services: numbers, tokens, the calendar, due times."""

from __future__ import annotations

import datetime
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model

from core.permissions import role
from support import business_time as bt
from support.conf import DEFAULT_TARGETS
from support.models import Holiday, PriorityTarget, SupportCalendar, Team, Ticket

NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_number() -> str:
    while True:
        number = "T-" + "".join(secrets.choice(NUMBER_ALPHABET) for _position in range(7))
        if not Ticket.objects.filter(number=number).exists():
            return number


def new_token() -> str:
    return secrets.token_hex(8)


def load_calendar() -> bt.Calendar:
    """The pure calendar (support.business_time) from the staff-maintained tables.

    No calendar row at all: the standard week (Saturday–Wednesday 8–17, Thursday 8–13)."""
    periods: list[tuple[datetime.date | None, bt.Week]] = []
    for calendar in SupportCalendar.objects.prefetch_related("hours"):
        hours: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
        for row in calendar.hours.all():
            hours.setdefault(row.weekday, []).append((row.opens, row.closes))
        periods.append((calendar.valid_from, bt.Week({day: tuple(spans) for day, spans in hours.items()})))
    if not periods:
        periods = [(None, bt.standard_week())]
    holidays = frozenset(Holiday.objects.values_list("date", flat=True))
    return bt.Calendar(periods=tuple(periods), holidays=holidays, tz=ZoneInfo(settings.TIME_ZONE))


def targets_for(priority: str) -> tuple[int, int]:
    row = PriorityTarget.objects.filter(priority=priority).first()
    if row is not None:
        return row.first_response_minutes, row.resolution_minutes
    return DEFAULT_TARGETS.get(priority, DEFAULT_TARGETS["normal"])


def pauses_of(ticket: Ticket) -> list[bt.Pause]:
    if ticket.pk is None:
        return []
    return [(pause.started, pause.ended) for pause in ticket.pauses.all()]


def recompute_due(ticket: Ticket, calendar: bt.Calendar | None = None) -> None:
    """Set the ticket's due times from its targets, the calendar and its pauses (not saved)."""
    calendar = calendar or load_calendar()
    pauses = pauses_of(ticket)
    ticket.response_due = (None if ticket.first_response_at else
                           bt.due_at(ticket.created, ticket.response_target, calendar, pauses))
    ticket.resolution_due = (None if ticket.resolved_at else
                             bt.due_at(ticket.created, ticket.resolution_target, calendar, pauses))


def team_members(team: str, limit: int = 20):
    """The people of a team, for its notifications."""
    group = role("senior_agent" if team == Team.SENIOR else "agent").group
    return list(get_user_model().objects.filter(groups__name=group, is_active=True).order_by("pk")[:limit])
