"""Refunds of counter orders paid at the counter (P4): a shipment cancelled before it left
(by its vendor, or by the order's cancellation) or a line refunded by staff owes the money
back at the office where it was paid; its clerk hands it back the way it was paid (cash,
or the terminal with its own receipt number), once; the office's reconciliation nets it,
the order says who gave what back where, the customer is told, and a refund of delivered
goods takes the vendor's share back as a card refund does."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from ledger.models import Account
from notifications.models import Message
from offices import services
from offices.errors import InvalidRefund, NotAllowed, OfficeError
from offices.models import CounterPayment, CounterRefund, CounterRefundOwed
from shop import order_status
from tests.factories_services import make_customer
from tests.factories_vendors import deliver, make_vendor, make_vendor_product, vendor_user
from tests.helpers.offices import make_clerk, make_office
from tests.helpers.roles import make_role_user
from vendors import services as vendor_services

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def balance(code: str) -> Decimal:
    account = Account.objects.filter(code=code).first()
    return account.balance if account else Decimal("0.00")


@pytest.fixture
def world():
    rugs = make_vendor("Rug House", commission_rate=Decimal("0.2000"))
    lamps = make_vendor("Lamp House", commission_rate=Decimal("0.1000"))
    office = make_office("chalus", name="دفتر کلاردشت")
    other = make_office("tehran-county", name="دفتر تهران")
    return {"rugs": rugs, "lamps": lamps,
            "rug": make_vendor_product(rugs, price="120.00", stock=5),
            "lamp": make_vendor_product(lamps, price="40.00", stock=5),
            "office": office, "clerk": make_clerk(office), "other_clerk": make_clerk(other),
            "customer": make_customer(first_name="زهرا", phone="+989121112266")}


def _order(w, payment="cash", reference=""):
    placed = services.counter_order_place(user=w["clerk"], customer=w["customer"],
                                          items=[(w["rug"], 1), (w["lamp"], 1)], delivery="pickup",
                                          payment=payment, reference=reference)
    return placed.order


def test_a_vendor_cancelling_its_shipment_owes_it_back_in_cash_at_the_counter(world, client):
    w = world
    order = _order(w)
    lamp_shipment = order.shipments.get(partner=w["lamps"])
    vendor_services.shipment_cancel(shipment=lamp_shipment, user=vendor_user(w["lamps"]), reason="out of stock")
    owed = CounterRefundOwed.objects.get(order=order)
    assert (owed.amount, owed.payment.office, owed.refund) == (Decimal("40.00"), w["office"], None)
    assert "out of stock" in owed.reason
    # The same cancellation fired again owes nothing more.
    vendor_services.shipment_cancel(shipment=lamp_shipment, user=vendor_user(w["lamps"]), reason="again")
    assert CounterRefundOwed.objects.filter(order=order).count() == 1

    client.force_login(w["clerk"])
    page = client.get(reverse("offices-dashboard:counter-refunds"))
    assert page.status_code == 200 and f'data-refund-owed="{owed.pk}"' in page.content.decode()
    # Another office's clerk can't give it back (the page answers 404, the service refuses).
    client.force_login(w["other_clerk"])
    assert client.post(reverse("offices-dashboard:counter-refund-back", args=[owed.pk])).status_code == 404
    with pytest.raises(NotAllowed):
        services.counter_refund_hand_back(clerk_user=w["other_clerk"], owed=owed)

    client.force_login(w["clerk"])
    response = client.post(reverse("offices-dashboard:counter-refund-back", args=[owed.pk]))
    assert response.status_code == 302
    owed.refresh_from_db()
    refund = owed.refund
    assert (refund.amount, refund.reference, refund.recorded_by) == (Decimal("40.00"), "", w["clerk"])
    again = services.counter_refund_hand_back(clerk_user=w["clerk"], owed=owed)
    assert again == refund and CounterRefund.objects.filter(payment__order=order).count() == 1
    payment = CounterPayment.objects.get(order=order)
    assert payment.amount_refunded == Decimal("40.00")

    cash = {row["method"]: row for row in services.office_reconciliation(w["office"])["totals"]}["cash"]
    assert (cash["taken"], cash["returned"], cash["net"]) == (Decimal("160.00"), Decimal("40.00"),
                                                             Decimal("120.00"))
    note = order.notes.filter(message__contains="40.00").order_by("-pk").first()
    assert note.user == w["clerk"] and "دفتر کلاردشت" in note.message
    told = Message.objects.filter(event="offices_counter_refund_returned", recipient=w["customer"])
    assert set(told.values_list("channel", flat=True)) == {Message.Channel.SMS, Message.Channel.EMAIL}
    assert not services.counter_refunds_owed(w["office"])
    shown = client.get(reverse("offices-dashboard:order", args=[order.number])).content.decode()
    assert "data-order-refunds" in shown and "out of stock" in shown


def test_a_cancelled_order_on_the_terminal_is_refunded_on_the_terminal_with_its_own_receipt(world):
    w = world
    order = _order(w, payment="terminal", reference="POS 5512")
    order.set_status(order_status.CANCELLED)  # closes both shipments
    owed = CounterRefundOwed.objects.filter(order=order)
    assert sorted(owed.values_list("amount", flat=True)) == [Decimal("40.00"), Decimal("120.00")]
    first, second = owed.order_by("pk")
    with pytest.raises(OfficeError) as refused:
        services.counter_refund_hand_back(clerk_user=w["clerk"], owed=first)
    assert refused.value.code == "terminal_reference_required"
    services.counter_refund_hand_back(clerk_user=w["clerk"], owed=first, reference="POS-R 1")
    services.counter_refund_hand_back(clerk_user=w["clerk"], owed=second, reference="POS-R 2")
    terminal = {row["method"]: row for row in services.office_reconciliation(w["office"])["totals"]}["terminal"]
    assert terminal["net"] == Decimal("0.00")
    payment = CounterPayment.objects.get(order=order)
    assert payment.amount_refunded == payment.amount
    sms = Message.objects.filter(event="offices_counter_refund_returned", channel=Message.Channel.SMS,
                                 recipient=w["customer"])
    assert sms.count() == 2


def test_staff_refund_a_delivered_line_at_the_counter_and_the_vendor_gives_its_share_back(world, client):
    w = world
    order = _order(w)
    deliver(order.shipments.get(partner=w["lamps"]))
    held = f"vendor:{w['lamps'].pk}:held"
    assert balance(held) == Decimal("36.00")
    lamp_line = order.lines.get(product=w["lamp"])
    finance = make_role_user("finance")
    with pytest.raises(NotAllowed):
        services.counter_order_refund_line(staff_user=w["clerk"], line=lamp_line, amount=Decimal("10"), reason="x")
    with pytest.raises(InvalidRefund):  # never more than the line cost
        services.counter_order_refund_line(staff_user=finance, line=lamp_line, amount=Decimal("40.01"),
                                           reason="broken")
    client.force_login(finance)
    page = reverse("offices-dashboard:staff-order-refund", args=[order.number])
    assert client.get(page).status_code == 200
    rug_line = order.lines.get(product=w["rug"])
    vendor_services.shipment_cancel(shipment=order.shipments.get(partner=w["rugs"]),
                                    user=vendor_user(w["rugs"]), reason="torn")
    response = client.post(page, {"line": lamp_line.pk, "amount": "40.00", "reason": "broken lamp"})
    assert response.status_code == 302
    owed = CounterRefundOwed.objects.get(order=order, key__startswith="staff:")
    assert (owed.amount, owed.decided_by, owed.reverses_vendor_share) == (Decimal("40.00"), finance, True)
    # Nothing is left to refund: paid 160, owed 120 (the rug) + 40 (the lamp).
    with pytest.raises(InvalidRefund):
        services.counter_order_refund_line(staff_user=finance, line=rug_line, amount=Decimal("1"), reason="more")

    assert balance(held) == Decimal("36.00")  # the money is still in the till
    services.counter_refund_hand_back(clerk_user=w["clerk"], owed=owed)
    assert balance(held) == Decimal("0.00")
    services.counter_refund_hand_back(clerk_user=w["clerk"], owed=owed)  # twice: nothing more
    assert balance(held) == Decimal("0.00")
    call_command("ledger_check", stdout=open("/dev/null", "w"))


def test_a_refund_is_recorded_once_even_past_the_service(world):
    w = world
    order = _order(w)
    vendor_services.shipment_cancel(shipment=order.shipments.get(partner=w["lamps"]),
                                    user=vendor_user(w["lamps"]), reason="gone")
    owed = CounterRefundOwed.objects.get(order=order)
    refund = services.counter_refund_hand_back(clerk_user=w["clerk"], owed=owed)
    with pytest.raises(IntegrityError), transaction.atomic():  # one refund hands back one owed refund
        CounterRefundOwed.objects.create(payment=owed.payment, order=order, amount=Decimal("1"), key="other",
                                         refund=refund)
    with pytest.raises(IntegrityError), transaction.atomic():  # one decision owes once
        CounterRefundOwed.objects.create(payment=owed.payment, order=order, amount=Decimal("1"), key=owed.key)
    with pytest.raises(IntegrityError), transaction.atomic():  # never more than was paid
        CounterPayment.objects.filter(pk=owed.payment_id).update(amount_refunded=Decimal("160.01"))
    assert refund.amount == Decimal("40.00")


def test_orders_paid_another_way_owe_nothing_at_a_counter(world, settings):
    w = world
    settings.STRIPE_SECRET_KEY = ""  # on the phone: pay on delivery only
    operator = make_role_user("operator")
    address = services.counter_address_add(user=operator, customer=w["customer"], line1="خیابان ۱", city="تهران",
                                           postcode="5135713111")
    placed = services.counter_order_place(user=operator, customer=w["customer"], items=[(w["lamp"], 1)],
                                          delivery="address", address_id=address.pk)
    assert placed.payment == "cod"
    vendor_services.shipment_cancel(shipment=placed.order.shipments.get(), user=vendor_user(w["lamps"]),
                                    reason="gone")
    assert not CounterRefundOwed.objects.filter(order=placed.order).exists()
    with pytest.raises(InvalidRefund):
        services.counter_order_refund_line(staff_user=make_role_user("finance"), line=placed.order.lines.get(),
                                           amount=Decimal("1"), reason="x")


def test_the_customer_cancelling_a_part_of_a_counter_order_is_owed_it_at_the_counter(world):
    """P5: a counter-paid order cancelled by its customer owes that part back at the counter
    (not to a card: no ShipmentRefund), once, and the quote says so."""
    from vendors.models import ShipmentRefund

    w = world
    order = _order(w)
    rug_shipment = order.shipments.get(partner=w["rugs"])
    assert vendor_services.cancellation_quote(order=order, shipment=rug_shipment).method == "counter"

    vendor_services.shipment_cancel_by_customer(shipment=rug_shipment, user=w["customer"], reason="Changed my mind")
    vendor_services.shipment_cancel_by_customer(shipment=rug_shipment, user=w["customer"], reason="Again")

    owed = CounterRefundOwed.objects.get(order=order)
    assert (owed.amount, owed.payment.office, owed.refund) == (Decimal("120.00"), w["office"], None)
    assert "Changed my mind" in owed.reason
    assert not ShipmentRefund.objects.filter(shipment__order=order).exists()
