"""Complaints (S10): a customer complains about a provider; staff resolve it."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.permissions import Ability
from services_catalog.errors import InvalidAmount, InvalidTransition, JobError, NotAllowed
from services_catalog.models import ZERO, Complaint, Job, Provider, ProviderSanction, money
from services_catalog.services._common import (
    Action,
    _authenticated,
    _decimal,
    _lock_provider,
    _locked,
    _log,
    _notify,
    _now,
    _require,
    _require_customer,
)
from services_catalog.services.providers import _fine_provider, _suspend


def complaint_file(*, customer, text: str, job: Job | None = None, provider: Provider | None = None) -> Complaint:
    """S10: a customer complains about a provider (about one of their jobs, or in general).
    The same open complaint filed twice is one complaint."""
    text = (text or "").strip()
    if not text:
        raise JobError(_("Tell us what happened."), code="text_required")
    if not _authenticated(customer):
        raise NotAllowed(_("Sign in to send a complaint."))
    with transaction.atomic():
        if job is not None:
            job = _locked(job)
            _require_customer(job, customer)
            if job.provider_id is None:
                raise InvalidTransition(_("No provider has worked on this job yet."))
            provider = job.provider
        if provider is None:
            raise JobError(_("Choose the provider the complaint is about."), code="provider_required")
        existing = Complaint.objects.filter(
            customer=customer, provider=provider, job=job, text=text, status=Complaint.Status.OPEN
        ).first()
        if existing is not None:
            return existing
        complaint = Complaint.objects.create(job=job, provider=provider, customer=customer, text=text)
        if job is not None:
            _log(job, Action.COMPLAINT_FILED, actor=customer, note=text)
        return complaint


def complaint_resolve(
    *,
    complaint: Complaint,
    staff_user,
    action: str,
    amount: Decimal | None = None,
    note: str = "",
) -> Complaint:
    """S10: staff who resolve complaints close one with no action, a warning, a fine (on
    the ledger) or a suspension; a fine also needs fine_party, a suspension suspend_party.
    Resolving a closed complaint again changes nothing."""
    _require(staff_user, Ability.RESOLVE_COMPLAINTS, _("Only staff who resolve complaints can do this."))
    if action not in Complaint.Action.values:
        raise JobError(_("Choose no action, a warning, a fine or a suspension."), code="invalid_action")
    if action == Complaint.Action.FINE:
        _require(staff_user, Ability.FINE_PARTY, _("Only staff who fine providers can close a complaint with a fine."))
    if action == Complaint.Action.SUSPENSION:
        _require(staff_user, Ability.SUSPEND_PARTY,
                 _("Only staff who suspend providers can close a complaint with a suspension."))
    fine = None
    if action == Complaint.Action.FINE:
        fine = money(_decimal(amount, field=_("Fine")), settings.OSCAR_DEFAULT_CURRENCY)
        if fine <= ZERO:
            raise InvalidAmount(_("A fine must be more than zero."))
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.status == Complaint.Status.CLOSED:
            return complaint
        provider = _lock_provider(complaint.provider_id)
        reason = note.strip() or complaint.text
        sanction = None
        if action == Complaint.Action.WARNING:
            sanction = ProviderSanction.objects.create(
                provider=provider, kind=ProviderSanction.Kind.WARNING, reason=reason, complaint=complaint,
                created_by=staff_user,
            )
        elif action == Complaint.Action.FINE:
            sanction = _fine_provider(
                provider, amount=fine, currency=settings.OSCAR_DEFAULT_CURRENCY,
                key=f"services:complaint:{complaint.pk}:fine", reason=reason, staff_user=staff_user,
                complaint=complaint,
            )
        elif action == Complaint.Action.SUSPENSION:
            sanction = _suspend(provider, reason=reason, staff_user=staff_user, complaint=complaint)
        complaint.status = Complaint.Status.CLOSED
        complaint.action = action
        complaint.staff_note = note.strip()
        complaint.resolved_by = staff_user
        complaint.resolved_at = _now(None)
        complaint.save()
        if sanction is not None:
            _notify(
                "services_provider_sanction", recipient=provider.user, phone=provider.phone, provider=provider,
                sanction=sanction,
            )
        return complaint
