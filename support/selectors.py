"""Reads shared by the desk's pages, its API and its reports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import clock
from ledger.codes import points_available
from ledger.selectors import balances
from support import business_time as bt
from support.models import ChatSession, SupportCalendar, Ticket
from support.services._common import load_calendar


@dataclass
class HistoryItem:
    kind: str
    label: Any
    reference: str
    status: str
    when: datetime.datetime
    url: str = ""


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def customer_history(user, *, exclude_ticket: Ticket | None = None, limit: int = 15) -> dict[str, Any]:
    """T4: the customer's earlier tickets, orders, jobs, product and service warranty
    claims (newest first, one list) and their gift points. Each source is looked up only when its app is installed."""
    items: list[HistoryItem] = []
    if user is None:
        return {"items": items, "points": None}
    tickets = Ticket.objects.filter(customer=user)
    if exclude_ticket is not None:
        tickets = tickets.exclude(pk=exclude_ticket.pk)
    for ticket in tickets.order_by("-created")[:limit]:
        items.append(HistoryItem("ticket", _("Ticket"), ticket.number, ticket.get_status_display(), ticket.created,
                                 _url("support-dashboard:ticket", ticket.number)))
    if apps.is_installed("oscar.apps.order"):
        Order = apps.get_model("order", "Order")
        for order in Order.objects.filter(user=user).order_by("-date_placed")[:limit]:
            # Oscar stores the status as its English name; shown in the reader's language.
            items.append(HistoryItem("order", _("Order"), order.number, gettext(order.status), order.date_placed))
    if apps.is_installed("services_catalog"):
        Job = apps.get_model("services_catalog", "Job")
        for job in Job.objects.filter(customer=user).select_related("service").order_by("-created")[:limit]:
            items.append(HistoryItem("job", _("Service job"), job.number, job.get_status_display(), job.created,
                                     _url("services_catalog-dashboard:job-detail", job.number)))
        ServiceClaim = apps.get_model("services_catalog", "WarrantyClaim")
        for claim in (ServiceClaim.objects.filter(job__customer=user).select_related("job")
                      .order_by("-created")[:limit]):
            items.append(HistoryItem("service_claim", _("Service warranty claim"), claim.job.number,
                                     claim.get_status_display(), claim.created,
                                     _url("services_catalog-dashboard:job-detail", claim.job.number)))
    if apps.is_installed("vendors"):
        Claim = apps.get_model("vendors", "WarrantyClaim")
        for claim in Claim.objects.filter(customer=user).order_by("-created")[:limit]:
            items.append(HistoryItem("claim", _("Warranty claim"), str(claim.pk), claim.get_status_display(),
                                     claim.created))
    items.sort(key=lambda item: item.when, reverse=True)
    points = balances([points_available(user.pk)]).get(points_available(user.pk))
    return {"items": items[: limit * 2], "points": points}


def queue(team: str) -> QuerySet[Ticket]:
    """T5: a team's active tickets, the most urgent due time first."""
    return (Ticket.objects.filter(team=team, status__in=Ticket.ACTIVE)
            .select_related("customer", "assigned_to").order_by("resolution_due", "created"))


def live_due(ticket: Ticket, now: datetime.datetime | None = None,
             calendar: bt.Calendar | None = None) -> dict[str, bool]:
    """Each target's badge at this moment (T3): what the escalation duty recorded, or,
    between two runs of the duty, what the business time used so far says (the same
    80 % / 100 % shares the duty applies), so the console is right on every page load."""
    from support.conf import warning_share
    from support.services.escalation import elapsed_share

    when = clock.now(now)
    running = ticket.status in (Ticket.Status.OPEN, Ticket.Status.ESCALATED)
    states: dict[str, bool] = {}
    for which, done in (("response", ticket.first_response_at), ("resolution", ticket.resolved_at)):
        breached = getattr(ticket, f"{which}_breached_at") is not None
        warned = getattr(ticket, f"{which}_warned_at") is not None
        if running and not done and not breached:
            calendar = calendar or load_calendar()
            share = elapsed_share(ticket, which, when, calendar)
            breached = share >= 1.0
            warned = warned or share >= warning_share()
        states[f"{which}_breached"] = breached
        states[f"{which}_warned"] = warned and not breached
    return states


def due_state(ticket: Ticket, now: datetime.datetime | None = None,
              calendar: bt.Calendar | None = None) -> str:
    """"breached", "warning" or "" for the console's badges, at this moment."""
    live = getattr(ticket, "live_due", None) or live_due(ticket, now, calendar)
    if live["response_breached"] or live["resolution_breached"]:
        return "breached"
    if live["response_warned"] or live["resolution_warned"]:
        return "warning"
    return ""


def waiting_chats() -> QuerySet[ChatSession]:
    return ChatSession.objects.exclude(status=ChatSession.Status.CLOSED).select_related("customer", "agent")


def office_hours(now: datetime.datetime | None = None) -> dict[str, Any]:
    """A4: the one place the staffed hours are read from (help centre, contact page, chat)."""
    when = clock.now(now)
    calendar = load_calendar()
    local_day = when.astimezone(calendar.tz).date()
    current = SupportCalendar.objects.filter(valid_from__lte=local_day).order_by("-valid_from").first()
    week = calendar.week_on(local_day)
    rows = []
    for day in bt.IRANIAN_WEEK:
        spans = week.spans(day)
        rows.append({"day": day, "spans": spans})
    is_open = bt.is_open(when, calendar)
    return {
        "open": is_open,
        "next_opening": None if is_open else bt.next_opening(when, calendar),
        "rows": rows,
        "phone": current.phone if current else "",
        "note": current.note if current else "",
    }



HOURS_CACHE_KEY = "support:office-hours"


def invalidate_hours(**_kwargs) -> None:
    """A changed calendar, weekly hours or holiday retires the cached hours block and every
    cached page showing it (help centre, contact page)."""
    from django.core.cache import cache

    from core.page_cache import invalidate_all

    cache.delete(HOURS_CACHE_KEY)
    invalidate_all()


def connect_hours_invalidation() -> None:
    from django.db.models.signals import post_delete, post_save

    from support.models import Holiday, WeeklyHours

    for model in (SupportCalendar, WeeklyHours, Holiday):
        post_save.connect(invalidate_hours, sender=model, dispatch_uid=f"support-hours-save-{model.__name__}")
        post_delete.connect(invalidate_hours, sender=model, dispatch_uid=f"support-hours-del-{model.__name__}")
