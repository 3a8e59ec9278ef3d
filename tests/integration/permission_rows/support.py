"""Permission matrix rows of the support desk (issue 12): the agent console needs
handle_tickets (support agents and senior agents); the API is the signed-in customer's own."""

from tests.helpers.matrix import SIGNED_IN, allowed

DESK = allowed("agent", "senior_agent")

ROWS: dict = {
    **{f"support-dashboard:{name}": DESK for name in (
        "queue", "ticket", "ticket-reply", "ticket-status", "ticket-visit", "call", "call-customer", "chat",
        "chat-pickup",
        "chat-messages", "chat-close", "quality", "quality-record", "reports",
    )},
    "support-api:ticket-list": SIGNED_IN,
    "support-api:ticket-detail": SIGNED_IN,
    "support-api:ticket-replies": SIGNED_IN,
}
