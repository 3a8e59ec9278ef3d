"""Earning, releasing, taking back and expiring gift points (R1, R3; issue 10 points 2, 3,
5, 6, 7). Every ledger posting has an idempotency key naming its business event:

    referrals:earn:<payment key>:<role>     one per payment and side
    referrals:release:<earning>             pending -> available, once
    referrals:reverse:<refund key>:<earning> one per refund and earning (a block is a refund key too)
    referrals:expire:<earning>              available -> expired, once

Locks, always in this order: the payable (the order or job), the earnings, the ledger
accounts (ledger.services locks those in pk order).
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from core import clock
from ledger import codes
from ledger.services import account_balance, transfer_move
from notifications.services import notify
from payments.payables import PaidEvent, RefundedEvent
from referrals import rules, sources
from referrals.models import Earning, PointsReversal, Referral
from referrals.services.accounts import available_account, current_settings, pending_account, platform_account
from referrals.services.attribution import self_referral_reason

logger = logging.getLogger(__name__)
E = Earning.Status


def _lock_payable(payable):
    return type(payable)._default_manager.select_for_update().get(pk=payable.pk)


# --------------------------------------------------------------------------- earn
@transaction.atomic
def on_paid(event: PaidEvent) -> list[Earning]:
    """A payment was received: each side's share of its commission, as pending points."""
    basis = sources.basis_for(event)
    if basis is None or basis.commission <= 0:
        return []
    conf = current_settings()
    payable = _lock_payable(event.payable)
    referral = Referral.objects.select_related("referrer", "referred").filter(referred_id=basis.buyer_id).first()
    sides: list[tuple[int, str, Decimal, Referral | None]] = []
    if referral is not None and referral.status == Referral.Status.ACTIVE:
        if referral.referrer_earns:
            reason = self_referral_reason(referral.referrer, referral.referred)
            if reason:
                if not referral.flag:
                    Referral.objects.filter(pk=referral.pk).update(flag=reason[:200])
            else:
                sides.append((referral.referrer_id, Earning.Role.REFERRER, conf.referrer_share, referral))
        sides.append((basis.buyer_id, Earning.Role.BUYER, conf.buyer_share, referral))
    elif referral is None and conf.buyer_share_without_referrer:
        sides.append((basis.buyer_id, Earning.Role.BUYER, conf.buyer_share, None))
    earned = []
    for user_id, role, share, linked in sides:
        points = rules.share_points(commission=basis.commission, share=share, points_per_unit=conf.points_per_unit)
        if points <= 0:
            continue
        earning = _earn(payable, event, basis, user_id=user_id, role=role, points=points, referral=linked)
        if earning is not None:
            earned.append(earning)
    return earned


def _earn(payable, event: PaidEvent, basis, *, user_id: int, role: str, points: int,
          referral: Referral | None) -> Earning | None:
    now = clock.now()
    try:
        with transaction.atomic():
            earning = Earning.objects.create(
                beneficiary_id=user_id, role=role, referral=referral,
                payable_type=ContentType.objects.get_for_model(payable), payable_id=payable.pk,
                payable_ref=basis.reference, payment_key=event.key, base_amount=event.amount,
                commission=basis.commission, currency=event.currency, points=points, created=now,
            )
    except IntegrityError:
        return None  # this payment already earned this side (a replayed webhook)
    transfer_move(
        idempotency_key=f"referrals:earn:{event.key}:{role}", kind="points_earned",
        source=platform_account(codes.PLATFORM_REFERRAL_EXPENSE), destination=pending_account(user_id),
        amount=Decimal(points), memo=f"{basis.reference} ({role})",
        metadata={"earning": earning.pk, "payment": event.key, "commission": str(basis.commission)},
    )
    return earning


# --------------------------------------------------------------------------- take back
@transaction.atomic
def on_refunded(event: RefundedEvent) -> int:
    """A refund: the same proportion of the points each payment earned, from both sides,
    pending or available. Returns the points taken back."""
    content_type = ContentType.objects.get_for_model(event.payable)
    if not Earning.objects.filter(payable_type=content_type, payable_id=event.payable.pk).exists():
        return 0
    _lock_payable(event.payable)
    earnings = Earning.objects.select_for_update().filter(payable_type=content_type, payable_id=event.payable.pk)
    if event.payment_key:
        earnings = earnings.filter(payment_key=event.payment_key)
    by_payment: dict[str, list[Earning]] = {}
    for earning in earnings.order_by("pk"):
        by_payment.setdefault(earning.payment_key, []).append(earning)
    remaining = Decimal(event.amount)
    taken = 0
    for group in by_payment.values():
        if remaining <= 0:
            break
        first = group[0]
        amount = min(remaining, first.base_amount - first.refunded_amount)
        if amount <= 0:
            continue
        remaining -= amount
        for earning in group:
            taken += _take_back(earning, refund_key=event.key, amount=amount)
    return taken


