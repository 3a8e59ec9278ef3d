"""Bad outcomes (S9): the customer or the originating clerk asks for a refund with the
evidence; staff review; an approved refund goes back through the payment it came from
(services_catalog.job_refund: to the card, or owed back in cash) and the fee split is
taken back in the same proportions."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.permissions import Ability, require_ability
from notifications.services import notify
from offices.errors import InvalidRefund, NotAllowed
from offices.files import check_upload
from offices.models import Errand, RefundRequest
from offices.services._common import clerk_office, fire, is_origin_clerk, lock, now_or
from offices.services.money import errand_split_reverse
from services_catalog.machine import JOB
from services_catalog.services import job_refund

ZERO = Decimal("0")


def refundable(errand: Errand) -> Decimal:
    job = errand.job
    return max(job.net_paid - job.cash_refund_due, ZERO)


def refund_request_open(*, user, errand: Errand, reason: str, evidence=None) -> RefundRequest:
    """The customer, or a clerk of the originating office, opens a refund request."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidRefund(_("Say what went wrong with the errand."))
    if evidence is not None:
        check_upload(evidence)
    with transaction.atomic():
        errand = lock(errand)
        is_customer = getattr(user, "pk", None) == errand.job.customer_id
        if not (is_customer or is_origin_clerk(user, errand)):
            raise NotAllowed(_("Only the customer or the office where the errand was filed can ask for a refund."))
        if errand.status not in (Errand.Status.RESULT_READY, Errand.Status.HANDED_OVER):
            raise InvalidRefund(_("A refund can be asked for once the errand's result is known."))
        open_request = errand.refund_requests.filter(status=RefundRequest.Status.OPEN).first()
        if open_request is not None:
            return open_request
        if refundable(errand) <= ZERO:
            raise InvalidRefund(_("Nothing paid for this errand is left to refund."))
        request = RefundRequest(errand=errand, reason=reason, requested_by=user)
        if evidence is not None:
            request.evidence.save(evidence.name, evidence, save=False)
        request.save()
        fire(errand, "refund_requested", actor=user, office=clerk_office(user), note=reason[:500])
        notify(event="offices_refund_update", recipient=errand.job.customer,
               context={"job": errand.job, "request": request})
        return request


def refund_request_decide(*, staff_user, request: RefundRequest, approve: bool, amount: Decimal | None = None,
                          note: str = "", now: datetime.datetime | None = None) -> RefundRequest:
    """Staff (refund_payment) approve (fully, or `amount` of it) or reject a request.
    Deciding again changes nothing."""
    require_ability(staff_user, Ability.REFUND_PAYMENT, NotAllowed)
    now = now_or(now)
    note = (note or "").strip()
    with transaction.atomic():
        JOB.lock(request.errand.job_id)
        errand = lock(request.errand)
        request = RefundRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != RefundRequest.Status.OPEN:
            return request
        request.decided_by, request.decided_at, request.decision_note = staff_user, now, note
        if not approve:
            request.status = RefundRequest.Status.REJECTED
            request.save()
            fire(errand, "refund_rejected", actor=staff_user, note=note, now=now)
        else:
            available = refundable(errand)
            try:
                value = available if amount in (None, "") else Decimal(str(amount))
            except (InvalidOperation, ValueError):
                raise InvalidRefund(_("The amount must be a number.")) from None
            if value <= ZERO or value > available:
                raise InvalidRefund(_("The refund must be above zero and at most %(available)s.")
                                    % {"available": available})
            job_refund(job=errand.job, staff_user=staff_user, amount=value,
                       reason=f"errand {errand.job.number}: {note or request.reason}"[:200],
                       event=f"errand-refund-{request.pk}")
            errand_split_reverse(errand=errand, amount=value, key=f"offices:errand:{errand.pk}:refund:{request.pk}")
            request.status, request.amount = RefundRequest.Status.APPROVED, value
            request.save()
            fire(errand, "refund_approved", actor=staff_user, note=f"{value} {errand.job.currency}. {note}", now=now)
        notify(event="offices_refund_update", recipient=errand.job.customer,
               context={"job": errand.job, "request": request})
        return request
