"""A shopper buys from two vendors in one checkout (issue 4 points 5 and 6): the basket
and checkout show each vendor's promised delivery date, installation is offered as a
priced add-on, one payment covers everything, and the order is split per vendor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from oscar.core.loading import get_model

from tests.factories import UserFactory
from tests.factories_vendors import iran, make_vendor, make_vendor_product, place_order
from vendors import services
from vendors.models import ShipmentLine

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def shop(db):
    iran()
    cooler_shop = make_vendor("Cool Air Co", delivery_days=6, promises={"Tehran": 2})
    rug_shop = make_vendor("Kashan Rugs", delivery_days=9)
    cooler = make_vendor_product(cooler_shop, price="300.00", stock=3, needs_installation=True,
                                 installation_price="25.00")
    rug = make_vendor_product(rug_shop, price="250.00", stock=1)
    return cooler_shop, rug_shop, cooler, rug


def add_to_basket(client, product, quantity=1):
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})
    assert response.status_code == 302


def checkout_until_payment(client, state="Tehran"):
    response = client.post(
        reverse("checkout:shipping-address"),
        {
            "first_name": "Sara", "last_name": "Ahmadi", "line1": "Valiasr Street 12", "line4": "Tehran",
            "state": state, "postcode": "14348-43311", "country": "IR", "phone_number": "+989121234567",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert client.get(reverse("checkout:shipping-method")).status_code == 302
    return client.get(reverse("checkout:payment-details"))


def en_date(day: dt.date) -> str:
    return dateformat.format(day, "j F Y")


def test_two_vendors_one_checkout_one_payment_two_shipments_with_installation(customer_client, customer, shop):
    cooler_shop, rug_shop, cooler, rug = shop
    today = timezone.localdate()
    with translation.override("en"):
        add_to_basket(customer_client, cooler, 2)
        add_to_basket(customer_client, rug)

        basket_page = customer_client.get(reverse("basket:summary")).content.decode()
        assert "Delivery by vendor" in basket_page
        # Before an address is known, each vendor's default promise.
        assert f"Arrives by {en_date(today + dt.timedelta(days=6))}" in basket_page
        assert f"Arrives by {en_date(today + dt.timedelta(days=9))}" in basket_page

        payment_page = checkout_until_payment(customer_client).content.decode()
        assert 'name="installation"' in payment_page
        assert "(+" in payment_page and "50" in payment_page  # 2 × 25 for two coolers
        # At checkout, the promise for the shipping address's region.
        assert f"Arrives by {en_date(today + dt.timedelta(days=2))}" in payment_page

        basket = Basket.objects.get(owner=customer, status=Basket.OPEN)
        cooler_line = basket.lines.get(product=cooler)
        response = customer_client.post(
            reverse("checkout:payment-details"), {"method": "cod", "installation": [cooler_line.pk]}
        )
        assert response.status_code == 302 and response["Location"] == reverse("checkout:preview")

        preview = customer_client.get(reverse("checkout:preview"))
        assert preview.status_code == 200
        preview_page = preview.content.decode()
        assert "Installation" in preview_page
        assert preview.context["order_total"].incl_tax == Decimal("900.00")  # 600 + 250 + 50 installation
        assert "Cool Air Co" in preview_page and "Kashan Rugs" in preview_page

        placed = customer_client.post(reverse("checkout:preview"), {"action": "place_order"})
        assert placed.status_code == 302, placed.content.decode()[:3000]
        assert placed["Location"].endswith(reverse("checkout:thank-you"))

    order = Order.objects.get(user=customer, basket=basket)
    assert order.total_incl_tax == Decimal("900.00")
    assert order.surcharges.get().incl_tax == Decimal("50.00")
    source = order.sources.get()
    assert (source.source_type.code, source.amount_allocated) == ("cod", Decimal("900.00"))
    shipments = {s.partner: s for s in order.shipments.all()}
    assert set(shipments) == {cooler_shop, rug_shop}
    assert shipments[cooler_shop].promised_by == timezone.localdate(order.date_placed) + dt.timedelta(days=2)
    assert shipments[rug_shop].promised_by == timezone.localdate(order.date_placed) + dt.timedelta(days=9)
    task = ShipmentLine.objects.get(shipment=shipments[cooler_shop])
    assert (task.installation_requested, task.installation_status, task.installation_price) == (
        True, "to_do", Decimal("50.00"),
    )
    assert not ShipmentLine.objects.get(shipment=shipments[rug_shop]).installation_requested


def test_a_product_sold_out_before_placing_sends_the_shopper_back_to_the_basket(customer_client, customer, shop):
    _cooler_shop, _rug_shop, _cooler, rug = shop
    with translation.override("en"):
        add_to_basket(customer_client, rug)
        checkout_until_payment(customer_client)
        customer_client.post(reverse("checkout:payment-details"), {"method": "cod"})
        place_order(UserFactory(), [(rug, 1)])  # someone else takes the last rug

        placed = customer_client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)

        title = rug.get_title()
    assert placed.redirect_chain[-1][0].endswith("/en/shop/basket/")
    assert title in placed.content.decode()
    assert not Order.objects.filter(user=customer, lines__product=rug).exists()


def test_the_last_unit_sold_between_the_checks_and_placing_is_refused_naming_the_product(
    customer_client, customer, shop, monkeypatch
):
    """The race window: Oscar's pre-checks pass, then another buyer's order commits before
    this one takes its locks. The locked re-check refuses, and nothing is written."""
    from shop.checkout.views import PaymentDetailsView

    _cooler_shop, _rug_shop, cooler, rug = shop
    with translation.override("en"):
        add_to_basket(customer_client, cooler)
        add_to_basket(customer_client, rug)
        checkout_until_payment(customer_client)
        customer_client.post(reverse("checkout:payment-details"), {"method": "cod"})

        checked = PaymentDetailsView.check_basket_is_valid

        def check_then_lose_the_race(view, request):
            checked(view, request)
            if request.method == "POST":
                place_order(UserFactory(), [(rug, 1)])

        monkeypatch.setattr(PaymentDetailsView, "check_basket_is_valid", check_then_lose_the_race)
        placed = customer_client.post(reverse("checkout:preview"), {"action": "place_order"})
        title = rug.get_title()

    assert placed.status_code == 200
    page = placed.content.decode()
    assert title in page and "sold out" in page
    assert not Order.objects.filter(user=customer, lines__product=rug).exists()
    # Nothing of this order was kept: not the rug's allocation, not the cooler's.
    assert StockRecord.objects.get(product=rug).num_allocated == 1
    assert StockRecord.objects.get(product=cooler).num_allocated in (None, 0)
    # The basket is given back to the shopper to adjust.
    assert Basket.objects.get(owner=customer, status=Basket.OPEN).lines.filter(product=rug).exists()


def test_a_basket_holding_a_suspended_vendors_goods_cannot_be_checked_out(customer_client, customer, shop):
    _cooler_shop, rug_shop, _cooler, rug = shop
    with translation.override("en"):
        add_to_basket(customer_client, rug)
        services.vendor_suspend(partner=rug_shop, reason="Fake goods")
        response = customer_client.get(reverse("checkout:payment-details"))
        assert response.status_code == 302
        assert response["Location"].endswith(reverse("basket:summary"))
        basket_page = customer_client.get(response["Location"]).content.decode()
    assert "no longer available" in basket_page
    assert not Order.objects.filter(user=customer, lines__product=rug).exists()


def test_installation_can_only_be_chosen_for_items_that_offer_it(customer_client, customer, shop):
    _cooler_shop, _rug_shop, _cooler, rug = shop
    with translation.override("en"):
        add_to_basket(customer_client, rug)
        checkout_until_payment(customer_client)
        rug_line = Basket.objects.get(owner=customer, status=Basket.OPEN).lines.get(product=rug)
        response = customer_client.post(
            reverse("checkout:payment-details"), {"method": "cod", "installation": [rug_line.pk]}
        )
    assert response.status_code == 200
    assert "Installation is not offered" in response.content.decode()


def test_the_persian_checkout_shows_the_delivery_promises_in_persian(customer_client, shop):
    cooler_shop, _rug_shop, cooler, _rug = shop
    with translation.override("fa"):
        add_to_basket(customer_client, cooler)
        page = checkout_until_payment(customer_client).content.decode()
    assert '<html lang="fa" dir="rtl"' in page
    assert "تحویل به تفکیک فروشنده" in page
    assert "Arrives by" not in page
