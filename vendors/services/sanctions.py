"""Sanctions (S10, P3): suspending and reinstating a vendor (suspend_party) and fining it
(fine_party). The quality policy (vendors.services.claims) uses the same two steps with
no staff user: the policy itself acts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from core import clock
from core.money import is_whole_minor
from core.page_cache import invalidate_all
from core.permissions import Ability
from ledger import codes
from ledger import services as ledger
from vendors import conf
from vendors.errors import ReasonRequired, VendorError
from vendors.models import VendorSanction, WarrantyClaim
from vendors.services._common import Partner, actor, platform_account, require, vendor_accounts


def vendor_suspend(*, partner: Any, staff_user: Any = None, reason: str, claim: WarrantyClaim | None = None) -> None:
    """Suspend a vendor: its products leave the storefront and can't be bought; its users
    can still sign in and see what they're owed. `staff_user=None` is the quality policy
    acting on its own. Suspending a suspended vendor changes nothing."""
    if staff_user is not None:
        require(staff_user, Ability.SUSPEND_PARTY)
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Say why the vendor is suspended; the vendor is told."))
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if partner.is_suspended:
            return
        partner.status = Partner.Status.SUSPENDED
        partner.suspended_reason = reason
        partner.suspended_at = clock.now()
        partner.save(update_fields=["status", "suspended_reason", "suspended_at"])
        VendorSanction.objects.create(
            partner=partner, kind=VendorSanction.Kind.SUSPENSION, reason=reason, claim=claim,
            created_by=actor(staff_user),
        )
        # Cached listings still show its products until retired.
        transaction.on_commit(invalidate_all)


def vendor_reinstate(*, partner: Any, staff_user: Any) -> None:
    """Lift a suspension; the vendor's products are on sale again. Idempotent."""
    require(staff_user, Ability.SUSPEND_PARTY)
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if not partner.is_suspended:
            return
        partner.status = Partner.Status.ACTIVE
        partner.suspended_reason = ""
        partner.suspended_at = None
        partner.save(update_fields=["status", "suspended_reason", "suspended_at"])
        transaction.on_commit(invalidate_all)


def fine(*, partner: Any, amount: Decimal, reason: str, user: Any, claim: WarrantyClaim | None,
         key: str) -> VendorSanction:
    """Record the fine and debit it (no permission check: callers decided). Once per `key`."""
    existing = VendorSanction.objects.filter(kind=VendorSanction.Kind.FINE, ledger_transfer_key=key).first()
    if existing is not None:
        return existing
    currency = conf.currency()
    sanction = VendorSanction.objects.create(
        partner=partner, kind=VendorSanction.Kind.FINE, amount=amount, currency=currency, reason=reason,
        claim=claim, created_by=actor(user), ledger_transfer_key=key,
    )
    _held, available = vendor_accounts(partner, currency)
    # A fine may take the balance below zero: the vendor then owes the platform, and
    # later sales pay it back before any payout.
    ledger.transfer_move(
        idempotency_key=key,
        kind="vendor_fine",
        source=available,
        destination=platform_account(codes.PLATFORM_FINES, currency),
        amount=amount,
        memo=reason[:200],
        user=actor(user),
        metadata={"sanction": sanction.pk, "partner": partner.pk},
    )
    return sanction


def vendor_fine(
    *, partner: Any, amount: Decimal, reason: str, staff_user: Any, claim: WarrantyClaim | None = None,
    idempotency_key: str | None = None,
) -> VendorSanction:
    """Staff fine a vendor (S10, P3): debited from its AVAILABLE balance to platform:fines.
    A claim is fined once; pass `idempotency_key` so a repeated form fines once too."""
    require(staff_user, Ability.FINE_PARTY)
    amount = Decimal(amount)
    reason = (reason or "").strip()
    if amount <= 0 or not is_whole_minor(amount, conf.currency()):
        raise VendorError(_("Enter a fine greater than zero, in whole cents."), code="invalid_fine")
    if not reason:
        raise ReasonRequired(_("Say why the vendor is fined; the vendor is told."))
    with transaction.atomic():
        if claim is not None:
            key = f"vendor-fine:claim:{claim.pk}"
        elif idempotency_key:
            key = f"vendor-fine:{idempotency_key}"
        else:
            key = f"vendor-fine:{partner.pk}:{get_random_string(16)}"
        return fine(partner=partner, amount=amount, reason=reason, user=staff_user, claim=claim, key=key)
