"""What referrals needs to know about each kind of payable that earns points: the buyer,
the platform's commission on a payment, when its refund window closes, and its page.

Orders (shop, vendors): the commission is each line's contract rate on its price
(vendors.services.payables.commission_for, the rule the vendor settlement posts); the
points wait for the return window after delivery of every line they came from.
Jobs (services_catalog): the commission is the provider's rate (the job's locked rate once
credited, the provider's before; the default rate before a provider is matched) on the
amount paid; the points wait `job_window_days` after the job's completion (or
cancellation). A warranty redo earns nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from oscar.core.loading import get_model

from payments.payables import PaidEvent
from services_catalog.models import Job, JobReceipt, Provider
from vendors.models import Shipment, ShipmentLine
from vendors.services.payables import commission_for

Order = get_model("order", "Order")
ZERO = Decimal("0.00")
ORDER, JOB = "order.order", "services_catalog.job"


@dataclass(frozen=True)
class Basis:
    """What one payment earns on: the buyer, the commission, and the payable's reference."""

    buyer_id: int
    commission: Decimal
    reference: str


def label_of(payable) -> str:
    return payable._meta.label_lower


def basis_for(event: PaidEvent) -> Basis | None:
    """None when this payment earns nothing (not a known payable, a warranty redo, a card
    payment a job did not keep)."""
    payable = event.payable
    label = label_of(payable)
    if label == ORDER:
        lines = ShipmentLine.objects.filter(line__order=payable).select_related("line")
        if "shipment" in event.detail:
            lines = lines.filter(shipment_id=event.detail["shipment"])
        commission = sum(
            (commission_for(price=item.line.line_price_incl_tax, rate=item.commission_rate, currency=event.currency)
             for item in lines),
            ZERO,
        )
        if "shipment" not in event.detail and payable.total_incl_tax and event.amount < payable.total_incl_tax:
            commission = (commission * event.amount / payable.total_incl_tax).quantize(Decimal("0.01"))
        if payable.user_id is None:
            return None
        return Basis(buyer_id=payable.user_id, commission=commission, reference=payable.number)
    if label == JOB:
        job: Job = payable
        if job.is_redo:
            return None
        if event.key.startswith("payment:"):
            # A duplicate card payment is refunded by the job, so it earns nothing.
            if not JobReceipt.objects.filter(job=job, payment_id=int(event.key.split(":")[1])).exists():
                return None
        rate = job.commission_rate
        if rate is None:
            rate = job.provider.commission_rate if job.provider_id else Provider._meta.get_field(
                "commission_rate").default
        commission = (Decimal(event.amount) * Decimal(rate)).quantize(Decimal("0.01"))
        return Basis(buyer_id=job.customer_id, commission=commission, reference=job.number)
    return None


def release_due(payable, payment_key: str, *, job_window_days: int) -> dt.datetime | None:
    """When the refund window of what this payment bought closes; None while it can't be
    told yet (goods not delivered, job not finished)."""
    label = label_of(payable)
    if label == ORDER:
        shipments = Shipment.objects.filter(order=payable).exclude(status=Shipment.Status.CANCELLED)
        if payment_key.startswith("cod-shipment:"):
            shipments = shipments.filter(pk=int(payment_key.split(":")[1]))
        lines = list(ShipmentLine.objects.filter(shipment__in=shipments).values_list("release_due_at", flat=True))
        if not lines or any(due is None for due in lines):
            return None
        return max(lines)
    if label == JOB:
        finished = payable.completed_at or payable.cancelled_at
        if finished is None:
            return None
        return finished + dt.timedelta(days=job_window_days)
    return None


def payable_url(label: str, reference: str) -> str:
    """The buyer's own page of the order or job."""
    try:
        if label == ORDER:
            return reverse("customer:order", kwargs={"order_number": reference})
        if label == JOB:
            return reverse("services_catalog:job-detail", args=[reference])
    except NoReverseMatch:
        return ""
    return ""


def load_payable(label: str, pk: int):
    if label == ORDER:
        return Order.objects.filter(pk=pk).first()
    if label == JOB:
        return Job.objects.filter(pk=pk).first()
    return None


def had_paid_purchase(user_id: int) -> bool:
    """Whether the customer already paid for something (an order past payment, a paid job)."""
    from shop import order_status

    if Order.objects.filter(user_id=user_id).exclude(
        status__in=[order_status.PENDING_PAYMENT, order_status.CANCELLED]
    ).exists():
        return True
    return Job.objects.filter(customer_id=user_id, amount_paid__gt=0).exists()
