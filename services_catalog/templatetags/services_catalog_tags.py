"""Small presentation helpers for service pages (no queries beyond what was prefetched)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.templatetags.locale_format import date as local_date
from core.templatetags.locale_format import ident
from services_catalog.models import Job, Service

register = template.Library()

# Bootstrap badge colour per job status: where the job stands at a glance.
_STATUS_BADGES = {
    Job.Status.REQUESTED: "secondary",
    Job.Status.QUOTED: "info",
    Job.Status.NOT_FEASIBLE: "dark",
    Job.Status.ACCEPTED: "warning",
    Job.Status.MATCHING: "warning",
    Job.Status.ASSIGNED: "primary",
    Job.Status.DISPATCHED: "primary",
    Job.Status.IN_PROGRESS: "primary",
    Job.Status.COMPLETED: "success",
    Job.Status.CANCELLED: "danger",
}


@register.filter
def status_badge(status: str) -> str:
    return _STATUS_BADGES.get(status, "secondary")


@register.simple_tag
def lowest_unit_price(service: Service) -> Decimal:
    """The cheapest unit price of a per-unit service (its highest tier, or the base price)."""
    prices = [tier.unit_price for tier in service.price_tiers.all()] + [service.base_price]
    return min(prices)


@register.filter
def tier_note(service: Service) -> str:
    """A5: who may book the service, when not everyone may."""
    if service.for_one_off and service.for_registered and service.for_loyal:
        return ""
    if service.for_loyal and not (service.for_one_off or service.for_registered):
        return _("Loyal customers only")
    if not service.for_one_off:
        return _("For registered customers")
    return ""


# ------------------------------------------------------------------ notes written by the code
# Job events and ledger memos were written as English phrases with the numbers in them
# ("v2: 240.00 EUR", "Job J-6P8: provider share 51.00, commission 9.00"). They are read
# back here from their parts, so each reader sees them in their language (issue 15 point 7),
# with identifiers kept as written and dates in the reader's calendar (point 6).
_PURPOSES = {"deposit": gettext_lazy("deposit"), "balance": gettext_lazy("balance"), "full": gettext_lazy("in full")}
_METHODS = {"card": gettext_lazy("card"), "cash": gettext_lazy("cash")}
_SIDES = {"customer": gettext_lazy("by the customer"), "provider": gettext_lazy("by the provider")}
_NOTE_PATTERNS = {
    "quote_sent": re.compile(r"^v(?P<version>\d+): (?P<amount>\S+) (?P<currency>[A-Z]{3})$"),
    "quote_revised": re.compile(r"^v(?P<version>\d+): (?P<amount>\S+) (?P<currency>[A-Z]{3})$"),
    "paid": re.compile(r"^(?P<purpose>\w+): (?P<amount>\S+) (?P<currency>[A-Z]{3}) \((?P<method>\w+)\)$"),
    "rated": re.compile(r"^(?P<side>customer|provider): (?P<score>\d)$"),
    "provider_credited": re.compile(r"^share (?P<share>\S+), commission (?P<commission>\S+) (?P<currency>[A-Z]{3})$"),
    "dispatched": re.compile(r"^(?P<when>\d{4}-\d{2}-\d{2} \d{2}:\d{2})$"),
    "visit_rescheduled": re.compile(r"^(?P<when>\d{4}-\d{2}-\d{2} \d{2}:\d{2})$"),
    "cash_refunded": re.compile(
        r"^(?P<amount>\S+) (?P<currency>[A-Z]{3}), (?P<when>\d{4}-\d{2}-\d{2} \d{2}:\d{2})$"
    ),
}
_MEMO = re.compile(r"^Job (?P<number>\S+): provider share (?P<share>\S+), commission (?P<commission>\S+)$")


@register.filter
def job_note(event) -> str:
    """A job event's note in the reader's language (free text by people stays as typed)."""
    note = event.note or ""
    pattern = _NOTE_PATTERNS.get(event.action)
    match = pattern.match(note) if pattern else None
    if match is None:
        return note
    parts = match.groupdict()
    if event.action in ("quote_sent", "quote_revised"):
        return _("version %(version)s: %(amount)s %(currency)s") % parts
    if event.action == "paid":
        parts["purpose"] = _PURPOSES.get(parts["purpose"], parts["purpose"])
        parts["method"] = _METHODS.get(parts["method"], parts["method"])
        return _("%(purpose)s: %(amount)s %(currency)s (%(method)s)") % parts
    if event.action == "rated":
        return _("%(side)s: %(score)s of 5") % {"side": _SIDES[parts["side"]], "score": parts["score"]}
    if event.action == "provider_credited":
        return _("provider share %(share)s, commission %(commission)s %(currency)s") % parts
    when = timezone.make_aware(dt.datetime.strptime(parts["when"], "%Y-%m-%d %H:%M"))
    if event.action in ("dispatched", "visit_rescheduled"):
        return local_date(when, "j F Y H:i")
    return _("%(amount)s %(currency)s, handed back %(when)s") % {**parts, "when": local_date(when, "j F Y H:i")}


@register.filter
def payment_purpose(purpose: str) -> str:
    """A receipt's purpose code (deposit, balance, full) in the reader's language."""
    return str(_PURPOSES.get(purpose, purpose))


@register.filter
def ledger_memo(memo: str) -> str:
    """A provider's statement line: the job number kept as written, the rest translated."""
    match = _MEMO.match(memo or "")
    if match is None:
        return memo
    return format_html(
        _("Job {number}: provider share {share}, commission {commission}"),
        number=ident(match["number"]), share=match["share"], commission=match["commission"],
    )
