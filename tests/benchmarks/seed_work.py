"""Bench data for the signed-in work pages (issue 16), bulk-inserted and idempotent.

- a service-job history of `JOBS` jobs in a mix of states: the staff job queue shows them
  all, the demo provider holds the assigned and finished ones (their job list and their
  calendar for the next 14 days), and a bench customer owns `CUSTOMER_ROWS` of them;
- the same bench customer with `CUSTOMER_ROWS` placed orders (their account order list)
  and an open basket of a few products (the basket and checkout pages);
- the product the basket-add test posts gets stock enough for every add, so that the
  bench measures adds, not refusals (refusals are still counted apart).

Run inside Django (`seed_work()`); it is called by run_bench.py after seed_demo.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

JOBS = 10_000
CUSTOMER_ROWS = 200
CUSTOMER_EMAIL = "bench-customer@bench.chaarsoo.local"
CUSTOMER_PASSWORD = "bench-customer-password-1405"
BASKET_PRODUCT_UPC = "CHS0000001"


def seed_work(jobs: int = JOBS, customer_rows: int = CUSTOMER_ROWS) -> None:
    from services_catalog.models import Job

    Order = get_model("order", "Order")
    with transaction.atomic():
        customer = _customer()
        if not Job.objects.filter(number__startswith="BJ-").exists():
            add_jobs(customer, jobs, customer_rows)
        if not Order.objects.filter(number__startswith="BCO-").exists():
            add_orders(customer, customer_rows)
        _basket(customer)
        StockRecord = get_model("partner", "StockRecord")
        StockRecord.objects.filter(product__upc=BASKET_PRODUCT_UPC).update(num_in_stock=10**6, num_allocated=0)


def _customer():
    User = get_user_model()
    user = User.objects.filter(email=CUSTOMER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            username="bench-customer", email=CUSTOMER_EMAIL, password=CUSTOMER_PASSWORD,
            first_name="Bench", last_name="Customer",
        )
    return user


def add_jobs(customer, count: int, customer_rows: int, *, start: int = 0) -> None:
    """`count` jobs numbered from `start`; the first `customer_rows` are `customer`'s, the
    others belong to the demo customer and operator. Also used by the query-budget tests."""
    from services_catalog.models import Area, Job, Provider, Service, SlotBooking

    provider = Provider.objects.filter(user__username="provider").first()
    others = list(get_user_model().objects.filter(username__in=["customer", "operator"]))
    services = list(Service.objects.filter(pk__in=provider.services.values("pk"))) if provider else []
    services = services or list(Service.objects.all()[:5])
    area = Area.objects.filter(pk__in=provider.areas.values("pk")).first() if provider else Area.objects.first()
    now = timezone.now()
    today = timezone.localdate()
    # unpriced, unassigned / priced and assigned / priced, finished / cancelled
    states = ["requested", "quoted", "assigned", "dispatched", "completed", "completed", "cancelled"]
    slots = ["morning", "afternoon", "evening"]
    rows = []
    for index in range(start, start + count):
        status = states[index % len(states)]
        with_provider = provider is not None and status in ("assigned", "dispatched", "completed")
        priced = status in ("assigned", "dispatched", "completed")
        # past jobs are finished; open ones fall in the coming days (the calendar)
        offset = -(index // 3) if status in ("completed", "cancelled") else (index // 30) % 14
        rows.append(Job(
            number=f"BJ-{index:07d}",
            customer=customer if index - start < customer_rows else others[index % len(others)],
            service=services[index % len(services)], area=area,
            address="Bench street 1", preferred_date=today + dt.timedelta(days=offset), slot=slots[index % 3],
            status=status, provider=provider if with_provider else None,
            price_total=Decimal("120.00") if priced else None,
            completed_at=now + dt.timedelta(days=offset) if status == "completed" else None,
            cancelled_at=now if status == "cancelled" else None,
        ))
    created = Job.objects.bulk_create(rows, batch_size=1000)
    if provider is not None:
        by_number = dict(Job.objects.filter(number__startswith="BJ-").values_list("number", "pk"))
        taken = set(SlotBooking.objects.filter(provider=provider).values_list("date", "slot"))
        bookings = []
        for job in created:
            key = (job.preferred_date, job.slot)
            if job.status in ("assigned", "dispatched") and job.preferred_date >= today and key not in taken:
                taken.add(key)
                bookings.append(SlotBooking(provider=provider, date=job.preferred_date, slot=job.slot,
                                            job_id=by_number[job.number]))
        SlotBooking.objects.bulk_create(bookings)


def add_orders(customer, count: int, *, start: int = 0) -> None:
    """`count` placed orders of one line for `customer`, numbered from `start`."""
    Order = get_model("order", "Order")
    Line = get_model("order", "Line")
    StockRecord = get_model("partner", "StockRecord")
    record = StockRecord.objects.select_related("product", "partner").filter(product__upc=BASKET_PRODUCT_UPC).first()
    site = Site.objects.get_current()
    now = timezone.now()
    orders = Order.objects.bulk_create([
        Order(number=f"BCO-{i:06d}", site=site, user=customer, currency=record.price_currency,
              total_incl_tax=record.price, total_excl_tax=record.price, shipping_incl_tax=0, shipping_excl_tax=0,
              status="Pending", date_placed=now - dt.timedelta(hours=i))
        for i in range(start, start + count)
    ])
    by_number = dict(Order.objects.filter(number__startswith="BCO-").values_list("number", "pk"))
    Line.objects.bulk_create([
        Line(order_id=by_number[order.number], partner=record.partner, partner_name=record.partner.name,
             partner_sku=record.partner_sku, stockrecord=record, product=record.product,
             title=record.product.title, upc=record.product.upc, quantity=1,
             line_price_incl_tax=record.price, line_price_excl_tax=record.price,
             line_price_before_discounts_incl_tax=record.price, line_price_before_discounts_excl_tax=record.price,
             unit_price_incl_tax=record.price, unit_price_excl_tax=record.price, status="Pending", num_allocated=0)
        for order in orders
    ])


def _basket(customer) -> None:
    Basket = get_model("basket", "Basket")
    Product = get_model("catalogue", "Product")
    StockRecord = get_model("partner", "StockRecord")
    if Basket.objects.filter(owner=customer, status="Open").exists():
        return
    basket = Basket.objects.create(owner=customer, status="Open")
    upcs = [f"CHS{n:07d}" for n in range(2, 6)]
    for product in Product.objects.filter(upc__in=upcs):
        record = StockRecord.objects.filter(product=product).first()
        if record is not None:
            basket.lines.create(
                product=product, stockrecord=record, quantity=1, line_reference=f"{product.pk}_{record.pk}",
                price_currency=record.price_currency, price_excl_tax=record.price, price_incl_tax=record.price,
            )
