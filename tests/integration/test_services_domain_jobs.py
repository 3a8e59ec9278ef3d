"""Service jobs against the database: every transition, who may fire it, and what firing
it twice does (nothing). Rules cited by ID from docs/rules.md."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.templatetags.locale_format import date as format_date
from notifications.services import messages_for
from services_catalog import services
from services_catalog.errors import (
    AreaNotServed,
    InvalidQuote,
    InvalidTransition,
    InvalidVisitTime,
    LeadTimeTooShort,
    MissingDocuments,
    NotAllowed,
    ProviderUnavailable,
    QuoteExpired,
    QuoteNotCurrent,
    TierNotAllowed,
    TooEarly,
)
from services_catalog.models import ChangeOrder, Job, JobCharge, JobDocument, JobEvent, Quote, Service, SlotBooking
from tests.factories_services import (
    future_date,
    make_area,
    make_customer,
    make_job,
    make_provider,
    make_provider_for,
    make_service,
    make_staff,
    visit_time,
)

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


def request(customer, service, **kwargs) -> Job:
    defaults = {
        "customer": customer, "service": service, "area": service.areas.first(), "address": "Tehran, Azadi St 1",
        "preferred_date": future_date(service), "slot": "morning",
    }
    return services.job_request(**{**defaults, **kwargs})


def actions(job: Job) -> list[str]:
    return list(job.events.order_by("pk").values_list("action", flat=True))


# ------------------------------------------------------------------ request (S1, S3, S6, A2, A5)
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


# ------------------------------------------------------------------ payment rule then matching (S4, S5, S13)
def test_S5_an_upfront_job_waits_for_its_payment_then_goes_to_a_provider(customer, staff):
    service = make_service(payment_rule="upfront")
    provider = make_provider_for(service)
    job = services.quote_accept(quote=request(customer, service).quotes.get(), user=customer)
    assert job.status == Status.ACCEPTED and job.provider is None
    assert messages_for(event="services_payment_due", recipient=customer).exists()
    services.job_record_cash_payment(job=job, staff_user=staff)
    job.refresh_from_db()
    assert (job.status, job.provider) == (Status.ASSIGNED, provider)


def test_S5_an_on_completion_job_goes_straight_to_matching(customer):
    service = make_service(payment_rule="on_completion")
    provider = make_provider_for(service)
    job = services.quote_accept(quote=request(customer, service).quotes.get(), user=customer)
    assert (job.status, job.provider) == (Status.ASSIGNED, provider)
    assert actions(job)[-3:] == ["quote_accepted", "matching", "assigned"]
    assert SlotBooking.objects.get(job=job).provider == provider
    assert messages_for(event="services_provider_assigned", recipient=customer).exists()
    assert messages_for(event="services_provider_new_job", recipient=provider.user).exists()


def test_S4_the_best_rated_free_provider_serving_the_area_and_service_gets_the_job(customer):
    area, elsewhere = make_area(), make_area()
    service = make_service(areas=[area])
    day = future_date(service)
    make_provider(areas=[area], services=[service], rating="4.50", display_name="good")
    best = make_provider(areas=[area], services=[service], rating="4.80", display_name="best")
    make_provider(areas=[elsewhere], services=[service], rating="5.00", display_name="other area")
    make_provider(areas=[area], services=[make_service(areas=[area])], rating="5.00", display_name="other service")
    make_provider(areas=[area], services=[service], rating="5.00", status="suspended", display_name="suspended")
    make_provider(areas=[area], services=[service], rating="5.00", display_name="not that day",
                  slots=[((day.weekday() + 1) % 7, "morning")])
    make_provider(areas=[area], services=[service], rating="5.00", display_name="not that slot",
                  slots=[(day.weekday(), "evening")])
    job = make_job(customer, service, status=Status.ASSIGNED, preferred_date=day)
    assert job.provider == best


def test_S13_a_provider_booked_at_the_slot_is_skipped(customer):
    service = make_service()
    second = make_provider_for(service, rating="4.00")
    best = make_provider_for(service, rating="5.00")
    day = future_date(service)
    first_job = make_job(customer, service, status=Status.ASSIGNED, preferred_date=day, address="A")
    other_job = make_job(make_customer(), service, status=Status.ASSIGNED, preferred_date=day, address="B")
    evening_job = make_job(make_customer(), service, status=Status.ASSIGNED, preferred_date=day, slot="evening")
    assert (first_job.provider, other_job.provider, evening_job.provider) == (best, second, best)


def test_S13_the_database_refuses_a_second_booking_of_a_providers_slot(customer):
    service = make_service()
    provider = make_provider_for(service)
    job = make_job(customer, service, status=Status.ASSIGNED)
    other = make_job(make_customer(), service, status=Status.QUOTED, preferred_date=job.preferred_date)
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotBooking.objects.create(provider=provider, date=job.preferred_date, slot=job.slot, job=other)


def test_a_job_nobody_can_take_waits_and_is_matched_when_a_provider_joins(customer):
    service = make_service()
    job = make_job(customer, service, status=Status.MATCHING)
    assert services.job_match(job=job) is None
    provider = make_provider_for(service)
    call_command("match_waiting_jobs", stdout=open("/dev/null", "w"))
    job.refresh_from_db()
    assert (job.status, job.provider) == (Status.ASSIGNED, provider)
    assert services.job_match(job=job) == provider  # a matched job is left as it is


def test_a_declining_provider_frees_the_slot_and_the_job_goes_to_the_next_one_never_back(customer):
    service = make_service()
    runner_up = make_provider_for(service, rating="4.00")
    best = make_provider_for(service, rating="5.00")
    job = make_job(customer, service, status=Status.ASSIGNED)
    assert job.provider == best
    job = services.job_decline(job=job, provider_user=best.user, reason="Van broken")
    assert (job.status, job.provider) == (Status.ASSIGNED, runner_up)
    assert not SlotBooking.objects.filter(provider=best).exists()
    again = services.job_decline(job=job, provider_user=best.user, reason="Van broken")
    assert again.provider == runner_up and job.declines.count() == 1
    job = services.job_decline(job=job, provider_user=runner_up.user, reason="Busy")
    assert (job.status, job.provider) == (Status.MATCHING, None)
    declined = job.events.get(action="declined", actor=best.user)
    assert not declined.visible_to_customer and declined.note == "Van broken"
    with pytest.raises(NotAllowed):
        services.job_decline(job=job, provider_user=make_provider_for(service).user, reason="?")


def test_staff_reassign_a_job_to_a_chosen_provider_or_to_the_next_free_one(customer, staff):
    service = make_service()
    other = make_provider_for(service, rating="3.00")
    first = make_provider_for(service, rating="5.00")
    third = make_provider_for(service, rating="2.00")
    job = make_job(customer, service, status=Status.DISPATCHED)
    assert job.provider == first
    job = services.job_reassign(job=job, staff_user=staff, provider=other)
    assert (job.status, job.provider, job.visit_at) == (Status.ASSIGNED, other, None)
    assert SlotBooking.objects.get(job=job).provider == other
    assert services.job_reassign(job=job, staff_user=staff, provider=other).provider == other
    job = services.job_reassign(job=job, staff_user=staff)
    assert job.provider == third  # the next best free one, never back to the provider staff removed
    with pytest.raises(NotAllowed):
        services.job_reassign(job=job, staff_user=customer, provider=other)


def test_staff_cannot_reassign_to_a_provider_already_booked_or_not_serving(customer, staff):
    service = make_service()
    busy = make_provider_for(service, rating="5.00")
    job = make_job(customer, service, status=Status.ASSIGNED)
    spare = make_provider_for(service, rating="1.00")
    other = make_job(make_customer(), service, status=Status.ASSIGNED, preferred_date=job.preferred_date)
    assert (job.provider, other.provider) == (busy, spare)
    with pytest.raises(ProviderUnavailable):
        services.job_reassign(job=other, staff_user=staff, provider=busy)
    with pytest.raises(ProviderUnavailable):
        services.job_reassign(job=other, staff_user=staff, provider=make_provider(areas=[make_area()],
                                                                                   services=[service]))
    other.refresh_from_db()
    assert other.provider == spare and SlotBooking.objects.get(job=other).provider == spare


def test_a_double_submitted_next_best_reassignment_moves_the_job_once(customer, staff):
    service = make_service()
    first = make_provider_for(service, rating="5.00")
    second = make_provider_for(service, rating="4.00")
    job = make_job(customer, service, status=Status.ASSIGNED)
    assert job.provider == first
    moved = services.job_reassign(job=job, staff_user=staff, expected_provider_id=first.pk)
    again = services.job_reassign(job=job, staff_user=staff, expected_provider_id=first.pk)  # the second click
    assert moved.provider == second and again.provider == second
    job.refresh_from_db()
    assert (job.status, job.provider) == (Status.ASSIGNED, second)
    assert actions(job).count("reassigned") == 1
    assert SlotBooking.objects.get(job=job).provider == second


def test_a_provider_staff_removed_never_gets_the_job_back(customer, staff):
    service = make_service()
    first = make_provider_for(service, rating="5.00")
    second = make_provider_for(service, rating="4.00")
    job = make_job(customer, service, status=Status.ASSIGNED)
    job = services.job_reassign(job=job, staff_user=staff)  # next best, no expectation given
    assert job.provider == second
    removal = job.declines.get(provider=first)
    assert removal.removed_by == staff
    # staff take it from the second provider too: the first is not offered it again
    job = services.job_reassign(job=job, staff_user=staff, expected_provider_id=second.pk)
    assert (job.status, job.provider) == (Status.MATCHING, None)
    assert services.job_match(job=job) is None
    with pytest.raises(ProviderUnavailable):
        services.job_reassign(job=job, staff_user=staff, provider=first)


def test_S13_staff_cannot_hand_a_job_to_a_provider_off_that_weekday_or_slot(customer, staff):
    service = make_service()
    make_provider_for(service, rating="5.00")
    job = make_job(customer, service, status=Status.ASSIGNED)
    day = job.preferred_date.weekday()
    other_day = make_provider(areas=list(service.areas.all()), services=[service], slots=[((day + 1) % 7, "morning")])
    other_slot = make_provider(areas=list(service.areas.all()), services=[service], slots=[(day, "evening")])
    for provider in (other_day, other_slot):
        with pytest.raises(ProviderUnavailable):
            services.job_reassign(job=job, staff_user=staff, provider=provider)
    able = make_provider(areas=list(service.areas.all()), services=[service], slots=[(day, "morning")])
    assert services.job_reassign(job=job, staff_user=staff, provider=able).provider == able


def test_staff_cannot_hand_a_job_back_to_a_provider_who_declined_it(customer, staff):
    service = make_service()
    best = make_provider_for(service, rating="5.00")
    make_provider_for(service, rating="4.00")
    job = make_job(customer, service, status=Status.ASSIGNED)
    job = services.job_decline(job=job, provider_user=best.user, reason="Busy")
    with pytest.raises(ProviderUnavailable):
        services.job_reassign(job=job, staff_user=staff, provider=best)
    assert Job.objects.get(pk=job.pk).provider != best


def test_a_job_back_in_matching_after_a_decline_waits_the_full_window_again(customer):
    service = make_service(min_lead_days=3)
    best = make_provider_for(service, rating="5.00")
    job = make_job(customer, service, status=Status.ASSIGNED, preferred_date=future_date(service, extra_days=10))
    first_entry = job.matching_since
    declined_at = first_entry + datetime.timedelta(hours=47)
    job = services.job_decline(job=job, provider_user=best.user, reason="Ill", now=declined_at)
    assert (job.status, job.matching_since) == (Status.MATCHING, declined_at)
    # 49 hours after the job first waited, but only 2 since the decline: it keeps waiting
    assert services.expire_unmatched_jobs(now=first_entry + datetime.timedelta(hours=49), hours=48) == []
    assert Job.objects.get(pk=job.pk).status == Status.MATCHING
    expired = services.expire_unmatched_jobs(now=declined_at + datetime.timedelta(hours=48, seconds=1), hours=48)
    assert [j.pk for j in expired] == [job.pk]


def test_a_job_staff_send_back_to_matching_waits_the_full_window_again(customer, staff):
    service = make_service(min_lead_days=3)
    make_provider_for(service)
    job = make_job(customer, service, status=Status.ASSIGNED, preferred_date=future_date(service, extra_days=10))
    moved_at = job.matching_since + datetime.timedelta(hours=40)
    job = services.job_reassign(job=job, staff_user=staff, now=moved_at)
    assert (job.status, job.matching_since) == (Status.MATCHING, moved_at)
    assert services.expire_unmatched_jobs(now=moved_at + datetime.timedelta(hours=10), hours=48) == []


# ------------------------------------------------------------------ visit, work, change orders (S4, S7, S12)
def test_S4_the_provider_sets_the_exact_visit_time_within_the_slot(customer):
    service = make_service()
    make_provider_for(service)
    job = make_job(customer, service, status=Status.ASSIGNED, slot="afternoon")
    start, end = job.slot_bounds()
    with pytest.raises(InvalidVisitTime):
        services.job_dispatch(job=job, user=job.provider.user, visit_at=end)
    with pytest.raises(NotAllowed):
        services.job_dispatch(job=job, user=customer, visit_at=start)
    at = start + datetime.timedelta(hours=1, minutes=30)
    job = services.job_dispatch(job=job, user=job.provider.user, visit_at=at)
    assert (job.status, job.visit_at) == (Status.DISPATCHED, at)
    services.job_dispatch(job=job, user=job.provider.user, visit_at=at)
    assert actions(job).count("dispatched") == 1
    assert messages_for(event="services_visit_scheduled", recipient=customer).count() == 2
    job = services.job_dispatch(job=job, user=job.provider.user, visit_at=at + datetime.timedelta(minutes=30))
    assert actions(job)[-1] == "visit_rescheduled"


def test_S8_the_provider_cannot_start_days_before_the_visit(customer):
    service = make_service()
    make_provider_for(service)
    job = make_job(customer, service, status=Status.DISPATCHED)
    user = job.provider.user
    with pytest.raises(TooEarly) as early:
        services.job_start(job=job, user=user, now=job.visit_at - datetime.timedelta(days=1))
    assert early.value.code == "too_early" and job.visit_at.astimezone(
        timezone.get_default_timezone()).strftime("%H:%M") in str(early.value)
    with pytest.raises(TooEarly):
        services.job_start(job=job, user=user, now=job.visit_at - services.START_EARLY_GRACE
                           - datetime.timedelta(seconds=1))
    with pytest.raises(TooEarly):  # completing would start it just the same
        services.job_complete(job=job, provider_user=user, now=job.visit_at - datetime.timedelta(hours=2))
    assert Job.objects.get(pk=job.pk).status == Status.DISPATCHED
    job = services.job_start(job=job, user=user, now=job.visit_at - services.START_EARLY_GRACE)
    assert job.status == Status.IN_PROGRESS and job.started_at == job.visit_at - services.START_EARLY_GRACE


def test_S8_work_done_cannot_be_recorded_before_the_work_has_started(customer):
    service = make_service(base_price="100.00", callout_fee="10.00")
    make_provider_for(service)
    job = make_job(customer, service, status=Status.DISPATCHED)
    with pytest.raises(InvalidTransition):
        services.job_record_work_done(job=job, user=job.provider.user, amount="90")
    job.refresh_from_db()
    assert job.work_done_amount == D("0")
    assert services.job_cancellation_preview(job=job, user=customer).fee_total == D("10.00")


def test_another_provider_can_never_act_on_a_job(customer):
    service = make_service()
    make_provider_for(service)
    job = make_job(customer, service, status=Status.IN_PROGRESS)
    stranger = make_provider_for(service).user
    with pytest.raises(NotAllowed):
        services.job_complete(job=job, provider_user=stranger)
    with pytest.raises(NotAllowed):
        services.change_order_propose(job=job, provider_user=stranger, description="x", amount="5")
    with pytest.raises(NotAllowed):
        services.job_cancel(job=job, user=stranger, reason="x")


def test_S12_extra_work_is_added_only_when_the_customer_accepts_it_in_the_app(customer, staff):
    service = make_service(base_price="100.00")
    make_provider_for(service)
    job = make_job(customer, service, status=Status.IN_PROGRESS)
    change = services.change_order_propose(job=job, provider_user=job.provider.user,
                                           description="Replace the valve", amount="30.00")
    same = services.change_order_propose(job=job, provider_user=job.provider.user,
                                         description="Replace the valve", amount="30.00")
    assert change == same and Job.objects.get(pk=job.pk).value == D("100.00")
    assert messages_for(event="services_change_order_proposed", recipient=customer).exists()
    with pytest.raises(NotAllowed):  # not even staff accept for the customer
        services.change_order_decide(change_order=change, customer=staff, accept=True)
    change = services.change_order_decide(change_order=change, customer=customer, accept=True)
    services.change_order_decide(change_order=change, customer=customer, accept=True)
    job.refresh_from_db()
    assert change.status == ChangeOrder.Status.ACCEPTED and job.extras_total == D("30.00")
    assert job.value == D("130.00") and job.price_total == D("100.00")
    assert job.charges.filter(kind=JobCharge.Kind.CHANGE_ORDER).count() == 1
    with pytest.raises(InvalidTransition):
        services.change_order_decide(change_order=change, customer=customer, accept=False)


def test_S12_extra_work_still_unanswered_at_completion_lapses(customer):
    service = make_service()
    make_provider_for(service)
    job = make_job(customer, service, status=Status.IN_PROGRESS)
    change = services.change_order_propose(job=job, provider_user=job.provider.user, description="More", amount=9)
    job = services.job_complete(job=job, provider_user=job.provider.user)
    change.refresh_from_db()
    assert change.status == ChangeOrder.Status.DECLINED and job.extras_total == D("0")
    with pytest.raises(InvalidTransition):
        services.change_order_decide(change_order=change, customer=customer, accept=True)


def test_S7_completion_tells_the_customer_the_work_is_done_and_asks_for_a_rating(customer):
    service = make_service(base_price="80.00")
    make_provider_for(service)
    job = make_job(customer, service, status=Status.IN_PROGRESS)
    job = services.job_complete(job=job, provider_user=job.provider.user)
    again = services.job_complete(job=job, provider_user=job.provider.user)
    assert again.status == Status.COMPLETED and actions(job).count("completed") == 1
    done = messages_for(event="services_work_done", recipient=customer, channel="email").get()
    assert "80.00" in done.body  # on completion: the amount now due
    assert messages_for(event="services_rating_request", recipient=customer).count() == 2


def test_S7_every_step_is_logged_with_who_from_and_to(customer):
    service = make_service()
    provider = make_provider_for(service)
    job = make_job(customer, service, status=Status.COMPLETED, pay_balance=True)
    steps = [(e.action, e.from_status, e.to_status) for e in job.events.order_by("pk")]
    assert steps[:8] == [
        ("requested", "", "requested"), ("quote_sent", "requested", "quoted"), ("quote_accepted", "quoted", "accepted"),
        ("matching", "accepted", "matching"), ("assigned", "matching", "assigned"),
        ("dispatched", "assigned", "dispatched"), ("started", "dispatched", "in_progress"),
        ("completed", "in_progress", "completed"),
    ]
    assert job.events.get(action="completed").actor == provider.user
    assert job.events.get(action="quote_accepted").actor == customer


def test_work_done_so_far_is_recorded_by_the_provider_within_the_jobs_value(customer):
    service = make_service(base_price="100.00")
    make_provider_for(service)
    job = make_job(customer, service, status=Status.IN_PROGRESS)
    with pytest.raises(Exception) as too_much:
        services.job_record_work_done(job=job, user=job.provider.user, amount="100.01")
    assert getattr(too_much.value, "code", "") == "invalid_amount"
    job = services.job_record_work_done(job=job, user=job.provider.user, amount="40")
    assert job.work_done_amount == D("40.00")
    assert JobEvent.objects.filter(job=job, action="work_recorded").count() == 1


def test_documents_can_be_added_later_by_the_customer_only(customer):
    service = make_service()
    job = make_job(customer, service, status=Status.QUOTED)
    document = services.job_document_add(job=job, user=customer, delivery="courier")
    assert document.delivery == JobDocument.Delivery.COURIER
    with pytest.raises(NotAllowed):
        services.job_document_add(job=job, user=make_customer(), delivery="courier")


def test_factory_drives_a_job_to_dispatched_with_a_visit_in_its_slot(customer):
    service = make_service()
    make_provider_for(service)
    job = make_job(customer, service, status=Status.DISPATCHED, slot="evening")
    start, end = job.slot_bounds()
    assert start <= job.visit_at < end and job.visit_at == visit_time(job)


def test_S5_the_database_refuses_a_deposit_service_without_a_deposit_percentage():
    service = make_service()
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.filter(pk=service.pk).update(payment_rule="deposit", deposit_percent=None)
