"""The customer's orders through the API: list and detail with each vendor's shipment
(status in the request's language, tracking), the order's receipts (the site's receipt
data, payments/), and goods warranty claims on a delivered line with photos (the site's
claim service, vendors.services.warranty_claim_open, and its private-file storage), and
cancelling a shipment or the whole order before it leaves the vendor (P5, the site's
service, vendors.services.shipment_cancel_by_customer / order_cancel_by_customer).

Another customer's order answers 404, never its details.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from oscar.core.loading import get_model
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import clock
from core.api import DeclaredOrderingFilter
from payments.models import Payment, PaymentRefund
from payments.services import payments_of
from shop import order_status
from shop.api.basket import VendorRefSerializer
from shop.api.common import CONFLICT, INVALID, NOT_FOUND, SIGNED_OUT, MoneySerializer, error, money
from vendors.api import ClaimSerializer
from vendors.forms import MultipleImageField
from vendors.models import Shipment, ShipmentLine, WarrantyClaim
from vendors.services import (
    customer_can_cancel,
    order_cancel_by_customer,
    shipment_cancel_by_customer,
    warranty_claim_open,
)

Order = get_model("order", "Order")
Line = get_model("order", "Line")


class OrderShipmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    vendor = VendorRefSerializer()
    status = serializers.ChoiceField(choices=Shipment.Status.choices)
    status_display = serializers.CharField(help_text="In the request's language.")
    promised_by = serializers.DateField(allow_null=True)
    tracking_reference = serializers.CharField()
    carrier = serializers.CharField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    shipped_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()
    lines = serializers.ListField(child=serializers.IntegerField(), help_text="Order line ids in this shipment.")
    can_cancel = serializers.BooleanField(
        help_text="The customer may cancel this shipment now (P5: still pending or confirmed, and the order is "
                  "paid or pay-on-delivery; an order waiting for its card payment is cancelled as a whole)."
    )


class ClaimRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=WarrantyClaim.Kind.choices)
    status = serializers.ChoiceField(choices=WarrantyClaim.Status.choices)
    status_display = serializers.CharField()


class OrderLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    quantity = serializers.IntegerField()
    price = MoneySerializer(help_text="The line's price before discounts.")
    vendor = VendorRefSerializer(allow_null=True)
    shipment = serializers.IntegerField(allow_null=True)
    installation_requested = serializers.BooleanField()
    installation_status = serializers.CharField()
    warranty_ends_on = serializers.DateField(allow_null=True)
    can_claim = serializers.BooleanField(help_text="A warranty claim can be opened on this line now.")
    claims = ClaimRefSerializer(many=True)


class RefundSerializer(serializers.Serializer):
    created = serializers.DateTimeField()
    amount = MoneySerializer()
    reason = serializers.CharField()


class ReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="The receipt number the site shows (CHS-…).")
    date = serializers.DateTimeField()
    purpose = serializers.CharField()
    amount = MoneySerializer()
    status = serializers.ChoiceField(choices=Payment.Status.choices)
    status_display = serializers.CharField()
    refunds = RefundSerializer(many=True)


class OrderTotalsSerializer(serializers.Serializer):
    items = MoneySerializer(help_text="After discounts.")
    discounts = MoneySerializer()
    shipping = MoneySerializer()
    surcharges = MoneySerializer(help_text="Installation.")
    total = MoneySerializer()


class OrderPaymentSerializer(serializers.Serializer):
    method = serializers.CharField(help_text="`card`, `cod` or empty.")
    due_now = serializers.BooleanField(help_text="Waiting for a card payment (see `kind` and `reference`).")
    kind = serializers.CharField(help_text="The payable kind for /api/v1/payments/{kind}/{reference}/intent/.")
    reference = serializers.CharField()


class OrderSummarySerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField(help_text="Oscar's status name (English), stable for programs.")
    status_display = serializers.CharField(help_text="In the request's language.")
    placed_at = serializers.DateTimeField()
    currency = serializers.CharField()
    total = MoneySerializer()
    num_items = serializers.IntegerField()


class AddressOutSerializer(serializers.Serializer):
    name = serializers.CharField()
    line1 = serializers.CharField()
    line2 = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    postcode = serializers.CharField()
    country = serializers.CharField()
    phone_number = serializers.CharField()


class OrderSerializer(OrderSummarySerializer):
    totals = OrderTotalsSerializer()
    payment = OrderPaymentSerializer()
    shipping_address = AddressOutSerializer(allow_null=True)
    lines = OrderLineSerializer(many=True)
    shipments = OrderShipmentSerializer(many=True)
    receipts = ReceiptSerializer(many=True)
    can_cancel = serializers.BooleanField(
        help_text="The customer may cancel the order now (P5): at least one shipment has not left its vendor. "
                  "Cancelling cancels every such shipment; shipped or delivered ones stay."
    )


def customer_orders(user):
    return Order.objects.filter(user=user).order_by("-date_placed", "-pk")


def _summary(order) -> dict:
    return {
        "number": order.number,
        "status": order.status,
        "status_display": _(order.status) if order.status else "",
        "placed_at": order.date_placed,
        "currency": order.currency,
        "total": money(order.total_incl_tax, order.currency),
        "num_items": sum(line.quantity for line in order.lines.all()),
    }


def _receipts(order) -> list[dict]:
    done = Prefetch("refunds", queryset=PaymentRefund.objects.filter(status=PaymentRefund.Status.DONE))
    payments = payments_of(order).filter(status=Payment.Status.SUCCEEDED).prefetch_related(done).order_by("pk")
    return [
        {
            "id": payment.pk,
            "number": f"CHS-{payment.pk}",
            "date": payment.succeeded_at or payment.created,
            "purpose": str(payment.get_purpose_display()),
            "amount": money(payment.amount, payment.currency),
            "status": payment.status,
            "status_display": str(payment.get_status_display()),
            "refunds": [
                {"created": refund.created, "amount": money(refund.amount, refund.currency), "reason": refund.reason}
                for refund in payment.refunds.all()
            ],
        }
        for payment in payments
    ]


def _can_claim(item: ShipmentLine | None, today: dt.date) -> bool:
    """What the site's warranty page offers a claim for: in warranty, no claim open."""
    if item is None:
        return False
    ends_on = item.warranty_ends_on()
    has_open_claim = any(claim.status == WarrantyClaim.Status.OPEN for claim in item.claims.all())
    return ends_on is not None and today <= ends_on and not has_open_claim


