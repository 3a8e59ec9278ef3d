"""Documents (S6): added after the request; originals received and returned. Photos of
the work, added by the provider while on the job."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.permissions import Ability
from services_catalog.errors import InvalidTransition, JobError, MissingDocuments
from services_catalog.models import Job, JobDocument, JobPhoto, RequiredDocument, Service
from services_catalog.services._common import (
    Action,
    _locked,
    _log,
    _now,
    _require_customer,
    _require_job_provider,
)


def job_document_add(
    *, job: Job, user, requirement: RequiredDocument | None = None, file=None, delivery: str = "upload"
) -> JobDocument:
    """The customer (or staff who manage jobs, for them) adds a document after the request."""
    with transaction.atomic():
        job = _locked(job)
        _require_customer(job, user, staff_ability=Ability.MANAGE_JOBS)
        if not job.is_open:
            raise InvalidTransition(_("Documents can be added while the job is open."))
        cleaned = _check_documents_one(job.service, requirement=requirement, file=file, delivery=delivery)
        document = JobDocument.objects.create(job=job, **cleaned)
        _log(job, Action.DOCUMENT_ADDED, actor=user, note=str(document))
        return document


def _check_documents_one(service: Service, *, requirement, file, delivery) -> dict[str, Any]:
    if delivery not in JobDocument.Delivery.values:
        raise MissingDocuments(_("Choose how the document reaches us: upload, post, courier or collection."))
    if requirement is not None and requirement.service_id != service.pk:
        raise MissingDocuments(_("That document does not belong to this service."))
    if delivery == JobDocument.Delivery.UPLOAD and not file:
        raise MissingDocuments(_("Attach the file to upload."))
    return {"requirement": requirement, "file": file or "", "delivery": delivery}


def job_document_mark(*, document: JobDocument, user, returned: bool = False,
                      now: datetime.datetime | None = None) -> JobDocument:
    """S6: the provider (or staff who manage jobs) record that an original arrived (or
    went back to the customer)."""
    now = _now(now)
    with transaction.atomic():
        job = _locked(document.job)
        _require_job_provider(job, user)
        document = JobDocument.objects.select_for_update().get(pk=document.pk)
        field = "returned_at" if returned else "received_at"
        if getattr(document, field) is None:
            setattr(document, field, now)
            document.save(update_fields=[field])
            action = Action.DOCUMENT_RETURNED if returned else Action.DOCUMENT_RECEIVED
            _log(job, action, actor=user, note=str(document))
        return document


# A provider may show the work from the moment the job is theirs until it is done.
PHOTO_STATUSES = (Job.Status.ASSIGNED, Job.Status.DISPATCHED, Job.Status.IN_PROGRESS, Job.Status.COMPLETED)


def job_photos_add(*, job: Job, user, photos: Iterable) -> list[JobPhoto]:
    """The job's provider (or staff who manage jobs) adds photos of the work, kept as the
    job's private files beside the customer's own (one step on the timeline)."""
    photos = list(photos)
    if not photos:
        raise JobError(_("Attach at least one photo."), code="photos_required")
    with transaction.atomic():
        job = _locked(job)
        _require_job_provider(job, user)
        if job.status not in PHOTO_STATUSES:
            raise InvalidTransition(_("Photos of the work can be added once the job is yours, until it is done."))
        added = [JobPhoto.objects.create(job=job, image=photo) for photo in photos]
        _log(job, Action.PHOTOS_ADDED, actor=user, note=str(len(added)))
        return added
