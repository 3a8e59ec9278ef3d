"""Checkout through the API: the address book (Iranian postcode rules as on the site), the
checkout's options (shipping methods, payment methods, each vendor's delivery promise,
totals) and placing the order.

Placing goes through the site's own checkout view class (shop.checkout.views), driven
without a session: the same payment-method handling and payment records, the same
order placement (vendors.services.order_place: stock locked and checked, one order split
into per-vendor shipments), the same address-book update. Only where the site reads its
session (the chosen payment method and installation lines) does the API supply them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from oscar.apps.checkout.exceptions import FailedPreCondition
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.core.loading import get_class, get_model
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import DomainError
from shop.api.basket import VendorGroupSerializer, installation_choices
from shop.api.common import CONFLICT, INVALID, NOT_FOUND, SIGNED_OUT, MoneySerializer, money, shopper_basket
from shop.api.orders import OrderSerializer, order_data
from shop.checkout.applicator import ChosenLinesSurchargeApplicator
from shop.checkout.errors import BasketEmpty, BasketNotBuyable, PaymentMethodNotOffered, ShippingMethodNotOffered
from shop.checkout.payment_methods import available_payment_methods
from shop.checkout.views import PaymentDetailsView
from vendors.services import basket_delivery_promises

UserAddress = get_model("address", "UserAddress")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
Order = get_model("order", "Order")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")

ADDRESS_FIELDS = ["title", "first_name", "last_name", "line1", "line2", "line3", "line4", "state", "postcode",
                  "phone_number", "notes"]


# ------------------------------------------------------------------ addresses
class AddressInputSerializer(serializers.Serializer):
    """An address as Oscar keeps it; `line4` is the city, `state` the province (the region
    each vendor's delivery promise is matched on)."""

    title = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    first_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=255)
    line1 = serializers.CharField(max_length=255)
    line2 = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    line3 = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    line4 = serializers.CharField(max_length=255, help_text="City.")
    state = serializers.CharField(max_length=255, help_text="Province.")
    postcode = serializers.CharField(max_length=64, help_text="In Iran ten digits, with or without the dash.")
    country = serializers.CharField(max_length=2, default="IR", help_text="ISO 3166-1 alpha-2 code.")
    phone_number = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class AddressSerializer(AddressInputSerializer):
    """An address-book entry."""

    id = serializers.IntegerField()

    def to_representation(self, address) -> dict:
        data = {field: getattr(address, field) or "" for field in ADDRESS_FIELDS}
        data["phone_number"] = str(address.phone_number or "")
        data["country"] = address.country_id
        data["id"] = address.pk
        return data


def build_address(model, data: dict, **extra):
    """An unsaved address of `model` with Oscar's validation (the Iranian postcode rule,
    shop.addresses) applied; field errors come back as a 400 with `fields`."""
    country = Country.objects.filter(iso_3166_1_a2=data.get("country", "IR").upper(), is_shipping_country=True).first()
    if country is None:
        raise ValidationError({"country": [_("We do not deliver to that country.")]})
    address = model(country=country, **{field: data.get(field, "") for field in ADDRESS_FIELDS}, **extra)
    try:
        address.full_clean(exclude=["user"] if model is UserAddress else None)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    return address


class AddressListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="shop_addresses_list", summary="The customer's address book",
                   responses={200: AddressSerializer(many=True), 401: SIGNED_OUT, 403: SIGNED_OUT}, tags=["shop"])
    def get(self, request: Request) -> Response:
        addresses = UserAddress.objects.filter(user=request.user).select_related("country").order_by("-date_created")
        return Response(AddressSerializer(addresses, many=True).data)

    @extend_schema(operation_id="shop_addresses_create", summary="Add an address to the address book",
                   request={"application/json": AddressInputSerializer},
                   responses={201: AddressSerializer, 400: INVALID, 401: SIGNED_OUT, 403: SIGNED_OUT}, tags=["shop"])
    def post(self, request: Request) -> Response:
        data = AddressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        address = build_address(UserAddress, data.validated_data, user=request.user)
        if UserAddress.objects.filter(user=request.user, hash=address.generate_hash()).exists():
            raise ValidationError({"non_field_errors": [_("This address is already in your address book.")]})
        address.save()
        return Response(AddressSerializer(address).data, status=status.HTTP_201_CREATED)


