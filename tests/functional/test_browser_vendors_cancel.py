"""P5 on a phone (375 px, Persian, right to left, headless chromium): the demo customer
cancels a vendor's confirmed part of her order from the order page, through the
confirmation page, without sideways scrolling."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

from tests.functional.test_browser import browser_page, shot  # noqa: F401
from tests.functional.test_browser_vendors import sign_in
from vendors.models import Shipment

ORDER = "DEMO-V1002"  # the demo customer's order Roshan Home has confirmed (vendors/demo.py)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_customer_cancels_a_confirmed_part_of_her_order_on_a_phone(
    live_server, browser_page, settings  # noqa: F811
):
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    call_command("seed_demo", products=30, quiet=True, stdout=open(os.devnull, "w"))
    shipment = Shipment.objects.get(order__number=ORDER)
    assert shipment.status == "confirmed"
    page = browser_page
    base = live_server.url

    sign_in(page, base, "customer@demo.chaarsoo.local", "customer-demo-1405")
    page.goto(f"{base}/fa/shop/accounts/orders/{ORDER}/")
    page.wait_for_selector(f"[data-cancel-shipment='{shipment.pk}']")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator(f"[data-cancel-shipment='{shipment.pk}']").scroll_into_view_if_needed()
    shot(page, "vendors-cancel-01-order-fa-375")
    page.click(f"[data-cancel-shipment='{shipment.pk}']")
    page.wait_for_selector("#cancel-form")
    assert page.get_attribute("[data-refund-method]", "data-refund-method") == "cash"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("#cancel-summary").scroll_into_view_if_needed()
    shot(page, "vendors-cancel-02-confirm-fa-375")
    page.locator("[data-confirm-cancel]").scroll_into_view_if_needed()
    shot(page, "vendors-cancel-03-reason-fa-375")
    page.check("input[name=reason][value=changed_mind]")
    page.click("[data-confirm-cancel]")
    page.wait_for_selector(".alert-success")
    page.locator(".alert-success").scroll_into_view_if_needed()
    shot(page, "vendors-cancel-04-done-fa-375")

    shipment.refresh_from_db()
    assert shipment.status == "cancelled" and shipment.cancel_reason
    assert page.locator(f"[data-cancel-shipment='{shipment.pk}']").count() == 0
