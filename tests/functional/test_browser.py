"""A shopper on a phone, in a real browser (headless Debian chromium through Playwright)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.functional.test_checkout import Country

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _browser_or_skip():
    """Chromium, or a skip with the reason; CHAARSOO_REQUIRE_BROWSER turns the skip into a failure."""
    reason = None
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        reason = f"chromium not found at {CHROMIUM} (make test installs it with apt when run as root)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (pip install -r requirements-dev.txt)"
    if reason:
        if os.environ.get("CHAARSOO_REQUIRE_BROWSER"):
            pytest.fail(f"browser tests are required here but cannot run: {reason}")
        pytest.skip(reason)


@pytest.fixture
def browser_page(monkeypatch):
    _browser_or_skip()
    # Playwright's sync API keeps an event loop on this thread; the test's own ORM calls
    # are still plain synchronous ones (Django documents this switch for such cases).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": 375, "height": 812}, locale="fa-IR")
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_shopper_switches_language_finds_a_product_and_orders_paying_on_delivery(
    live_server, browser_page, settings
):
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    # Transactional tests start from an empty database: load a small demo shop.
    call_command("seed_demo", products=30, quiet=True, stdout=open(os.devnull, "w"))
    Country.objects.get_or_create(
        iso_3166_1_a2="IR", defaults={"name": "Iran", "printable_name": "Iran", "is_shipping_country": True}
    )
    page = browser_page

    page.goto(f"{live_server.url}/fa/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    shot(page, "01-home-fa-375")

    page.click("[data-language-switch=en]")
    page.wait_for_url(f"{live_server.url}/en/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"

    page.fill("#site-search-q", "samovar")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/en/search/**")
    shot(page, "02-search-en-375")
    page.click("[data-hits=product] [data-hit=product] a >> nth=0")
    assert "samovar" in page.inner_text("h1").lower()
    shot(page, "03-product-en-375")

    page.click("#add_to_basket_form button[type=submit]")
    page.wait_for_url("**/en/shop/**")
    assert page.inner_text("[data-basket-count]").strip() == "1"

    page.goto(f"{live_server.url}/en/shop/accounts/login/?next=/en/shop/basket/")
    page.fill("#id_login-username", "customer@demo.chaarsoo.local")
    page.fill("#id_login-password", "customer-demo-1405")
    page.click("button[name=login_submit]")
    page.wait_for_url("**/en/shop/basket/")
    shot(page, "04-basket-en-375")
    page.click("text=Proceed to checkout")

    page.wait_for_url("**/checkout/shipping-address/")
    page.fill("#id_first_name", "Sara")
    page.fill("#id_last_name", "Ahmadi")
    page.fill("#id_line1", "Valiasr Street 12")
    page.fill("#id_line4", "Tehran")
    page.fill("#id_postcode", "14348-43311")
    page.fill("#id_phone_number", "+989121234567")
    page.click("form#new_shipping_address button[type=submit]")

    page.wait_for_url("**/checkout/payment-details/")
    page.check("input[value=cod]")
    shot(page, "05-payment-en-375")
    page.click("#view_preview")
    page.wait_for_url("**/checkout/preview/")
    page.click("#place-order")
    page.wait_for_url("**/checkout/thank-you/")
    shot(page, "06-thank-you-en-375")

    page.goto(f"{live_server.url}/en/shop/accounts/orders/")
    assert page.locator("table").count() >= 1
    from oscar.core.loading import get_model

    # The order just placed (the demo customer also has the demo shop's orders).
    order = get_model("order", "Order").objects.filter(user__username="customer").latest("pk")
    assert order.number in page.content()
    assert order.sources.get().source_type.code == "cod"
    shot(page, "07-orders-en-375")
