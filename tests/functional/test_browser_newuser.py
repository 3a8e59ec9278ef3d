"""Issue 15 in a real browser on a 375-px phone, in Persian: a business applies to sell,
staff approve it, the applicant sets a password from the decision email and reaches the
seller dashboard; a product page shows its promises."""

from __future__ import annotations

import re

import pytest
from oscar.core.loading import get_model

from notifications.models import Message
from tests.factories_vendors import make_vendor, make_vendor_product
from tests.functional.test_browser import browser_page, shot  # noqa: F401
from tests.helpers.roles import make_role_user
from vendors import services
from vendors.models import VendorApplication

Category = get_model("catalogue", "Category")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_apply_approved_set_password_and_reach_the_seller_dashboard_on_a_phone(
    live_server, browser_page, settings  # noqa: F811
):
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    Category.add_root(name="لوازم خانگی", slug="home-newuser")
    page, base = browser_page, live_server.url

    # ---- apply from the footer's link
    page.goto(f"{base}/fa/shop/")
    page.click("a[data-sell-link]")
    page.wait_for_selector("#id_company_name")
    assert page.get_attribute("html", "dir") == "rtl"
    page.fill("#id_company_name", "کارگاه سفال نیشابور")
    page.fill("#id_registration_number", "10320001234")
    page.fill("#id_contact_name", "مریم کریمی")
    page.fill("#id_email", "pottery@example.com")
    page.fill("#id_phone", "09151234567")
    page.fill("#id_address", "نیشابور، خیابان خیام")
    page.check("input[name=categories]")
    page.fill("#id_bank_account_holder", "مریم کریمی")
    page.fill("#id_iban", "IR820540102680020817909002")
    shot(page, "newuser-01-apply-fa-375")
    page.click("#vendor-application-form button[type=submit]")
    page.wait_for_load_state()
    application = VendorApplication.objects.get(email="pottery@example.com")

    # ---- staff approve it (the service the staff page calls); the applicant gets the link
    services.application_approve(application=application, staff_user=make_role_user("operator"))
    email = Message.objects.get(event="vendor_application_approved", channel="email")
    link = re.search(r"(/fa/shop/password-reset/confirm/\S+/)", email.body).group(1)

    # ---- the applicant chooses a password and signs in
    page.goto(f"{base}{link}")
    page.wait_for_selector("#id_new_password1")
    shot(page, "newuser-02-set-password-fa-375")
    page.fill("#id_new_password1", "Sefal-Neyshabur-77")
    page.fill("#id_new_password2", "Sefal-Neyshabur-77")
    page.click("#password_reset_form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/fa/shop/accounts/login/")
    page.fill("#id_login-username", "pottery@example.com")
    page.fill("#id_login-password", "Sefal-Neyshabur-77")
    page.click("button[name=login_submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/fa/dashboard/seller/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert "کارگاه سفال نیشابور" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "newuser-03-seller-dashboard-fa-375")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_product_page_shows_its_promises_on_a_phone(live_server, browser_page, settings):  # noqa: F811
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    vendor = make_vendor("روشن | Roshan Home", warranty_days=365, delivery_days=5, promises={"تهران": 2})
    product = make_vendor_product(vendor, stock=7, needs_installation=True, installation_price="15.00",
                                  warranty_days=730)
    page = browser_page
    page.goto(live_server.url + product.get_absolute_url().replace("/en/", "/fa/", 1))
    page.wait_for_selector("#product-promises")
    text = page.inner_text("#product-promises")
    assert "۷۳۰ روز" in text and "نصب" in text and "۷ عدد موجود" in text and "از ۲ روز" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("#product-promises").scroll_into_view_if_needed()
    shot(page, "newuser-04-product-promises-fa-375")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_layout_one_menu_button_pager_clear_of_cards_prices_on_screen_selects_unclipped(
    live_server, browser_page, settings  # noqa: F811
):
    import os

    from django.core.management import call_command

    from tests.functional.test_browser_vendors import sign_in

    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    call_command("seed_demo", products=30, quiet=True, stdout=open(os.devnull, "w"))
    page, base = browser_page, live_server.url

    # The catalogue's pager sits below the last card, not over it.
    page.goto(f"{base}/fa/shop/")
    last_card = page.locator(".product-grid > *").last.bounding_box()
    pager = page.locator(".pagination").first.bounding_box()
    assert pager["y"] >= last_card["y"] + last_card["height"]
    # A skip link's target exists.
    assert page.locator("#main").count() == 1

    # The customer's order: every price column is on the screen, nothing scrolls sideways.
    sign_in(page, base, "customer@demo.chaarsoo.local", "customer-demo-1405")
    page.goto(f"{base}/fa/shop/accounts/orders/DEMO-V1003/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for cell in page.locator(".account-profile table.table").first.locator("th").all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 376
    shot(page, "newuser-05-order-detail-fa-375")

    # A select shows its whole Persian label.
    page.goto(f"{base}/fa/shop/accounts/addresses/add/")
    clipped = page.eval_on_selector("select", "s => s.scrollHeight > s.clientHeight + 1")
    assert not clipped
    page.context.clear_cookies()

    # The dashboard header has one menu button, and it opens both bars.
    sign_in(page, base, "operator@demo.chaarsoo.local", "operator-demo-1405")
    page.goto(f"{base}/fa/dashboard/services/")
    visible = page.eval_on_selector_all(".navbar-toggler", "els => els.filter(e => e.offsetParent !== null).length")
    assert visible == 1
    page.click(".navbar-primary .navbar-toggler")
    page.wait_for_selector("#top_nav_bar.show")
    shot(page, "newuser-06-dashboard-menu-fa-375")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_persian_date_input_picks_jalali_and_posts_gregorian(live_server, browser_page, settings):  # noqa: F811
    import datetime as dt

    from django.utils import timezone

    from core.jalali import format_jalali
    from core.text import to_ascii_digits
    from services_catalog.services import earliest_date
    from tests.factories_services import make_customer, make_service

    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    service = make_service(min_lead_days=2)
    customer = make_customer(email="jalali@example.com")
    customer.set_password("secret-pass-123")
    customer.save()
    page, base = browser_page, live_server.url
    page.goto(f"{base}/fa/shop/accounts/login/")
    page.fill("#id_login-username", "jalali@example.com")
    page.fill("#id_login-password", "secret-pass-123")
    page.click("button[name=login_submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/fa/services/{service.slug}/request/")
    earliest = earliest_date(service)
    earliest_jalali = to_ascii_digits(format_jalali(earliest, "Y/m/d"))
    shown = page.locator("#id_preferred_date_jalali")
    # Shown in the Jalali calendar (Persian digits), the real field hidden with the ISO date.
    assert to_ascii_digits(shown.input_value()) == earliest_jalali  # Jalali, as the picker writes it
    assert page.get_attribute("#id_preferred_date", "type") == "hidden"
    shown.click()
    page.wait_for_selector("jdp-container", state="attached")
    page.wait_for_timeout(400)  # the picker's opening transition (300 ms)
    assert page.locator("jdp-container .jdp-day:not(.not-in-month)").count() >= 28  # a whole month of days
    shot(page, "newuser-07-jalali-picker-fa-375")
    later = earliest + dt.timedelta(days=3)
    shown.fill(format_jalali(later, "Y/m/d"))
    shown.dispatch_event("change")
    page.wait_for_timeout(400)  # the picker finishes opening (300 ms) before it is closed
    page.evaluate("window.jalaliDatepicker.hide()")
    assert page.input_value("#id_preferred_date") == later.isoformat()
    assert timezone.localdate() < later
