"""P4: a clerk (and an operator) order goods for a customer: a real basket (lines added,
changed, removed; vouchers and offers by Oscar's own rules), delivery to one of the
customer's addresses or pick-up at the office, and payment in cash or on the office's
card terminal at the counter, or, on the phone, a pay link or pay on delivery; the order
goes through the shop's one order path and shows who placed it and where."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from notifications.models import Message
from offices import services
from offices.errors import NotAllowed, OfficeError
from offices.models import CounterOrder, CounterPayment
from shop import order_status
from tests.factories_services import make_customer
from tests.factories_vendors import make_vendor, make_vendor_product
from tests.helpers.offices import make_clerk, make_office
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

Range = get_model("offer", "Range")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")


@pytest.fixture
def shop():
    vendor = make_vendor()
    return {"rug": make_vendor_product(vendor, price="120.00", stock=5),
            "lamp": make_vendor_product(vendor, price="40.00", stock=5)}


@pytest.fixture
def counter():
    office = make_office("chalus", name="دفتر ارتباطات و فناوری اطلاعات روستایی کلاردشت")
    return {"office": office, "clerk": make_clerk(office), "customer": make_customer(first_name="زهرا")}


def _offer(name: str, percent: str, offer_type=None):
    everything = Range.objects.create(name=f"all {name}", includes_all_products=True)
    return ConditionalOffer.objects.create(
        name=name, offer_type=offer_type or ConditionalOffer.VOUCHER, exclusive=False,  # they combine
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=Decimal(percent)))


def _voucher(code: str, percent: str = "10") -> Voucher:
    now = timezone.now()
    voucher = Voucher.objects.create(name=code, code=code, usage=Voucher.MULTI_USE,
                                     start_datetime=now - timezone.timedelta(days=1),
                                     end_datetime=now + timezone.timedelta(days=30))
    voucher.offers.add(_offer(f"voucher {code}", percent))
    return voucher


def _address(user, customer):
    return services.counter_address_add(user=user, customer=customer, line1="تبریز، خیابان امام، پلاک ۸",
                                        city="تبریز", province="آذربایجان شرقی", postcode="5135713111")


def test_the_clerk_fills_the_basket_adds_changes_removes_and_the_customer_pays_cash_at_pickup(shop, counter):
    clerk, customer, office = counter["clerk"], counter["customer"], counter["office"]
    services.counter_basket_add(user=clerk, customer=customer, product=shop["rug"], quantity=1)
    services.counter_basket_add(user=clerk, customer=customer, product=shop["lamp"], quantity=1)
    basket = services.counter_basket_add(user=clerk, customer=customer, product=shop["lamp"], quantity=2)
    lamp = basket.lines.get(product=shop["lamp"])
    assert lamp.quantity == 3 and basket.owner is None  # never merged into the customer's site basket
    basket = services.counter_basket_set_quantity(user=clerk, customer=customer, line_id=lamp.pk, quantity=2)
    assert basket.total_incl_tax == Decimal("200.00")
    with pytest.raises(OfficeError):  # only 5 in stock
        services.counter_basket_set_quantity(user=clerk, customer=customer, line_id=lamp.pk, quantity=6)
    rug = basket.lines.get(product=shop["rug"])
    basket = services.counter_basket_set_quantity(user=clerk, customer=customer, line_id=rug.pk, quantity=0)
    assert [line.product for line in basket.all_lines()] == [shop["lamp"]]

    placed = services.counter_checkout(user=clerk, customer=customer, delivery="pickup", payment="cash")
    order = placed.order
    assert order.user == customer and placed.office == office and placed.placed_by == clerk
    assert order.total_incl_tax == Decimal("80.00") and placed.paid_at_counter and placed.payment == "cash"
    assert order.status == order_status.PENDING and order.sources.get().amount_debited == Decimal("80.00")
    assert office.address in order.shipping_address.line1
    note = order.notes.get().message
    assert clerk.username in note and office.name in note
    payment = CounterPayment.objects.get(order=order)
    assert (payment.office, payment.method, payment.amount, payment.reference) == (office, "cash", Decimal("80.00"), "")
    shop["lamp"].stockrecords.get().refresh_from_db()
    assert shop["lamp"].stockrecords.get().num_allocated == 2  # the shop's own stock allocation
    # the basket was submitted: the next order starts empty
    assert services.counter_basket(user=clerk, customer=customer).is_empty


def test_card_on_the_office_terminal_keeps_its_receipt_number_and_is_reconciled_beside_cash(shop, counter):
    clerk, customer, office = counter["clerk"], counter["customer"], counter["office"]
    services.counter_basket_add(user=clerk, customer=customer, product=shop["rug"])
    with pytest.raises(OfficeError) as refused:
        services.counter_checkout(user=clerk, customer=customer, delivery="pickup", payment="terminal")
    assert refused.value.code == "terminal_reference_required"
    placed = services.counter_checkout(user=clerk, customer=customer, delivery="pickup", payment="terminal",
                                       reference=" POS-778812 ")
    assert placed.payment == "terminal" and placed.paid_at_counter
    assert placed.order.sources.get().reference == "POS-778812"
    services.counter_order_place(user=clerk, customer=customer, items=[(shop["lamp"], 1)], delivery="pickup")
    totals = {row["method"]: row for row in services.office_reconciliation(office)["totals"]}
    assert totals["terminal"]["taken"] == Decimal("120.00") and totals["cash"]["taken"] == Decimal("40.00")
    with pytest.raises(OfficeError):  # a clerk takes money at the counter, never a pay link
        services.counter_order_place(user=clerk, customer=customer, items=[(shop["lamp"], 1)], delivery="pickup",
                                     payment="pay_link")


def test_a_voucher_is_applied_for_the_customer_and_site_offers_show(shop, counter):
    clerk, customer = counter["clerk"], counter["customer"]
    _voucher("NOROOZ10", "10")
    site = _offer("Autumn sale", "5", offer_type=ConditionalOffer.SITE)
    services.counter_basket_add(user=clerk, customer=customer, product=shop["rug"], quantity=1)
    basket = services.counter_basket(user=clerk, customer=customer)
    assert [d["offer"] for d in basket.offer_discounts] == [site]
    with pytest.raises(OfficeError) as unknown:
        services.counter_basket_voucher_add(user=clerk, customer=customer, code="NOPE")
    assert unknown.value.code == "voucher_not_found"
    basket = services.counter_basket_voucher_add(user=clerk, customer=customer, code=" norooz10 ")
    assert [g["voucher"].code for g in basket.grouped_voucher_discounts] == ["NOROOZ10"]
    assert basket.total_incl_tax < Decimal("120.00")
    placed = services.counter_checkout(user=clerk, customer=customer, delivery="pickup", payment="cash")
    discounts = {d.voucher_code or d.offer_name: d.amount for d in placed.order.discounts.all()}
    assert set(discounts) == {"NOROOZ10", "Autumn sale"}
    assert placed.order.total_incl_tax == Decimal("120.00") - sum(discounts.values())
    assert CounterPayment.objects.get(order=placed.order).amount == placed.order.total_incl_tax


def test_a_voucher_that_gives_nothing_on_this_basket_is_refused_and_not_kept(shop, counter):
    clerk, customer = counter["clerk"], counter["customer"]
    voucher = _voucher("BIG", "10")
    offer = voucher.offers.get()
    offer.condition.type, offer.condition.value = Condition.VALUE, Decimal("1000")
    offer.condition.save()
    services.counter_basket_add(user=clerk, customer=customer, product=shop["lamp"])
    with pytest.raises(OfficeError) as refused:
        services.counter_basket_voucher_add(user=clerk, customer=customer, code="BIG")
    assert refused.value.code == "voucher_no_discount"
    assert not services.counter_basket(user=clerk, customer=customer).vouchers.exists()


def test_an_operator_sends_a_pay_link_for_delivery_to_the_customers_address(shop, settings):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_counter", "pk_test_counter"
    operator = make_role_user("operator")
    customer = make_customer(email="zahra@example.com", phone="+989121112244")
    services.counter_basket_add(user=operator, customer=customer, product=shop["lamp"])
    assert services.payment_ways(operator) == ["pay_link", "cod"]
    with pytest.raises(OfficeError):
        services.counter_checkout(user=operator, customer=customer, delivery="pickup", payment="pay_link")
    with pytest.raises(OfficeError) as no_address:
        services.counter_checkout(user=operator, customer=customer, delivery="address", payment="pay_link")
    assert no_address.value.code == "address_required"
    with pytest.raises(OfficeError):  # only money at a counter is taken in cash
        services.counter_checkout(user=operator, customer=customer, delivery="address", payment="cash",
                                  address_id=_address(operator, customer).pk)
    address = _address(operator, customer)  # the same address again: not duplicated
    assert services.customer_addresses(customer).count() == 1
    placed = services.counter_checkout(user=operator, customer=customer, delivery="address", payment="pay_link",
                                       address_id=address.pk)
    order = placed.order
    assert placed.office is None and not placed.paid_at_counter and placed.payment == "pay_link"
    assert order.status == order_status.PENDING_PAYMENT and not order.sources.exists()
    assert order.shipping_address.line1 == address.line1 and order.shipping_address.postcode == "51357-13111"
    pay_path = reverse("payments:order-pay", kwargs={"number": order.number})
    sms = Message.objects.get(event="offices_order_pay_link", channel=Message.Channel.SMS)
    email = Message.objects.get(event="offices_order_pay_link", channel=Message.Channel.EMAIL)
    assert pay_path in sms.body and pay_path in email.body and email.to == "zahra@example.com"
    assert operator.username in order.notes.get().message


def test_an_operator_takes_pay_on_delivery_only_where_the_site_offers_it(shop, settings):
    settings.STRIPE_SECRET_KEY = ""
    operator = make_role_user("operator")
    customer = make_customer()
    address = _address(operator, customer)
    assert services.payment_ways(operator) == ["cod"]
    placed = services.counter_order_place(user=operator, customer=customer, items=[(shop["lamp"], 1)],
                                          delivery="address", address_id=address.pk)
    assert placed.payment == "cod" and placed.order.status == order_status.PENDING
    assert placed.order.sources.get().source_type.code == "cod"
    assert not CounterPayment.objects.filter(order=placed.order).exists()
    settings.CHAARSOO_CHECKOUT_PAYMENT_METHODS = ["card"]
    assert services.payment_ways(operator) == []
    with pytest.raises(OfficeError):
        services.counter_order_place(user=operator, customer=customer, items=[(shop["lamp"], 1)],
                                     delivery="address", address_id=address.pk, payment="cod")


def test_stock_sold_meanwhile_refuses_the_order_and_keeps_the_basket(shop, counter):
    clerk, customer = counter["clerk"], counter["customer"]
    services.counter_basket_add(user=clerk, customer=customer, product=shop["rug"], quantity=2)
    record = shop["rug"].stockrecords.get()
    record.num_allocated = 4  # sold on the site meanwhile
    record.save()
    with pytest.raises(OfficeError) as refused:
        services.counter_checkout(user=clerk, customer=customer, delivery="pickup", payment="cash")
    assert refused.value.code == "cannot_order"
    # Only this customer's: the demo holds counter orders and payments of its own.
    assert not CounterOrder.objects.filter(order__user=customer).exists()
    assert not CounterPayment.objects.filter(order__user=customer).exists()
    assert services.counter_basket(user=clerk, customer=customer).num_items == 2


def test_others_may_not_order_for_a_customer(shop):
    with pytest.raises(NotAllowed):
        services.counter_basket_add(user=make_role_user("agent"), customer=make_customer(), product=shop["lamp"])


def test_the_basket_page_adds_changes_applies_a_voucher_and_checks_out(shop, counter, client):
    clerk, customer, office = counter["clerk"], counter["customer"], counter["office"]
    _voucher("KELARDASHT", "10")
    client.force_login(clerk)
    url = reverse("offices-dashboard:order-new", args=[customer.pk])
    page = client.get(url, {"q": shop["lamp"].title})
    assert page.status_code == 200 and f'data-product="{shop["lamp"].pk}"' in page.content.decode()
    added = client.post(url, {"action": "add", "product": shop["lamp"].pk, "quantity": "3", "q": "چراغ"})
    assert added.status_code == 302 and added["Location"].endswith("?q=%DA%86%D8%B1%D8%A7%D8%BA")
    line = services.counter_basket(user=clerk, customer=customer).lines.get()
    assert client.post(url, {"action": "quantity", "line": line.pk, "quantity": "2"}).status_code == 302
    assert client.post(url, {"action": "voucher", "code": "kelardasht"}).status_code == 302
    page = client.get(url)
    html = page.content.decode()
    assert 'data-voucher="KELARDASHT"' in html and f'data-line="{line.pk}"' in html
    assert client.post(url, {"action": "quantity", "line": line.pk, "quantity": "50"}).status_code == 400
    assert client.post(url, {"action": "checkout", "target": "pickup", "payment": "terminal"}).status_code == 400
    response = client.post(url, {"action": "checkout", "target": "pickup", "payment": "terminal",
                                 "reference": "887766"})
    assert response.status_code == 302
    placed = CounterOrder.objects.get(order__user=customer)
    assert placed.order.lines.get().quantity == 2 and placed.order.total_incl_tax == Decimal("72.00")
    page = client.get(response["Location"])
    assert page.status_code == 200 and office.name in page.content.decode() and "887766" in page.content.decode()
    other = make_clerk(make_office("rey"))
    client.force_login(other)
    assert client.get(reverse("offices-dashboard:order", args=[placed.order.number])).status_code == 404


def test_an_operator_adds_the_customers_address_on_the_page_and_orders_for_delivery(shop, client, settings):
    settings.STRIPE_SECRET_KEY = ""
    operator = make_role_user("operator")
    customer = make_customer()
    client.force_login(operator)
    url = reverse("offices-dashboard:order-new", args=[customer.pk])
    client.post(url, {"action": "add", "product": shop["rug"].pk, "quantity": "1"})
    html = client.get(url).content.decode()
    assert 'value="pickup"' not in html and "data-address-form" in html
    assert client.post(url, {"action": "address", "line1": "رشت، خیابان سعدی", "city": "رشت"}).status_code == 400
    response = client.post(url, {"action": "address", "line1": "رشت، خیابان سعدی", "city": "رشت",
                                 "postcode": "۴۱۳۳۶۵۴۷۸۹"})
    address = services.customer_addresses(customer).get()
    assert response.status_code == 302 and f"address={address.pk}" in response["Location"]
    response = client.post(url, {"action": "checkout", "target": str(address.pk), "payment": "cod"})
    assert response.status_code == 302
    placed = CounterOrder.objects.get(order__user=customer)
    assert placed.office is None and placed.delivery == "address" and placed.payment == "cod"
