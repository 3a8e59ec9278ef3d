"""Filing and working a ticket (T1–T5): every status change goes through support.machine."""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import clock
from core.permissions import Ability, has_ability
from notifications.services import notify
from support.errors import EmptyMessage, NotAllowed
from support.machine import TICKET
from support.models import Channel, Team, Ticket, TicketAttachment, TicketMessage, TicketPause
from support.services import mail_out
from support.services._common import new_number, new_token, recompute_due, targets_for, team_members

Kind = TicketMessage.Kind
S = Ticket.Status


def _is_customer(user: Any, ticket: Ticket) -> bool:
    return bool(getattr(user, "pk", None)) and ticket.customer_id == user.pk


def ticket_file(*, customer=None, channel: str, subject: str, body: str, category: str = "other",
                priority: str = "normal", order=None, job=None, claim=None, contact_email: str = "",
                contact_phone: str = "", contact_name: str = "", files: list | None = None,
                filed_by=None, email_message_id: str = "", now: datetime.datetime | None = None) -> Ticket:
    """T1: a new ticket from any channel, with the customer's first message."""
    when = clock.now(now)
    subject = (subject or "").strip()[:200]
    body = (body or "").strip()
    if not subject and not body:
        raise EmptyMessage(_("Tell us what the problem is."))
    for linked, owner_field in ((order, "user_id"), (job, "customer_id"), (claim, None)):
        if linked is not None and customer is not None and owner_field and getattr(linked, owner_field) != customer.pk:
            raise NotAllowed(_("That is not one of your own."))
    response_target, resolution_target = targets_for(priority)
    with transaction.atomic():
        ticket = Ticket(
            number=new_number(), customer=customer, channel=channel, category=category,
            subject=subject or body[:80], priority=priority, order=order, job=job, claim=claim,
            contact_email=contact_email, contact_phone=contact_phone, contact_name=contact_name,
            reply_token=new_token(), created=when, response_target=response_target,
            resolution_target=resolution_target, email_message_id=email_message_id[:255],
        )
        recompute_due(ticket)
        ticket.save()
        TICKET.log(ticket, "open", actor=filed_by, note=str(Channel(channel).label), now=when)
        if body:
            message = TicketMessage.objects.create(
                ticket=ticket, kind=Kind.CUSTOMER, author=customer, via=channel, body=body,
                email_message_id=email_message_id[:255], created=when,
            )
            for upload in files or ():
                TicketAttachment.objects.create(message=message, file=upload, name=upload.name[:120])
        if channel != Channel.EMAIL and customer is not None:
            transaction.on_commit(partial(
                notify, event="support_ticket_filed", recipient=customer,
                context={"ticket": ticket}))
    return ticket


def agent_reply(*, ticket: Ticket, agent, body: str, internal: bool = False, wait_for_customer: bool = False,
                files: list | None = None, now: datetime.datetime | None = None) -> TicketMessage:
    """An agent answers (public reply) or writes an internal note.

    T3: the first PUBLIC reply by an agent is the ticket's first response; a note is not.
    A public reply goes to the customer by email (threaded) when there is an address."""
    when = clock.now(now)
    body = (body or "").strip()
    if not body:
        raise EmptyMessage(_("Write something first."))
    with transaction.atomic():
        fired = TICKET.fire(ticket, "note" if internal else "reply", actor=agent, now=when)
        ticket = fired.obj
        message = TicketMessage.objects.create(
            ticket=ticket, kind=Kind.NOTE if internal else Kind.REPLY, author=agent,
            via=ticket.channel, body=body, created=when,
        )
        for upload in files or ():
            TicketAttachment.objects.create(message=message, file=upload, name=upload.name[:120])
        if not internal:
            if ticket.first_response_at is None:
                ticket.first_response_at = when
            if ticket.assigned_to_id is None:
                ticket.assigned_to = agent
            recompute_due(ticket)
            ticket.save()
            if wait_for_customer and ticket.status in (S.OPEN, S.ESCALATED):
                ticket_wait(ticket=ticket, agent=agent, now=when)
            if mail_out.recipient_for(ticket):
                transaction.on_commit(partial(mail_out.send_reply, message_pk=message.pk))
            elif ticket.customer_id:  # no email address: an SMS says there is an answer
                transaction.on_commit(partial(notify, event="support_ticket_answered", recipient=ticket.customer,
                                              context={"ticket": ticket}))
    return message


