"""Staff API of vendors (/api/v1/staff/…): review applications
(`review_vendor_applications`), fine (`fine_party`), pay out (`pay_out`), suspend and
reinstate (`suspend_party`). Each action is one service call; the services check the
same abilities again."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from oscar.core.loading import get_model
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import Ability, api_permission
from core.staff_api import error_responses
from vendors import services
from vendors.models import VendorApplication

Partner = get_model("partner", "Partner")
MONEY = {"max_digits": 12, "decimal_places": 2}


class StaffApplicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = VendorApplication
        fields = ["id", "company_name", "company_name_en", "contact_name", "email", "phone", "status",
                  "decision_reason", "decided_at", "partner", "created"]


class StaffDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class StaffFineSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY)
    reason = serializers.CharField(max_length=500)
    idempotency_key = serializers.CharField(max_length=100)


class StaffPayoutSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY)
    idempotency_key = serializers.CharField(max_length=100)


class StaffMoneyResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    currency = serializers.CharField()


class ApplicationListView(generics.ListAPIView):
    """Vendor applications, pending first."""

    permission_classes = [IsAuthenticated, api_permission(Ability.REVIEW_VENDOR_APPLICATIONS)]
    serializer_class = StaffApplicationSerializer
    ordering_fields = ["created", "status"]  # ?ordering= (docs/api.md)
    ordering = ["-status", "-created"]

    def get_queryset(self):
        return VendorApplication.objects.order_by("-status", "-created")


class ApplicationDecisionView(APIView):
    """Approve (creates the vendor) or reject (a reason is required) an application."""

    permission_classes = [IsAuthenticated, api_permission(Ability.REVIEW_VENDOR_APPLICATIONS)]
    approve = True

    @extend_schema(request=StaffDecisionSerializer, responses={200: StaffApplicationSerializer,
                                                         **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, pk: int) -> Response:
        application = get_object_or_404(VendorApplication, pk=pk)
        body = StaffDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if self.approve:
            services.application_approve(application=application, staff_user=request.user)
        else:
            services.application_reject(application=application, staff_user=request.user,
                                        reason=body.validated_data["reason"])
        application.refresh_from_db()
        return Response(StaffApplicationSerializer(application).data)


class VendorFineView(APIView):
    """Fine a vendor; the same idempotency key fines once."""

    permission_classes = [IsAuthenticated, api_permission(Ability.FINE_PARTY)]

    @extend_schema(request=StaffFineSerializer, responses={201: StaffMoneyResultSerializer,
                                                     **error_responses(400, 401, 403, 404)})
    def post(self, request, pk: int) -> Response:
        partner = get_object_or_404(Partner, pk=pk)
        body = StaffFineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        sanction = services.vendor_fine(partner=partner, staff_user=request.user, **body.validated_data)
        return Response(StaffMoneyResultSerializer(sanction).data, status=status.HTTP_201_CREATED)


# The payout goes to Stripe after the service's commit: no request transaction may be open.
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class VendorPayoutView(APIView):
    """Record a payout from the vendor's available balance (sent by Stripe Connect when set up)."""

    permission_classes = [IsAuthenticated, api_permission(Ability.PAY_OUT)]

    @extend_schema(request=StaffPayoutSerializer, responses={201: StaffMoneyResultSerializer,
                                                       **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, pk: int) -> Response:
        partner = get_object_or_404(Partner, pk=pk)
        body = StaffPayoutSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payout = services.payout_create(partner=partner, user=request.user, **body.validated_data)
        return Response(StaffMoneyResultSerializer(payout).data, status=status.HTTP_201_CREATED)


class VendorSuspensionView(APIView):
    """Suspend (a reason is required) or reinstate a vendor."""

    permission_classes = [IsAuthenticated, api_permission(Ability.SUSPEND_PARTY)]
    suspend = True

    @extend_schema(request=StaffDecisionSerializer, responses={204: None, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk: int) -> Response:
        partner = get_object_or_404(Partner, pk=pk)
        body = StaffDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if self.suspend:
            services.vendor_suspend(partner=partner, staff_user=request.user, reason=body.validated_data["reason"])
        else:
            services.vendor_reinstate(partner=partner, staff_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
