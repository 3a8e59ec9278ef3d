"""Service jobs against the database, from the request to the accepted quote (S1–S3, S6,
S12, A2, A5): every step, who may take it, and what taking it twice does (nothing)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.templatetags.locale_format import date as format_date
from notifications.services import messages_for
from services_catalog import services
from services_catalog.errors import (
    AreaNotServed,
    InvalidQuote,
    LeadTimeTooShort,
    MissingDocuments,
    NotAllowed,
    QuoteExpired,
    QuoteNotCurrent,
    TierNotAllowed,
)
from services_catalog.models import Job, Quote
from tests.factories_services import (
    make_area,
    make_customer,
    make_job,
    make_provider_for,
    make_service,
    make_staff,
)
from tests.helpers.jobs import actions, request

pytestmark = pytest.mark.django_db
D = Decimal
Status = Job.Status


@pytest.fixture
def staff():
    return make_staff()


@pytest.fixture
def customer():
    return make_customer(phone="+989121110001")


@pytest.fixture
def quote_service():
    return make_service(pricing_model="quote", base_price="0")


def test_S1_a_date_inside_the_lead_time_is_refused_with_the_earliest_date(customer):
    service = make_service(min_lead_days=3)
    today = datetime.date(2030, 5, 1)
    with pytest.raises(LeadTimeTooShort) as refused:
        request(customer, service, preferred_date=datetime.date(2030, 5, 3), today=today)
    assert refused.value.earliest == datetime.date(2030, 5, 4)
    assert format_date(datetime.date(2030, 5, 4)) in str(refused.value)
    assert not Job.objects.filter(customer=customer).exists()


def test_S1_the_earliest_date_itself_is_accepted(customer):
    service = make_service(min_lead_days=2)
    today = timezone.localdate()
    job = request(customer, service, preferred_date=today + datetime.timedelta(days=2), today=today)
    assert job.pk and job.number.startswith("J-")


def test_A5_a_loyal_only_errand_is_refused_to_a_registered_customer_and_offered_to_a_loyal_one():
    errand = make_service(for_one_off=False, for_registered=False, for_loyal=True)
    with pytest.raises(TierNotAllowed) as refused:
        request(make_customer(tier="registered"), errand)
    assert "loyal" in str(refused.value).lower() or "وفادار" in str(refused.value)
    assert request(make_customer(tier="loyal"), errand).status == Status.QUOTED


def test_a_request_outside_the_services_areas_is_refused(customer):
    service = make_service()
    with pytest.raises(AreaNotServed):
        request(customer, service, area=make_area())


def test_S3_a_per_unit_service_is_quoted_at_once_at_its_volume_tier(customer):
    service = make_service(pricing_model="per_unit", base_price="10.00", tiers=[(10, "8.00"), (50, "6.00")])
    job = request(customer, service, quantity=12)
    assert job.status == Status.QUOTED
    quote = job.quotes.get()
    assert quote.total == D("96.00")
    line = quote.lines.get()
    assert (line.quantity, line.unit_price, line.amount) == (D("12"), D("8.00"), D("96.00"))
    assert quote.created_by is None


def test_S2_a_fixed_price_service_skips_straight_to_a_quote(customer):
    job = request(customer, make_service(base_price="120.00"))
    assert job.status == Status.QUOTED and job.quotes.get().total == D("120.00")
    assert actions(job) == ["requested", "quote_sent"]


def test_S6_required_documents_must_be_provided_and_originals_must_travel(customer):
    service = make_service(required_documents=[("Power of attorney", True), ("ID card scan", False)])
    attorney, id_card = service.required_documents.order_by("pk")
    scan = SimpleUploadedFile("id.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    with pytest.raises(MissingDocuments):
        request(customer, service, documents=[{"requirement": id_card, "delivery": "upload", "file": scan}])
    with pytest.raises(MissingDocuments):  # an uploaded copy of an original is not enough
        request(customer, service, documents=[
            {"requirement": id_card, "delivery": "upload", "file": scan},
            {"requirement": attorney, "delivery": "upload", "file": scan},
        ])
    job = request(customer, service, documents=[
        {"requirement": id_card, "delivery": "upload", "file": scan},
        {"requirement": attorney, "delivery": "courier"},
    ])
    assert sorted(job.documents.values_list("delivery", flat=True)) == ["courier", "upload"]


def test_S6_the_provider_records_that_an_original_arrived_and_went_back(customer):
    service = make_service(required_documents=[("Power of attorney", True)])
    make_provider_for(service)
    job = make_job(customer, service, status=Status.ASSIGNED,
                   documents=[{"requirement": service.required_documents.get(), "delivery": "post"}])
    document = job.documents.get()
    services.job_document_mark(document=document, user=job.provider.user)
    services.job_document_mark(document=document, user=job.provider.user)  # twice: one event
    document = services.job_document_mark(document=document, user=job.provider.user, returned=True)
    assert document.received_at and document.returned_at
    assert actions(job).count("document_received") == 1
    with pytest.raises(NotAllowed):
        services.job_document_mark(document=document, user=customer)


def test_A2_an_operator_files_a_request_for_a_caller(customer, staff):
    job = request(customer, make_service(), filed_by=staff)
    assert job.filed_by == staff and job.customer == customer
    assert job.events.first().actor == staff
    with pytest.raises(NotAllowed):
        request(customer, make_service(), filed_by=make_customer())


def test_a_request_submitted_twice_is_one_job(customer):
    service = make_service()
    first = request(customer, service, description="Leaking tap")
    second = request(customer, service, description="Leaking tap")
    assert first.pk == second.pk
    assert Job.objects.filter(customer=customer).count() == 1


def test_S7_the_request_is_confirmed_by_sms_and_email(customer):
    job = request(customer, make_service(pricing_model="quote"))
    sent = messages_for(event="services_job_requested", recipient=customer)
    assert sorted(sent.values_list("channel", flat=True)) == ["email", "sms"]
    assert all(job.number in (message.body or "") for message in sent)


# ------------------------------------------------------------------ review and quotes (S2, S12)
def test_S2_not_feasible_tells_the_customer_why(customer, staff, quote_service):
    job = request(customer, quote_service)
    job = services.job_review_not_feasible(job=job, user=staff, reason="Wall too old to drill")
    assert job.status == Status.NOT_FEASIBLE and job.not_feasible_reason == "Wall too old to drill"
    message = messages_for(event="services_job_not_feasible", recipient=customer, channel="email").get()
    assert "Wall too old to drill" in message.body
    again = services.job_review_not_feasible(job=job, user=staff, reason="Wall too old to drill")
    assert again.status == Status.NOT_FEASIBLE and actions(job).count("not_feasible") == 1


def test_S2_only_staff_review_requests(customer, quote_service):
    job = request(customer, quote_service)
    with pytest.raises(NotAllowed):
        services.quote_send(job=job, user=customer, lines=[{"description": "x", "unit_price": "1"}])
    with pytest.raises(NotAllowed):
        services.job_review_not_feasible(job=job, user=make_provider_for(quote_service).user, reason="no")


def test_S2_a_quote_has_lines_a_total_and_a_validity(customer, staff, quote_service):
    job = request(customer, quote_service)
    now = timezone.now()
    quote = services.quote_send(job=job, user=staff, now=now, valid_days=5, lines=[
        {"description": "Labour", "quantity": 2, "unit_price": "40.00"},
        {"description": "Parts", "quantity": 1, "unit_price": "15.50"},
    ])
    assert quote.total == D("95.50") and quote.valid_until == now + datetime.timedelta(days=5)
    assert [line.amount for line in quote.lines.order_by("pk")] == [D("80.00"), D("15.50")]
    assert Job.objects.get(pk=job.pk).status == Status.QUOTED
    assert messages_for(event="services_quote_ready", recipient=customer).count() == 2
    with pytest.raises(InvalidQuote):
        services.quote_send(job=job, user=staff, lines=[])
    with pytest.raises(InvalidQuote):
        services.quote_send(job=job, user=staff, lines=[{"description": "x", "unit_price": "-1"}])


def test_S2_a_revised_quote_supersedes_the_old_one_which_can_no_longer_be_accepted(customer, staff, quote_service):
    job = request(customer, quote_service)
    first = services.quote_send(job=job, user=staff, lines=[{"description": "Work", "unit_price": "100"}])
    second = services.quote_send(job=job, user=staff, lines=[{"description": "Work", "unit_price": "90"}])
    first.refresh_from_db()
    assert (first.status, second.status, second.version) == (Quote.Status.SUPERSEDED, Quote.Status.SENT, 2)
    with pytest.raises(QuoteNotCurrent):
        services.quote_accept(quote=first, user=customer)
    assert services.quote_accept(quote=second, user=customer).price_total == D("90.00")


def test_S2_sending_the_same_quote_twice_is_one_quote(customer, staff, quote_service):
    job = request(customer, quote_service)
    lines = [{"description": "Work", "unit_price": "100"}]
    assert services.quote_send(job=job, user=staff, lines=lines) == services.quote_send(job=job, user=staff,
                                                                                         lines=lines)
    assert job.quotes.count() == 1


def test_S2_an_expired_quote_cannot_be_accepted(customer, staff, quote_service):
    job = request(customer, quote_service)
    sent_at = timezone.now()
    quote = services.quote_send(job=job, user=staff, lines=[{"description": "Work", "unit_price": "100"}],
                                valid_days=3, now=sent_at)
    with pytest.raises(QuoteExpired):
        services.quote_accept(quote=quote, user=customer, now=sent_at + datetime.timedelta(days=3, seconds=1))
    assert Job.objects.get(pk=job.pk).status == Status.QUOTED
    job = services.quote_accept(quote=quote, user=customer, now=sent_at + datetime.timedelta(days=2))
    assert job.status != Status.QUOTED


def test_S12_accepting_locks_the_price_and_accepting_twice_changes_nothing(customer):
    service = make_service(base_price="150.00", payment_rule="upfront")
    job = request(customer, service)
    quote = job.quotes.get()
    job = services.quote_accept(quote=quote, user=customer)
    events = actions(job)
    again = services.quote_accept(quote=quote, user=customer)
    assert (job.status, again.status, again.price_total) == (Status.ACCEPTED, Status.ACCEPTED, D("150.00"))
    assert actions(job) == events
    assert job.charges.get().amount == D("150.00")
    service.base_price = D("999.00")
    service.save()
    assert Job.objects.get(pk=job.pk).price_total == D("150.00")  # editing the service changes nothing booked


def test_another_customer_cannot_accept_a_quote(customer):
    job = request(customer, make_service())
    with pytest.raises(NotAllowed):
        services.quote_accept(quote=job.quotes.get(), user=make_customer())


def test_S12_staff_cannot_accept_a_quote_for_a_customer_who_requested_online(customer, staff):
    job = request(customer, make_service(payment_rule="upfront"))
    with pytest.raises(NotAllowed) as refused:
        services.quote_accept(quote=job.quotes.get(), user=staff)
    assert "only the customer" in str(refused.value).lower() or job.number in str(refused.value)
    job.refresh_from_db()
    assert job.status == Status.QUOTED and job.price_total is None
    assert job.quotes.get().status == Quote.Status.SENT
    assert not job.events.filter(action="quote_accepted").exists()


def test_A2_an_operator_accepts_on_the_phone_for_a_caller_whose_job_an_operator_filed(customer, staff):
    job = request(customer, make_service(payment_rule="upfront"), filed_by=make_staff())
    job = services.quote_accept(quote=job.quotes.get(), user=staff)
    assert job.status == Status.ACCEPTED
    accepted = job.events.get(action="quote_accepted")
    assert accepted.actor == staff
    assert staff.get_username() in accepted.note or (staff.get_full_name() and staff.get_full_name() in accepted.note)
