"""Staff API of service jobs: send a quote after the feasibility review (`quote_job`,
S2), record the cash a provider collected (`record_cash`)."""

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
from services_catalog import services
from services_catalog.api.serializers import JobDetailSerializer, QuoteInputSerializer, _detail_queryset
from services_catalog.models import Job


class StaffCashReceiptSerializer(serializers.Serializer):
    job = serializers.CharField(source="job.number")
    purpose = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()


# Recording cash may lead to a card refund, sent to Stripe after the service's commit.
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class JobCashView(APIView):
    """Record that the amount now due on a job was paid in cash (twice records it once)."""

    permission_classes = [IsAuthenticated, api_permission(Ability.RECORD_CASH)]

    @extend_schema(request=None, responses={201: StaffCashReceiptSerializer, **error_responses(401, 403, 404, 409)})
    def post(self, request, number: str) -> Response:
        job = get_object_or_404(Job, number=number)
        receipt = services.job_record_cash_payment(job=job, staff_user=request.user)
        return Response(StaffCashReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED)


class JobQuoteView(APIView):
    """Send (or revise) the quote of a job under review (S2), as the staff desk does."""

    permission_classes = [IsAuthenticated, api_permission(Ability.QUOTE_JOB)]

    @extend_schema(request=QuoteInputSerializer,
                   responses={200: JobDetailSerializer, **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, number: str) -> Response:
        job = get_object_or_404(Job, number=number)
        serializer = QuoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.quote_send(job=job, user=request.user, lines=serializer.validated_data["lines"],
                            valid_days=serializer.validated_data["valid_days"])
        job = _detail_queryset(Job.objects.filter(pk=job.pk)).get()
        return Response(JobDetailSerializer(job, context={"request": request, "all_events": True}).data)
