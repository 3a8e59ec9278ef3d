"""Requests (S1, S3, S6, A2, A5): a customer, or an operator for a caller, asks for a service."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import booking_horizon_days, latest_booking_date
from core.permissions import Ability
from core.templatetags.locale_format import date as format_date
from customers.services import profile_for
from services_catalog import conf
from services_catalog.errors import (
    AreaNotServed,
    InvalidAmount,
    InvalidVisitTime,
    JobError,
    LeadTimeTooShort,
    MissingDocuments,
    NotAllowed,
    ServiceUnavailable,
    TierNotAllowed,
)
from services_catalog.models import SLOTS, Job, JobDocument, JobPhoto, RequiredDocument, Service
from services_catalog.services._common import (
    Action,
    _authenticated,
    _log,
    _new_number,
    _notify_customer,
    _now,
    _require,
)
from services_catalog.services.quotes import _send_quote

# A form submitted twice within this window with the same content is one request.
DUPLICATE_REQUEST_WINDOW = datetime.timedelta(minutes=2)


# --------------------------------------------------------------------------- request (S1, S3, S6, A2, A5)
def _check_documents(service: Service, documents: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """S6: every required document provided; an original must travel by post or courier
    or be collected; an upload needs a file."""
    requirements = {doc.pk: doc for doc in service.required_documents.all()}
    cleaned: list[dict[str, Any]] = []
    for raw in documents:
        requirement = raw.get("requirement")
        delivery = raw.get("delivery") or JobDocument.Delivery.UPLOAD
        upload = raw.get("file")
        if delivery not in JobDocument.Delivery.values:
            raise MissingDocuments(_("Choose how the document reaches us: upload, post, courier or collection."))
        if requirement is not None and requirement.pk not in requirements:
            raise MissingDocuments(_("That document does not belong to this service."))
        if delivery == JobDocument.Delivery.UPLOAD and not upload:
            raise MissingDocuments(_("Attach the file to upload."))
        cleaned.append({"requirement": requirement, "delivery": delivery, "file": upload})
    missing: list[RequiredDocument] = []
    for requirement in requirements.values():
        given = [doc for doc in cleaned if doc["requirement"] is not None and doc["requirement"].pk == requirement.pk]
        if not given:
            missing.append(requirement)
        elif requirement.original_needed and all(doc["delivery"] == JobDocument.Delivery.UPLOAD for doc in given):
            missing.append(requirement)
    if missing:
        names = "، ".join(doc.get_name() for doc in missing)
        raise MissingDocuments(
            _("These documents are needed (originals by post, courier or collection): %(names)s")
            % {"names": names}
        )
    return cleaned


def earliest_date(service: Service, *, today: datetime.date | None = None) -> datetime.date:
    """S1: the first date a request for `service` may ask for."""
    return (today or timezone.localdate()) + datetime.timedelta(days=service.min_lead_days)


def job_request(
    *,
    customer,
    service: Service,
    area,
    address: str,
    preferred_date: datetime.date,
    slot: str,
    quantity: int = 1,
    description: str = "",
    photos: Iterable = (),
    documents: Sequence[Mapping[str, Any]] = (),
    filed_by=None,
    today: datetime.date | None = None,
) -> Job:
    """A customer (or an operator for a caller, A2) requests a service.

    `documents` items are mappings with `requirement` (a RequiredDocument or None),
    `delivery` (upload|post|courier|collected) and `file` (needed for upload).
    Fixed-price and per-unit services get their quote at once (S3); quote-required
    services wait for review (S2). The same request submitted again within two minutes
    returns the first job.
    """
    if filed_by is not None:
        _require(filed_by, Ability.FILE_FOR_CALLER, _("Only operators can file a request for a caller."))
    if not _authenticated(customer) or not customer.is_active:
        raise NotAllowed(_("Sign in to request a service."))
    if not service.is_active:
        raise ServiceUnavailable(_("This service is not offered at the moment."))
    if slot not in SLOTS:
        raise InvalidVisitTime(_("Choose a morning, afternoon or evening slot."))
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        quantity = 0
    if quantity < 1:
        raise InvalidAmount(_("The quantity must be at least 1."))
    address = (address or "").strip()
    if not address:
        raise JobError(_("Enter the address where the work is done."), code="address_required")
    if not service.areas.filter(pk=area.pk).exists():
        raise AreaNotServed(
            _("%(service)s is not offered in %(area)s yet.") % {"service": service.get_name(), "area": area.get_name()}
        )
    tier = profile_for(customer).tier
    if not service.allows_tier(tier):
        raise TierNotAllowed(
            _("%(service)s is offered to loyal customers only. Call us to learn how to become one.")
            % {"service": service.get_name()}
            if service.for_loyal and not (service.for_registered or service.for_one_off)
            else _("%(service)s is not offered to your customer tier.") % {"service": service.get_name()}
        )
    earliest = earliest_date(service, today=today)
    if preferred_date < earliest:
        error = LeadTimeTooShort(
            _("%(service)s needs %(days)s day(s) notice: the earliest date you can choose is %(date)s.")
            % {"service": service.get_name(), "days": service.min_lead_days, "date": format_date(earliest)}
        )
        error.earliest = earliest
        raise error
    if preferred_date > latest_booking_date(earliest):
        raise JobError(
            _("Choose a date before %(date)s: visits are booked at most %(days)s days ahead.")
            % {"date": format_date(latest_booking_date(earliest)), "days": booking_horizon_days()},
            code="date_too_far",
        )
    cleaned_documents = _check_documents(service, documents)
    description = (description or "").strip()
    now = _now(None)
    with transaction.atomic():
        # Serialise one customer's requests, so a double-submitted form is found below
        # (NO KEY: rows pointing at the customer, like a warranty redo, are not blocked).
        get_user_model().objects.select_for_update(no_key=True).filter(pk=customer.pk).first()
        duplicate = Job.objects.filter(
            customer=customer, service=service, area=area, address=address, preferred_date=preferred_date,
            slot=slot, quantity=quantity, description=description, status__in=Job.OPEN_STATUSES,
            created__gte=now - DUPLICATE_REQUEST_WINDOW,
        ).first()
        if duplicate is not None:
            return duplicate
        job = Job.objects.create(
            number=_new_number(),
            customer=customer,
            service=service,
            area=area,
            address=address,
            preferred_date=preferred_date,
            slot=slot,
            quantity=quantity,
            description=description,
            currency=service.currency,
            payment_rule=service.payment_rule,
            deposit_percent=service.deposit_percent,
            handling_fee=service.handling_fee,
            callout_fee=service.callout_fee,
            filed_by=filed_by,
        )
        for photo in photos:
            JobPhoto.objects.create(job=job, image=photo)
        for doc in cleaned_documents:
            JobDocument.objects.create(
                job=job, requirement=doc["requirement"], delivery=doc["delivery"], file=doc["file"] or ""
            )
        note = _("Filed by phone through an operator") if filed_by is not None else ""
        _log(job, Action.REQUESTED, from_status="", actor=filed_by or customer, note=note)
        _notify_customer(job, "services_job_requested")
        if service.is_quoted_automatically:
            _send_quote(job, lines=_automatic_lines(job), user=None, valid_days=conf.quote_valid_days(), now=now)
    return job


def _automatic_lines(job: Job) -> list[dict[str, Any]]:
    service = job.service
    if service.pricing_model == Service.PricingModel.FIXED:
        return [{"description": service.name, "quantity": 1, "unit_price": service.base_price}]
    unit = service.unit_name or "واحد"
    return [
        {
            # The quantity has its own column: the label names the unit, not the count again.
            "description": f"{service.name} ({unit})",
            "quantity": job.quantity,
            "unit_price": service.unit_price_for(job.quantity),
        }
    ]
