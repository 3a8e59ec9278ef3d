"""Paying a vendor out of its AVAILABLE balance (issue 4 point 8), as a Stripe Connect
transfer when the vendor has a connected account and Stripe is configured.

Money is never sent to Stripe inside an open database transaction (a slow or failing
Stripe must hold no row lock): `payout_create` writes the payout and its ledger debit and
commits; `payout_send` runs after that commit (on_commit), calls Stripe with no
transaction open, and records the result in a new short transaction. The view that
records payouts opts out of ATOMIC_REQUESTS for the same reason.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import clock
from core.money import is_whole_minor, to_minor
from core.permissions import Ability
from ledger import codes
from ledger import services as ledger
from ledger.errors import InsufficientFunds
from ledger.models import Transfer
from vendors import conf, gateway
from vendors.errors import PayoutNotAllowed
from vendors.models import Payout
from vendors.services._common import actor, platform_account, require_vendor_or, vendor_accounts

logger = logging.getLogger(__name__)


def payout_create(*, partner: Any, amount: Decimal, user: Any, idempotency_key: str) -> Payout:
    """Pay the vendor out of its AVAILABLE balance (never below zero). Recorded at once;
    sent as a Stripe Connect transfer after commit when the vendor has a connected account
    and Stripe is configured. The same key again returns the same payout. The vendor's own
    users may ask for it; platform staff need pay_out."""
    require_vendor_or(user, partner, Ability.PAY_OUT)
    amount = Decimal(amount)
    currency = conf.currency()
    if amount <= 0 or not is_whole_minor(amount, currency):
        raise PayoutNotAllowed(_("Enter an amount greater than zero, in whole cents."))
    if not idempotency_key:
        raise PayoutNotAllowed(_("A payout needs an idempotency key."))
    existing = Payout.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.partner_id != partner.pk or existing.amount != amount:
            raise PayoutNotAllowed(_("This payout request was already used for another payout; reload the page."))
        return existing
    try:
        with transaction.atomic():
            payout = Payout.objects.create(
                partner=partner, amount=amount, currency=currency, idempotency_key=idempotency_key,
                created_by=actor(user),
            )
            _held, available = vendor_accounts(partner, currency)
            try:
                ledger.transfer_move(
                    idempotency_key=payout.ledger_key,
                    kind="vendor_payout",
                    source=available,
                    destination=platform_account(codes.PLATFORM_PAYOUTS, currency),
                    amount=amount,
                    memo=f"payout to {partner.name}",
                    user=actor(user),
                    metadata={"payout": payout.pk, "partner": partner.pk},
                    source_minimum=Decimal("0"),
                )
            except InsufficientFunds as exc:
                raise PayoutNotAllowed(
                    _("Only %(available)s %(currency)s is available to pay out.")
                    % {"available": ledger.account_balance(account=available), "currency": currency}
                ) from exc
    except IntegrityError:
        # The same key was recorded by a concurrent request: that payout is this payout.
        existing = Payout.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing
    if partner.stripe_account_id and conf.stripe_ready():
        # After the commit (immediately when no transaction is open): never inside one.
        transaction.on_commit(lambda: payout_send(payout=payout))
    return payout


def payout_send(*, payout: Payout) -> Payout:
    """Send a recorded payout to the vendor's Stripe Connect account. Call it with no
    transaction open (payout_create schedules it after commit).

    Only a "recorded" payout of a vendor with a connected account is sent; Stripe gets an
    idempotency key derived from the payout's, so a retry (or two concurrent sends) never
    pays twice. Stripe refusing the transfer marks the payout failed and reverses its
    ledger debit (the money is available to the vendor again); an unreachable Stripe
    leaves it recorded, to retry.
    """
    payout = Payout.objects.select_related("partner").get(pk=payout.pk)
    if payout.status != Payout.Status.RECORDED or not payout.partner.stripe_account_id:
        return payout
    try:
        transfer_id = gateway.create_transfer(
            amount_minor=to_minor(payout.amount, payout.currency),
            currency=payout.currency,
            destination=payout.partner.stripe_account_id,
            metadata={"payout": str(payout.pk), "partner": str(payout.partner_id)},
            idempotency_key=f"payout:{payout.idempotency_key}",
        )
    except gateway.TransferUnreachable as exc:
        logger.warning("Stripe unreachable for payout %s: %s", payout.pk, exc)
        return _record_unreachable(payout)
    except gateway.TransferRefused as exc:
        logger.warning("Stripe refused payout %s: %s", payout.pk, exc)
        return _record_refused(payout, str(exc))
    return _record_sent(payout, transfer_id)


def _locked_if_recorded(payout: Payout) -> Payout | None:
    """The payout locked, or None when another send already recorded its outcome."""
    locked = Payout.objects.select_for_update().get(pk=payout.pk)
    return locked if locked.status == Payout.Status.RECORDED else None


def _record_unreachable(payout: Payout) -> Payout:
    with transaction.atomic():
        locked = _locked_if_recorded(payout)
        if locked is None:
            return Payout.objects.get(pk=payout.pk)
        locked.failure_message = str(_("Stripe could not be reached; the payout will be retried."))
        locked.save(update_fields=["failure_message"])
        return locked


def _record_refused(payout: Payout, message: str) -> Payout:
    with transaction.atomic():
        locked = _locked_if_recorded(payout)
        if locked is None:
            return Payout.objects.get(pk=payout.pk)
        locked.status = Payout.Status.FAILED
        locked.failure_message = message[:2000]
        locked.save(update_fields=["status", "failure_message"])
        ledger.transfer_reverse(
            transfer=Transfer.objects.get(idempotency_key=locked.ledger_key),
            idempotency_key=f"vendor-payout-failed:{locked.idempotency_key}",
            memo=f"Stripe refused payout {locked.pk}",
        )
        return locked


def _record_sent(payout: Payout, transfer_id: str) -> Payout:
    with transaction.atomic():
        locked = _locked_if_recorded(payout)
        if locked is None:
            return Payout.objects.get(pk=payout.pk)
        locked.status = Payout.Status.SENT
        locked.stripe_transfer_id = transfer_id
        locked.failure_message = ""
        locked.sent_at = clock.now()
        locked.save(update_fields=["status", "stripe_transfer_id", "failure_message", "sent_at"])
        return locked
