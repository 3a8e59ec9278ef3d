"""The seller dashboard's operations as a REST API (/api/v1/vendor/).

Every endpoint is scoped to the vendor of the authenticated user: querysets start from
that vendor, so another vendor's object answers 404; a user who works for no vendor gets
403. Writes call the same services as the dashboard; their typed errors become 4xx
`{"code", "detail"}` (core.api).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from oscar.core.loading import get_model
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.bounds import MAX_INT
from core.openapi import ErrorSerializer
from core.private_files import private_file_url
from vendors import selectors, services
from vendors.errors import VendorSuspended
from vendors.models import Payout, ProductTerm, Shipment, ShipmentLine, WarrantyClaim

StockRecord = get_model("partner", "StockRecord")
MONEY = {"max_digits": 12, "decimal_places": 2}


# ------------------------------------------------------------------ access
class IsVendorUser(permissions.BasePermission):
    """The user works for a vendor (partner.users). A suspended vendor's users may only read."""

    message = _("Only a vendor's users can use the vendor API.")

    def has_permission(self, request: Request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        partner = selectors.vendor_for_user(request.user)
        if partner is None:
            return False
        view.partner = partner
        if partner.is_suspended and request.method not in permissions.SAFE_METHODS:
            raise VendorSuspended(_("Your shop is suspended: you can read your data but not change it."))
        return True


class VendorScopedMixin:
    permission_classes = [permissions.IsAuthenticated, IsVendorUser]
    partner = None  # set by IsVendorUser before the handler runs


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input."),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not a vendor's user."),
    404: OpenApiResponse(ErrorSerializer, description="Not one of this vendor's objects."),
    409: OpenApiResponse(ErrorSerializer, description="The object's state (or a suspension) does not allow this."),
}
READ_ERRORS = {403: ERRORS[403], 404: ERRORS[404]}


# ------------------------------------------------------------------ serializers
class ShippingAddressSerializer(serializers.Serializer):
    """Only what delivery needs: never the customer's email or account."""

    name = serializers.CharField(source="salutation")
    line1 = serializers.CharField()
    line2 = serializers.CharField()
    line3 = serializers.CharField()
    city = serializers.CharField(source="line4")
    state = serializers.CharField()
    postcode = serializers.CharField()
    country = serializers.CharField(source="country_id")
    phone = serializers.CharField(source="phone_number", allow_null=True)
    notes = serializers.CharField()


class ShipmentLineSerializer(serializers.ModelSerializer):
    order_line = serializers.IntegerField(source="line_id")
    product = serializers.IntegerField(source="line.product_id", allow_null=True)
    title = serializers.CharField(source="line.title")
    sku = serializers.CharField(source="line.partner_sku")
    quantity = serializers.IntegerField(source="line.quantity")
    price_incl_tax = serializers.DecimalField(source="line.line_price_incl_tax", **MONEY)
    warranty_ends_on = serializers.SerializerMethodField()

    class Meta:
        model = ShipmentLine
        fields = [
            "id", "order_line", "product", "title", "sku", "quantity", "price_incl_tax", "warranty_days",
            "warranty_ends_on", "commission_rate", "installation_requested", "installation_price",
            "installation_status", "installed_at",
        ]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_warranty_ends_on(self, line: ShipmentLine) -> dt.date | None:
        return line.warranty_ends_on()


class ShipmentSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number")
    placed_at = serializers.DateTimeField(source="order.date_placed")
    shipping_address = serializers.SerializerMethodField()
    currency = serializers.CharField(source="order.currency", help_text="Currency of the lines' prices.")
    lines = ShipmentLineSerializer(many=True)

    class Meta:
        model = Shipment
        fields = [
            "id", "order_number", "placed_at", "status", "promised_by", "tracking_reference", "carrier",
            "confirmed_at", "shipped_at", "delivered_at", "created", "shipping_address", "currency", "lines",
        ]

    @extend_schema_field(ShippingAddressSerializer(allow_null=True))
    def get_shipping_address(self, shipment: Shipment) -> dict | None:
        address = shipment.order.shipping_address
        return ShippingAddressSerializer(address).data if address else None


class ShipSerializer(serializers.Serializer):
    tracking_reference = serializers.CharField(max_length=100)
    carrier = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class ShipmentCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why; the customer is told.")


class InstallationDoneSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The shipment line (its `id` in `lines`) whose installation is done.")


