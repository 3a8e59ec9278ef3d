"""The desk's reports: tickets opened and solved per day, first-response and resolution
times against the targets, breaches by team and by channel, quality per provider (S16).
Charts are inline SVG built here (no script, no CDN)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from core import clock
from support import business_time as bt
from support.models import Channel, Feedback, QualityCall, Team, Ticket
from support.services._common import load_calendar, pauses_of

DAYS = 14


def bar_chart(rows: list[tuple[str, list[float]]], *, series: list[str], colors=("#0d6efd", "#198754", "#dc3545"),
              height: int = 160) -> dict[str, Any]:
    """Grouped bars as SVG data the template draws (label, values per series)."""
    top = max([value for _label, values in rows for value in values] + [1])
    group_width = 100 / max(len(rows), 1)
    bar_width = group_width / (len(series) + 1)
    bars = []
    for index, (label, values) in enumerate(rows):
        for number, value in enumerate(values):
            h = value / top * (height - 30)
            bars.append({"x": round(index * group_width + number * bar_width, 2), "y": round(height - 20 - h, 2),
                         "w": round(bar_width * 0.9, 2), "h": round(h, 2), "color": colors[number % len(colors)],
                         "value": value, "label": label})
    # Each label sits under the middle of its group's bars.
    labels = [{"x": round(index * group_width + bar_width * len(series) / 2, 2), "text": label}
              for index, (label, _values) in enumerate(rows)]
    return {"bars": bars, "labels": labels, "height": height, "legend": list(zip(series, colors, strict=False))}


def report_context(now: datetime.datetime | None = None) -> dict[str, Any]:
    when = clock.now(now)
    calendar = load_calendar()
    start_day = when.astimezone(calendar.tz).date() - datetime.timedelta(days=DAYS - 1)
    since = datetime.datetime.combine(start_day, datetime.time(0), tzinfo=calendar.tz)
    tickets = list(Ticket.objects.filter(Q(created__gte=since) | Q(resolved_at__gte=since)).prefetch_related("pauses"))
    opened: Counter = Counter()
    solved: Counter = Counter()
    for ticket in tickets:
        if ticket.created >= since:
            opened[ticket.created.astimezone(calendar.tz).date()] += 1
        if ticket.resolved_at and ticket.resolved_at >= since:
            solved[ticket.resolved_at.astimezone(calendar.tz).date()] += 1
    days = [start_day + datetime.timedelta(days=n) for n in range(DAYS)]
    per_day = bar_chart([(f"{day:%m-%d}", [opened[day], solved[day]]) for day in days],
                        series=[str(_("Opened")), str(_("Solved"))])
    times: dict[str, list[float]] = defaultdict(list)
    for ticket in tickets:
        pauses = pauses_of(ticket)
        if ticket.first_response_at:
            times["response"].append(bt.business_minutes(ticket.created, ticket.first_response_at, calendar, pauses)
                                     / ticket.response_target)
        if ticket.resolved_at:
            times["resolution"].append(bt.business_minutes(ticket.created, ticket.resolved_at, calendar, pauses)
                                       / ticket.resolution_target)
    share = {key: round(100 * sum(1 for value in values if value <= 1) / len(values)) if values else None
             for key, values in times.items()}
    breached = Q(response_breached_at__isnull=False) | Q(resolution_breached_at__isnull=False)
    by_team = [(str(label), [Ticket.objects.filter(breached, team=value, created__gte=since).count()])
               for value, label in Team.choices]
    by_channel = [(str(label), [Ticket.objects.filter(channel=value, created__gte=since).count(),
                                Ticket.objects.filter(breached, channel=value, created__gte=since).count()])
                  for value, label in Channel.choices]
    quality = (QualityCall.objects.filter(score__isnull=False).values("job__provider__display_name")
               .annotate(calls=Count("pk"), score=Avg("score")).order_by("-calls"))
    return {
        "per_day": per_day,
        "on_time": share,
        "breaches_by_team": bar_chart(by_team, series=[str(_("Breaches"))], colors=("#dc3545",)),
        "by_channel": bar_chart(by_channel, series=[str(_("Tickets")), str(_("Breaches"))],
                                colors=("#0d6efd", "#dc3545")),
        "quality": quality,
        "feedback_count": Feedback.objects.filter(created__gte=since).count(),
        "days": DAYS,
    }