# ------------------------------------------------------------------ the site's checkout, without a session
class ApiOrderPlacement(PaymentDetailsView):
    """The site's checkout view (payment handling, placing, payment records), told the
    choices its session would hold."""

    def __init__(self, *, request, method_code: str, installation_line_ids: set[int]) -> None:
        super().__init__()
        self.request = request
        self._method_code = method_code
        self._installation_line_ids = installation_line_ids

    def chosen_method_code(self) -> str | None:
        return self._method_code

    def chosen_installation_line_ids(self) -> set[int]:
        return self._installation_line_ids


def _check_basket(request: Request, basket) -> None:
    """The site's checkout preconditions: a basket with items, every one still buyable."""
    placement = PaymentDetailsView()
    try:
        placement.check_basket_is_not_empty(request._request)
    except FailedPreCondition as exc:
        raise BasketEmpty(" ".join(str(m) for m in exc.messages)) from exc
    try:
        placement.check_basket_is_valid(request._request)
    except FailedPreCondition as exc:
        raise BasketNotBuyable(" ".join(str(m) for m in exc.messages)) from exc


def _shipping_methods(request: Request, basket, address) -> list:
    return Repository().get_shipping_methods(
        basket=basket, user=request.user, shipping_addr=address, request=request._request
    )


def _totals(request: Request, basket, method, chosen: set[int]) -> tuple:
    shipping_charge = method.calculate(basket)
    surcharges = ChosenLinesSurchargeApplicator(request._request, line_ids=chosen).get_applicable_surcharges(
        basket, shipping_charge=shipping_charge
    )
    total = OrderTotalCalculator(request._request).calculate(basket, shipping_charge, surcharges=surcharges)
    return shipping_charge, surcharges, total


# ------------------------------------------------------------------ options
class ShippingMethodSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    price = MoneySerializer()


class PaymentMethodSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="`card` (then pay through /api/v1/payments/…/intent/) or `cod`.")
    label = serializers.CharField()
    description = serializers.CharField()


class CheckoutTotalsSerializer(serializers.Serializer):
    items = MoneySerializer()
    installation = MoneySerializer()
    shipping = MoneySerializer()
    total = MoneySerializer()


class CheckoutOptionsSerializer(serializers.Serializer):
    addresses = AddressSerializer(many=True)
    shipping_methods = ShippingMethodSerializer(many=True)
    payment_methods = PaymentMethodSerializer(many=True)
    vendors = VendorGroupSerializer(many=True)
    totals = CheckoutTotalsSerializer(allow_null=True, help_text="With the first shipping method offered.")


def _surcharge_total(surcharges):
    return sum((charge.price.incl_tax for charge in surcharges or ()), 0)


class PlaceOrderSerializer(serializers.Serializer):
    shipping_address = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="An address-book id."
    )
    new_shipping_address = AddressInputSerializer(
        required=False, allow_null=True, default=None,
        help_text="Or a new address (kept in the address book once the order is placed).",
    )
    shipping_method = serializers.CharField(help_text="A `code` from the checkout's shipping methods.")
    payment_method = serializers.CharField(help_text="A `code` from the checkout's payment methods.")

    def validate(self, attrs: dict) -> dict:
        if (attrs.get("shipping_address") is None) == (attrs.get("new_shipping_address") is None):
            raise ValidationError({"shipping_address": [_("Give an address-book id or a new address, not both.")]})
        return attrs


class CheckoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="shop_checkout_retrieve", summary="What the checkout offers for the basket now",
        parameters=[OpenApiParameter("address", int, required=False,
                                     description="An address-book id: delivery promises and shipping for it.")],
        responses={200: CheckoutOptionsSerializer, 400: INVALID, 401: SIGNED_OUT, 403: SIGNED_OUT, 404: NOT_FOUND,
                   409: CONFLICT},
        tags=["shop"],
    )
    def get(self, request: Request) -> Response:
        basket = shopper_basket(request)
        _check_basket(request, basket)
        addresses = UserAddress.objects.filter(user=request.user).select_related("country").order_by("-date_created")
        address = None
        if request.query_params.get("address"):
            try:
                address = get_object_or_404(addresses, pk=int(request.query_params["address"]))
            except ValueError:
                raise ValidationError({"address": [_("A number is required.")]}) from None
        methods = _shipping_methods(request, basket, address)
        _options, chosen = installation_choices(basket)
        totals = None
        if methods:
            shipping_charge, surcharges, total = _totals(request, basket, methods[0], chosen)
            currency = basket.currency
            totals = {
                "items": money(basket.total_incl_tax, currency),
                "installation": money(_surcharge_total(surcharges), currency),
                "shipping": money(shipping_charge.incl_tax, currency),
                "total": money(total.incl_tax, currency),
            }
        promises = basket_delivery_promises(basket=basket, region=address.state if address else "")
        return Response({
            "addresses": AddressSerializer(addresses, many=True).data,
            "shipping_methods": [
                {"code": m.code, "name": str(m.name), "description": str(getattr(m, "description", "") or ""),
                 "price": money(m.calculate(basket).incl_tax, basket.currency)}
                for m in methods
            ],
            "payment_methods": [
                {"code": m.code, "label": str(m.label), "description": str(m.description)}
                for m in available_payment_methods()
            ],
            "vendors": [
                {"vendor": {"id": p["partner"].pk, "name": p["partner"].display_name},
                 "lines": [line.pk for line in p["lines"]], "delivery_days": p["days"], "promised_by": p["promised_by"]}
                for p in promises
            ],
            "totals": totals,
        })

    @extend_schema(
        operation_id="shop_checkout_create", summary="Place the order for the basket",
        request={"application/json": PlaceOrderSerializer},
        responses={201: OrderSerializer, 400: INVALID, 401: SIGNED_OUT, 403: SIGNED_OUT, 404: NOT_FOUND,
                   409: CONFLICT},
        tags=["shop"],
    )
    def post(self, request: Request) -> Response:
        data = PlaceOrderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = place_order(request, **data.validated_data)
        order = Order.objects.get(pk=order.pk)
        return Response(order_data(order, request=request), status=status.HTTP_201_CREATED)


def place_order(request: Request, *, shipping_address, new_shipping_address, shipping_method: str,
                payment_method: str):
    basket = shopper_basket(request)
    _check_basket(request, basket)
    if payment_method not in {m.code for m in available_payment_methods()}:
        raise PaymentMethodNotOffered(_("That payment method is not offered. Choose another one."))
    if shipping_address is not None:
        saved = get_object_or_404(UserAddress.objects.filter(user=request.user), pk=shipping_address)
        address = ShippingAddress()
        saved.populate_alternative_model(address)
    else:
        address = build_address(ShippingAddress, new_shipping_address)
    method = next((m for m in _shipping_methods(request, basket, address) if m.code == shipping_method), None)
    if method is None:
        raise ShippingMethodNotOffered(_("That shipping method is not offered for this address. Choose another one."))
    _options, chosen = installation_choices(basket)
    shipping_charge, surcharges, total = _totals(request, basket, method, chosen)
    placement = ApiOrderPlacement(request=request._request, method_code=payment_method, installation_line_ids=chosen)
    order_number = placement.generate_order_number(basket)
    try:
        placement.handle_payment(order_number, total)
    except UnableToTakePayment as exc:
        raise PaymentMethodNotOffered(str(exc)) from exc
    basket.freeze()
    try:
        order = placement.place_order(
            order_number=order_number, user=request.user, basket=basket, shipping_address=address,
            shipping_method=method, shipping_charge=shipping_charge, order_total=total, surcharges=surcharges,
        )
    except UnableToPlaceOrder as exc:
        # The vendors' refusal (stock, suspension, installation price) with its own code;
        # the request rolls back, so the basket is open again.
        if isinstance(exc.__cause__, DomainError):
            raise exc.__cause__ from None
        raise BasketNotBuyable(str(exc)) from exc
    basket.submit()
    placement.send_signal(request._request, None, order)
    return order


