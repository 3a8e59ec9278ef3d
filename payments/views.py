"""Payment pages: pay an order by card, come back from Stripe, receipts, the webhook."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from payments import services
from payments.errors import AlreadyPaid, GatewayUnavailable, InvalidWebhook, NotPayable
from payments.gateway import stripe_configured
from payments.models import Payment, PaymentRefund

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")


def _own_order(request: HttpRequest, number: str):
    # Another customer's order number answers 404, never its details.
    return get_object_or_404(Order, number=number, user=request.user)


@login_required
def order_pay(request: HttpRequest, number: str) -> HttpResponse:
    order = _own_order(request, number)
    if not stripe_configured():
        raise Http404
    try:
        payment, client_secret = services.payment_prepare(payable=order, user=request.user)
    except AlreadyPaid:
        return _thank_you(request, order)
    except NotPayable as exc:
        messages.error(request, exc.message)
        return redirect("customer:order", order_number=order.number)
    except GatewayUnavailable as exc:
        return render(request, "payments/order_pay.html", {"order": order, "gateway_error": exc.message}, status=503)
    return render(
        request,
        "payments/order_pay.html",
        {
            "order": order,
            "payment": payment,
            "client_secret": client_secret,
            "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "stripe_js_url": settings.STRIPE_JS_URL,
            "return_url": request.build_absolute_uri(reverse("payments:order-return", args=[order.number])),
        },
    )


@login_required
def order_return(request: HttpRequest, number: str) -> HttpResponse:
    """Where the card form (and a 3-D Secure redirect) brings the shopper back."""
    order = _own_order(request, number)
    payment = Payment.objects.filter(
        payable_type__app_label="order", payable_type__model="order", payable_id=order.pk
    ).exclude(status=Payment.Status.CANCELED).first()
    if payment is None:
        return redirect("payments:order-pay", number=order.number)
    try:
        payment = services.payment_sync(payment=payment, source="browser")
    except GatewayUnavailable as exc:
        messages.warning(request, exc.message)
        return redirect("payments:order-pay", number=order.number)
    if payment.status == Payment.Status.SUCCEEDED:
        return _thank_you(request, order)
    if payment.status == Payment.Status.PROCESSING:
        return render(request, "payments/order_processing.html", {"order": order})
    messages.error(request, payment.failure_message or _("The payment was not completed. Please try again."))
    return redirect("payments:order-pay", number=order.number)


def _thank_you(request: HttpRequest, order) -> HttpResponse:
    request.session["checkout_order_id"] = order.pk
    return redirect("checkout:thank-you")


@login_required
def receipts(request: HttpRequest) -> HttpResponse:
    payments = Payment.objects.filter(user=request.user).prefetch_related("refunds").select_related("payable_type")
    refunds = PaymentRefund.objects.filter(payment__user=request.user).select_related("payment")
    return render(request, "payments/receipts.html", {"payments": payments, "refunds": refunds})


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(Payment.objects.prefetch_related("refunds"), pk=pk, user=request.user)
    return render(request, "payments/receipt.html", {"payment": payment})


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    try:
        outcome = services.webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except InvalidWebhook as exc:
        return HttpResponseBadRequest(str(exc.message))
    return JsonResponse({"received": True, "outcome": outcome})
