"""`/api/v1/referrals/…` for the signed-in customer: code and link, balances, statement,
gifts, redeem, redemptions. Refusals answer 4xx with `{code, detail}` (core.api)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.services import profile_for
from referrals import selectors, services
from referrals.models import Gift, Redemption
from referrals.views import share_link


class CodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    link = serializers.URLField()
    qr = serializers.URLField()


class BalancesSerializer(serializers.Serializer):
    available = serializers.IntegerField()
    pending = serializers.IntegerField()
    expired = serializers.IntegerField()
    negative = serializers.BooleanField()


class LineSerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    text = serializers.CharField()
    points = serializers.IntegerField()
    state = serializers.CharField()
    url = serializers.CharField()
    reference = serializers.CharField()


class GiftSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)

    class Meta:
        model = Gift
        fields = ["id", "title", "title_fa", "title_en", "description", "points_price", "stock", "image"]


class RedeemSerializer(serializers.Serializer):
    gift = serializers.IntegerField()
    recipient_name = serializers.CharField(max_length=150)
    phone = serializers.CharField(max_length=32)
    address = serializers.CharField()
    postcode = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    idempotency_key = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class RedemptionSerializer(serializers.ModelSerializer):
    gift = GiftSerializer(read_only=True)

    class Meta:
        model = Redemption
        fields = ["number", "gift", "points", "status", "recipient_name", "phone", "address", "postcode",
                  "carrier", "tracking_reference", "cancel_reason", "created"]


class CodeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CodeSerializer, summary="Your referral code, share link and QR image")
    def get(self, request: Request) -> Response:
        from django.urls import reverse

        code = profile_for(request.user).subscription_code
        return Response({"code": code, "link": share_link(request, code),
                         "qr": request.build_absolute_uri(reverse("referrals:qr"))})


class BalancesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=BalancesSerializer, summary="Available, pending and expired points")
    def get(self, request: Request) -> Response:
        found = selectors.customer_balances(request.user.pk)
        return Response(BalancesSerializer({"available": found.available, "pending": found.pending,
                                            "expired": found.expired, "negative": found.negative}).data)


class StatementView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=LineSerializer(many=True), summary="Every change to your points, newest first")
    def get(self, request: Request) -> Response:
        return Response(LineSerializer(selectors.statement(request.user.pk), many=True).data)


class GiftsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=GiftSerializer(many=True), summary="The gifts on offer")
    def get(self, request: Request) -> Response:
        gifts = Gift.objects.filter(is_active=True)
        return Response(GiftSerializer(gifts, many=True, context={"request": request}).data)


class RedemptionsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=RedemptionSerializer(many=True), summary="Your gift requests")
    def get(self, request: Request) -> Response:
        redemptions = Redemption.objects.filter(customer=request.user).select_related("gift")
        return Response(RedemptionSerializer(redemptions, many=True, context={"request": request}).data)

    @extend_schema(request=RedeemSerializer, responses={201: RedemptionSerializer},
                   summary="Redeem available points for a gift (409 not_enough_points / gift_out_of_stock)")
    def post(self, request: Request) -> Response:
        data = RedeemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        gift = get_object_or_404(Gift, pk=values.pop("gift"), is_active=True)
        redemption = services.redemption_create(customer=request.user, gift=gift,
                                                client_key=values.pop("idempotency_key"), **values)
        return Response(RedemptionSerializer(redemption, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)
