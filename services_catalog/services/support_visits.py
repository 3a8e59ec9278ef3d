"""S18: an on-site support visit booked from a support ticket is a service job. When the
fault is the platform's it is free (a job worth 0, like a warranty redo, straight into
matching); otherwise it is an ordinary request, priced from the price list and paid like
any job (support.services.visits calls job_request for that)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.permissions import Ability
from services_catalog.errors import InvalidVisitTime, JobError
from services_catalog.models import SLOTS, ZERO, Area, Job, Service
from services_catalog.services._common import Action, _log, _new_number, _notify_customer, _now, _require
from services_catalog.services.matching import _start_matching
from services_catalog.services.requests import earliest_date


def job_free_support_visit(*, customer, service: Service, area: Area, address: str, note: str, staff_user,
                           preferred_date: datetime.date | None = None, slot: str = "morning",
                           now: datetime.datetime | None = None) -> Job:
    """A free visit (price 0) for a fault support staff recorded as the platform's."""
    _require(staff_user, Ability.HANDLE_TICKETS, _("Only support staff can book a free support visit."))
    if slot not in SLOTS:
        raise InvalidVisitTime(_("Choose a morning, afternoon or evening slot."))
    address = (address or "").strip()
    if not address:
        raise JobError(_("Enter the address where the work is done."), code="address_required")
    now = _now(now)
    with transaction.atomic():
        job = Job.objects.create(
            number=_new_number(), customer=customer, service=service, area=area, address=address,
            preferred_date=preferred_date or earliest_date(service), slot=slot, quantity=1,
            description=note[:2000], price_total=ZERO, currency=service.currency, payment_rule=service.payment_rule,
            deposit_percent=service.deposit_percent, accepted_at=now,
        )
        _log(job, Action.REQUESTED, from_status="", actor=staff_user, note=str(_("Free support visit")))
        _notify_customer(job, "services_job_requested")
        _start_matching(job, actor=staff_user, now=now)
    return job
