"""Card payment for an app (issue 17 point 2): the PaymentIntent of any registered payable
(an order, a service job, ...; payments.payables) with its client secret, for Stripe's
mobile SDKs. The same service as the site's pay page (payment_prepare: one intent per
attempt, reused on a repeat); the same Stripe webhook completes the payment.

Stripe is called with no transaction open (the view is `non_atomic_requests`, see urls).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import MoneySerializer
from core.openapi import ErrorSerializer
from payments import services
from payments.errors import NotPayable
from payments.gateway import stripe_configured
from payments.models import Payment
from payments.payables import page_for_kind


class PaymentIntentSerializer(serializers.Serializer):
    payment = serializers.IntegerField(help_text="Our payment id (the receipt is CHS-<id> once paid).")
    status = serializers.ChoiceField(choices=Payment.Status.choices)
    purpose = serializers.CharField()
    amount = MoneySerializer()
    payment_intent = serializers.CharField(help_text="Stripe's PaymentIntent id.")
    client_secret = serializers.CharField(help_text="For Stripe's SDK (confirm the payment in the app).")
    publishable_key = serializers.CharField()


class PaymentIntentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="payments_intent_create",
        summary="Start (or resume) the card payment of an order or job: the intent's client secret",
        description="`kind` is `order` (reference: the order number) or `job` (the job number). The same call "
                    "twice returns the same intent while it can still be paid. Stripe's webhook marks it paid.",
        request=None,
        responses={
            200: PaymentIntentSerializer,
            401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
            403: OpenApiResponse(ErrorSerializer, description="Not signed in."),
            404: OpenApiResponse(ErrorSerializer, description="Not the signed-in user's payable."),
            409: OpenApiResponse(ErrorSerializer, description="Paid already, nothing due, or no card payments."),
            503: OpenApiResponse(ErrorSerializer, description="Stripe is not reachable; nothing was charged."),
        },
        tags=["payments"],
    )
    def post(self, request: Request, kind: str, reference: str) -> Response:
        page = page_for_kind(kind)
        if page is None:
            raise Http404
        payable = page.find(reference, request.user)  # 404 for anybody else's
        purpose = page.purpose(payable)
        if purpose is None:
            raise NotPayable(_("Nothing is due here now."), code="nothing_due")
        if not stripe_configured():
            raise NotPayable(_("Card payments are not available; choose another way to pay."),
                             code="card_unavailable")
        payment, client_secret = services.payment_prepare(payable=payable, user=request.user, purpose=purpose)
        return Response({
            "payment": payment.pk,
            "status": payment.status,
            "purpose": payment.purpose,
            "amount": {"amount": f"{payment.amount:.2f}", "currency": payment.currency},
            "payment_intent": payment.stripe_payment_intent_id,
            "client_secret": client_secret,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        })
