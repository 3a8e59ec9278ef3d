"""Placing a multi-vendor order (issue 4 point 5, P1, P2): one Oscar order, one payment,
split into one shipment per vendor; contract terms snapshotted per line; stock checked
under row locks; installation charged as a surcharge; everyone notified once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from oscar.core.loading import get_class, get_model

from notifications.services import messages_for
from tests.factories import UserFactory
from tests.factories_vendors import make_basket, make_vendor, make_vendor_product, place_order, vendor_user
from vendors import services
from vendors.errors import InstallationPriceChanged, InsufficientStock, VendorSuspended
from vendors.models import CategoryTerm, Shipment, ShipmentEvent, ShipmentLine

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")


@pytest.fixture
def buyer(db):
    return UserFactory(email="buyer@example.com")


def test_one_basket_from_two_vendors_is_one_order_split_into_two_shipments(buyer):
    lamp_shop = make_vendor("Lamp shop", delivery_days=3, promises={"Tehran": 2})
    rug_shop = make_vendor("Rug shop", delivery_days=7)
    lamp = make_vendor_product(lamp_shop, price="40.00", stock=5)
    rug = make_vendor_product(rug_shop, price="250.00", stock=2)

    order = place_order(buyer, [(lamp, 2), (rug, 1)], region="tehran ")

    assert Order.objects.filter(user=buyer).count() == 1
    assert order.total_incl_tax == Decimal("330.00")
    shipments = {s.partner_id: s for s in order.shipments.all()}
    assert set(shipments) == {lamp_shop.pk, rug_shop.pk}
    placed_on = timezone.localdate(order.date_placed)
    # P2: the region's promise (matched ignoring case and spaces), else the contract default.
    assert shipments[lamp_shop.pk].promised_by == placed_on + dt.timedelta(days=2)
    assert shipments[rug_shop.pk].promised_by == placed_on + dt.timedelta(days=7)
    assert all(s.status == Shipment.Status.PENDING for s in shipments.values())
    assert [line.line.product for line in shipments[lamp_shop.pk].lines.all()] == [lamp]
    assert [line.line.product for line in shipments[rug_shop.pk].lines.all()] == [rug]
    # Each vendor's part carries its own log from the start.
    assert ShipmentEvent.objects.filter(shipment__order=order, to_status="pending").count() == 2
    # Stock is allocated per vendor.
    assert StockRecord.objects.get(product=lamp).num_allocated == 2
    assert StockRecord.objects.get(product=rug).num_allocated == 1


def test_each_line_snapshots_the_contract_terms_at_order_time(buyer):
    from tests.factories import make_category

    vendor = make_vendor(commission_rate="0.1000", warranty_days=365, return_window_days=10)
    kitchen = make_category(name="آشپزخانه", name_en="Kitchen")
    CategoryTerm.objects.create(contract=vendor.contract, category=kitchen, commission_rate=Decimal("0.1500"),
                                warranty_days=200)
    kettle = make_vendor_product(vendor, price="60.00", stock=3, category=kitchen)
    heater = make_vendor_product(vendor, price="90.00", stock=3, warranty_days=730)

    order = place_order(buyer, [(kettle, 1), (heater, 1)])

    lines = {sl.line.product_id: sl for sl in ShipmentLine.objects.filter(shipment__order=order)}
    assert (lines[kettle.pk].warranty_days, lines[kettle.pk].commission_rate) == (200, Decimal("0.1500"))
    assert (lines[heater.pk].warranty_days, lines[heater.pk].commission_rate) == (730, Decimal("0.1000"))
    assert {sl.return_window_days for sl in lines.values()} == {10}
    # Later contract changes don't touch what was sold.
    vendor.contract.commission_rate = Decimal("0.3000")
    vendor.contract.save()
    assert ShipmentLine.objects.get(pk=lines[heater.pk].pk).commission_rate == Decimal("0.1000")


def test_installation_is_charged_in_the_order_total_and_becomes_a_vendor_task(buyer):
    vendor = make_vendor()
    cooler = make_vendor_product(vendor, price="300.00", stock=4, needs_installation=True, installation_price="25.00")
    fan = make_vendor_product(vendor, price="20.00", stock=4)

    order = place_order(buyer, [(cooler, 2), (fan, 1)], installation_products=[cooler])

    surcharge = order.surcharges.get()
    assert (surcharge.code, surcharge.incl_tax) == ("installation", Decimal("50.00"))
    assert order.total_incl_tax == Decimal("670.00")  # 2 × 300 + 20 + 2 × 25 installation
    cooler_line = ShipmentLine.objects.get(line__order=order, line__product=cooler)
    assert cooler_line.installation_requested is True
    assert cooler_line.installation_status == ShipmentLine.InstallationStatus.TO_DO
    assert cooler_line.installation_price == Decimal("50.00")
    fan_line = ShipmentLine.objects.get(line__order=order, line__product=fan)
    assert (fan_line.installation_requested, fan_line.installation_status) == (False, "none")


def test_an_installation_surcharge_that_disagrees_with_the_contract_places_nothing(buyer):
    vendor = make_vendor()
    cooler = make_vendor_product(vendor, price="300.00", stock=4, needs_installation=True, installation_price="25.00")
    basket = make_basket(buyer, [(cooler, 1)])
    from oscar.apps.shipping.methods import Free

    from tests.factories_vendors import iran

    address = get_model("order", "ShippingAddress").objects.create(
        first_name="A", last_name="B", line1="x", line4="Tehran", state="Tehran", country=iran()
    )
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    charge = Free().calculate(basket)
    with pytest.raises(InstallationPriceChanged):
        services.order_place(
            basket=basket, user=buyer, shipping_address=address, shipping_method=Free(), shipping_charge=charge,
            order_total=OrderTotalCalculator().calculate(basket, charge), surcharges=None,
            installation_basket_line_ids=[basket.all_lines()[0].pk],
        )
    assert not Order.objects.filter(user=buyer).exists()


def test_buying_more_than_is_free_is_refused_naming_the_product(buyer):
    vendor = make_vendor()
    vase = make_vendor_product(vendor, price="15.00", stock=3)
    other = UserFactory()
    place_order(other, [(vase, 2)])

    with translation.override("en"), pytest.raises(InsufficientStock) as refused:
        place_order(buyer, [(vase, 2)])

    with translation.override("en"):
        assert f"Only 1 of “{vase.get_title()}” are left" in str(refused.value.message)
    assert refused.value.product == vase
    assert not Order.objects.filter(user=buyer).exists()
    assert StockRecord.objects.get(product=vase).num_allocated == 2


def test_the_database_refuses_allocating_beyond_stock(buyer):
    from django.db import IntegrityError, transaction

    vendor = make_vendor()
    vase = make_vendor_product(vendor, price="15.00", stock=1)
    record = StockRecord.objects.get(product=vase)
    with pytest.raises(IntegrityError), transaction.atomic():
        record.allocate(2)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockRecord.objects.filter(pk=record.pk).update(num_allocated=-1)


def test_a_suspended_vendors_goods_cannot_be_ordered_even_from_an_old_basket(buyer):
    vendor = make_vendor()
    rug = make_vendor_product(vendor, price="250.00", stock=2)
    basket = make_basket(buyer, [(rug, 1)])  # filled while the vendor was active
    services.vendor_suspend(partner=vendor, reason="quality failures")
    with pytest.raises(VendorSuspended) as refused:
        place_order(buyer, [], basket=basket)
    assert rug.get_title() in str(refused.value.message)
    assert not Order.objects.filter(user=buyer).exists()
    assert StockRecord.objects.get(product=rug).num_allocated in (None, 0)


def test_placing_notifies_the_customer_and_each_vendor_once(buyer):
    lamp_shop = make_vendor("Lamp shop", phone="+989351110001")
    rug_shop = make_vendor("Rug shop", phone="+989351110002")
    lamp = make_vendor_product(lamp_shop, price="40.00", stock=5)
    rug = make_vendor_product(rug_shop, price="250.00", stock=2)

    order = place_order(buyer, [(lamp, 1), (rug, 1)], phone="+989127770022")

    assert messages_for(event="customer_order_placed", to=buyer.email).count() == 1
    assert messages_for(event="customer_order_placed", to="+989127770022").count() == 1
    for vendor in (lamp_shop, rug_shop):
        mails = messages_for(event="vendor_new_order_lines", to=vendor_user(vendor).email)
        assert mails.count() == 1
        assert str(order.number) in mails.get().subject
    # Each vendor's business phone (from its application) gets one text.
    for phone in ("+989351110001", "+989351110002"):
        assert messages_for(event="vendor_new_order_lines", to=phone).count() == 1


def test_splitting_again_changes_nothing(buyer):
    vendor = make_vendor()
    lamp = make_vendor_product(vendor, price="40.00", stock=5)
    order = place_order(buyer, [(lamp, 1)])
    before = messages_for(event="vendor_new_order_lines").count()

    shipments = services.order_split_into_shipments(order=order)

    assert [s.pk for s in shipments] == list(order.shipments.values_list("pk", flat=True))
    assert ShipmentLine.objects.filter(shipment__order=order).count() == 1
    assert messages_for(event="vendor_new_order_lines").count() == before


def test_basket_delivery_promises_group_lines_per_vendor(buyer):
    lamp_shop = make_vendor("Lamp shop", delivery_days=3, promises={"Isfahan": 6})
    rug_shop = make_vendor("Rug shop", delivery_days=7)
    lamp = make_vendor_product(lamp_shop, price="40.00", stock=5)
    rug = make_vendor_product(rug_shop, price="250.00", stock=2)
    basket = make_basket(buyer, [(lamp, 1), (rug, 1)])

    promises = services.basket_delivery_promises(basket=basket, region="ISFAHAN")

    today = timezone.localdate()
    assert [(p["partner"], p["days"], p["promised_by"]) for p in promises] == [
        (lamp_shop, 6, today + dt.timedelta(days=6)),
        (rug_shop, 7, today + dt.timedelta(days=7)),
    ]
    assert [line.product for line in promises[0]["lines"]] == [lamp]
