"""The performing office's inbox (A3, S6): accept or decline, progress, originals, the
result and completion; the originating office hands the result over.

Each step moves the job through services_catalog's own services (the performing
office's clerk stands for the job's provider, services_catalog.job_hooks) and the errand
through its machine, notifying the customer and both offices."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from offices import conf
from offices.errors import InvalidTransition, NotAllowed, OfficeError
from offices.files import check_upload
from offices.models import Errand
from offices.services._common import (
    fire,
    is_origin_clerk,
    is_performer_clerk,
    lock,
    notify_errand,
    now_or,
    require_clerk,
)
from services_catalog.machine import JOB
from services_catalog.models import JobDecline, JobDocument
from services_catalog.services import job_complete, job_document_mark, job_match, job_start


def _performer(user, errand: Errand):
    office = require_clerk(user)
    if errand.performer_id != office.pk:
        raise NotAllowed(_("Only a clerk of the performing office can do this."))
    return office


def _lock_both(errand: Errand):
    """The job first (services_catalog's lock order), then the errand."""
    job = JOB.lock(errand.job_id)
    return job, lock(errand)


def errand_accept(*, user, errand: Errand, now: datetime.datetime | None = None) -> Errand:
    """The performing office takes the errand on (accepting twice changes nothing)."""
    now = now_or(now)
    with transaction.atomic():
        job, errand = _lock_both(errand)
        office = _performer(user, errand)
        if errand.status == Errand.Status.ACCEPTED:
            return errand
        JOB.fire(job, "dispatched", actor=user, allowed=lambda u, _j: is_performer_clerk(u, errand), locked=True,
                 note=str(_("Accepted by %(office)s") % {"office": office.name}),
                 fields={"visit_at": now, "dispatched_at": now})
        fire(errand, "accepted", actor=user, office=office, allowed=is_performer_clerk, now=now,
             hop_due_at=conf.hop_due("accepted", now))
        notify_errand(errand, "accepted")
        return errand


def errand_decline(*, user, errand: Errand, reason: str, now: datetime.datetime | None = None) -> Errand:
    """The performing office declines with a reason: the errand is routed to the next one."""
    now = now_or(now)
    reason = (reason or "").strip()
    if not reason:
        raise OfficeError(_("Say why the office declines the errand."), code="reason_required")
    with transaction.atomic():
        job, errand = _lock_both(errand)
        office = _performer(user, errand)
        if errand.status not in (Errand.Status.ROUTED, Errand.Status.ACCEPTED):
            raise InvalidTransition(_("This errand can no longer be declined."))
        if job.provider_id:
            JobDecline.objects.get_or_create(job=job, provider_id=job.provider_id, defaults={"reason": reason})
        JOB.fire(job, "declined", actor=user, allowed=lambda u, _j: is_performer_clerk(u, errand), locked=True,
                 note=reason, event_fields={"visible_to_customer": False},
                 fields={"provider": None, "visit_at": None, "matching_since": now})
        fire(errand, "declined", actor=user, office=office, allowed=is_performer_clerk, note=reason, now=now,
             declined_office_ids=[*errand.declined_office_ids, office.pk], hop_due_at=None)
        notify_errand(errand, "declined", note=reason, customer=False)
        job_match(job=job, now=now)  # routed to the next office (offices.delegate)
        errand.refresh_from_db()
        return errand


def errand_progress(*, user, errand: Errand, note: str = "", now: datetime.datetime | None = None) -> Errand:
    """The performing office records progress (the first time, the work starts)."""
    now = now_or(now)
    with transaction.atomic():
        job, errand = _lock_both(errand)
        office = _performer(user, errand)
        if errand.status == Errand.Status.ACCEPTED:
            job_start(job=job, user=user, now=now)
            fire(errand, "started", actor=user, office=office, allowed=is_performer_clerk, note=note, now=now,
                 hop_due_at=conf.hop_due("in_progress", now))
        else:
            fire(errand, "progress", actor=user, office=office, allowed=is_performer_clerk, note=note, now=now)
        notify_errand(errand, "progress", note=note, performer=False)
        return errand


def errand_originals(*, user, errand: Errand, returned: bool = False,
                     now: datetime.datetime | None = None) -> Errand:
    """The performing office received the originals, or sent them back (S6)."""
    now = now_or(now)
    with transaction.atomic():
        job, errand = _lock_both(errand)
        office = _performer(user, errand)
        if errand.originals == Errand.Originals.NONE:
            raise InvalidTransition(_("No originals travel for this errand."))
        field = "originals_returned_at" if returned else "originals_received_at"
        if getattr(errand, field) is not None:
            return errand
        if returned and errand.originals_received_at is None:
            raise InvalidTransition(_("Record first that the originals were received."))
        for document in job.documents.exclude(delivery=JobDocument.Delivery.UPLOAD):
            job_document_mark(document=document, user=user, returned=returned, now=now)
        fire(errand, "originals_returned" if returned else "originals_received", actor=user, office=office,
             allowed=is_performer_clerk, now=now, **{field: now})
        notify_errand(errand, "originals_returned" if returned else "originals_received", performer=False)
        return errand


def errand_result(*, user, errand: Errand, reference: str = "", note: str = "", file=None,
                  negative: bool = False, now: datetime.datetime | None = None) -> Errand:
    """The performing office uploads the result (a receipt, a scanned certificate, a
    reference number) and completes: the job is completed and the fee split posted."""
    now = now_or(now)
    reference, note = (reference or "").strip(), (note or "").strip()
    if not (reference or note or file):
        raise OfficeError(_("Give the result: a reference number, a note or a scanned document."),
                          code="result_required")
    if file is not None:
        check_upload(file)
    with transaction.atomic():
        job, errand = _lock_both(errand)
        office = _performer(user, errand)
        if errand.status == Errand.Status.RESULT_READY:
            return errand
        if errand.status not in (Errand.Status.ACCEPTED, Errand.Status.IN_PROGRESS):
            raise InvalidTransition(_("Accept the errand before giving its result."))
        if file is not None:
            errand.result_file.save(file.name, file, save=False)
        fire(errand, "result", actor=user, office=office, allowed=is_performer_clerk, now=now,
             note=reference or note[:200], result_reference=reference, result_note=note,
             outcome_negative=bool(negative), result_file=errand.result_file,
             hop_due_at=conf.hop_due("result_ready", now))
        job_complete(job=job, provider_user=user, now=now)
        notify_errand(errand, "result", note=reference or note)
        return errand


def errand_hand_over(*, user, errand: Errand, now: datetime.datetime | None = None) -> Errand:
    """The originating office hands the result to the customer."""
    now = now_or(now)
    with transaction.atomic():
        errand = lock(errand)
        office = require_clerk(user)
        if not is_origin_clerk(user, errand):
            raise NotAllowed(_("Only a clerk of the office where the errand was filed can hand it over."))
        if errand.status == Errand.Status.HANDED_OVER:
            return errand
        fire(errand, "handed_over", actor=user, office=office, allowed=is_origin_clerk, now=now,
             handed_over_at=now, hop_due_at=None)
        notify_errand(errand, "handed_over", performer=False)
        return errand
