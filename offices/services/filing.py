"""Filing at an office (A3, S6): the clerk files an errand for the customer at the counter,
as a service job (services_catalog.job_request), and takes the payment at the counter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from notifications.services import notify
from offices.errors import NoOfficeForDestination, OfficeError
from offices.models import CounterPayment, Errand, Region
from offices.services._common import fire, lock, require_clerk
from offices.services.counter import errand_take_payment
from services_catalog.models import Job, JobReceipt, Quote, Service, ServiceCategory, Slot
from services_catalog.services import earliest_date, job_request, quote_accept


def errand_services():
    return Service.objects.filter(is_active=True, category__kind=ServiceCategory.Kind.ERRAND).order_by("name")


def destination_area(county: Region):
    """The service area (services_catalog.Area) an errand to `county` is booked in."""
    return county.area or (county.parent.area if county.parent_id else None)


def errand_file(
    *,
    clerk_user,
    customer,
    service: Service,
    county: Region,
    address: str,
    description: str = "",
    documents: Sequence[Mapping[str, Any]] = (),
    originals: str = Errand.Originals.NONE,
    tracking_number: str = "",
) -> Errand:
    """The clerk files an errand for the customer standing at the counter.

    The job is requested in the customer's name (they are present and agree to the price
    at the counter, so the quote is accepted for them); S6 documents go through the job's
    own check (`documents` as for job_request; originals travel as `originals` says).
    The customer gets the job number by SMS and email, and follows it online. Filing the
    same errand twice within two minutes returns the first one."""
    office = require_clerk(clerk_user)
    if not office.is_active:
        raise OfficeError(_("This office is not active."), code="office_inactive")
    if service.category.kind != ServiceCategory.Kind.ERRAND:
        raise OfficeError(_("Only errand services are filed at an office."), code="not_an_errand")
    if county.kind != Region.Kind.COUNTY:
        raise OfficeError(_("Choose the destination county."), code="county_required")
    area = destination_area(county)
    if area is None:
        raise NoOfficeForDestination(_("Errands to %(county)s are not offered yet.") % {"county": county.get_name()})
    tracking_number = (tracking_number or "").strip()
    if originals in (Errand.Originals.POST, Errand.Originals.COURIER) and not tracking_number:
        raise OfficeError(_("Enter the tracking number of the post or courier parcel."), code="tracking_required")
    delivery = {Errand.Originals.POST: "post", Errand.Originals.COURIER: "courier",
                Errand.Originals.COLLECTED: "collected"}.get(originals)
    cleaned = []
    for raw in documents:
        requirement = raw.get("requirement")
        if requirement is not None and requirement.original_needed and delivery:
            if raw.get("file"):
                cleaned.append({"requirement": requirement, "delivery": "upload", "file": raw["file"]})
            cleaned.append({"requirement": requirement, "delivery": delivery, "file": None})
        else:
            cleaned.append(dict(raw))
    with transaction.atomic():
        job = job_request(customer=customer, service=service, area=area, address=address,
                          preferred_date=earliest_date(service), slot=Slot.MORNING, description=description,
                          documents=cleaned)
        existing = Errand.objects.filter(job=job).first()
        if existing is not None:
            return existing
        errand = Errand.objects.create(
            job=job, origin=office, filed_by=clerk_user, destination_province=county.parent,
            destination_county=county, destination_address=job.address, originals=originals,
            tracking_number=tracking_number if delivery in ("post", "courier") else "",
        )
        errand = lock(errand)
        fire(errand, "filed", actor=clerk_user, office=office,
             note=f"{office.name} → {county.get_name()}"
             # the tracking number between isolate marks: an identifier, its digits kept as written
             + (f" (\u2066{tracking_number}\u2069)" if tracking_number else ""))
        quote = job.quotes.filter(status=Quote.Status.SENT).order_by("-version").first()
        if quote is not None:
            quote_accept(quote=quote, user=customer)
        notify(event="offices_errand_filed", recipient=customer, context={"job": job, "office": office})
    return Errand.objects.select_related("job", "origin").get(pk=errand.pk)


def errand_take_cash(*, clerk_user, errand: Errand) -> JobReceipt:
    """The originating office takes the amount due in cash at the counter (see
    offices.services.counter.errand_take_payment for cash or the card terminal)."""
    return errand_take_payment(clerk_user=clerk_user, errand=errand, method=CounterPayment.Method.CASH)


def job_for(number: str) -> Job | None:
    return Job.objects.filter(number=number).first()
