"""A service job is paid on payments' one pay page and one return page (issue 9 point 5):
/payments/job/<number>/pay/ and .../return/, registered by services_catalog.payables.JobPage.
The job's old pay addresses redirect there; the customer sees the same card form, summary,
cash explanation and messages as before."""

from __future__ import annotations

from decimal import Decimal

import pytest
import stripe

from payments.models import Payment
from services_catalog.models import Job
from tests.factories_services import make_customer, make_job, make_provider_for, make_service, make_staff

pytestmark = pytest.mark.django_db
Status = Job.Status


@pytest.fixture
def me(client):
    user = make_customer(first_name="Sara", last_name="Ahmadi")
    client.force_login(user)
    return user


def upfront_job(customer, *, price: str = "60") -> Job:
    service = make_service(pricing_model="fixed", payment_rule="upfront", base_price=price, name_en="Car inspection")
    return make_job(customer, service, status=Status.ACCEPTED, pay=False)


@pytest.mark.parametrize(("old", "new"), [("pay/", "pay/"), ("pay/return/", "return/")])
def test_the_jobs_old_pay_addresses_redirect_to_the_shared_pages_with_the_query_string(client, me, old, new):
    job = upfront_job(me)
    response = client.get(f"/en/services/jobs/{job.number}/{old}?payment_intent=pi_123&redirect_status=succeeded")
    assert response.status_code == 302
    assert response["Location"] == (
        f"/en/payments/job/{job.number}/{new}?payment_intent=pi_123&redirect_status=succeeded"
    )
    bare = client.get(f"/fa/services/jobs/{job.number}/{old}")
    assert bare.status_code == 302 and bare["Location"] == f"/fa/payments/job/{job.number}/{new}"


def test_the_job_page_links_to_the_shared_pay_page(client, me, stripe_settings):
    job = upfront_job(me)
    html = client.get(f"/en/services/jobs/{job.number}/").content.decode()
    assert f'href="/en/payments/job/{job.number}/pay/" data-pay' in html


def test_accepting_a_quote_with_card_payments_lands_on_the_shared_pay_page(client, me, stripe_settings):
    service = make_service(pricing_model="fixed", payment_rule="upfront", base_price="45")
    job = make_job(me, service, status=Status.QUOTED)
    response = client.post(f"/en/services/jobs/{job.number}/quotes/{job.quotes.get().pk}/accept/")
    assert response.status_code == 302 and response["Location"] == f"/en/payments/job/{job.number}/pay/"


def test_the_shared_pay_page_shows_the_jobs_summary_and_card_form(client, me, stripe_settings):
    job = upfront_job(me, price="60")
    response = client.get(f"/en/payments/job/{job.number}/pay/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Pay for job {job.number}" in html and "Car inspection" in html
    assert "Full payment" in html and "60.00" in html and "Agreed price" in html
    assert 'data-client-secret="pi_' in html and 'id="card-pay-button"' in html
    assert f'data-return-url="http://testserver/en/payments/job/{job.number}/return/"' in html
    payment = Payment.objects.get()
    assert (payment.purpose, payment.amount, payment.user) == (Payment.Purpose.FULL, Decimal("60.00"), me)


def test_without_card_payments_the_shared_page_explains_cash_in_persian(client, me, settings):
    settings.STRIPE_SECRET_KEY = ""
    job = upfront_job(me)
    response = client.get(f"/fa/payments/job/{job.number}/pay/")
    html = response.content.decode()
    assert response.status_code == 200 and "data-no-card" in html
    assert "پرداخت با کارت در حال حاضر ممکن نیست." in html and "پرداخت نقدی" in html
    assert "&lt;p&gt;" not in html  # the two paragraphs are markup, not escaped text
    assert f'href="/fa/services/jobs/{job.number}/">بازگشت</a>' in html and "<title>پرداخت کار J-" in html
    assert not Payment.objects.exists()


def test_nothing_due_on_the_shared_page_goes_back_to_the_job_with_a_message(client, me):
    job = make_job(me, make_service(pricing_model="fixed"), status=Status.QUOTED)
    response = client.get(f"/en/payments/job/{job.number}/pay/", follow=True)
    assert response.redirect_chain == [(f"/en/services/jobs/{job.number}/", 302)]
    assert "Nothing is due here now." in response.content.decode()
    persian = client.get(f"/fa/payments/job/{job.number}/pay/", follow=True).content.decode()
    assert "در حال حاضر مبلغی برای پرداخت در اینجا نیست." in persian


@pytest.mark.parametrize("who", ["other_customer", "provider", "staff"])
def test_only_the_jobs_customer_opens_its_pay_and_return_pages(client, who, stripe_settings):
    """Staff take cash for a customer (record_cash); they never pay in the customer's name."""
    service = make_service(pricing_model="fixed", payment_rule="upfront", base_price="60")
    provider = make_provider_for(service)
    job = make_job(make_customer(), service, status=Status.ACCEPTED, pay=False)
    client.force_login({"other_customer": make_customer(), "provider": provider.user, "staff": make_staff()}[who])
    for path in ("pay/", "return/"):
        assert client.get(f"/en/payments/job/{job.number}/{path}").status_code == 404, path
    assert not Payment.objects.exists()


def test_a_card_declined_on_the_return_page_goes_back_to_the_shared_pay_page(client, me, stripe_settings,
                                                                            stripe_client):
    from tests.integration.test_payments import DECLINED_CARD, pay_with_card

    job = upfront_job(me)
    client.get(f"/en/payments/job/{job.number}/pay/")
    payment = Payment.objects.get()
    with pytest.raises(stripe.CardError):
        pay_with_card(stripe_client, payment, DECLINED_CARD)
    old_return = f"/en/services/jobs/{job.number}/pay/return/?payment_intent={payment.stripe_payment_intent_id}"
    response = client.get(old_return, follow=True)
    assert response.redirect_chain[-1] == (f"/en/payments/job/{job.number}/pay/", 302)
    assert "declined" in response.content.decode().lower()
    job.refresh_from_db()
    assert job.status == Status.ACCEPTED and job.amount_paid == Decimal("0")
