"""The rows of the job lists (the staff queue, the provider's jobs, the customer's jobs)
as plain values, built once per page (issue 16).

A 30-row list rendered from Job objects cost the template engine a `{% url %}`, a lazy
status and slot label, a Jalali date, a currency and a dozen attribute lookups through
related objects per row, and building the objects (a job, its service, area, provider and
customer) cost more than the query: most of the page's CPU. Here each row is a dict of
the strings the row shows, read as values in one query (the one that fetched the objects)
in the reader's language, on every request: nothing is kept between requests, so a job's
change shows on the next page load. The templates print the values as they are
(`{{ row.service }}`; the identifier is already marked up by `ident`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import CharField, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.template.defaultfilters import time as time_filter
from django.utils.timezone import template_localtime
from oscar.templatetags.currency_filters import currency

from core.round_trips import KeptRows
from core.templatetags.locale_format import date as local_date
from core.templatetags.locale_format import ident
from services_catalog.models import Area, Job, Provider, Service, Slot, SlotBooking, _wants_english
from services_catalog.selectors import calendar_grid
from services_catalog.templatetags.services_catalog_tags import status_badge

# The columns a row shows, read as values: building 30 Job objects with their service
# (a ClusterableModel), category, area, provider and customer cost more than the query.
_COLUMNS = (
    "number", "status", "slot", "preferred_date", "visit_at", "price_total", "extras_total", "currency",
    "service__name", "service__name_en", "area__name", "area__name_en", "provider__display_name",
    "customer__first_name", "customer__last_name", "customer__username",
)


def job_rows(jobs: QuerySet[Job], link: Callable[[object], str]) -> list[dict[str, Any]]:
    """One dict per job of `jobs` (a queryset, sliced to the page): `link(number)` is the
    row's link (core.row_links.row_link). One query, the same as listing the Job objects."""
    statuses = {value: str(label) for value, label in Job.Status.choices}
    slots = {value: str(label) for value, label in Slot.choices}
    english = _wants_english()
    prices: dict[tuple[Any, str], str] = {}
    # A page of 30 jobs falls on a few days: each day is formatted once per page.
    dates: dict[Any, str] = {}
    rows = []
    for job in jobs.values(*_COLUMNS):
        price = None
        if job["price_total"] is not None:
            # Job.value: the locked price plus accepted change orders.
            key = (job["price_total"] + job["extras_total"], job["currency"])
            price = prices.get(key)
            if price is None:
                price = prices[key] = currency(*key)
        visit_at = job["visit_at"]
        day = job["preferred_date"]
        if day not in dates:
            dates[day] = local_date(day)
        # User.get_full_name, or the username (the template's `|default`).
        full_name = f"{job['customer__first_name']} {job['customer__last_name']}".strip()
        rows.append({
            "number": job["number"],
            "ident": ident(job["number"]),
            "url": link(job["number"]),
            # Service.get_name and Area.get_name: the English name on English pages when there is one.
            "service": (english and job["service__name_en"]) or job["service__name"],
            "area": (english and job["area__name_en"]) or job["area__name"],
            "date": dates[day],
            "slot": slots.get(job["slot"], job["slot"]),
            "visit_time": time_filter(template_localtime(visit_at), "H:i") if visit_at else "",
            "price": price,
            "status_label": statuses.get(job["status"], job["status"]),
            "badge": status_badge(job["status"]),
            "customer": full_name or job["customer__username"],
            "provider": job["provider__display_name"] or "",
        })
    return rows


def queue_filter_choices(filters: dict[str, str]) -> dict[str, Any]:
    """The staff queue's filter dropdowns as (value, label, selected) triples, read as values
    on every request: the template printed each service, area and provider from a model
    object (a third of the page's rendering), and now prints these inside
    `{% cached_rows %}`, kept under a key of the names and which one is selected, so a
    renamed or new choice shows on the next page. `filters` are the request's (the search
    text is not among what is kept: only whether an option equals a filter)."""
    english = _wants_english()

    def named(rows: Any, selected: str) -> list[tuple[str, str, bool]]:
        # Service.get_name and Area.get_name: the English name on English pages when there is one.
        return [(str(pk), (english and name_en) or name, str(pk) == selected) for pk, name, name_en in rows]

    services, areas, providers = _choice_rows()
    return {
        "open": filters["status"] == "open",
        "statuses": [(value, str(label), value == filters["status"]) for value, label in Job.Status.choices],
        "services": named(services, filters["service"]),
        "areas": named(areas, filters["area"]),
        "providers": [(str(pk), name, str(pk) == filters["provider"]) for pk, name, _none in providers],
    }


def _choice_rows_query() -> QuerySet:
    """The services', areas' and providers' `(table, place, pk, name, name_en)` rows in one
    `UNION ALL` (they were three queries). A `UNION`'s parts may not be ordered, so each
    row carries its table and its place in that table's own order (`ROW_NUMBER()` over the
    model's `Meta.ordering`, whose last key is the pk): the database still decides the
    order of the names (its collation), and Python sorts on those two numbers."""
    no_text = Value(None, output_field=CharField())

    def part(table: int, model: Any, name: str, name_en: Any) -> QuerySet:
        place = Window(RowNumber(), order_by=list(model._meta.ordering))
        return model.objects.order_by().values_list(Value(table), place, "pk", name, name_en)

    return part(0, Service, "name", "name_en").union(
        part(1, Area, "name", "name_en"), part(2, Provider, "display_name", no_text), all=True
    )


_CHOICE_ROWS = KeptRows(_choice_rows_query)


def _choice_rows() -> tuple[list[tuple], list[tuple], list[tuple]]:
    """The services', areas' and providers' `(pk, name, name_en)` rows, each in its model's
    order, read fresh in one query."""
    tables: tuple[list[tuple], list[tuple], list[tuple]] = ([], [], [])
    for table, _place, *row in sorted(_CHOICE_ROWS.rows(), key=lambda row: (row[0], row[1])):
        tables[table].append(tuple(row))
    return tables


def calendar_cells(provider: Provider, *, start: datetime.date, days: int, link: Callable[[object], str]) -> list[dict]:
    """The provider calendar's cells (selectors.provider_calendar) with what a booked cell
    shows read as values: its job's number, link, service, area and visit time. The
    calendar built a booking, its job, service (a ClusterableModel) and area for each of
    some 40 bookings, most of the page's own CPU. Two queries, as before."""
    english = _wants_english()
    end = start + datetime.timedelta(days=days)
    bookings = {}
    for booking in SlotBooking.objects.filter(provider=provider, date__gte=start, date__lt=end).values(
        "date", "slot", "job__number", "job__visit_at", "job__service__name", "job__service__name_en",
        "job__area__name", "job__area__name_en",
    ):
        bookings[(booking["date"], booking["slot"])] = booking
    cells = calendar_grid(provider, start=start, days=days, bookings=bookings)
    for cell in cells:
        booking = cell["job"]
        if booking is not None:
            visit_at = booking["job__visit_at"]
            cell["job"] = {"number": booking["job__number"]}
            cell["url"] = link(booking["job__number"])
            # Service.get_name and Area.get_name: the English name on English pages when there is one.
            cell["service"] = (english and booking["job__service__name_en"]) or booking["job__service__name"]
            cell["area"] = (english and booking["job__area__name_en"]) or booking["job__area__name"]
            cell["visit_time"] = time_filter(template_localtime(visit_at), "H:i") if visit_at else ""
    return cells
