"""A customer on a 375-px phone, in Persian: profile → gift points page → copy the share
link → redeem a gift (issue 10). Screenshots in test-artifacts/referrals-*.png."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ledger import codes
from ledger.services import transfer_move
from referrals.models import Gift, Redemption
from referrals.services.accounts import available_account, platform_account
from tests.factories import UserFactory
from tests.functional.test_browser import browser_page, shot  # noqa: F401 (fixture)

pytestmark = [pytest.mark.no_demo]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_customer_copies_the_link_and_redeems_a_gift(live_server, browser_page, settings):  # noqa: F811
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    customer = UserFactory(email="sara@example.com", first_name="سارا", last_name="احمدی")
    customer.set_password("secret-pass-123")
    customer.save()
    transfer_move(idempotency_key=f"browser-grant:{customer.pk}", kind="points_granted_in_test",
                  source=platform_account(codes.PLATFORM_REFERRAL_EXPENSE),
                  destination=available_account(customer.pk), amount=Decimal(500))
    gift = Gift.objects.create(title_fa="بشقاب میناکاری اصفهان", title_en="Isfahan enamel plate",
                               description_fa="بشقاب مسی با نقش فیروزه‌ای", points_price=350, stock=3)
    page = browser_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    base = live_server.url
    page.goto(f"{base}/fa/shop/accounts/login/")
    page.fill("#id_login-username", customer.email)
    page.fill("#id_login-password", "secret-pass-123")
    page.click("button[name=login_submit]")

    page.goto(f"{base}{reverse('customers:profile')}")
    assert page.locator("[data-referral-code]").inner_text() == customer.profile.subscription_code
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "referrals-01-profile-fa-375")

    page.click(f"a[href='{reverse('referrals:points')}']")
    page.wait_for_url(f"{base}{reverse('referrals:points')}")
    assert page.locator("[data-balance=available]").inner_text() == "۵۰۰"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate("document.querySelector('img.referral-qr').naturalWidth") > 0  # the QR image loaded
    shot(page, "referrals-02-points-fa-375")

    page.click("[data-copy-target=referral-link]")
    page.wait_for_selector("[data-copied]")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(f"/fa/r/{customer.profile.subscription_code}/")
    shot(page, "referrals-03-copied-fa-375")

    page.click(f"[data-gift='{gift.pk}'] a")
    page.fill("#id_phone", "09121234567")
    page.fill("#id_address", "اصفهان، خیابان چهارباغ، پلاک ۵")
    shot(page, "referrals-04-redeem-form-fa-375")
    page.click("[data-redeem-submit]")
    page.wait_for_url(f"{base}{reverse('referrals:points')}*")
    redemption = Redemption.objects.get(customer=customer)
    assert page.locator(f"[data-redemption='{redemption.number}']").is_visible()
    assert page.locator("[data-balance=available]").inner_text() == "۱۵۰"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "referrals-05-redeemed-fa-375")
