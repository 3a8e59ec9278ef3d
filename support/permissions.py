"""Who may read a ticket attachment: the ticket's customer, or an agent (handle_tickets)."""

from __future__ import annotations

from core.permissions import Ability, has_ability


def can_read_attachment(user, attachment) -> bool:
    ticket = attachment.message.ticket
    if has_ability(user, Ability.HANDLE_TICKETS):
        return True
    return (bool(getattr(user, "pk", None)) and ticket.customer_id == user.pk
            and attachment.message.kind != "note")
