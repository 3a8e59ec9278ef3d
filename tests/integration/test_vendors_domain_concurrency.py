"""Stock under row locks (issue 4 point 5): N buyers racing for the last K units of a
vendor's product sell exactly K, never more. Real threads on PostgreSQL, each placing
its order through vendors.services.order_place, the path the checkout uses."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from oscar.core.loading import get_model

from tests.factories import UserFactory
from tests.factories_vendors import iran, make_basket, make_vendor, make_vendor_product, place_order
from vendors.errors import InsufficientStock
from vendors.models import Shipment

StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")

BUYERS = 8
LAST_UNITS = 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_n_concurrent_buyers_of_the_last_k_units_sell_exactly_k():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI runs this on PostgreSQL)")
    vendor = make_vendor()
    other_vendor = make_vendor()
    vase = make_vendor_product(vendor, price="15.00", stock=LAST_UNITS)
    bowl = make_vendor_product(other_vendor, price="9.00", stock=100)
    buyers = [UserFactory() for _ in range(BUYERS)]
    # Each buyer's basket is filled beforehand: both vendors, one unit of the scarce vase.
    baskets = [make_basket(buyer, [(bowl, 1), (vase, 1)]) for buyer in buyers]
    iran()  # the shipping country exists before the race, as it does in production
    barrier = threading.Barrier(BUYERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buy(buyer, basket):
        try:
            barrier.wait(timeout=30)
            place_order(buyer, [], basket=basket)
            result = "sold"
        except InsufficientStock as exc:
            result = "refused" if vase.get_title() in str(exc.message) else f"wrong message: {exc.message}"
        except Exception as exc:  # any other failure is a bug this test must report
            result = f"error: {type(exc).__name__}: {exc}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=buy, args=pair) for pair in zip(buyers, baskets, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) == ["refused"] * (BUYERS - LAST_UNITS) + ["sold"] * LAST_UNITS, outcomes
    record = StockRecord.objects.get(product=vase)
    assert (record.num_in_stock, record.num_allocated) == (LAST_UNITS, LAST_UNITS)
    assert Order.objects.filter(user__in=buyers).count() == LAST_UNITS
    # The refused buyers' whole orders were rolled back: the other vendor's stock too.
    assert StockRecord.objects.get(product=bowl).num_allocated == LAST_UNITS
    assert Shipment.objects.filter(order__user__in=buyers).count() == 2 * LAST_UNITS
