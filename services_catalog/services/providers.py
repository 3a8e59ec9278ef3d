"""Providers: sanctions (fine, suspension), reinstatement, weekly availability (S13)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.permissions import Ability
from ledger import codes
from ledger.services import transfer_move
from services_catalog.errors import InvalidVisitTime, NotAllowed
from services_catalog.models import SLOTS, Complaint, Provider, ProviderAvailability, ProviderSanction, WarrantyClaim
from services_catalog.services._common import (
    _actor,
    _authenticated,
    _can,
    _ledger_account,
    _lock_provider,
    _require,
    provider_account,
)


def _fine_provider(provider: Provider, *, amount: Decimal, currency: str, key: str, reason: str, staff_user,
                   complaint: Complaint | None = None, claim: WarrantyClaim | None = None) -> ProviderSanction:
    """Move a fine from the provider's payable account to `platform:fines` (their balance
    may go below zero: they then owe the platform) and record the sanction."""
    transfer_move(
        idempotency_key=key,
        kind="provider_fine",
        source=provider_account(provider, currency=currency),
        destination=_ledger_account(codes.PLATFORM_FINES, currency=currency, name="Provider fines"),
        amount=amount,
        memo=reason[:200],
        user=_actor(staff_user),
    )
    return ProviderSanction.objects.create(
        provider=provider, kind=ProviderSanction.Kind.FINE, amount=amount, reason=reason,
        complaint=complaint, warranty_claim=claim, created_by=_actor(staff_user),
    )


def _suspend(provider: Provider, *, reason: str, staff_user, complaint: Complaint | None = None,
             claim: WarrantyClaim | None = None) -> ProviderSanction | None:
    if provider.status == Provider.Status.SUSPENDED:
        return None
    provider.status = Provider.Status.SUSPENDED
    provider.save(update_fields=["status"])
    return ProviderSanction.objects.create(
        provider=provider, kind=ProviderSanction.Kind.SUSPENSION, reason=reason, complaint=complaint,
        warranty_claim=claim, created_by=_actor(staff_user),
    )


def provider_reinstate(*, provider: Provider, staff_user) -> Provider:
    """Staff who suspend parties lift a suspension (matching offers the provider jobs again)."""
    _require(staff_user, Ability.SUSPEND_PARTY, _("Only staff who suspend providers can reinstate them."))
    with transaction.atomic():
        provider = _lock_provider(provider.pk)
        if provider.status != Provider.Status.ACTIVE:
            provider.status = Provider.Status.ACTIVE
            provider.save(update_fields=["status"])
        return provider


def provider_set_availability(*, provider: Provider, user, slots: Iterable[tuple[int, str]]) -> None:
    """S13: the provider's weekly slots, replaced by `slots` ((weekday 0=Monday, slot) pairs)."""
    if not (_can(user, Ability.MANAGE_PROVIDERS) or (_authenticated(user) and provider.user_id == user.pk)):
        raise NotAllowed(_("Only the provider or staff can change this availability."))
    wanted = set()
    for weekday, slot in slots:
        if slot not in SLOTS or not 0 <= int(weekday) <= 6:
            raise InvalidVisitTime(_("Choose a weekday and a morning, afternoon or evening slot."))
        wanted.add((int(weekday), slot))
    with transaction.atomic():
        _lock_provider(provider.pk)
        current = set(ProviderAvailability.objects.filter(provider=provider).values_list("weekday", "slot"))
        for weekday, slot in current - wanted:
            ProviderAvailability.objects.filter(provider=provider, weekday=weekday, slot=slot).delete()
        ProviderAvailability.objects.bulk_create(
            ProviderAvailability(provider=provider, weekday=weekday, slot=slot) for weekday, slot in wanted - current
        )