class ClaimSerializer(serializers.ModelSerializer):
    shipment = serializers.IntegerField(source="shipment_line.shipment_id")
    shipment_line = serializers.IntegerField(source="shipment_line_id")
    order_number = serializers.CharField(source="shipment_line.shipment.order.number")
    title = serializers.CharField(source="shipment_line.line.title")
    warranty_ends_on = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    class Meta:
        model = WarrantyClaim
        fields = [
            "id", "shipment", "shipment_line", "order_number", "title", "kind", "description", "status",
            "vendor_response", "responded_at", "upheld", "created", "warranty_ends_on", "photos",
        ]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_warranty_ends_on(self, claim: WarrantyClaim) -> dt.date | None:
        return claim.shipment_line.warranty_ends_on()

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_photos(self, claim: WarrantyClaim) -> list[str]:
        request = self.context.get("request")
        urls = [private_file_url(photo, "image") for photo in claim.photos.all()]
        return [request.build_absolute_uri(url) for url in urls] if request else urls


class ClaimRespondSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true: the goods failed and you will replace or repair them.")
    response = serializers.CharField(max_length=2000, help_text="Your answer to the customer.")


class StockRecordSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="product.get_title", read_only=True)
    contracted_quantity = serializers.SerializerMethodField()
    num_in_stock = serializers.IntegerField(min_value=0, max_value=MAX_INT)
    price = serializers.DecimalField(min_value=0, required=False, allow_null=True, **MONEY)

    class Meta:
        model = StockRecord
        fields = [
            "id", "product", "title", "partner_sku", "num_in_stock", "num_allocated", "price", "price_currency",
            "contracted_quantity",
        ]
        read_only_fields = ["id", "product", "title", "partner_sku", "num_allocated", "price_currency"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_contracted_quantity(self, record) -> int | None:
        return self.context.get("contracted", {}).get(record.product_id)

    def update(self, instance, validated_data):
        return services.stock_set(
            stockrecord=instance,
            num_in_stock=validated_data.get("num_in_stock", instance.num_in_stock or 0),
            price=validated_data.get("price"),
            user=self.context["request"].user,
        )


class PayoutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payout
        fields = ["id", "amount", "currency", "status", "stripe_transfer_id", "failure_message", "created", "sent_at"]


class BalanceSerializer(serializers.Serializer):
    held = serializers.DecimalField(**MONEY, help_text="Credited for delivered goods, within the return window.")
    available = serializers.DecimalField(**MONEY, help_text="Can be paid out (negative: the vendor owes fines).")
    currency = serializers.CharField()


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    delivered = serializers.IntegerField()
    on_time = serializers.IntegerField()
    claims = serializers.IntegerField()


class PerformanceSerializer(serializers.Serializer):
    on_time_rate = serializers.FloatField(allow_null=True, help_text="Share of delivered shipments on time, 0-1.")
    delivered_count = serializers.IntegerField()
    late_count = serializers.IntegerField()
    claims_total = serializers.IntegerField()
    claims_upheld = serializers.IntegerField()
    average_rating = serializers.FloatField(allow_null=True)
    fines_total = serializers.DecimalField(**MONEY)
    currency = serializers.CharField()
    monthly = MonthSerializer(many=True)


# ------------------------------------------------------------------ views
@extend_schema_view(
    list=extend_schema(summary="This vendor's shipments", responses={200: ShipmentSerializer(many=True),
                                                                    **READ_ERRORS}),
    retrieve=extend_schema(summary="One shipment: only this vendor's lines", responses={200: ShipmentSerializer,
                                                                                       **READ_ERRORS}),
)
class ShipmentViewSet(VendorScopedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ShipmentSerializer
    filterset_fields = ["status"]
    ordering_fields = ["promised_by", "created"]  # ?ordering= (docs/api.md)
    ordering = ["-created"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Shipment.objects.none()
        return selectors.vendor_shipments(partner=self.partner)

    def _done(self, shipment: Shipment) -> Response:
        return Response(ShipmentSerializer(self.get_queryset().get(pk=shipment.pk), context={"request": self.request})
                        .data)

    @extend_schema(request=None, responses={200: ShipmentSerializer, **ERRORS}, summary="Confirm the order")
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk=None) -> Response:
        shipment = self.get_object()
        services.shipment_confirm(shipment=shipment, user=request.user)
        return self._done(shipment)

    @extend_schema(request={"application/json": ShipSerializer}, responses={200: ShipmentSerializer, **ERRORS},
                   summary="Ship with a tracking reference")
    @action(detail=True, methods=["post"])
    def ship(self, request: Request, pk=None) -> Response:
        shipment = self.get_object()
        data = ShipSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.shipment_ship(shipment=shipment, user=request.user, **data.validated_data)
        return self._done(shipment)

    @extend_schema(request=None, responses={200: ShipmentSerializer, **ERRORS}, summary="Mark delivered")
    @action(detail=True, methods=["post"])
    def deliver(self, request: Request, pk=None) -> Response:
        shipment = self.get_object()
        services.shipment_deliver(shipment=shipment, user=request.user)
        return self._done(shipment)

    @extend_schema(request={"application/json": ShipmentCancelSerializer},
                   responses={200: ShipmentSerializer, **ERRORS},
                   summary="Cancel before it ships (the stock goes back on sale)")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk=None) -> Response:
        shipment = self.get_object()
        data = ShipmentCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.shipment_cancel(shipment=shipment, user=request.user, reason=data.validated_data["reason"])
        return self._done(shipment)

    @extend_schema(request={"application/json": InstallationDoneSerializer},
                   responses={200: ShipmentSerializer, **ERRORS},
                   summary="Record a line's installation as done")
    @action(detail=True, methods=["post"], url_path="installation-done")
    def installation_done(self, request: Request, pk=None) -> Response:
        shipment = self.get_object()
        data = InstallationDoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = get_object_or_404(ShipmentLine, pk=data.validated_data["line"], shipment=shipment)
        services.installation_mark_done(shipment_line=line, user=request.user)
        return self._done(shipment)


@extend_schema_view(
    list=extend_schema(summary="Warranty claims on this vendor's goods",
                       responses={200: ClaimSerializer(many=True), **READ_ERRORS}),
    retrieve=extend_schema(summary="One warranty claim", responses={200: ClaimSerializer, **READ_ERRORS}),
)
class ClaimViewSet(VendorScopedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ClaimSerializer
    filterset_fields = ["status"]
    ordering_fields = ["created", "responded_at"]  # ?ordering= (docs/api.md)
    ordering = ["-created"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WarrantyClaim.objects.none()
        return (
            WarrantyClaim.objects.filter(shipment_line__shipment__partner=self.partner)
            .select_related("shipment_line__line", "shipment_line__shipment__order")
            .prefetch_related("photos")
        )

    @extend_schema(request={"application/json": ClaimRespondSerializer}, responses={200: ClaimSerializer, **ERRORS},
                   summary="Accept or reject the claim, with an answer to the customer")
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk=None) -> Response:
        claim = self.get_object()
        data = ClaimRespondSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.warranty_claim_respond(
            claim=claim, user=request.user, accept=data.validated_data["accept"],
            response=data.validated_data["response"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=claim.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="This vendor's stock records", responses={200: StockRecordSerializer(many=True),
                                                                         **READ_ERRORS}),
    retrieve=extend_schema(summary="One stock record", responses={200: StockRecordSerializer, **READ_ERRORS}),
    update=extend_schema(summary="Set stock and price (contracted quantity enforced)",
                         responses={200: StockRecordSerializer, **ERRORS}),
    partial_update=extend_schema(summary="Set stock and/or price (contracted quantity enforced)",
                                 responses={200: StockRecordSerializer, **ERRORS}),
)
class StockRecordViewSet(
    VendorScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = StockRecordSerializer
    ordering_fields = ["partner_sku", "price", "num_in_stock", "date_updated"]  # ?ordering= (docs/api.md)
    ordering = ["pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StockRecord.objects.none()
        return StockRecord.objects.filter(partner=self.partner).select_related("product").order_by("pk")

    def get_serializer(self, *args, **kwargs):
        records = args[0] if args else kwargs.get("instance")
        if records is not None:
            many = kwargs.get("many", False)
            product_ids = [r.product_id for r in records] if many else [records.product_id]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["contracted"] = dict(
                ProductTerm.objects.filter(contract__partner=self.partner, product_id__in=product_ids)
                .values_list("product_id", "contracted_quantity")
            )
        return super().get_serializer(*args, **kwargs)


@extend_schema_view(list=extend_schema(summary="Payouts to this vendor",
                                       responses={200: PayoutSerializer(many=True), **READ_ERRORS}))
class PayoutViewSet(VendorScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PayoutSerializer
    ordering_fields = ["created", "amount"]  # ?ordering= (docs/api.md)
    ordering = ["-created"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Payout.objects.none()
        return Payout.objects.filter(partner=self.partner)


class BalanceView(VendorScopedMixin, APIView):
    @extend_schema(summary="What the platform owes this vendor", responses={200: BalanceSerializer, **READ_ERRORS})
    def get(self, request: Request) -> Response:
        return Response(BalanceSerializer(selectors.vendor_balance(partner=self.partner)).data)


class PerformanceView(VendorScopedMixin, APIView):
    @extend_schema(summary="On-time delivery, claims, rating and fines; the last six months",
                   responses={200: PerformanceSerializer, **READ_ERRORS})
    def get(self, request: Request) -> Response:
        figures = dict(selectors.vendor_performance(partner=self.partner))
        figures.setdefault("currency", settings.OSCAR_DEFAULT_CURRENCY)
        return Response(PerformanceSerializer(figures).data)
