"""The escalation duty (T3): warning at 80 % of a target, breach at 100 %, and a breached
resolution target moves the ticket to the senior queue. Each level is reached once per
ticket (a timestamp on the ticket, set under the row lock) and logged as a TicketEvent;
the time counted is business time, so nothing moves at night or on a holiday, and the
time a ticket waited for the customer does not count."""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import clock
from notifications.services import notify
from support import business_time as bt
from support.conf import warning_share
from support.machine import TICKET
from support.models import Team, Ticket
from support.services._common import load_calendar, pauses_of, recompute_due, team_members
from support.services.tickets import ticket_escalate

LEVELS = (  # (field, transition, which target, share of it)
    ("response_warned_at", "response_warning", "response", "warning"),
    ("response_breached_at", "response_breach", "response", "breach"),
    ("resolution_warned_at", "resolution_warning", "resolution", "warning"),
    ("resolution_breached_at", "resolution_breach", "resolution", "breach"),
)


def elapsed_share(ticket: Ticket, which: str, now: datetime.datetime, calendar: bt.Calendar) -> float:
    """How much of a target's business time has been used (1.0 = due now)."""
    target = ticket.response_target if which == "response" else ticket.resolution_target
    end = ticket.first_response_at if which == "response" and ticket.first_response_at else now
    used = bt.business_minutes(ticket.created, end, calendar, pauses_of(ticket))
    return used / target if target else 1.0


def levels_due(ticket: Ticket, now: datetime.datetime, calendar: bt.Calendar) -> list[tuple[str, str]]:
    """The (field, transition) levels this ticket has reached and not yet recorded."""
    due = []
    for field, name, which, level in LEVELS:
        if getattr(ticket, field) is not None:
            continue
        if which == "response" and ticket.first_response_at is not None:
            continue
        share = elapsed_share(ticket, which, now, calendar)
        if share >= (warning_share() if level == "warning" else 1.0):
            due.append((field, name))
    return due


def check_ticket(ticket: Ticket, *, now: datetime.datetime, calendar: bt.Calendar) -> list[str]:
    """Record every level the ticket has newly reached; returns their names."""
    reached: list[str] = []
    with transaction.atomic():
        locked = TICKET.lock(ticket)
        if locked.status not in (Ticket.Status.OPEN, Ticket.Status.ESCALATED):
            return reached  # waiting for the customer, or done: the clock is stopped
        for field, name in levels_due(locked, now, calendar):
            TICKET.fire(locked, name, locked=True, actor=None, now=now, fields={field: now})
            reached.append(name)
            members = [locked.assigned_to] if locked.assigned_to_id else team_members(locked.team)
            for member in members:
                transaction.on_commit(partial(notify, event="support_ticket_overdue", recipient=member,
                                              context={"ticket": locked, "level": name}))
        recompute_due(locked, calendar)
        locked.save()
        if "resolution_breach" in reached and locked.team != Team.SENIOR and locked.status == Ticket.Status.OPEN:
            ticket_escalate(ticket=locked, user=None, reason=str(_("Resolution target missed")), now=now)
            reached.append("escalate")
    return reached


def escalate_overdue(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The periodic duty: check every ticket an agent is working."""
    when = clock.now(now)
    calendar = load_calendar()
    counts: dict[str, int] = {}
    tickets = Ticket.objects.filter(status__in=(Ticket.Status.OPEN, Ticket.Status.ESCALATED)).filter(
        resolution_breached_at__isnull=True).prefetch_related("pauses")
    for ticket in tickets:
        for name in check_ticket(ticket, now=when, calendar=calendar):
            counts[name] = counts.get(name, 0) + 1
    return counts

