"""Reads shared by the office console, the staff pages and the API."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.urls import reverse

from core import clock
from core.permissions import Ability, has_ability
from offices.machine import ACTION_LABELS
from offices.models import Clerk, Errand, ErrandEvent, PartnerOffice
from offices.services._common import clerk_office


def active_clerks(user) -> QuerySet[Clerk]:
    return Clerk.objects.filter(user=user, is_active=True)


def is_clerk(user) -> bool:
    return active_clerks(user).exists()


def sees_offices(user) -> bool:
    """Staff who work the offices' pages (manage_jobs, pay_out, refund_payment)."""
    return any(has_ability(user, a) for a in (Ability.MANAGE_JOBS, Ability.PAY_OUT, Ability.REFUND_PAYMENT))


def errands() -> QuerySet[Errand]:
    return Errand.objects.select_related(
        "job", "job__service", "job__customer", "origin", "performer", "destination_province", "destination_county")


def office_errands(office: PartnerOffice) -> QuerySet[Errand]:
    """Everything a clerk of `office` may see: errands filed at it or routed to it."""
    return errands().filter(Q(origin=office) | Q(performer=office))


def inbox(office: PartnerOffice) -> QuerySet[Errand]:
    """The performing office's open work."""
    return errands().filter(performer=office, status__in=Errand.PERFORMING_STATUSES).order_by("hop_due_at", "pk")


def filed(office: PartnerOffice) -> QuerySet[Errand]:
    """Errands filed at `office`, the ones waiting for hand-over first."""
    return errands().filter(origin=office).order_by("-created", "-pk")


def is_late(errand: Errand, now: datetime.datetime | None = None) -> bool:
    """The current step has passed its time target (A3)."""
    return bool(errand.is_open and errand.hop_due_at and errand.hop_due_at < clock.now(now))


def late_errands(now: datetime.datetime | None = None) -> QuerySet[Errand]:
    return errands().filter(status__in=Errand.OPEN_STATUSES, hop_due_at__lt=clock.now(now)).order_by("hop_due_at")


def may_see_errand(user, errand: Errand) -> bool:
    """The customer, a clerk of either office, or staff who manage jobs."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk == errand.job.customer_id or has_ability(user, Ability.MANAGE_JOBS):
        return True
    office = clerk_office(user)
    return office is not None and office.pk in (errand.origin_id, errand.performer_id)


def can_read_errand_files(user, errand: Errand) -> bool:
    return may_see_errand(user, errand)


def can_read_refund_evidence(user, request) -> bool:
    return may_see_errand(user, request.errand) or has_ability(user, Ability.REFUND_PAYMENT)


def timeline(errand: Errand, *, for_customer: bool) -> list[ErrandEvent]:
    events = errand.events.select_related("actor", "office").order_by("created", "pk")
    if for_customer:
        events = events.filter(visible_to_customer=True)
    result = list(events)
    statuses = dict(Errand.Status.choices)
    for event in result:
        event.label = ACTION_LABELS.get(event.action, event.action)
        event.from_label = statuses.get(event.from_status, event.from_status)
        event.to_label = statuses.get(event.to_status, event.to_status)
    return result


def documents(errand: Errand) -> list:
    """The job's S6 documents, each with the URL that serves its scan to who may read it."""
    result = list(errand.job.documents.select_related("requirement"))
    for document in result:
        document.download_url = reverse("offices-dashboard:errand-file", args=[errand.job.number, f"doc-{document.pk}"])
    return result
