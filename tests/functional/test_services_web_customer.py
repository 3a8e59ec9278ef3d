"""The customer's service pages over HTTP (issue 5 points 2, 3, 5, 7–11; S1, S5–S8,
S10–S12, S15; A1, A5), in Persian and English, with good and bad input."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from payments.models import Payment
from services_catalog import services
from services_catalog.models import ChangeOrder, Job, JobCharge, JobDocument, JobPhoto, Quote, Rating, WarrantyClaim
from services_catalog.views import track_token
from tests.factories_services import (
    future_date,
    make_area,
    make_customer,
    make_job,
    make_provider_for,
    make_service,
    visit_time,
)

pytestmark = pytest.mark.django_db
Status = Job.Status


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test document", content_type="application/pdf")


@pytest.fixture
def me(client):
    user = make_customer(phone="+989121230001", first_name="Sara", last_name="Ahmadi")
    client.force_login(user)
    return user


def form_data(service, **overrides) -> dict:
    data = {
        "area": service.areas.first().pk,
        "address": "Tehran, Valiasr St 12",
        "preferred_date": future_date(service).isoformat(),
        "slot": "morning",
        "quantity": "1",
        "description": "Leak under the sink",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------ browse (point 2)
def test_services_list_filters_by_category_and_area_in_both_languages(client):
    tehran, shiraz = make_area(name_en="Tehran test"), make_area(name_en="Shiraz test")
    in_tehran = make_service(areas=[tehran], name_en="Tehran plumbing")
    in_shiraz = make_service(areas=[shiraz], name_en="Shiraz tour", category=in_tehran.category)
    other = make_service(areas=[tehran], name_en="Other category")

    html = client.get("/en/services/").content.decode()
    assert all(name in html for name in ("Tehran plumbing", "Shiraz tour", "Other category"))
    by_area = client.get(f"/en/services/?area={shiraz.slug}").content.decode()
    assert "Shiraz tour" in by_area and "Tehran plumbing" not in by_area
    by_category = client.get(f"/en/services/?category={in_tehran.category.slug}").content.decode()
    assert "Tehran plumbing" in by_category and "Shiraz tour" in by_category and "Other category" not in by_category
    both = client.get(f"/en/services/?category={in_tehran.category.slug}&area={tehran.slug}").content.decode()
    assert "Tehran plumbing" in both and "Shiraz tour" not in both

    fa = client.get(f"/fa/services/?area={shiraz.slug}")
    assert fa.status_code == 200 and 'dir="rtl"' in fa.content.decode()
    assert f'data-service="{in_shiraz.slug}"' in fa.content.decode()
    assert f'data-service="{other.slug}"' not in fa.content.decode()


def test_an_unknown_filter_shows_every_service_with_a_note(client):
    response = client.get("/en/services/?area=nowhere&category=nothing")
    assert response.status_code == 200
    assert "That category or area does not exist" in response.content.decode()


def test_services_list_runs_a_fixed_number_of_queries_however_many_services(client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/services/").status_code == 200
        return len(queries)

    make_service(pricing_model="per_unit", tiers=[(3, "9")])
    count()  # the header's category menu is cached on the first page
    before = count()
    for _n in range(4):
        make_service(pricing_model="per_unit", tiers=[(3, "9"), (6, "8")], required_documents=[("ID", False)])
    count()  # saving services retired the cached header menu (core.page_cache): warm it again
    assert count() == before


def test_service_detail_shows_price_tiers_lead_time_payment_rule_documents_and_areas(client):
    service = make_service(
        pricing_model="per_unit", base_price="40", tiers=[(3, "30"), (6, "26")], payment_rule="deposit",
        deposit_percent=30, min_lead_days=2, required_documents=[("Power of attorney", True)], unit_name="unit",
    )
    html = client.get(f"/en/services/{service.slug}/").content.decode()
    earliest = services.earliest_date(service)
    assert "3 or more" in html and "6 or more" in html and "26.00" in html
    assert "At least 2 days" in html and earliest.strftime("%b") in html
    assert "30% deposit" in html and "Power of attorney" in html and "the original" in html
    assert service.areas.first().name_en in html
    assert f'href="/en/services/{service.slug}/request/"' in html
    assert client.get(f"/fa/services/{service.slug}/").status_code == 200
    assert client.get("/en/services/no-such-service/").status_code == 404


def test_A5_a_loyal_only_errand_says_so_to_a_registered_customer(client, me):
    errand = make_service(for_one_off=False, for_registered=False, for_loyal=True)
    html = client.get(f"/en/services/{errand.slug}/").content.decode()
    assert "data-tier-refused" in html and "Loyal customers only" in html
    assert "data-request-service" not in html


# ------------------------------------------------------------------ request (point 3, S1, S6)
def test_requesting_needs_a_signed_in_customer(client):
    service = make_service()
    response = client.get(f"/en/services/{service.slug}/request/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_request_form_shows_the_earliest_allowed_date(client, me):
    service = make_service(min_lead_days=3)
    earliest = services.earliest_date(service)
    html = client.get(f"/en/services/{service.slug}/request/").content.decode()
    assert f'min="{earliest.isoformat()}"' in html
    assert "3 days' notice" in html
    fa = client.get(f"/fa/services/{service.slug}/request/").content.decode()
    assert f'data-earliest="{earliest.isoformat()}"' in fa


def test_S1_a_date_too_early_is_refused_with_the_earliest_date(client, me):
    service = make_service(min_lead_days=2)
    earliest = services.earliest_date(service)
    response = client.post(
        f"/en/services/{service.slug}/request/",
        form_data(service, preferred_date=(earliest - datetime.timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field-error="preferred_date"' in html
    assert "the earliest date you can choose is" in html
    assert not Job.objects.filter(customer=me).exists()


def test_a_customer_requests_a_fixed_price_service_with_photos_and_gets_a_quote_at_once(client, me):
    service = make_service(pricing_model="fixed", base_price="45.00")
    response = client.post(
        f"/en/services/{service.slug}/request/",
        {**form_data(service), "photos": [png("a.png"), png("b.png")]},
    )
    job = Job.objects.get(customer=me)
    assert response.status_code == 302 and response["Location"] == f"/en/services/jobs/{job.number}/"
    assert job.status == Status.QUOTED and job.address == "Tehran, Valiasr St 12"
    assert JobPhoto.objects.filter(job=job).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "was received" in page and "45.00" in page and "data-accept-quote" in page


def test_bad_input_is_shown_on_the_form(client, me):
    service = make_service()
    response = client.post(
        f"/fa/services/{service.slug}/request/",
        form_data(service, address="", slot="midnight", preferred_date="31/02/2030", area="999999"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("address", "slot", "preferred_date", "area"):
        assert f'data-field-error="{field}"' in html
    assert not Job.objects.filter(customer=me).exists()


def test_a_photo_that_is_not_an_image_is_refused(client, me):
    service = make_service()
    response = client.post(f"/en/services/{service.slug}/request/", {**form_data(service), "photos": [pdf("x.png")]})
    assert response.status_code == 400 and 'data-field-error="photos"' in response.content.decode()


def test_S6_required_documents_are_uploaded_or_sent_as_originals(client, me):
    service = make_service(required_documents=[("National ID copy", False), ("Power of attorney", True)])
    scan, original = service.required_documents.order_by("pk")
    missing = client.post(f"/en/services/{service.slug}/request/", {
        **form_data(service), f"document_{scan.pk}_delivery": "upload", f"document_{original.pk}_delivery": "courier",
    })
    assert missing.status_code == 400 and f'data-field-error="document_{scan.pk}_file"' in missing.content.decode()
    scan_only = client.post(f"/en/services/{service.slug}/request/", {
        **form_data(service), f"document_{scan.pk}_delivery": "upload", f"document_{scan.pk}_file": pdf(),
        f"document_{original.pk}_delivery": "upload",
    })
    assert scan_only.status_code == 400  # an original cannot be only uploaded
    done = client.post(f"/en/services/{service.slug}/request/", {
        **form_data(service), f"document_{scan.pk}_delivery": "upload", f"document_{scan.pk}_file": pdf(),
        f"document_{original.pk}_delivery": "collected",
    })
    assert done.status_code == 302
    job = Job.objects.get(customer=me)
    assert set(job.documents.values_list("requirement__name", "delivery")) == {
        ("National ID copy", JobDocument.Delivery.UPLOAD), ("Power of attorney", JobDocument.Delivery.COLLECTED),
    }


def test_A5_a_registered_customer_cannot_request_a_loyal_only_errand(client, me):
    errand = make_service(for_one_off=False, for_registered=False, for_loyal=True)
    response = client.post(f"/en/services/{errand.slug}/request/", form_data(errand))
    assert response.status_code == 400 and "loyal customers only" in response.content.decode()
    assert not Job.objects.filter(customer=me).exists()


def test_a_double_submitted_request_is_one_job(client, me):
    service = make_service()
    for _twice in range(2):
        assert client.post(f"/en/services/{service.slug}/request/", form_data(service)).status_code == 302
    assert Job.objects.filter(customer=me).count() == 1


# ------------------------------------------------------------------ my jobs, timeline (A1, S7)
def test_my_jobs_lists_only_my_own_jobs(client, me):
    mine = make_job(me, make_service(), status=Status.QUOTED)
    theirs = make_job(make_customer(), make_service(), status=Status.QUOTED)
    for language in ("en", "fa"):
        html = client.get(f"/{language}/services/jobs/").content.decode()
        assert f'data-job="{mine.number}"' in html and theirs.number not in html


def test_S7_the_job_page_shows_the_timeline_the_customer_may_see(client, me):
    service = make_service(pricing_model="fixed")
    provider = make_provider_for(service, display_name="Ali the plumber")
    job = make_job(me, service, status=Status.DISPATCHED)
    html = client.get(f"/en/services/jobs/{job.number}/").content.decode()
    for action in ("requested", "quote_sent", "quote_accepted", "assigned", "dispatched"):
        assert f'data-event="{action}"' in html
    assert "Ali the plumber" in html and "data-visit-at" in html
    assert f'data-job-status="{Status.DISPATCHED}"' in html
    # A provider's decline is not shown to the customer (visible_to_customer=False).
    services.job_decline(job=job, provider_user=provider.user, reason="sick")
    assert 'data-event="declined"' not in client.get(f"/fa/services/jobs/{job.number}/").content.decode()


def test_the_customer_profile_links_to_my_service_requests(client, me):
    html = client.get("/en/account/").content.decode()
    assert 'href="/en/services/jobs/"' in html


# ------------------------------------------------------------------ quote (S2, S12)
def test_S12_accepting_the_quote_locks_the_price_and_accepting_twice_changes_nothing(client, me):
    job = make_job(me, make_service(pricing_model="fixed", base_price="45"), status=Status.QUOTED)
    quote = job.quotes.get()
    for _twice in range(2):
        response = client.post(f"/en/services/jobs/{job.number}/quotes/{quote.pk}/accept/")
        assert response.status_code == 302
    job.refresh_from_db()
    assert job.price_total == Decimal("45.00") and job.status in (Status.MATCHING, Status.ASSIGNED)
    assert job.charges.filter(kind=JobCharge.Kind.QUOTE).count() == 1


def test_S2_an_expired_quote_shows_why_and_cannot_be_accepted(client, me):
    job = make_job(me, make_service(pricing_model="fixed"), status=Status.QUOTED)
    quote = job.quotes.get()
    Quote.objects.filter(pk=quote.pk).update(valid_until=timezone.now() - datetime.timedelta(hours=1))
    html = client.get(f"/en/services/jobs/{job.number}/").content.decode()
    assert "data-quote-expired" in html and "data-accept-quote" not in html
    response = client.post(f"/en/services/jobs/{job.number}/quotes/{quote.pk}/accept/", follow=True)
    assert "expired" in response.content.decode()
    job.refresh_from_db()
    assert job.status == Status.QUOTED and job.price_total is None


def test_accept_needs_post(client, me):
    job = make_job(me, make_service(pricing_model="fixed"), status=Status.QUOTED)
    assert client.get(f"/en/services/jobs/{job.number}/quotes/{job.quotes.get().pk}/accept/").status_code == 405


# ------------------------------------------------------------------ payment (S5)
def test_S5_without_card_payments_an_upfront_job_shows_how_to_pay_in_cash(client, me, settings):
    settings.STRIPE_SECRET_KEY = ""
    job = make_job(me, make_service(pricing_model="fixed", payment_rule="upfront", base_price="60"),
                   status=Status.ACCEPTED, pay=False)
    detail = client.get(f"/en/services/jobs/{job.number}/").content.decode()
    assert "data-payment-due" in detail and "data-pay-cash" in detail and "60.00" in detail
    pay = client.get(f"/en/payments/job/{job.number}/pay/")
    assert pay.status_code == 200 and "data-no-card" in pay.content.decode()
    assert not Payment.objects.exists()


def test_the_pay_page_with_nothing_due_goes_back_to_the_job(client, me):
    job = make_job(me, make_service(pricing_model="fixed"), status=Status.QUOTED)
    response = client.get(f"/en/payments/job/{job.number}/pay/")
    assert response.status_code == 302 and response["Location"] == f"/en/services/jobs/{job.number}/"


def test_S5_a_deposit_is_paid_by_card_through_the_payments_app(client, me, stripe_settings, stripe_client):
    from tests.integration.test_payments import GOOD_CARD, pay_with_card

    service = make_service(pricing_model="fixed", base_price="100", payment_rule="deposit", deposit_percent=30)
    make_provider_for(service)
    job = make_job(me, service, status=Status.ACCEPTED, pay=False)
    page = client.get(f"/en/payments/job/{job.number}/pay/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-client-secret="pi_' in html and "payments/card-payment.js" in html
    assert "never sees or stores your card number" in html
    payment = Payment.objects.get()
    assert payment.purpose == Payment.Purpose.DEPOSIT and payment.amount == Decimal("30.00")
    assert client.get(f"/en/payments/job/{job.number}/pay/").status_code == 200  # reload: same intent
    assert Payment.objects.count() == 1

    pay_with_card(stripe_client, payment, GOOD_CARD)
    back = client.get(f"/en/payments/job/{job.number}/return/?payment_intent={payment.stripe_payment_intent_id}")
    assert back["Location"] == f"/en/services/jobs/{job.number}/"
    job.refresh_from_db()
    assert job.amount_paid == Decimal("30.00") and job.status == Status.ASSIGNED
    assert 'data-receipt="deposit"' in client.get(back["Location"]).content.decode()
    # Paid: the pay page has nothing more to take.
    assert client.get(f"/en/payments/job/{job.number}/pay/").status_code == 302


# ------------------------------------------------------------------ change orders (S12)
def test_S12_the_customer_accepts_or_declines_extra_work_in_the_app(client, me):
    service = make_service(pricing_model="fixed", base_price="50")
    provider = make_provider_for(service)
    job = make_job(me, service, status=Status.IN_PROGRESS)
    extra = services.change_order_propose(job=job, provider_user=provider.user, description="New valve",
                                          amount=Decimal("12"))
    other = services.change_order_propose(job=job, provider_user=provider.user, description="Repaint",
                                          amount=Decimal("30"))
    html = client.get(f"/en/services/jobs/{job.number}/").content.decode()
    assert f'data-change-order="{extra.pk}"' in html and "Accept the extra work" in html
    url = f"/en/services/jobs/{job.number}/change-orders/"
    assert client.post(f"{url}{extra.pk}/", {"decision": "accept"}).status_code == 302
    assert client.post(f"{url}{other.pk}/", {"decision": "decline"}).status_code == 302
    bad = client.post(f"{url}{other.pk}/", {"decision": "maybe"}, follow=True)
    assert "Choose to accept or decline" in bad.content.decode()
    job.refresh_from_db()
    assert job.extras_total == Decimal("12.00") and job.value == Decimal("62.00")
    assert ChangeOrder.objects.get(pk=other.pk).status == ChangeOrder.Status.DECLINED


# ------------------------------------------------------------------ cancellation (S8)
def test_S8_the_fee_is_shown_before_confirming_and_free_before_a_provider_is_assigned(client, me):
    job = make_job(me, make_service(pricing_model="fixed"), status=Status.QUOTED)
    preview = client.get(f"/en/services/jobs/{job.number}/cancel/")
    assert preview.status_code == 200 and "data-free" in preview.content.decode()
    job.refresh_from_db()
    assert job.status == Status.QUOTED  # looking costs nothing
    done = client.post(f"/en/services/jobs/{job.number}/cancel/", {"reason": "Changed my mind", "expected_fee": "0"})
    assert done.status_code == 302
    job.refresh_from_db()
    assert job.status == Status.CANCELLED and job.cancelled_by == Job.CancelledBy.CUSTOMER
    assert client.get(f"/en/services/jobs/{job.number}/cancel/").status_code == 302  # already cancelled


def test_S8_after_assignment_the_handling_fee_is_shown_and_recorded(client, me):
    service = make_service(pricing_model="fixed", base_price="80", handling_fee="10.00")
    make_provider_for(service)
    job = make_job(me, service, status=Status.ASSIGNED)
    html = client.get(f"/fa/services/jobs/{job.number}/cancel/").content.decode()
    assert 'data-fee-line="cancellation_fee"' in html
    en = client.get(f"/en/services/jobs/{job.number}/cancel/").content.decode()
    assert "10.00" in en and "Handling fee" in en
    client.post(f"/en/services/jobs/{job.number}/cancel/", {"reason": "", "expected_fee": "10.00"})
    job.refresh_from_db()
    assert job.status == Status.CANCELLED
    assert job.charges.filter(kind=JobCharge.Kind.CANCELLATION_FEE, amount=Decimal("10.00")).exists()


def test_S8_a_fee_that_changed_since_the_preview_is_not_charged_without_a_new_look(client, me):
    service = make_service(pricing_model="fixed", base_price="80", handling_fee="10.00", callout_fee="25.00")
    make_provider_for(service)
    job = make_job(me, service, status=Status.ASSIGNED)
    services.job_dispatch(job=job, user=job.provider.user, visit_at=visit_time(job))
    response = client.post(f"/en/services/jobs/{job.number}/cancel/", {"reason": "", "expected_fee": "10.00"})
    assert response.status_code == 409 and "Please review it and confirm again" in response.content.decode()
    job.refresh_from_db()
    assert job.status == Status.DISPATCHED
    bad = client.post(f"/en/services/jobs/{job.number}/cancel/", {"expected_fee": "ten"})
    assert bad.status_code == 400


# ------------------------------------------------------------------ after completion (S15, S11, S10)
@pytest.fixture
def completed_job(me):
    service = make_service(pricing_model="fixed", base_price="50")
    make_provider_for(service)
    return make_job(me, service, status=Status.COMPLETED, pay_balance=True)


def test_S15_the_customer_rates_once_after_completion(client, me, completed_job):
    job = completed_job
    assert "data-submit-rating" in client.get(f"/en/services/jobs/{job.number}/").content.decode()
    assert client.post(f"/en/services/jobs/{job.number}/rate/", {"score": "4", "comment": "Good"}).status_code == 302
    client.post(f"/en/services/jobs/{job.number}/rate/", {"score": "1"})
    rating = Rating.objects.get(job=job)
    assert rating.score == 4 and rating.side == Rating.Side.CUSTOMER
    html = client.get(f"/en/services/jobs/{job.number}/").content.decode()
    assert "data-my-rating" in html and "data-submit-rating" not in html
    job.provider.refresh_from_db()
    assert job.provider.rating_count == 1


def test_S15_a_score_outside_1_to_5_and_rating_before_completion_are_refused(client, me):
    job = make_job(me, make_service(pricing_model="fixed"), status=Status.QUOTED)
    early = client.post(f"/en/services/jobs/{job.number}/rate/", {"score": "5"}, follow=True)
    assert "once it is completed" in early.content.decode()
    bad = client.post(f"/en/services/jobs/{job.number}/rate/", {"score": "9"}, follow=True)
    assert "Choose a score from 1 to 5" in bad.content.decode()
    assert not Rating.objects.filter(job=job).exists()


def test_S11_a_warranty_report_within_90_days_reaches_staff_and_later_is_refused(client, me, completed_job):
    job = completed_job
    html = client.get(f"/en/services/jobs/{job.number}/").content.decode()
    assert "data-warranty" in html
    empty = client.post(f"/en/services/jobs/{job.number}/warranty/", {"reason": " "}, follow=True)
    assert "Tell us what must be redone" in empty.content.decode()
    client.post(f"/en/services/jobs/{job.number}/warranty/", {"reason": "Still leaking"})
    assert WarrantyClaim.objects.get(job=job).status == WarrantyClaim.Status.REPORTED
    assert "data-warranty-claims" in client.get(f"/en/services/jobs/{job.number}/").content.decode()

    old = make_job(me, job.service, status=Status.COMPLETED, pay_balance=True,
                   preferred_date=future_date(job.service, extra_days=1))
    Job.objects.filter(pk=old.pk).update(completed_at=timezone.now() - datetime.timedelta(days=91))
    assert "data-warranty>" not in client.get(f"/en/services/jobs/{old.number}/").content.decode()
    late = client.post(f"/en/services/jobs/{old.number}/warranty/", {"reason": "Broken"}, follow=True)
    assert "warranty of this job ended" in late.content.decode()
    assert not WarrantyClaim.objects.filter(job=old).exists()


def test_S10_a_complaint_about_the_provider_reaches_staff(client, me, completed_job):
    job = completed_job
    client.post(f"/en/services/jobs/{job.number}/complaint/", {"text": "Came two hours late"})
    complaint = job.complaints.get()
    assert complaint.provider_id == job.provider_id and complaint.customer_id == me.pk
    empty = client.post(f"/fa/services/jobs/{job.number}/complaint/", {"text": ""})
    assert empty.status_code == 302 and job.complaints.count() == 1


def test_a_document_added_after_the_request(client, me):
    service = make_service(pricing_model="quote", base_price="0", required_documents=[("Bill", False)])
    requirement = service.required_documents.get()
    job = make_job(me, service, documents=[{"requirement": requirement, "delivery": "post"}])
    response = client.post(f"/en/services/jobs/{job.number}/documents/",
                           {"requirement": requirement.pk, "delivery": "upload", "file": pdf()})
    assert response.status_code == 302 and job.documents.count() == 2
    bad = client.post(f"/en/services/jobs/{job.number}/documents/",
                      {"delivery": "upload", "file": SimpleUploadedFile("x.exe", b"MZ")}, follow=True)
    assert "Upload a PDF, JPG or PNG file" in bad.content.decode() and job.documents.count() == 2


# ------------------------------------------------------------------ tracking link (S7, A2)
def test_S7_the_status_link_shows_the_timeline_without_personal_details(client, me):
    job = make_job(me, make_service(pricing_model="fixed"), status=Status.QUOTED, address="Secret street 9")
    client.logout()
    response = client.get(f"/en/services/track/{track_token(job)}/")
    html = response.content.decode()
    assert response.status_code == 200 and f'data-job-status="{Status.QUOTED}"' in html
    assert "Secret street" not in html and "Quote sent" in html
    assert client.get(f"/en/services/track/{job.number}/").status_code == 404
    assert client.get(f"/fa/services/track/{track_token(job)}x/").status_code == 404


def test_job_pages_render_in_persian_right_to_left(client, me, completed_job):
    html = client.get(f"/fa/services/jobs/{completed_job.number}/").content.decode()
    assert 'dir="rtl"' in html and 'lang="fa"' in html
    assert re.search(r"[۰-۹]", html)  # Persian digits in the visible text



@pytest.mark.parametrize("language", ["fa", "en"])
def test_every_customer_page_renders_in_both_languages(client, me, completed_job, language, settings):
    settings.STRIPE_SECRET_KEY = ""
    service = completed_job.service
    waiting = make_job(me, make_service(pricing_model="fixed", payment_rule="upfront"), status=Status.ACCEPTED,
                       pay=False)
    pages = [
        "/services/", f"/services/{service.slug}/", f"/services/{service.slug}/request/", "/services/jobs/",
        f"/services/jobs/{completed_job.number}/", f"/services/jobs/{waiting.number}/",
        f"/services/jobs/{waiting.number}/cancel/", f"/payments/job/{waiting.number}/pay/",
        f"/services/track/{track_token(waiting)}/",
    ]
    for path in pages:
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, path
        html = response.content.decode()
        assert f'lang="{language}"' in html, path
    detail = client.get(f"/{language}/services/{service.slug}/").content.decode()
    assert ("درخواست این خدمت" in detail) == (language == "fa")
    assert ("Request this service" in detail) == (language == "en")
