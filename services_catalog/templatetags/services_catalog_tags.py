"""Small presentation helpers for service pages (no queries beyond what was prefetched)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

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
