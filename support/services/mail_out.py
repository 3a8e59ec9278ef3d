"""Agents' replies by email (T1): through Django's email backend, because a reply must carry
threading headers (Message-ID, In-Reply-To, References) and the ticket's reply address,
which notifications.notify does not set. The subject carries the ticket's reference."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.utils import translation
from django.utils.translation import gettext as _

from support.conf import reply_address, support_address
from support.models import Ticket, TicketMessage


def subject_for(ticket: Ticket) -> str:
    return f"[#{ticket.number}] {ticket.subject}"


def recipient_for(ticket: Ticket) -> str:
    if ticket.customer_id and ticket.customer.email:
        return ticket.customer.email
    return ticket.contact_email


def _language(ticket: Ticket) -> str:
    profile = getattr(ticket.customer, "profile", None) if ticket.customer_id else None
    return getattr(profile, "language", "") or "fa"


def _thread_ids(ticket: Ticket, exclude_pk: int | None = None) -> list[str]:
    ids = [ticket.email_message_id] if ticket.email_message_id else []
    for message_id in (ticket.messages.exclude(email_message_id="").exclude(pk=exclude_pk)
                       .order_by("created", "pk").values_list("email_message_id", flat=True)):
        if message_id not in ids:
            ids.append(message_id)
    return ids


def _domain() -> str:
    return support_address().partition("@")[2] or "chaarsoo.example"


def send_reply(*, message_pk: int) -> bool:
    """Send one public reply by email, once (its Message-ID marks it sent)."""
    message = TicketMessage.objects.select_related("ticket__customer", "author").get(pk=message_pk)
    ticket = message.ticket
    to = recipient_for(ticket)
    if message.kind != TicketMessage.Kind.REPLY or message.email_message_id or not to:
        return False
    message_id = make_msgid(domain=_domain())
    thread = _thread_ids(ticket, exclude_pk=message.pk)
    headers = {"Message-ID": message_id, "Reply-To": reply_address(ticket.reply_token)}
    if thread:
        headers["In-Reply-To"] = thread[-1]
        headers["References"] = " ".join(thread[-10:])
    with translation.override(_language(ticket)):
        footer = _("Reply to this email to add to your ticket %(number)s.") % {"number": ticket.number}
    EmailMessage(subject=subject_for(ticket), body=f"{message.body}\n\n-- \n{footer}",
                 from_email=support_address(), to=[to], headers=headers).send()
    TicketMessage.objects.filter(pk=message.pk).update(email_message_id=message_id)
    return True


def send_acknowledgement(*, ticket: Ticket, to: str, in_reply_to: str) -> str:
    """The automatic "we have your message" for a ticket opened by email; marked as an
    auto-reply (RFC 3834) so that other robots never answer it."""
    message_id = make_msgid(domain=_domain())
    with translation.override(_language(ticket)):
        body = _("We have your message; your ticket number is %(number)s. Reply to this email to add to it.") % {
            "number": ticket.number}
    EmailMessage(subject=subject_for(ticket), body=body, from_email=support_address(), to=[to], headers={
        "Message-ID": message_id, "Reply-To": reply_address(ticket.reply_token), "In-Reply-To": in_reply_to,
        "References": in_reply_to, "Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All",
    }).send()
    return message_id
