"""Live chat (T1). Every message is stored first and broadcast after: the database is the
truth, the WebSocket only a fast path; a page that missed something asks for the messages
after the last id it has (catch-up), and a polling page does the same. The sender's client
id makes a retried send return the stored message instead of a second copy."""

from __future__ import annotations

import datetime
import logging
import secrets

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.permissions import Ability, has_ability
from support.errors import ChatClosed, EmptyMessage, NotAllowed
from support.models import Channel, ChatMessage, ChatSession, Ticket
from support.services._common import recompute_due
from support.services.tickets import ticket_file

Sender = ChatMessage.Sender
logger = logging.getLogger(__name__)


def chat_open(*, customer=None, visitor_name: str = "", visitor_contact: str = "",
              now: datetime.datetime | None = None) -> ChatSession:
    """A signed-in customer's open chat (one at a time), or a visitor's new one."""
    if customer is not None:
        found = ChatSession.objects.filter(customer=customer).exclude(status=ChatSession.Status.CLOSED).first()
        if found is not None:
            return found
    elif not visitor_contact.strip():
        raise EmptyMessage(_("Give us a phone number or an email so we can answer you."))
    return ChatSession.objects.create(customer=customer, visitor_name=visitor_name.strip()[:120],
                                      visitor_contact=visitor_contact.strip()[:120],
                                      key=secrets.token_urlsafe(24), created=clock.now(now))


def payload(message: ChatMessage) -> dict:
    return {"id": message.pk, "sender": message.sender, "client_id": message.client_id, "body": message.body,
            "created": message.created.isoformat()}


def broadcast(session: ChatSession, data: dict) -> None:
    """The fast path only: the message is already stored, and a client that misses this
    catches up by id. So a failing channel layer is logged, never raised into the
    transaction's commit."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(session.group_name, {"type": "chat.event", "data": data})
    except Exception:  # Redis down, or called from a thread that runs an event loop (scripts, tests)
        logger.warning("chat %s: broadcast skipped; clients catch up by id", session.pk, exc_info=True)


def chat_post(*, session: ChatSession, sender: str, body: str, client_id: str, author=None,
              now: datetime.datetime | None = None) -> tuple[ChatMessage, bool]:
    """Store one message (once per client id), then broadcast it. Returns (message, new)."""
    body = (body or "").strip()[:4000]
    client_id = (client_id or "").strip()[:64] or secrets.token_hex(8)
    if not body:
        raise EmptyMessage(_("Write something first."))
    existing = ChatMessage.objects.filter(session=session, sender=sender, client_id=client_id).first()
    if existing is not None:
        return existing, False
    if session.status == ChatSession.Status.CLOSED:
        raise ChatClosed(_("This chat has ended."))
    try:
        with transaction.atomic():
            message = ChatMessage.objects.create(session=session, sender=sender, author=author,
                                                 client_id=client_id, body=body, created=clock.now(now))
    except IntegrityError:  # the same retry raced us: the first one is the message
        return ChatMessage.objects.get(session=session, sender=sender, client_id=client_id), False
    transaction.on_commit(lambda: broadcast(session, {"type": "message", "message": payload(message)}))
    return message, True


def chat_since(*, session: ChatSession, after_id: int = 0) -> list[dict]:
    return [payload(message) for message in session.messages.filter(pk__gt=after_id).order_by("pk")[:500]]


def chat_pickup(*, session: ChatSession, agent) -> ChatSession:
    if not has_ability(agent, Ability.HANDLE_TICKETS):
        raise NotAllowed(_("You do not have permission to do this."))
    with transaction.atomic():
        session = ChatSession.objects.select_for_update().get(pk=session.pk)
        if session.status == ChatSession.Status.CLOSED:
            raise ChatClosed(_("This chat has ended."))
        if session.status == ChatSession.Status.WAITING:
            session.status, session.agent = ChatSession.Status.ACTIVE, agent
            session.save(update_fields=["status", "agent"])
            transaction.on_commit(lambda: broadcast(session, {"type": "picked_up"}))
    return session


def transcript(session: ChatSession) -> str:
    lines = []
    for message in session.messages.order_by("pk"):
        who = _("Agent") if message.sender == Sender.AGENT else _("Customer")
        lines.append(f"[{timezone.localtime(message.created):%H:%M}] {who}: {message.body}")
    return "\n".join(lines)


def chat_close(*, session: ChatSession, agent=None, now: datetime.datetime | None = None) -> Ticket:
    """The chat ends and becomes a ticket with its transcript (once)."""
    if agent is not None and not has_ability(agent, Ability.HANDLE_TICKETS):
        raise NotAllowed(_("You do not have permission to do this."))
    with transaction.atomic():
        session = ChatSession.objects.select_for_update().get(pk=session.pk)
        if session.ticket_id:
            return session.ticket
        first = session.messages.filter(sender=Sender.CUSTOMER).order_by("pk").first()
        contact = session.visitor_contact
        ticket = ticket_file(
            customer=session.customer, channel=Channel.CHAT,
            subject=(first.body[:80] if first else _("Live chat")), body=transcript(session) or _("Live chat"),
            contact_email=contact if "@" in contact else "", contact_phone="" if "@" in contact else contact,
            contact_name=session.visitor_name, filed_by=agent, now=now,
        )
        if agent is not None:
            ticket.assigned_to = agent
            if session.messages.filter(sender=Sender.AGENT).exists():
                ticket.first_response_at = (session.messages.filter(sender=Sender.AGENT).order_by("pk")
                                            .first().created)
            recompute_due(ticket)
            ticket.save()
        session.ticket, session.status = ticket, ChatSession.Status.CLOSED
        session.save(update_fields=["ticket", "status"])
        transaction.on_commit(lambda: broadcast(session, {"type": "closed", "ticket": ticket.number}))
    return ticket
