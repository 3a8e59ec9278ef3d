"""T1–T5 on the database: filing, what counts as a response, pauses in business time, the
escalation duty with the clock moved (each level once, never at night), the machine's rules."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from core import clock
from notifications.models import Message
from support.errors import NotAllowed
from support.models import Channel, Team, Ticket, TicketEvent
from support.services import (
    agent_reply,
    customer_reply,
    escalate_overdue,
    ticket_escalate,
    ticket_file,
    ticket_resolve,
)
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def levels(ticket) -> dict[str, int]:
    """The escalation steps logged on this ticket (other tickets, like the demo's, may be in the database)."""
    counts: dict[str, int] = {}
    for action in TicketEvent.objects.filter(ticket=ticket).values_list("action", flat=True):
        if action.startswith(("response_", "resolution_")) or action == "escalate":
            counts[action] = counts.get(action, 0) + 1
    return counts
TEHRAN = ZoneInfo("Asia/Tehran")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """December 2026 in Tehran: the 5th is a Saturday, the 11th a Friday. Standard week seeded."""
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=TEHRAN)


@pytest.fixture
def customer():
    return make_role_user("customer")


def file(customer, when, priority="normal"):
    return ticket_file(customer=customer, channel=Channel.FORM, subject="Broken kettle", body="It leaks.",
                       priority=priority, now=when)


def test_a_ticket_gets_due_times_in_business_hours(customer):
    ticket = file(customer, at(5, 16))  # normal: 120 min answer, 960 min fix
    assert ticket.response_due == at(6, 9)  # Sat 16-17 + Sun 8-9
    assert ticket.team == Team.AGENTS and ticket.status == Ticket.Status.OPEN
    assert ticket.events.filter(action="open").count() == 1


def test_an_internal_note_is_not_a_response_but_a_public_reply_is(customer):
    agent = make_role_user("agent")
    ticket = file(customer, at(5, 9))
    agent_reply(ticket=ticket, agent=agent, body="checking the order", internal=True, now=at(5, 9, 30))
    ticket.refresh_from_db()
    assert ticket.first_response_at is None
    agent_reply(ticket=ticket, agent=agent, body="We are sending a new one.", now=at(5, 10))
    ticket.refresh_from_db()
    assert ticket.first_response_at == at(5, 10)
    assert ticket.response_due is None


def test_a_customer_message_is_not_a_response(customer):
    ticket = file(customer, at(5, 9))
    customer_reply(ticket=ticket, user=customer, body="Any news?", now=at(5, 9, 30))
    ticket.refresh_from_db()
    assert ticket.first_response_at is None


def test_waiting_for_the_customer_stops_the_clock_in_business_time(customer):
    agent = make_role_user("agent")
    ticket = file(customer, at(5, 15))  # fix due after 960 business minutes
    before = Ticket.objects.get(pk=ticket.pk).resolution_due
    agent_reply(ticket=ticket, agent=agent, body="Send a photo?", wait_for_customer=True, now=at(5, 16))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING and ticket.resolution_due is None
    # The customer answers the next morning at 10: the pause removed Sat 16-17 and Sun 8-10 (3 h), not 18 h.
    customer_reply(ticket=ticket, user=customer, body="Here.", now=at(6, 10))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    from support import business_time as bt
    from support.services import load_calendar
    assert bt.business_minutes(before, ticket.resolution_due, load_calendar()) == 180


def test_another_customer_may_not_reply(customer):
    ticket = file(customer, at(5, 9))
    with pytest.raises(NotAllowed):
        customer_reply(ticket=ticket, user=make_role_user("customer"), body="me too")


def test_an_operator_may_not_escalate_and_only_a_senior_resolves_an_escalated_ticket(customer):
    ticket = file(customer, at(5, 9))
    with pytest.raises(NotAllowed):
        ticket_escalate(ticket=ticket, user=make_role_user("operator"), reason="x")
    ticket_escalate(ticket=ticket, user=make_role_user("agent"), reason="refund decision")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ESCALATED and ticket.team == Team.SENIOR
    with pytest.raises(NotAllowed):
        ticket_resolve(ticket=ticket, agent=make_role_user("agent"))
    ticket_resolve(ticket=ticket, agent=make_role_user("senior_agent"))
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.RESOLVED


