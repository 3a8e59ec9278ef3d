"""Documents (S6): added after the request; originals received and returned."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.permissions import Ability
from services_catalog.errors import InvalidTransition, MissingDocuments
from services_catalog.models import Job, JobDocument, RequiredDocument, Service
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
