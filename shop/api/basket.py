"""The basket through the API: read it, add a product (with installation), change a
line's quantity or installation, remove a line, apply and remove a voucher.

Stock and availability are Oscar's rules, through Oscar's own basket forms (the same
checks the site's basket page makes); installation comes from the vendor's contract
(vendors.services.basket_installation_options); each vendor's delivery promise from
vendors.services.basket_delivery_promises. A refusal is a 4xx with a code.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from oscar.apps.basket.signals import basket_addition, voucher_addition, voucher_removal
from oscar.core.loading import get_class, get_model
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.api.common import (
    CONFLICT,
    INVALID,
    NOT_FOUND,
    SIGNED_OUT,
    MoneySerializer,
    money,
    reload_basket,
    shopper_basket,
)
from shop.checkout.errors import InstallationNotOffered, NotAvailable, VoucherRefused
from shop.checkout.models import BasketLineInstallation
from vendors.services import basket_delivery_promises, basket_installation_options

Product = get_model("catalogue", "Product")
Voucher = get_model("voucher", "Voucher")
AddToBasketForm = get_class("basket.forms", "AddToBasketForm")
BasketLineForm = get_class("basket.forms", "BasketLineForm")
Applicator = get_class("offer.applicator", "Applicator")
ZERO = Decimal("0.00")


# ------------------------------------------------------------------ reading
def installation_choices(basket) -> tuple[dict[int, dict], set[int]]:
    """(line id -> installation option, the chosen line ids that are still offered)."""
    options = {option["line"].pk: option for option in basket_installation_options(basket=basket)}
    stored = set(
        BasketLineInstallation.objects.filter(line__basket=basket).values_list("line_id", flat=True)
    ) if basket.pk else set()
    return options, stored & set(options)


class VendorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class InstallationSerializer(serializers.Serializer):
    chosen = serializers.BooleanField()
    unit_price = MoneySerializer()
    price = MoneySerializer(help_text="Unit price × quantity.")


class LineAvailabilitySerializer(serializers.Serializer):
    is_available_to_buy = serializers.BooleanField()
    message = serializers.CharField()


class BasketLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    quantity = serializers.IntegerField()
    vendor = VendorRefSerializer(allow_null=True)
    unit_price = MoneySerializer(allow_null=True)
    price = MoneySerializer(allow_null=True, help_text="Before discounts.")
    price_after_discounts = MoneySerializer(allow_null=True)
    availability = LineAvailabilitySerializer()
    installation = InstallationSerializer(allow_null=True, help_text="Null: this product is not installed.")


class VendorGroupSerializer(serializers.Serializer):
    vendor = VendorRefSerializer()
    lines = serializers.ListField(child=serializers.IntegerField())
    delivery_days = serializers.IntegerField()
    promised_by = serializers.DateField()


class DiscountSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    voucher = serializers.IntegerField(allow_null=True)
    voucher_code = serializers.CharField(allow_null=True)
    amount = MoneySerializer()


class VoucherRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class BasketTotalsSerializer(serializers.Serializer):
    items_before_discounts = MoneySerializer()
    discounts = MoneySerializer()
    items = MoneySerializer()
    installation = MoneySerializer()
    total = MoneySerializer(help_text="Items after discounts plus installation; shipping is added at checkout.")


class BasketSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    currency = serializers.CharField()
    num_items = serializers.IntegerField()
    lines = BasketLineSerializer(many=True)
    vendors = VendorGroupSerializer(many=True)
    vouchers = VoucherRefSerializer(many=True)
    discounts = DiscountSerializer(many=True)
    totals = BasketTotalsSerializer()


def _vendor(stockrecord) -> dict | None:
    if stockrecord is None:
        return None
    return {"id": stockrecord.partner_id, "name": stockrecord.partner.display_name}


def basket_data(basket, *, region: str = "") -> dict:
    currency = basket.currency
    options, chosen = installation_choices(basket)
    lines = []
    for line in basket.all_lines():
        info = line.purchase_info
        option = options.get(line.pk)
        priced = info.price.exists
        permitted, reason = info.availability.is_purchase_permitted(line.quantity)
        lines.append({
            "id": line.pk,
            "product": line.product_id,
            "title": line.product.get_title(),
            "url": line.product.get_absolute_url(),
            "quantity": line.quantity,
            "vendor": _vendor(line.stockrecord),
            "unit_price": money(line.unit_price_incl_tax, currency) if priced else None,
            "price": money(line.line_price_incl_tax, currency) if priced else None,
            "price_after_discounts": money(line.line_price_incl_tax_incl_discounts, currency) if priced else None,
            "availability": {"is_available_to_buy": permitted, "message": str(reason or info.availability.message)},
            "installation": None if option is None else {
                "chosen": line.pk in chosen,
                "unit_price": money(option["unit_price"], currency),
                "price": money(option["price"], currency),
            },
        })
    groups = [
        {
            "vendor": {"id": promise["partner"].pk, "name": promise["partner"].display_name},
            "lines": [line.pk for line in promise["lines"]],
            "delivery_days": promise["days"],
            "promised_by": promise["promised_by"],
        }
        for promise in basket_delivery_promises(basket=basket, region=region)
    ]
    discounts = []
    for discount in basket.offer_discounts + basket.voucher_discounts:
        voucher = discount.get("voucher")
        discounts.append({
            "name": str(discount["name"]),
            "description": str(discount.get("description") or ""),
            "voucher": voucher.pk if voucher else None,
            "voucher_code": voucher.code if voucher else None,
            "amount": money(discount["discount"], currency),
        })
    installation = sum((options[pk]["price"] for pk in chosen), ZERO)
    items = basket.total_incl_tax if not basket.is_empty else ZERO
    before = basket.total_incl_tax_excl_discounts if not basket.is_empty else ZERO
    return {
        "id": basket.pk,
        "currency": currency,
        "num_items": basket.num_items,
        "lines": lines,
        "vendors": groups,
        "vouchers": [{"id": v.pk, "code": v.code, "name": v.name} for v in basket.vouchers.all()],
        "discounts": discounts,
        "totals": {
            "items_before_discounts": money(before, currency),
            "discounts": money(before - items, currency),
            "items": money(items, currency),
            "installation": money(installation, currency),
            "total": money(items + installation, currency),
        },
    }


REGION = OpenApiParameter(
    "region", str, required=False,
    description="The delivery region (province), for each vendor's delivery promise; default: the contract's.",
)


class BasketView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="shop_basket_retrieve", summary="The signed-in customer's basket", parameters=[REGION],
        responses={200: BasketSerializer, 401: SIGNED_OUT, 403: SIGNED_OUT}, tags=["shop"],
    )
    def get(self, request: Request) -> Response:
        return Response(basket_data(shopper_basket(request), region=request.query_params.get("region", "")))


# ------------------------------------------------------------------ changing
def _form_refusal(form) -> NotAvailable:
    messages = [str(message) for messages in form.errors.values() for message in messages]
    return NotAvailable(" ".join(messages) or _("This product can't be added to your basket."))


def _set_installation(basket, line, wanted: bool | None) -> None:
    """Record the shopper's installation choice for `line`; only a line whose vendor
    offers installation for the product can have it."""
    if wanted is None:
        return
    if not wanted:
        BasketLineInstallation.objects.filter(line=line).delete()
        return
    offered = {option["line"].pk for option in basket_installation_options(basket=basket)}
    if line.pk not in offered:
        raise InstallationNotOffered(
            _("Installation is not offered for “%(product)s”.") % {"product": line.product.get_title()}
        )
    BasketLineInstallation.objects.get_or_create(line=line)


class AddLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, max_value=10_000, default=1)
    installation = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text="Ask the vendor to install it (only where the product's `installation` is offered).",
    )


class ChangeLineSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=10_000, required=False)
    installation = serializers.BooleanField(required=False, allow_null=True, default=None)


class BasketLinesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="shop_basket_lines_create", summary="Add a product to the basket",
        request={"application/json": AddLineSerializer},
        responses={201: BasketSerializer, 400: INVALID, 401: SIGNED_OUT, 403: SIGNED_OUT, 404: NOT_FOUND,
                   409: CONFLICT},
        tags=["shop"],
    )
    def post(self, request: Request) -> Response:
        data = AddLineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = get_object_or_404(Product.objects.browsable(), pk=data.validated_data["product"])
        basket = shopper_basket(request)
        # Oscar's form: the product must be buyable, in stock for the total wanted, within
        # the basket's line and quantity limits (the site's add-to-basket button).
        form = AddToBasketForm(basket=basket, product=product, data={"quantity": data.validated_data["quantity"]})
        if not form.is_valid():
            raise _form_refusal(form)
        with transaction.atomic():
            line, _created = basket.add_product(product, form.cleaned_data["quantity"], form.cleaned_options())
            basket_addition.send(sender=self, product=product, user=request.user, request=request._request)
            _set_installation(reload_basket(request), line, data.validated_data["installation"])
        return Response(basket_data(reload_basket(request)), status=status.HTTP_201_CREATED)


class BasketLineView(APIView):
    permission_classes = [IsAuthenticated]

    def _line(self, request: Request, pk: int):
        basket = shopper_basket(request)
        for line in basket.all_lines():
            if line.pk == pk:
                return basket, line
        return get_object_or_404(basket.lines.none(), pk=pk)

    @extend_schema(
        operation_id="shop_basket_lines_partial_update", summary="Change a line's quantity or installation",
        request={"application/json": ChangeLineSerializer},
        responses={200: BasketSerializer, 400: INVALID, 401: SIGNED_OUT, 403: SIGNED_OUT, 404: NOT_FOUND,
                   409: CONFLICT},
        tags=["shop"],
    )
    def patch(self, request: Request, pk: int) -> Response:
        data = ChangeLineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        basket, line = self._line(request, pk)
        if "quantity" in data.validated_data:
            # Oscar's basket page form: the new quantity must be allowed and in stock.
            form = BasketLineForm(basket.strategy, instance=line, data={
                "quantity": data.validated_data["quantity"], "save_for_later": False,
            }, prefix=None)
            if not form.is_valid():
                raise _form_refusal(form)
            form.save()
        _set_installation(reload_basket(request), line, data.validated_data.get("installation"))
        return Response(basket_data(reload_basket(request)))

    @extend_schema(
        operation_id="shop_basket_lines_destroy", summary="Remove a line from the basket", request=None,
        responses={200: BasketSerializer, 401: SIGNED_OUT, 403: SIGNED_OUT, 404: NOT_FOUND}, tags=["shop"],
    )
    def delete(self, request: Request, pk: int) -> Response:
        _basket, line = self._line(request, pk)
        line.delete()
        return Response(basket_data(reload_basket(request)))


# ------------------------------------------------------------------ vouchers
class VoucherCodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=128)


def voucher_apply(*, basket, code: str, request: Request, sender: object) -> None:
    """Oscar's voucher rules as its basket page applies them (basket.views.VoucherAddView):
    a known, active, unexpired voucher the user may use, that gives this basket a discount."""
    code = code.strip().upper()
    if basket.contains_voucher(code):
        raise VoucherRefused(_("You have already added the '%(code)s' voucher to your basket") % {"code": code},
                             code="voucher_already_added")
    voucher = Voucher._default_manager.filter(code=code).first()
    if voucher is None:
        raise VoucherRefused(_("No voucher found with code '%(code)s'") % {"code": code}, code="voucher_unknown")
    if voucher.is_expired():
        raise VoucherRefused(_("The '%(code)s' voucher has expired") % {"code": voucher.code}, code="voucher_expired")
    if not voucher.is_active():
        raise VoucherRefused(_("The '%(code)s' voucher is not active") % {"code": voucher.code},
                             code="voucher_inactive")
    is_available, message = voucher.is_available_to_user(request.user)
    if not is_available:
        raise VoucherRefused(message, code="voucher_not_available")
    basket.vouchers.add(voucher)
    voucher_addition.send(sender=sender, basket=basket, voucher=voucher)
    Applicator().apply(basket, request.user, request._request)
    if not any(d["voucher"] and d["voucher"] == voucher for d in basket.offer_applications):
        # Raising rolls the request back, so the voucher does not stay on the basket.
        raise VoucherRefused(_("Your basket does not qualify for a voucher discount"),
                             code="voucher_not_applicable")


class BasketVouchersView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="shop_basket_vouchers_create", summary="Apply a voucher code",
        request={"application/json": VoucherCodeSerializer},
        responses={201: BasketSerializer, 400: INVALID, 401: SIGNED_OUT, 403: SIGNED_OUT}, tags=["shop"],
    )
    def post(self, request: Request) -> Response:
        data = VoucherCodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        voucher_apply(basket=shopper_basket(request), code=data.validated_data["code"], request=request, sender=self)
        return Response(basket_data(reload_basket(request)), status=status.HTTP_201_CREATED)


class BasketVoucherView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="shop_basket_vouchers_destroy", summary="Remove a voucher from the basket", request=None,
        responses={200: BasketSerializer, 401: SIGNED_OUT, 403: SIGNED_OUT, 404: NOT_FOUND}, tags=["shop"],
    )
    def delete(self, request: Request, pk: int) -> Response:
        basket = shopper_basket(request)
        voucher = get_object_or_404(basket.vouchers.all(), pk=pk)
        basket.vouchers.remove(voucher)
        voucher_removal.send(sender=self, basket=basket, voucher=voucher)
        return Response(basket_data(reload_basket(request)))
