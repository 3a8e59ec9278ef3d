"""The rows of the job lists (the staff queue, the provider's jobs, the customer's jobs)
as plain values, built once per page (issue 16).

A 30-row list rendered from Job objects cost the template engine a `{% url %}`, a lazy
status and slot label, a Jalali date, a currency and a dozen attribute lookups through
related objects per row: most of the page's CPU. Here each row is a dict of the strings
the row shows, computed from the same Job (and its select_related service, area, provider
and customer) in the reader's language on every request: nothing is kept between
requests, so a job's change shows on the next page load. The templates print the values
as they are (`{{ row.service }}`; the identifier is already marked up by `ident`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.template.defaultfilters import time as time_filter
from django.utils.timezone import template_localtime
from oscar.templatetags.currency_filters import currency

from core.templatetags.locale_format import date as local_date
from core.templatetags.locale_format import ident
from services_catalog.models import Job, Slot
from services_catalog.templatetags.services_catalog_tags import status_badge


def job_rows(jobs: Iterable[Job], link: Callable[[object], str]) -> list[dict[str, Any]]:
    """One dict per job: `link(job.number)` is the row's link (core.row_links.row_link)."""
    statuses = {value: str(label) for value, label in Job.Status.choices}
    slots = {value: str(label) for value, label in Slot.choices}
    prices: dict[tuple[Any, str], str] = {}
    rows = []
    for job in jobs:
        price = None
        if job.price_total is not None:
            key = (job.value, job.currency)
            price = prices.get(key)
            if price is None:
                price = prices[key] = currency(job.value, job.currency)
        provider = job.provider if job.provider_id else None
        customer = job.customer
        rows.append({
            "number": job.number,
            "ident": ident(job.number),
            "url": link(job.number),
            "service": job.service.get_name(),
            "area": job.area.get_name(),
            "date": local_date(job.preferred_date),
            "slot": slots.get(job.slot, job.slot),
            "visit_time": time_filter(template_localtime(job.visit_at), "H:i") if job.visit_at else "",
            "price": price,
            "status_label": statuses.get(job.status, job.status),
            "badge": status_badge(job.status),
            "customer": customer.get_full_name() or customer.username,
            "provider": provider.display_name if provider is not None else "",
        })
    return rows
