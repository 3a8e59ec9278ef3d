"""Money at an office's counter: an errand's fee taken in cash or on the office's card
terminal (POS), a refund of it handed back the same way, and the reconciliation of both
per office (counter orders record their payments here too, offices.services.baskets)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from offices.errors import InvalidRefund, InvalidTransition, OfficeError
from offices.models import CounterPayment, CounterRefund, Errand, PartnerOffice
from offices.services._common import fire, lock, notify_errand, require_clerk
from services_catalog.models import JobReceipt
from services_catalog.services import job_record_cash_payment, job_record_cash_refund

ZERO = Decimal("0")
RECEIPT_METHOD = {CounterPayment.Method.CASH: JobReceipt.Method.CASH,
                  CounterPayment.Method.TERMINAL: JobReceipt.Method.CARD}


def clean_reference(method: str, reference: str) -> str:
    """The terminal's receipt number, required for a card payment on the terminal."""
    if method not in CounterPayment.Method.values:
        raise OfficeError(_("Choose how the customer pays at the counter."), code="counter_method_required")
    reference = (reference or "").strip()
    if method == CounterPayment.Method.TERMINAL and not reference:
        raise OfficeError(_("Enter the receipt number the card terminal printed."), code="terminal_reference_required")
    return reference if method == CounterPayment.Method.TERMINAL else ""


def errand_take_payment(*, clerk_user, errand: Errand, method: str = CounterPayment.Method.CASH,
                        reference: str = "") -> JobReceipt:
    """The originating office takes the amount due at its counter, in cash or on its card
    terminal (recorded on the job like staff's cash, and as a counter payment of the
    office for its reconciliation). Paying starts routing. Taking it twice changes nothing."""
    office = require_clerk(clerk_user)
    if office.pk != errand.origin_id:
        raise InvalidTransition(_("Only the office where the errand was filed takes its payment."))
    reference = clean_reference(method, reference)
    with transaction.atomic():
        receipt = job_record_cash_payment(job=errand.job, staff_user=clerk_user, method=RECEIPT_METHOD[method])
        errand = lock(errand)
        if not errand.events.filter(action="paid", note__startswith=f"#{receipt.pk} ").exists():
            CounterPayment.objects.create(office=office, method=method, amount=receipt.amount,
                                          currency=receipt.currency, reference=reference, job=errand.job,
                                          recorded_by=clerk_user)
            how = CounterPayment.Method(method).label
            fire(errand, "paid", actor=clerk_user, office=office,
                 note=f"#{receipt.pk} {receipt.amount} {receipt.currency} ({how})"
                 + (f" \u2066{reference}\u2069" if reference else ""))
        return receipt


def errand_refund_hand_back(*, clerk_user, errand: Errand, reference: str = "") -> list[CounterRefund]:
    """The originating office gives back, the way it was paid, the refund staff approved
    for an errand paid at its counter (S9): cash from the till, or a refund on the card
    terminal (its receipt number required). The job counts it as refunded only now."""
    office = require_clerk(clerk_user)
    if office.pk != errand.origin_id:
        raise InvalidTransition(_("Only the office where the errand was filed gives its refund back."))
    with transaction.atomic():
        errand = lock(errand)
        due = errand.job.cash_refund_due
        if due <= ZERO:
            raise InvalidRefund(_("No refund is waiting to be handed back for this errand."))
        payments = list(CounterPayment.objects.select_for_update().filter(job=errand.job).order_by("-created", "-pk"))
        if any(p.method == CounterPayment.Method.TERMINAL and p.refundable_amount > ZERO for p in payments):
            reference = clean_reference(CounterPayment.Method.TERMINAL, reference)
        refunds = _spread_refund(payments, due, user=clerk_user, reference=reference)
        terminal = any(r.payment.method == CounterPayment.Method.TERMINAL for r in refunds)
        job_record_cash_refund(job=errand.job, staff_user=clerk_user, description=gettext(
            "Refunded to your card on %(office)s's terminal") % {"office": office.name} if terminal else gettext(
            "Handed back in cash at %(office)s") % {"office": office.name})
        fire(errand, "refund_returned", actor=clerk_user, office=office,
             note=f"{due} {errand.job.currency}" + (f" \u2066{reference}\u2069" if reference else ""))
        notify_errand(errand, "refund_returned", performer=False)
        return refunds


def _spread_refund(payments: list[CounterPayment], amount: Decimal, *, user, reference: str) -> list[CounterRefund]:
    """Give `amount` back over the counter payments, newest first."""
    remaining, refunds = amount, []
    for payment in payments:
        take = min(remaining, payment.refundable_amount)
        if take <= ZERO:
            continue
        refunds.append(CounterRefund.objects.create(
            payment=payment, amount=take, recorded_by=user,
            reference=reference if payment.method == CounterPayment.Method.TERMINAL else ""))
        payment.amount_refunded += take
        payment.save(update_fields=["amount_refunded"])
        remaining -= take
        if remaining <= ZERO:
            break
    if remaining > ZERO:
        raise InvalidRefund(_("The refund is larger than what was paid at this counter."))
    return refunds


def office_reconciliation(office: PartnerOffice) -> dict:
    """What the office's till and card terminal should show: taken, given back, net, per method."""
    payments = CounterPayment.objects.filter(office=office)
    refunds = CounterRefund.objects.filter(payment__office=office)
    rows = []
    for method, label in CounterPayment.Method.choices:
        taken = payments.filter(method=method).aggregate(total=Sum("amount"))["total"] or ZERO
        returned = refunds.filter(payment__method=method).aggregate(total=Sum("amount"))["total"] or ZERO
        rows.append({"method": method, "label": label, "taken": taken, "returned": returned,
                     "net": taken - returned})
    return {
        "totals": rows,
        "payments": payments.select_related("job", "order", "recorded_by")[:200],
        "refunds": refunds.select_related("payment__job", "payment__order", "recorded_by")[:200],
    }