def _take_back(earning: Earning, *, refund_key: str, amount: Decimal, points: int | None = None) -> int:
    """Record and post one refund's share of one earning (once per refund key)."""
    if PointsReversal.objects.filter(refund_key=refund_key, earning=earning).exists():
        return 0
    if points is None:
        points = rules.points_to_take_back(points=earning.points, already_taken=earning.points_reversed,
                                           paid=earning.base_amount, refunded_before=earning.refunded_amount,
                                           refund=amount)
    from_available = earning.status == E.AVAILABLE
    PointsReversal.objects.create(earning=earning, refund_key=refund_key, amount=amount, points=points,
                                  from_available=from_available, created=clock.now())
    earning.refunded_amount = min(earning.refunded_amount + amount, earning.base_amount)
    earning.points_reversed += points
    if earning.points_reversed >= earning.points:
        earning.status = E.REVERSED
    earning.save(update_fields=["refunded_amount", "points_reversed", "status"])
    if points > 0:
        source = available_account(earning.beneficiary_id) if from_available else pending_account(
            earning.beneficiary_id)
        transfer_move(
            idempotency_key=f"referrals:reverse:{refund_key}:{earning.pk}", kind="points_reversed",
            source=source, destination=platform_account(codes.PLATFORM_REFERRAL_EXPENSE), amount=Decimal(points),
            memo=f"{earning.payable_ref}: {refund_key}", metadata={"earning": earning.pk, "refund": refund_key},
        )
    return points


@transaction.atomic
def referral_reverse_pending(referral: Referral, *, key: str) -> int:
    """A blocked referral: every point still pending from it is taken back."""
    taken = 0
    for earning in Earning.objects.select_for_update().filter(referral=referral, status=E.PENDING).order_by("pk"):
        taken += _take_back(earning, refund_key=key, amount=Decimal("0"), points=earning.net_points)
    return taken


# --------------------------------------------------------------------------- release
def release_due_points(*, now: dt.datetime | None = None) -> int:
    """Pending -> available for every earning whose refund window has closed. Safe to run
    again and concurrently (each earning is locked and released once)."""
    now = clock.now(now)
    conf = current_settings()
    released = 0
    # A known date in the future stays as it is (deliveries and completions are final).
    due_or_unknown = Earning.objects.filter(status=E.PENDING).filter(
        Q(release_due_at__isnull=True) | Q(release_due_at__lte=now))
    for pk in list(due_or_unknown.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            earning = Earning.objects.select_for_update().get(pk=pk)
            if earning.status != E.PENDING:
                continue
            payable = sources.load_payable(f"{earning.payable_type.app_label}.{earning.payable_type.model}",
                                           earning.payable_id)
            due = sources.release_due(payable, earning.payment_key, job_window_days=conf.job_window_days) \
                if payable is not None else None
            if due != earning.release_due_at:
                earning.release_due_at = due
                earning.save(update_fields=["release_due_at"])
            if due is None or due > now:
                continue
            transfer_move(
                idempotency_key=f"referrals:release:{earning.pk}", kind="points_released",
                source=pending_account(earning.beneficiary_id), destination=available_account(earning.beneficiary_id),
                amount=Decimal(earning.net_points), memo=earning.payable_ref, metadata={"earning": earning.pk},
            )
            earning.status = E.AVAILABLE
            earning.released_at = now
            earning.expires_at = now + relativedelta(months=conf.expiry_months)
            earning.save(update_fields=["status", "released_at", "expires_at"])
            notify(event="referrals_points_available", recipient=earning.beneficiary,
                   context={"earning": earning, "points": earning.net_points})
            released += 1
    return released


# --------------------------------------------------------------------------- expire
def _unspent(earning: Earning, balance: int) -> int:
    younger = Earning.objects.filter(
        beneficiary_id=earning.beneficiary_id, status=E.AVAILABLE, expired_at__isnull=True,
        expires_at__gt=earning.expires_at,
    ).exclude(pk=earning.pk)
    younger_points = sum(e.net_points for e in younger)
    return rules.unspent_of(earning_points=earning.net_points, balance=balance, younger_points=younger_points)


def expire_points(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Remind customers of points expiring soon, then move what is left unspent of each
    earning past its date into the expired account (oldest spent first). Returns
    (reminded, expired earnings)."""
    now = clock.now(now)
    conf = current_settings()
    reminded = 0
    soon = Earning.objects.filter(status=E.AVAILABLE, expired_at__isnull=True, reminded_at__isnull=True,
                                  expires_at__lte=now + dt.timedelta(days=conf.reminder_days), expires_at__gt=now)
    for pk in list(soon.values_list("pk", flat=True)):
        with transaction.atomic():
            earning = Earning.objects.select_for_update().get(pk=pk)
            if earning.reminded_at is not None:
                continue
            balance = int(account_balance(account=available_account(earning.beneficiary_id)))
            left = _unspent(earning, balance)
            earning.reminded_at = now
            earning.save(update_fields=["reminded_at"])
            if left > 0:
                notify(event="referrals_points_expiring", recipient=earning.beneficiary,
                       context={"earning": earning, "points": left})
                reminded += 1
    expired = 0
    due = Earning.objects.filter(status=E.AVAILABLE, expired_at__isnull=True, expires_at__lte=now)
    for pk in list(due.order_by("expires_at", "pk").values_list("pk", flat=True)):
        with transaction.atomic():
            earning = Earning.objects.select_for_update().get(pk=pk)
            if earning.expired_at is not None:
                continue
            account = available_account(earning.beneficiary_id)
            left = _unspent(earning, int(account_balance(account=account)))
            if left > 0:
                transfer_move(
                    idempotency_key=f"referrals:expire:{earning.pk}", kind="points_expired", source=account,
                    destination=platform_account(codes.PLATFORM_POINTS_EXPIRED), amount=Decimal(left),
                    memo=earning.payable_ref, metadata={"earning": earning.pk}, source_minimum=Decimal("0"),
                )
            earning.expired_at = now
            earning.points_expired = left
            earning.save(update_fields=["expired_at", "points_expired"])
            expired += 1
    return reminded, expired


def total_points(queryset, field: str) -> int:
    return int(queryset.aggregate(total=Sum(field))["total"] or 0)
