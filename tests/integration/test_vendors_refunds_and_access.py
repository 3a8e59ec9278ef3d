"""Issue 4 point 8: a card refund of an order takes the goods' shares back from their
vendors, in the refund's own transaction, whether staff refund from the payments
dashboard or someone refunds in Stripe's own dashboard (charge.refunded). Point 3 and P3:
what a vendor may do in Oscar's own catalogue dashboard."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import translation

from ledger.models import Account
from payments import gateway
from payments import services as payment_services
from payments.models import Payment
from tests.factories import UserFactory
from tests.factories_vendors import deliver, make_vendor, make_vendor_product, place_order
from tests.helpers.roles import make_staff
from vendors.models import ShipmentLine

pytestmark = pytest.mark.django_db


def balance(code: str) -> Decimal:
    account = Account.objects.filter(code=code).first()
    return account.balance if account else Decimal("0.00")


@pytest.fixture
def paid_order_from_two_vendors(monkeypatch):
    buyer = UserFactory(email="refund-buyer@example.com")
    lamp_vendor = make_vendor("Lamp House", commission_rate=Decimal("0.1000"))
    rug_vendor = make_vendor("Rug House", commission_rate=Decimal("0.2000"))
    lamp = make_vendor_product(lamp_vendor, price=Decimal("100.00"), stock=5)
    rug = make_vendor_product(rug_vendor, price=Decimal("200.00"), stock=5)
    order = place_order(buyer, [(lamp, 1), (rug, 1)])
    payment = Payment.objects.create(
        payable_type=ContentType.objects.get_for_model(order), payable_id=order.pk, user=buyer,
        amount=order.total_incl_tax, currency=order.currency, status=Payment.Status.SUCCEEDED,
        idempotency_key=f"test-order-{order.pk}", stripe_payment_intent_id=f"pi_test_{order.pk}",
    )
    refunds = iter(range(1, 100))
    monkeypatch.setattr(gateway, "create_refund", lambda **kwargs: {"id": f"re_test_{next(refunds)}"})
    return order, payment, lamp_vendor, rug_vendor


def test_a_staff_refund_after_delivery_takes_the_vendors_share_back(paid_order_from_two_vendors):
    order, payment, lamp_vendor, rug_vendor = paid_order_from_two_vendors
    lamp_shipment = order.shipments.get(partner=lamp_vendor)
    deliver(lamp_shipment)
    deliver(order.shipments.get(partner=rug_vendor))
    held = f"vendor:{lamp_vendor.pk}:held"
    assert balance(held) == Decimal("90.00")  # 100 less 10% commission
    staff = make_staff()

    payment_services.refund_create(payment=payment, amount=Decimal("100.00"), user=staff, reason="lamp returned")

    assert balance(held) == Decimal("0.00")
    assert balance(f"vendor:{rug_vendor.pk}:held") == Decimal("160.00")  # untouched: 200 less 20%
    assert ShipmentLine.objects.get(shipment=lamp_shipment).refunded_amount == Decimal("100.00")
    call_command("ledger_check", stdout=open("/dev/null", "w"))


def test_a_refund_before_delivery_means_the_vendor_is_credited_only_what_is_still_paid(paid_order_from_two_vendors):
    order, payment, lamp_vendor, rug_vendor = paid_order_from_two_vendors
    deliver(order.shipments.get(partner=lamp_vendor))
    staff = make_staff()

    # The rug has not arrived: a 150 refund falls on it, not on the delivered lamp.
    payment_services.refund_create(payment=payment, amount=Decimal("150.00"), user=staff, reason="rug damaged")
    assert balance(f"vendor:{lamp_vendor.pk}:held") == Decimal("90.00")

    deliver(order.shipments.get(partner=rug_vendor))
    # The rug's vendor gets the 50 the customer still paid, less 20% commission.
    assert balance(f"vendor:{rug_vendor.pk}:held") == Decimal("40.00")
    call_command("ledger_check", stdout=open("/dev/null", "w"))


def test_a_refund_made_in_stripes_dashboard_debits_the_vendor_once_however_often_stripe_says_so(
    paid_order_from_two_vendors,
):
    order, payment, lamp_vendor, rug_vendor = paid_order_from_two_vendors
    deliver(order.shipments.get(partner=lamp_vendor))
    deliver(order.shipments.get(partner=rug_vendor))
    charge = {"payment_intent": payment.stripe_payment_intent_id, "amount_refunded": 4000}
    from django.db import transaction

    for _attempt in range(2):
        with transaction.atomic():
            payment_services._apply_charge_refunded(charge, "evt_test")
    # 40.00 of the lamp's 100.00 came back: the vendor gives back 36.00, the platform 4.00.
    assert balance(f"vendor:{lamp_vendor.pk}:held") == Decimal("54.00")
    call_command("ledger_check", stdout=open("/dev/null", "w"))


def test_oscars_stock_form_keeps_the_contracted_quantity_and_a_suspended_vendors_stock_P3():
    from django.core.exceptions import ValidationError

    from vendors import services
    from vendors.models import ProductTerm

    vendor = make_vendor("Contract House")
    product = make_vendor_product(vendor, price=Decimal("10.00"), stock=5, contracted_quantity=8)
    record = product.stockrecords.get()
    assert ProductTerm.objects.get(product=product).contracted_quantity == 8
    record.num_in_stock = 9
    with translation.override("en"), pytest.raises(ValidationError, match="at most 8"):
        record.full_clean()
    record.num_in_stock = 8
    record.full_clean()
    services.vendor_suspend(partner=vendor, staff_user=make_staff(), reason="contract breach")
    record.partner.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError, match="suspended"):
        record.full_clean()


def test_a_vendor_user_cannot_delete_a_product_in_oscars_dashboard_only_staff_can(client):
    from django.urls import reverse

    from tests.factories_vendors import vendor_user

    vendor = make_vendor("Delete House")
    product = make_vendor_product(vendor, price=Decimal("10.00"), stock=5)
    client.force_login(vendor_user(vendor))
    url = reverse("dashboard:catalogue-product-delete", kwargs={"pk": product.pk})
    assert client.get(url).status_code in (302, 403)
    client.post(url)
    assert type(product).objects.filter(pk=product.pk).exists()
    # Editing its own product is still the vendor's to do.
    assert client.get(reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})).status_code == 200


def test_a_shipment_of_an_unpaid_card_order_is_not_cancelled_on_its_own_so_stock_returns_once():
    from payments.payables import ORDER_AWAITING_PAYMENT
    from vendors import services
    from vendors.errors import OrderNotPaid

    vendor = make_vendor("Unpaid House")
    product = make_vendor_product(vendor, price=Decimal("10.00"), stock=5)
    order = place_order(UserFactory(), [(product, 2)], status=ORDER_AWAITING_PAYMENT)
    record = product.stockrecords.get()
    assert record.num_allocated == 2
    with pytest.raises(OrderNotPaid):
        services.shipment_cancel(
            shipment=order.shipments.get(), user=make_staff(), reason="customer changed their mind"
        )
    record.refresh_from_db()
    assert record.num_allocated == 2


def test_a_vendor_sees_an_order_and_its_address_only_once_it_is_paid(client):
    from django.urls import reverse

    from payments.payables import ORDER_AWAITING_PAYMENT, ORDER_PAID
    from tests.factories_vendors import vendor_user
    from vendors.selectors import vendor_shipments

    vendor = make_vendor("Patient House")
    product = make_vendor_product(vendor, price=Decimal("10.00"), stock=5)
    order = place_order(UserFactory(), [(product, 1)], status=ORDER_AWAITING_PAYMENT)
    shipment = order.shipments.get()
    client.force_login(vendor_user(vendor))
    detail = reverse("vendors-dashboard:shipment-detail", kwargs={"pk": shipment.pk})
    assert not vendor_shipments(partner=vendor).exists()
    assert client.get(detail).status_code == 404
    order.set_status(ORDER_PAID)
    assert list(vendor_shipments(partner=vendor)) == [shipment]
    assert client.get(detail).status_code == 200
