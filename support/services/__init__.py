"""The support desk's services (re-exported: `from support.services import ticket_file`)."""

from support.services._common import load_calendar, recompute_due
from support.services.escalation import check_ticket, escalate_overdue
from support.services.holidays import seed_fixed_holidays
from support.services.tickets import (
    agent_reply,
    customer_reply,
    log_call,
    ticket_escalate,
    ticket_file,
    ticket_resolve,
    ticket_set_priority,
    ticket_wait,
)

__all__ = [
    "agent_reply", "check_ticket", "customer_reply", "escalate_overdue", "load_calendar", "log_call",
    "recompute_due", "seed_fixed_holidays", "ticket_escalate", "ticket_file", "ticket_resolve",
    "ticket_set_priority", "ticket_wait",
]