def customer_reply(*, ticket: Ticket, user=None, body: str, via: str = Channel.FORM, files: list | None = None,
                   email_message_id: str = "", now: datetime.datetime | None = None) -> TicketMessage:
    """The customer writes again: the clock restarts if it waited; a resolved ticket reopens."""
    when = clock.now(now)
    body = (body or "").strip()
    if not body:
        raise EmptyMessage(_("Write something first."))
    if user is not None and not _is_customer(user, ticket):
        raise NotAllowed(_("That is not one of your own."))
    with transaction.atomic():
        ticket = TICKET.lock(ticket)
        if ticket.status == S.CLOSED:
            raise NotAllowed(_("This ticket is closed; please open a new one."))
        if ticket.status == S.RESOLVED:
            TICKET.fire(ticket, "reopen", locked=True, actor=user, now=when,
                        fields={"resolved_at": None})
        if ticket.status == S.WAITING:
            _end_pause(ticket, when)
            TICKET.fire(ticket, "customer_back", locked=True, actor=None, now=when)
        TICKET.fire(ticket, "customer_reply", locked=True, actor=None, now=when)
        message = TicketMessage.objects.create(
            ticket=ticket, kind=Kind.CUSTOMER, author=ticket.customer, via=via, body=body,
            email_message_id=email_message_id[:255], created=when,
        )
        for upload in files or ():
            TicketAttachment.objects.create(message=message, file=upload, name=upload.name[:120])
        recompute_due(ticket)
        ticket.save()
    return message


def _end_pause(ticket: Ticket, when: datetime.datetime) -> None:
    TicketPause.objects.filter(ticket=ticket, ended__isnull=True).update(ended=when)


def ticket_wait(*, ticket: Ticket, agent, now: datetime.datetime | None = None) -> Ticket:
    """The ticket waits for the customer: its clock stops until they answer (T3)."""
    when = clock.now(now)
    with transaction.atomic():
        fired = TICKET.fire(ticket, "wait_customer", actor=agent, now=when)
        if fired.changed:
            TicketPause.objects.create(ticket=fired.obj, started=when)
            recompute_due(fired.obj)
            fired.obj.save()
    return fired.obj


def ticket_resolve(*, ticket: Ticket, agent, note: str = "", now: datetime.datetime | None = None) -> Ticket:
    when = clock.now(now)
    with transaction.atomic():
        ticket = TICKET.lock(ticket)
        name = "resolve_escalated" if ticket.status == S.ESCALATED else "resolve"
        if ticket.status == S.WAITING:
            _end_pause(ticket, when)
        fired = TICKET.fire(ticket, name, locked=True, actor=agent, note=note, now=when,
                            fields={"resolved_at": when})
        recompute_due(fired.obj)
        fired.obj.save()
        if fired.changed and fired.obj.customer_id:
            transaction.on_commit(partial(notify, event="support_ticket_resolved",
                                          recipient=fired.obj.customer, context={"ticket": fired.obj}))
    return fired.obj


def ticket_escalate(*, ticket: Ticket, user, reason: str, now: datetime.datetime | None = None) -> Ticket:
    """T3: to the senior queue. `user=None` is the escalation duty."""
    when = clock.now(now)
    with transaction.atomic():
        ticket = TICKET.lock(ticket)
        if ticket.status == S.WAITING:
            _end_pause(ticket, when)
        fired = TICKET.fire(ticket, "escalate", locked=True, actor=user, note=reason, now=when,
                            fields={"team": Team.SENIOR})
        if fired.changed:
            recompute_due(fired.obj)
            fired.obj.save()
            for member in team_members(Team.SENIOR):
                transaction.on_commit(partial(notify, event="support_ticket_escalated", recipient=member,
                                              context={"ticket": fired.obj, "reason": reason}))
    return fired.obj


def ticket_set_priority(*, ticket: Ticket, agent, priority: str, now: datetime.datetime | None = None) -> Ticket:
    when = clock.now(now)
    response_target, resolution_target = targets_for(priority)
    with transaction.atomic():
        fired = TICKET.fire(ticket, "set_priority", actor=agent, note=priority, now=when, fields={
            "priority": priority, "response_target": response_target, "resolution_target": resolution_target})
        recompute_due(fired.obj)
        fired.obj.save()
    return fired.obj


def log_call(*, agent, customer, notes: str, seconds: int, ticket: Ticket | None = None, subject: str = "",
             category: str = "other", now: datetime.datetime | None = None) -> Ticket:
    """T1, A2: an agent records a phone call, on a new ticket or an existing one."""
    when = clock.now(now)
    if not has_ability(agent, Ability.HANDLE_TICKETS):
        raise NotAllowed(_("You do not have permission to do this."))
    notes = (notes or "").strip()
    if not notes:
        raise EmptyMessage(_("Write what the call was about."))
    with transaction.atomic():
        if ticket is None:
            ticket = ticket_file(customer=customer, channel=Channel.PHONE, subject=subject or notes[:80],
                                 body="", category=category, filed_by=agent, now=when)
            ticket.assigned_to = agent
            ticket.save(update_fields=["assigned_to"])
        TICKET.fire(ticket, "call", actor=agent, note=f"{seconds}s", now=when)
        message = TicketMessage.objects.create(ticket=ticket, kind=Kind.CALL, author=agent, via=Channel.PHONE,
                                               body=notes, call_seconds=max(0, int(seconds)), created=when)
        # On the phone the agent answers at once: a call is a response.
        if ticket.first_response_at is None:
            ticket.first_response_at = when
            recompute_due(ticket)
            ticket.save()
    return message.ticket
