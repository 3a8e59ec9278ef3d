"""S18: an on-site support visit from a ticket, as a service job (services_catalog): free
when the fault is recorded as the platform's, otherwise the customer's ordinary request,
quoted from the price list and paid like any job."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from services_catalog import services as jobs
from support.errors import SupportError
from support.machine import TICKET
from support.models import Ticket


def book_visit(*, ticket: Ticket, agent, service, area, address: str, platform_fault: bool, slot: str = "morning",
               preferred_date: datetime.date | None = None, now: datetime.datetime | None = None):
    if ticket.customer_id is None:
        raise SupportError(_("A visit needs a customer account; register the caller first."), code="no_customer")
    if ticket.visit_job_id:
        return ticket.visit_job
    note = _("On-site support visit for ticket %(number)s: %(subject)s") % {
        "number": ticket.number, "subject": ticket.subject}
    with transaction.atomic():
        locked = TICKET.lock(ticket)
        try:
            if platform_fault:
                job = jobs.job_free_support_visit(customer=locked.customer, service=service, area=area,
                                                  address=address, note=note, staff_user=agent, slot=slot,
                                                  preferred_date=preferred_date, now=now)
            else:
                job = jobs.job_request(customer=locked.customer, service=service, area=area, address=address,
                                       preferred_date=preferred_date or jobs.earliest_date(service), slot=slot,
                                       description=note)
        except DomainError as exc:
            raise SupportError(exc.message, code=exc.code) from exc
        TICKET.fire(locked, "book_visit", actor=agent, locked=True, now=now, note=job.number, fields={
            "visit_job": job, "fault": Ticket.Fault.PLATFORM if platform_fault else Ticket.Fault.CUSTOMER})
    return job
