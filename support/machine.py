"""The ticket's state machine (T3): every status change and every logged step goes
through core.transitions, with TicketEvent as its log."""

from __future__ import annotations

from core.permissions import Ability
from core.transitions import StateMachine, Transition
from support.errors import InvalidTransition, NotAllowed
from support.models import Ticket, TicketEvent

S = Ticket.Status
ANY = set(S.values)
WORKING = {S.OPEN, S.WAITING, S.ESCALATED}
H = Ability.HANDLE_TICKETS

TICKET = StateMachine(
    model=Ticket, event_model=TicketEvent, event_fk="ticket",
    invalid=InvalidTransition, not_allowed=NotAllowed,
    transitions={
        "open": Transition("open", sources=ANY, target=None),
        "reply": Transition("reply", sources=WORKING, target=None, ability=H),
        "note": Transition("note", sources=ANY, target=None, ability=H),
        "call": Transition("call", sources=ANY, target=None, ability=H),
        "customer_reply": Transition("customer_reply", sources=WORKING, target=None),
        "wait_customer": Transition("wait_customer", sources={S.OPEN, S.ESCALATED}, target=S.WAITING, ability=H),
        "customer_back": Transition("customer_back", sources={S.WAITING}, target=S.OPEN),
        "escalate": Transition("escalate", sources={S.OPEN, S.WAITING}, target=S.ESCALATED, ability=H),
        "resolve": Transition("resolve", sources={S.OPEN, S.WAITING}, target=S.RESOLVED, ability=H),
        "resolve_escalated": Transition("resolve_escalated", sources={S.ESCALATED}, target=S.RESOLVED,
                                        ability=Ability.ESCALATE_TICKETS),
        "reopen": Transition("reopen", sources={S.RESOLVED}, target=S.OPEN),
        "close": Transition("close", sources={S.RESOLVED}, target=S.CLOSED, ability=H),
        # The escalation duty's levels, each logged once (support.services.escalation).
        "response_warning": Transition("response_warning", sources=WORKING, target=None),
        "response_breach": Transition("response_breach", sources=WORKING, target=None),
        "resolution_warning": Transition("resolution_warning", sources=WORKING, target=None),
        "resolution_breach": Transition("resolution_breach", sources=WORKING, target=None),
        "set_priority": Transition("set_priority", sources=WORKING, target=None, ability=H),
        "book_visit": Transition("book_visit", sources=WORKING, target=None, ability=H),
    },
)
