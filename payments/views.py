"""Payment pages: the one pay page and the one return page for every payable (through the
payable registry: orders, service jobs, ...), receipts, the webhook.

The pages that reach Stripe opt out of ATOMIC_REQUESTS (`transaction.non_atomic_requests`):
the services write and commit their rows in short transactions of their own around the
Stripe call, so no request transaction holds a row lock while Stripe answers.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments import services
from payments.errors import AlreadyPaid, GatewayUnavailable, InvalidWebhook, NotPayable
from payments.gateway import stripe_configured
from payments.models import Payment, PaymentRefund
from payments.payables import PayablePage, page_for_kind

logger = logging.getLogger(__name__)


def _page_and_payable(request: HttpRequest, kind: str, reference: str) -> tuple[PayablePage, models.Model]:
    page = page_for_kind(kind)
    if page is None:
        raise Http404
    return page, page.find(reference, request.user)


def _pay_url(page: PayablePage, payable: models.Model) -> str:
    return reverse("payments:pay", kwargs={"kind": page.kind, "reference": page.reference(payable)})


@login_required
@transaction.non_atomic_requests
def pay(request: HttpRequest, kind: str, reference: str) -> HttpResponse:
    """Pay a payable by card: the card form for the purpose due now, with the intent's secret."""
    page, payable = _page_and_payable(request, kind, reference)
    purpose = page.purpose(payable)
    if purpose is None:
        messages.info(request, _("Nothing is due here now."))
        return redirect(page.back_url(payable))
    context: dict[str, Any] = {
        "page_title": page.title(payable),
        "payable": payable,
        "purpose": purpose,
        "purpose_label": Payment.Purpose(purpose).label if purpose in Payment.Purpose.values else purpose,
        "summary_template": page.summary_template,
        "pay_url": _pay_url(page, payable),
        "back_url": page.back_url(payable),
        **page.context(payable, purpose),
    }
    if not stripe_configured():
        response = page.card_unavailable(request, payable, context)
        if response is None:
            raise Http404
        return response
    try:
        payment, client_secret = services.payment_prepare(payable=payable, user=request.user, purpose=purpose)
    except AlreadyPaid:
        return page.paid(request, payable)
    except NotPayable as exc:
        messages.error(request, exc.message)
        return redirect(page.back_url(payable))
    except GatewayUnavailable as exc:
        return render(request, "payments/pay.html", {**context, "gateway_error": exc.message}, status=503)
    return_url = reverse("payments:return", kwargs={"kind": page.kind, "reference": page.reference(payable)})
    context.update(
        payment=payment,
        client_secret=client_secret,
        stripe_publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
        stripe_js_url=settings.STRIPE_JS_URL,
        return_url=request.build_absolute_uri(return_url),
    )
    return render(request, "payments/pay.html", context)


@login_required
@transaction.non_atomic_requests
def pay_return(request: HttpRequest, kind: str, reference: str) -> HttpResponse:
    """Where the card form (and a 3-D Secure redirect) brings the payer back."""
    page, payable = _page_and_payable(request, kind, reference)
    open_payments = services.payments_of(payable).exclude(status=Payment.Status.CANCELED)
    intent_id = request.GET.get("payment_intent", "")
    payment = (open_payments.filter(stripe_payment_intent_id=intent_id).first() if intent_id else None) \
        or open_payments.first()
    if payment is None:
        return redirect(_pay_url(page, payable))
    try:
        payment = services.payment_sync(payment=payment, source="browser")
    except GatewayUnavailable as exc:
        messages.warning(request, exc.message)
        return redirect(_pay_url(page, payable))
    if payment.status == Payment.Status.SUCCEEDED:
        return page.paid(request, payable)
    if payment.status == Payment.Status.PROCESSING:
        return page.processing(request, payable)
    messages.error(request, payment.failure_message or _("The payment was not completed. Please try again."))
    return redirect(_pay_url(page, payable))


# The order URLs the shop has always linked to (checkout, order page): the same pages.
@login_required
@transaction.non_atomic_requests
def order_pay(request: HttpRequest, number: str) -> HttpResponse:
    return pay(request, kind="order", reference=number)


@login_required
@transaction.non_atomic_requests
def order_return(request: HttpRequest, number: str) -> HttpResponse:
    return pay_return(request, kind="order", reference=number)


def _done_refunds() -> Prefetch:
    return Prefetch("refunds", queryset=PaymentRefund.objects.filter(status=PaymentRefund.Status.DONE))


@login_required
def receipts(request: HttpRequest) -> HttpResponse:
    payments = (
        Payment.objects.filter(user=request.user).prefetch_related(_done_refunds()).select_related("payable_type")
    )
    refunds = PaymentRefund.objects.filter(
        payment__user=request.user, status=PaymentRefund.Status.DONE
    ).select_related("payment")
    return render(request, "payments/receipts.html", {"payments": payments, "refunds": refunds})


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(Payment.objects.prefetch_related(_done_refunds()), pk=pk, user=request.user)
    return render(request, "payments/receipt.html", {"payment": payment})


@csrf_exempt
@require_POST
@transaction.non_atomic_requests
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    try:
        outcome = services.webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except InvalidWebhook as exc:
        return HttpResponseBadRequest(str(exc.message))
    return JsonResponse({"received": True, "outcome": outcome})
