"""A vendor ships an order and the customer claims under warranty, on a phone, in a real
browser (headless Debian chromium through Playwright), in Persian (right to left)."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from PIL import Image

from tests.functional.test_browser import browser_page, shot  # noqa: F401
from vendors.models import Shipment, WarrantyClaim

ORDER = "DEMO-V1001"  # the demo customer's order still waiting for Roshan Home (vendors/demo.py)


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/fa/shop/accounts/login/")
    page.fill("#id_login-username", email)
    page.fill("#id_login-password", password)
    page.click("button[name=login_submit]")
    page.wait_for_load_state()


def sign_out(page) -> None:
    page.context.clear_cookies()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_vendor_ships_an_order_and_the_customer_opens_a_warranty_claim_on_a_phone(
    live_server, browser_page, settings, tmp_path  # noqa: F811
):
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    # Transactional tests start from an empty database: load the demo shop (vendors included).
    call_command("seed_demo", products=30, quiet=True, stdout=open(os.devnull, "w"))
    shipment = Shipment.objects.get(order__number=ORDER, partner__code="roshan-home")
    assert shipment.status == "pending"
    page = browser_page
    base = live_server.url

    # ---- the vendor: confirm, ship with a tracking reference, mark delivered
    sign_in(page, base, "vendor@demo.chaarsoo.local", "vendor-demo-1405")
    page.goto(f"{base}/fa/dashboard/seller/shipments/?status=pending")
    assert page.get_attribute("html", "dir") == "rtl"
    shot(page, "vendors-01-seller-shipments-fa-375")
    page.click(f"#shipment-table tr[data-shipment='{shipment.pk}'] a")
    page.wait_for_selector("#ship-to")
    shot(page, "vendors-02-shipment-pending-fa-375")
    page.click("button[data-action=confirm]")
    page.wait_for_selector("#ship-form")

    page.click("button[data-action=ship]")  # no tracking reference yet: refused, nothing changes
    page.wait_for_selector("#ship-form .invalid-feedback, #ship-form .error-block, #ship-form .text-danger")
    shipment.refresh_from_db()
    assert shipment.status == "confirmed"
    page.fill("#id_tracking_reference", "POST-IR-556677")
    page.fill("#id_carrier", "پست پیشتاز")
    shot(page, "vendors-03-ship-form-fa-375")
    page.click("button[data-action=ship]")
    page.wait_for_selector("[data-shipment-status=shipped]")
    assert "POST-IR-556677" in page.inner_text("#shipment-summary")
    page.click("button[data-action=deliver]")
    page.wait_for_selector("[data-shipment-status=delivered]")
    shot(page, "vendors-04-delivered-fa-375")
    shipment.refresh_from_db()
    assert (shipment.status, shipment.tracking_reference) == ("delivered", "POST-IR-556677")
    sign_out(page)

    # ---- the customer: the order page shows the delivery and the warranty; open a claim
    sign_in(page, base, "customer@demo.chaarsoo.local", "customer-demo-1405")
    page.goto(f"{base}/fa/shop/accounts/orders/{ORDER}/")
    page.wait_for_selector(f"[data-shipment='{shipment.pk}'][data-shipment-status=delivered]")
    assert "POST-IR-556677" in page.inner_text("#order-shipments")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # Oscar's wide table scrolls inside
    page.locator("#order-shipments").scroll_into_view_if_needed()
    shot(page, "vendors-05-order-shipments-fa-375")
    page.click(f"[data-shipment='{shipment.pk}'] a[data-open-claim]")
    page.wait_for_selector("#warranty-claim-form")

    picture = tmp_path / "broken-lamp.jpg"
    Image.new("RGB", (320, 240), (180, 40, 40)).save(picture, format="JPEG")
    page.check("input[name=kind][value=replace]")
    page.fill("#id_description", "کلید روشن و خاموش از روز اول کار نمی‌کند.")
    page.set_input_files("#id_photos", str(picture))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    shot(page, "vendors-06-claim-form-fa-375")
    page.click("#warranty-claim-form button[type=submit]")
    page.wait_for_selector("[data-claim-status=open]")
    shot(page, "vendors-07-claim-opened-fa-375")

    claim = WarrantyClaim.objects.get(shipment_line__shipment=shipment)
    assert (claim.kind, claim.status, claim.photos.count()) == ("replace", "open", 1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