def test_escalation_warns_breaches_and_escalates_each_level_once(customer, django_capture_on_commit_callbacks):
    make_role_user("senior_agent")
    agent = make_role_user("agent")
    ticket = file(customer, at(5, 9), priority="urgent")  # 30 min answer, 240 min fix
    ticket.assigned_to = agent
    ticket.save()
    Message.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        escalate_overdue(now=at(5, 9, 20))  # 67 % of the answer target
        assert levels(ticket) == {}
        escalate_overdue(now=at(5, 9, 25))  # 83 %
    assert levels(ticket) == {"response_warning": 1}
    with django_capture_on_commit_callbacks(execute=True):
        escalate_overdue(now=at(5, 9, 26))
        escalate_overdue(now=at(5, 9, 40))
        escalate_overdue(now=at(5, 9, 41))
    assert TicketEvent.objects.filter(ticket=ticket, action="response_warning").count() == 1
    assert TicketEvent.objects.filter(ticket=ticket, action="response_breach").count() == 1
    assert Message.objects.filter(event="support_ticket_overdue", channel=Message.Channel.EMAIL,
                                  recipient=agent).count() == 2
    # Fix target: 240 business minutes -> due 13:00; 80 % at 12:12.
    with django_capture_on_commit_callbacks(execute=True):
        escalate_overdue(now=at(5, 12, 15))
        escalate_overdue(now=at(5, 13, 5))
        escalate_overdue(now=at(5, 13, 30))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ESCALATED and ticket.team == Team.SENIOR
    for action in ("resolution_warning", "resolution_breach", "escalate"):
        assert TicketEvent.objects.filter(ticket=ticket, action=action).count() == 1
    assert Message.objects.filter(event="support_ticket_escalated").count() >= 1


def test_escalation_never_fires_at_night(customer):
    ticket = file(customer, at(5, 16, 50), priority="urgent")  # 10 minutes before closing
    escalate_overdue(now=at(5, 23))
    escalate_overdue(now=at(6, 3))
    assert levels(ticket) == {}
    escalate_overdue(now=at(6, 8, 15))  # 10 + 15 = 25 of 30 minutes
    assert levels(ticket) == {"response_warning": 1}
    escalate_overdue(now=at(6, 8, 20))
    assert levels(ticket) == {"response_warning": 1, "response_breach": 1}


def test_escalation_waits_over_the_friday(customer):
    ticket = file(customer, at(10, 12, 55), priority="urgent")  # Thursday, closes 13:00
    with clock.frozen(at(11, 15)):  # Friday afternoon: the duty runs through the command
        call_command("escalate_tickets", stdout=open("/dev/null", "w"))
    assert not TicketEvent.objects.filter(ticket=ticket, action__startswith="response_").exists()
    with clock.frozen(at(12, 8, 20)):  # Saturday: 5 + 20 minutes
        call_command("escalate_tickets", stdout=open("/dev/null", "w"))
    assert TicketEvent.objects.filter(ticket=ticket, action="response_warning").count() == 1


def test_a_waiting_ticket_does_not_escalate(customer):
    agent = make_role_user("agent")
    ticket = file(customer, at(5, 9), priority="urgent")
    agent_reply(ticket=ticket, agent=agent, body="Which model?", wait_for_customer=True, now=at(5, 9, 5))
    escalate_overdue(now=at(7, 16))
    assert levels(ticket) == {}
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.WAITING


def test_a_customer_without_email_hears_of_an_answer_by_sms(django_capture_on_commit_callbacks):
    from customers.services import profile_for

    customer = make_role_user("customer")
    customer.email = ""
    customer.save(update_fields=["email"])
    profile = profile_for(customer)
    profile.phone = "+989127770099"
    profile.save()
    ticket = file(customer, at(5, 9))
    with django_capture_on_commit_callbacks(execute=True):
        agent_reply(ticket=ticket, agent=make_role_user("agent"), body="Done.", now=at(5, 10))
    assert Message.objects.filter(event="support_ticket_answered", channel=Message.Channel.SMS,
                                  recipient=customer).count() == 1
