"""A service job end to end in a real browser on a phone (375 px): the customer requests
a service, accepts the quote and pays by card, the provider dispatches, starts and
completes it, and the customer rates the job (issue 5, "Proven by").

Card payment follows tests/functional/test_browser_payments.py: localstripe's Stripe.js
runs confirmCardPayment and its 3-D Secure dialog in the page, and the test attaches the
card to the PaymentIntent through Stripe's API, as the real Stripe.js would.
"""

from __future__ import annotations

import pytest

from core.jalali import format_jalali
from payments.models import Payment
from services_catalog import services
from services_catalog.models import Job, Rating
from tests.factories import UserFactory
from tests.factories_services import make_provider_for, make_service
from tests.functional.test_browser import browser_page, shot  # noqa: F401
from tests.functional.test_browser_payments import AUTH_THEN_SUCCEED, attach_card
from tests.functional.test_services_web_provider import visit_day_arrives


def sign_in(page, base: str, email: str, language: str = "fa") -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/{language}/shop/accounts/login/")
    page.fill("#id_login-username", email)
    page.fill("#id_login-password", "secret-pass-123")
    page.click("button[name=login_submit]")
    page.wait_for_load_state()


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_customer_requests_accepts_pays_and_rates_while_a_provider_completes_the_job(
    live_server, browser_page, stripe_settings, stripe_client, settings  # noqa: F811
):
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    service = make_service(pricing_model="fixed", base_price="60.00", payment_rule="upfront", min_lead_days=1,
                           name="کارشناسی خودرو", name_en="Car inspection")
    provider_user = UserFactory(email="provider.browser@example.com", first_name="Reza")
    provider = make_provider_for(service, user=provider_user, display_name="رضا کریمی")
    customer = UserFactory(email="customer.browser@example.com", first_name="Sara")
    earliest = services.earliest_date(service)
    page = browser_page
    base = live_server.url

    # --- the customer finds the service and requests it (Persian, right to left)
    sign_in(page, base, customer.email)
    page.goto(f"{base}/fa/services/")
    assert page.get_attribute("html", "dir") == "rtl"
    no_sideways_scroll(page)
    shot(page, "services-01-list-fa-375")
    page.click(f"[data-service='{service.slug}'] h3 a")
    page.wait_for_url(f"**/fa/services/{service.slug}/")
    shot(page, "services-02-detail-fa-375")
    page.click("[data-request-service]")
    page.wait_for_url(f"**/fa/services/{service.slug}/request/")
    assert page.get_attribute("#id_preferred_date", "min") == earliest.isoformat()
    page.fill("#id_address", "تهران، خیابان ولیعصر، پلاک ۱۲")
    # Persian pages pick the date in the Jalali calendar; the form still posts the ISO date.
    page.fill("#id_preferred_date_jalali", format_jalali(earliest, "Y/m/d"))
    page.dispatch_event("#id_preferred_date_jalali", "change")
    page.wait_for_timeout(400)  # the picker finishes opening (300 ms) before it is closed
    page.evaluate("window.jalaliDatepicker && window.jalaliDatepicker.hide()")
    assert page.input_value("#id_preferred_date") == earliest.isoformat()
    page.select_option("#id_slot", "morning")
    page.fill("#id_description", "پژو ۲۰۶ پیش از خرید")
    no_sideways_scroll(page)
    shot(page, "services-03-request-fa-375")
    page.click("[data-submit-request]")
    page.wait_for_url("**/fa/services/jobs/J-*/")
    job = Job.objects.get(customer=customer)
    assert job.status == Job.Status.QUOTED
    page.wait_for_selector("[data-accept-quote]")
    no_sideways_scroll(page)
    shot(page, "services-04-quote-fa-375")

    # --- accepts the quote and lands on the card payment page
    page.click("[data-accept-quote]")
    page.wait_for_url(f"**/fa/payments/job/{job.number}/pay/")
    page.wait_for_selector("#card-element input")
    assert page.locator(".trust-notice").is_visible()
    no_sideways_scroll(page)
    shot(page, "services-05-pay-fa-375")
    payment = Payment.objects.get()
    assert payment.amount == job.service.base_price and payment.purpose == Payment.Purpose.FULL
    attach_card(stripe_client, payment, AUTH_THEN_SUCCEED)
    page.click("#card-pay-button")
    page.click("text=Complete authentication")
    page.wait_for_url(f"**/fa/services/jobs/{job.number}/")
    page.wait_for_selector("[data-receipt='full']")
    job.refresh_from_db()
    assert job.status == Job.Status.ASSIGNED and job.provider == provider and job.amount_paid == payment.amount
    shot(page, "services-06-paid-fa-375")

    # --- the visit day comes (the booking moves to yesterday: work cannot start before
    # the visit); the provider dispatches with the exact time, starts and completes (English)
    job = visit_day_arrives(job)
    sign_in(page, base, provider_user.email, language="en")
    page.goto(f"{base}/en/dashboard/services/provider/")
    page.click(f"[data-job='{job.number}'] a")
    page.wait_for_url(f"**/en/dashboard/services/provider/jobs/{job.number}/")
    shot(page, "services-07-provider-job-en-375")
    page.fill("#id_visit_time", "10:30")
    page.click("[data-submit-dispatch]")
    page.wait_for_selector("[data-visit-at]")
    assert page.inner_text("[data-visit-at]").strip() == "10:30"
    page.click("[data-start]")
    page.wait_for_selector("[data-complete]")
    page.click("[data-complete]")
    page.wait_for_selector(f"[data-job-status='{Job.Status.COMPLETED}']")
    shot(page, "services-08-provider-completed-en-375")
    job.refresh_from_db()
    assert job.status == Job.Status.COMPLETED and job.provider_credited_at is not None

    # --- the customer sees the timeline and rates the job
    sign_in(page, base, customer.email)
    page.goto(f"{base}/fa/services/jobs/{job.number}/")
    for action in ("requested", "quote_accepted", "paid", "assigned", "dispatched", "started", "completed"):
        assert page.locator(f"[data-event='{action}']").count() >= 1, action
    page.check("input[name=score][value='5']")
    page.fill("#id_comment", "سر وقت آمد و دقیق بود.")
    shot(page, "services-09-rate-fa-375")
    page.click("[data-submit-rating]")
    page.wait_for_selector("[data-my-rating]")
    no_sideways_scroll(page)
    shot(page, "services-10-rated-fa-375")
    rating = Rating.objects.get(job=job)
    assert rating.side == Rating.Side.CUSTOMER and rating.score == 5
    provider.refresh_from_db()
    assert provider.rating_count == 1 and provider.rating_average == 5
