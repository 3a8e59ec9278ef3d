from support.models.calendar import Holiday, Priority, PriorityTarget, SupportCalendar, Weekday, WeeklyHours
from support.models.chat import ChatMessage, ChatSession
from support.models.quality import Feedback, QualityCall
from support.models.tickets import (
    Category,
    Channel,
    Team,
    Ticket,
    TicketAttachment,
    TicketEvent,
    TicketMessage,
    TicketPause,
)

__all__ = [
    "Category", "Channel", "ChatMessage", "ChatSession", "Feedback", "Holiday", "Priority", "PriorityTarget",
    "QualityCall", "SupportCalendar", "Team", "Ticket", "TicketAttachment", "TicketEvent", "TicketMessage",
    "TicketPause", "Weekday", "WeeklyHours",
]
