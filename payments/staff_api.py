"""Staff API of payments: refund a payment (finance: `refund_payment`)."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import Ability, api_permission
from core.staff_api import error_responses
from payments import services
from payments.models import Payment


class StaffRefundSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    reason = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")
    idempotency_key = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class StaffRefundResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    payment = serializers.IntegerField(source="payment_id")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    status = serializers.CharField()


# Stripe is called by the service after its own commit: no request transaction may be open.
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class PaymentRefundView(APIView):
    """Refund part or all of a card payment through Stripe."""

    permission_classes = [IsAuthenticated, api_permission(Ability.REFUND_PAYMENT)]

    @extend_schema(request=StaffRefundSerializer, responses={201: StaffRefundResultSerializer,
                                                       **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, pk: int) -> Response:
        payment = get_object_or_404(Payment, pk=pk)
        body = StaffRefundSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        refund = services.refund_create(
            payment=payment, amount=body.validated_data["amount"], user=request.user,
            reason=body.validated_data["reason"], idempotency_key=body.validated_data["idempotency_key"] or None,
        )
        return Response(StaffRefundResultSerializer(refund).data, status=status.HTTP_201_CREATED)

