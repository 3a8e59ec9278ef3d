"""T3: the console's "due soon" and "overdue" badges are computed on every page load from
the business time used so far, so they are right between two runs of the escalation duty
(the clock is injected; the duty never runs here)."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

from core import clock
from support import selectors
from support.models import Channel
from support.services import ticket_file
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
TEHRAN = ZoneInfo("Asia/Tehran")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """December 2026 in Tehran: the 5th is a Saturday. Standard week seeded."""
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=TEHRAN)


def badges(client, url: str, number: str) -> str:
    """The ticket's own part of a page: its row in the queue (other tickets may be listed)."""
    content = client.get(url).content.decode()
    row = re.search(rf'<tr data-ticket="{re.escape(number)}".*?</tr>', content, re.S)
    return row.group(0) if row else content


def test_the_console_warns_and_flags_a_breach_between_duty_runs(client):
    agent = make_role_user("agent")
    ticket = ticket_file(customer=make_role_user("customer"), channel=Channel.FORM, subject="Broken kettle",
                         body="It leaks.", priority="urgent", now=at(5, 9))  # 30 business minutes to answer
    client.force_login(agent)
    pages = ("/en/dashboard/support/", f"/en/dashboard/support/tickets/{ticket.number}/")
    with clock.frozen(at(5, 9, 10)):
        assert selectors.due_state(ticket) == ""
        for url in pages:
            content = badges(client, url, ticket.number)
            assert "support-due-warning" not in content and "support-due-breached" not in content
    with clock.frozen(at(5, 9, 25)):  # 83 % of the answer target used
        assert selectors.due_state(ticket) == "warning"
        for url in pages:
            assert "support-due-warning" in badges(client, url, ticket.number)
    with clock.frozen(at(5, 9, 31)):
        assert selectors.live_due(ticket)["response_breached"]
        for url in pages:
            assert "support-due-breached" in badges(client, url, ticket.number)
    ticket.refresh_from_db()
    assert ticket.response_warned_at is None and ticket.response_breached_at is None  # the duty did not run


def test_night_time_does_not_count_towards_the_warning():
    ticket = ticket_file(customer=make_role_user("customer"), channel=Channel.FORM, subject="Broken kettle",
                         body="It leaks.", priority="urgent", now=at(5, 16, 50))  # 10 minutes before closing
    assert selectors.due_state(ticket, now=at(6, 3)) == ""  # still only 10 business minutes used
    assert selectors.due_state(ticket, now=at(6, 8, 15)) == "warning"  # 25 of 30 minutes