def order_data(order, *, request: Request | None = None) -> dict:
    currency = order.currency
    items = (
        ShipmentLine.objects.filter(line__order=order)
        .select_related("shipment").prefetch_related("claims")
    )
    by_line = {item.line_id: item for item in items}
    today = timezone.localdate(clock.now())
    lines = []
    for line in order.lines.select_related("partner").order_by("pk"):
        item = by_line.get(line.pk)
        lines.append({
            "id": line.pk,
            "product": line.product_id,
            "title": line.title,
            "quantity": line.quantity,
            "price": money(line.line_price_before_discounts_incl_tax, currency),
            "vendor": {"id": line.partner_id, "name": line.partner.display_name} if line.partner_id else None,
            "shipment": item.shipment_id if item else None,
            "installation_requested": bool(item and item.installation_requested),
            "installation_status": item.installation_status if item else "",
            "warranty_ends_on": item.warranty_ends_on() if item else None,
            "can_claim": _can_claim(item, today),
            "claims": [
                {"id": c.pk, "kind": c.kind, "status": c.status, "status_display": str(c.get_status_display())}
                for c in (item.claims.all() if item else [])
            ],
        })
    shipments = []
    # The order's own customer (the views reach only their own orders).
    owner = request.user if request is not None else order.user
    for shipment in order.shipments.select_related("partner", "order").order_by("pk"):
        shipments.append({
            "id": shipment.pk,
            "vendor": {"id": shipment.partner_id, "name": shipment.partner.display_name},
            "status": shipment.status,
            "status_display": str(shipment.get_status_display()),
            "promised_by": shipment.promised_by,
            "tracking_reference": shipment.tracking_reference,
            "carrier": shipment.carrier,
            "confirmed_at": shipment.confirmed_at,
            "shipped_at": shipment.shipped_at,
            "delivered_at": shipment.delivered_at,
            "cancel_reason": shipment.cancel_reason,
            "lines": [item.line_id for item in by_line.values() if item.shipment_id == shipment.pk],
            "can_cancel": customer_can_cancel(order, owner, shipment),
        })
    address = order.shipping_address
    method = order.sources.values_list("source_type__code", flat=True).first() or ""
    if order.status == order_status.PENDING_PAYMENT:
        method = "card"
    return {
        **_summary(order),
        "totals": {
            "items": money(order.basket_total_incl_tax, currency),
            "discounts": money(order.total_discount_incl_tax, currency),
            "shipping": money(order.shipping_incl_tax, currency),
            "surcharges": money(order.surcharge_incl_tax, currency),
            "total": money(order.total_incl_tax, currency),
        },
        "payment": {
            "method": "card" if method == "stripe" else method,
            "due_now": order.status == order_status.PENDING_PAYMENT,
            "kind": "order",
            "reference": order.number,
        },
        "shipping_address": None if address is None else {
            "name": address.salutation, "line1": address.line1, "line2": address.line2, "city": address.line4,
            "state": address.state, "postcode": address.postcode, "country": address.country_id,
            "phone_number": str(address.phone_number or ""),
        },
        "lines": lines,
        "shipments": shipments,
        "receipts": _receipts(order),
        "can_cancel": customer_can_cancel(order, owner),
    }


class OrderListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderSummarySerializer
    filter_backends = [DeclaredOrderingFilter]
    ordering_fields = ["date_placed", "total_incl_tax"]  # ?ordering= (docs/api.md)
    ordering = ["-date_placed"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        return customer_orders(self.request.user).prefetch_related("lines")

    @extend_schema(operation_id="shop_orders_list", summary="The customer's orders, newest first",
                   responses={200: OrderSummarySerializer(many=True), 401: SIGNED_OUT, 403: SIGNED_OUT,
                              404: error("No such page.")},
                   tags=["shop"])
    def get(self, request: Request, *args, **kwargs) -> Response:
        orders = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(orders)
        data = [_summary(order) for order in (page if page is not None else orders)]
        return self.get_paginated_response(data) if page is not None else Response(data)


class OrderDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="shop_orders_retrieve", summary="One order with its shipments and receipts",
                   responses={200: OrderSerializer, 401: SIGNED_OUT, 403: SIGNED_OUT, 404: NOT_FOUND},
                   tags=["shop"])
    def get(self, request: Request, number: str) -> Response:
        order = get_object_or_404(customer_orders(request.user), number=number)
        return Response(order_data(order, request=request))


class ClaimCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=WarrantyClaim.Kind.choices)
    description = serializers.CharField(max_length=4000)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=10,
        help_text="Up to 5 photos (JPEG, PNG or WebP, 5 MB each).",
    )


class ClaimCreateView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="shop_orders_lines_claims_create",
        summary="Open a goods warranty claim on a delivered line (multipart, with photos)",
        request={"multipart/form-data": ClaimCreateSerializer},
        responses={201: ClaimSerializer, 400: INVALID, 401: SIGNED_OUT, 403: SIGNED_OUT, 404: NOT_FOUND,
                   409: CONFLICT},
        tags=["shop"],
    )
    def post(self, request: Request, number: str, line_id: int) -> Response:
        order = get_object_or_404(customer_orders(request.user), number=number)
        item = get_object_or_404(ShipmentLine.objects.filter(line__order=order), line_id=line_id)
        data = ClaimCreateSerializer(data={
            "kind": request.data.get("kind"), "description": request.data.get("description"),
            "photos": request.FILES.getlist("photos"),
        })
        data.is_valid(raise_exception=True)
        # The site's photo checks (count, size, real image content), then the site's service.
        try:
            photos = MultipleImageField(required=False).clean(data.validated_data["photos"])
        except DjangoValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
        claim = warranty_claim_open(
            shipment_line=item, customer=request.user, kind=data.validated_data["kind"],
            description=data.validated_data["description"], photos=photos,
        )
        return Response(ClaimSerializer(claim, context={"request": request}).data, status=status.HTTP_201_CREATED)


class OrderCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="Why the customer cancels; the vendor is told.")


CANCEL_REFUSED = error("Already left the vendor (`invalid_transition`), or the order waits for its card payment "
                       "and is cancelled only as a whole (`cancel_whole_order`).")
# Both cancellations answer the order as it is afterwards.
CANCEL_RESPONSES = {200: OrderSerializer, 400: INVALID, 401: SIGNED_OUT, 403: SIGNED_OUT, 404: NOT_FOUND,
                    409: CANCEL_REFUSED}


@method_decorator(transaction.non_atomic_requests, name="dispatch")  # the card refund reaches Stripe after commit
class OrderCancelView(APIView):
    """P5: cancel every shipment of the order that has not left its vendor. A card order is
    refunded those shipments' lines, their installation, and the shipping once nothing of
    the order is left; pay on delivery costs nothing. Repeating it changes nothing."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="shop_orders_cancel", summary="Cancel the whole order (what has not left yet)",
                   request=OrderCancelSerializer, responses=CANCEL_RESPONSES, tags=["shop"])
    def post(self, request: Request, number: str) -> Response:
        order = get_object_or_404(customer_orders(request.user), number=number)
        data = OrderCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order_cancel_by_customer(order=order, user=request.user, reason=data.validated_data["reason"])
        order.refresh_from_db()
        return Response(order_data(order, request=request))


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class ShipmentCancelView(APIView):
    """P5: cancel one vendor's part of the order before it leaves (see OrderCancelView)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="shop_orders_shipments_cancel", summary="Cancel one vendor's part of the order",
                   request=OrderCancelSerializer, responses=CANCEL_RESPONSES, tags=["shop"])
    def post(self, request: Request, number: str, shipment_id: int) -> Response:
        order = get_object_or_404(customer_orders(request.user), number=number)
        shipment = get_object_or_404(Shipment.objects.filter(order=order), pk=shipment_id)
        data = OrderCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        shipment_cancel_by_customer(shipment=shipment, user=request.user, reason=data.validated_data["reason"])
        order.refresh_from_db()
        return Response(order_data(order, request=request))
