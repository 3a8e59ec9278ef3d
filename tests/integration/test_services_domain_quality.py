"""Ratings (S15), warranty redo with a provider fine and suspension (S11), complaints (S10)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from ledger.models import Account, Transfer
from notifications.services import messages_for
from services_catalog import services
from services_catalog.errors import (
    ClaimAlreadyDecided,
    InvalidTransition,
    NotAllowed,
    RatingNotAllowed,
    WarrantyExpired,
)
from services_catalog.models import Complaint, Job, Provider, ProviderSanction, Rating, WarrantyClaim
from tests.factories_services import make_customer, make_job, make_provider_for, make_service, make_staff

pytestmark = pytest.mark.django_db
D = Decimal
Status = Job.Status


@pytest.fixture
def customer():
    return make_customer()


@pytest.fixture
def staff():
    return make_staff()


def balance(code: str) -> Decimal:
    account = Account.objects.filter(code=code).first()
    return account.balance if account else D("0")


# ------------------------------------------------------------------ ratings (S15)
def test_S15_both_sides_rate_each_other_once_after_completion(customer):
    service = make_service()
    provider = make_provider_for(service)
    job = make_job(customer, service, status=Status.COMPLETED)
    by_customer = services.rating_submit(job=job, user=customer, score=4, comment="Tidy work")
    by_provider = services.rating_submit(job=job, user=provider.user, score=5)
    assert (by_customer.side, by_provider.side) == (Rating.Side.CUSTOMER, Rating.Side.PROVIDER)
    again = services.rating_submit(job=job, user=customer, score=1, comment="changed my mind")
    assert again == by_customer and Rating.objects.get(pk=by_customer.pk).score == 4
    assert job.ratings.count() == 2
    provider.refresh_from_db()
    assert (provider.rating_average, provider.rating_count) == (D("4.00"), 1)


def test_S15_only_completed_jobs_are_rated(customer):
    service = make_service()
    make_provider_for(service)
    job = make_job(customer, service, status=Status.IN_PROGRESS)
    with pytest.raises(RatingNotAllowed):
        services.rating_submit(job=job, user=customer, score=5)
    assert not Rating.objects.filter(job=job).exists()


def test_S15_only_participants_rate(customer, staff):
    service = make_service()
    make_provider_for(service)
    job = make_job(customer, service, status=Status.COMPLETED)
    for outsider in (make_customer(), make_provider_for(service).user, staff):
        with pytest.raises(NotAllowed):
            services.rating_submit(job=job, user=outsider, score=1)
    with pytest.raises(RatingNotAllowed):
        services.rating_submit(job=job, user=customer, score=6)


def test_S15_ratings_feed_the_ranking_that_matching_uses(customer):
    service = make_service()
    first = make_provider_for(service, rating="0")
    second = make_provider_for(service, rating="0")
    job = make_job(customer, service, status=Status.COMPLETED)
    assert job.provider == first  # both unrated: the older provider first
    services.rating_submit(job=job, user=customer, score=1)
    other = make_job(make_customer(), service, status=Status.COMPLETED, slot="afternoon")
    assert other.provider == second  # one poor rating ranks behind an unrated newcomer
    services.rating_submit(job=other, user=other.customer, score=5)
    third = make_job(make_customer(), service, status=Status.ASSIGNED, slot="evening")
    assert third.provider == second
    first.refresh_from_db()
    assert first.rating_average == D("1.00")


# ------------------------------------------------------------------ warranty (S11)
def completed_job(customer, *, price="300.00", provider_kwargs=None) -> Job:
    service = make_service(base_price=price)
    make_provider_for(service, **(provider_kwargs or {}))
    make_provider_for(service, rating="0.50")  # someone else for the redo
    return make_job(customer, service, status=Status.COMPLETED, pay_balance=True)


def test_S11_a_confirmed_claim_creates_a_free_linked_redo_and_fines_the_provider_7_percent(customer, staff):
    job = completed_job(customer, provider_kwargs={"rating": "5.00"})
    original = job.provider
    credited = balance(original.payable_account_code)
    fines_before = balance("platform:fines")
    claim = services.warranty_report(job=job, customer=customer, reason="The tap leaks again")
    assert services.warranty_report(job=job, customer=customer, reason="The tap leaks again") == claim
    claim = services.warranty_confirm(claim=claim, staff_user=staff)
    redo = claim.redo_job
    assert (claim.status, redo.redo_of, redo.customer, redo.price_total) == ("confirmed", job, customer, D("0"))
    assert redo.status == Status.ASSIGNED and redo.provider != original  # never back to who failed
    assert claim.fine_amount == D("21.00")  # 7% of 300.00
    assert balance(original.payable_account_code) == credited - D("21.00")
    assert balance("platform:fines") - fines_before == D("21.00")
    sanction = ProviderSanction.objects.get(provider=original, kind="fine")
    assert sanction.amount == D("21.00") and sanction.warranty_claim == claim
    # confirming twice changes nothing: one redo, one fine
    assert services.warranty_confirm(claim=claim, staff_user=staff).redo_job == redo
    assert Job.objects.filter(redo_of=job).count() == 1
    assert Transfer.objects.filter(idempotency_key=f"services:warranty:{claim.pk}:fine").count() == 1
    assert messages_for(event="services_warranty_decision", recipient=customer).exists()
    call_command("ledger_check", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))


def finish(job: Job) -> Job:
    """The assigned provider visits, works and completes `job` (at its visit time)."""
    user = job.provider.user
    job = services.job_dispatch(job=job, user=user, visit_at=job.slot_bounds()[0])
    job = services.job_start(job=job, user=user, now=job.visit_at)
    return services.job_complete(job=job, provider_user=user, now=job.visit_at + datetime.timedelta(hours=1))


def test_S11_a_redo_of_a_redo_fines_its_provider_on_the_original_jobs_value(customer, staff):
    service = make_service(base_price="300.00")
    first = make_provider_for(service, rating="5.00")
    second = make_provider_for(service, rating="4.00")
    third = make_provider_for(service, rating="3.00")
    job = make_job(customer, service, status=Status.COMPLETED, pay_balance=True)
    assert job.provider == first
    redo = services.warranty_confirm(claim=services.warranty_report(job=job, customer=customer, reason="Leaks"),
                                     staff_user=staff).redo_job
    assert (redo.provider, redo.price_total) == (second, D("0"))
    redo = finish(redo)
    assert redo.status == Status.COMPLETED and redo.provider_credited_at is not None
    assert balance(second.payable_account_code) == D("0")  # the customer pays nothing for a redo
    fines_before = balance("platform:fines")
    claim = services.warranty_report(job=redo, customer=customer, reason="Still leaks")
    claim = services.warranty_confirm(claim=claim, staff_user=staff,
                                      preferred_date=redo.preferred_date + datetime.timedelta(days=1))
    # 7% of the original 300.00, although the redo itself was worth 0
    assert claim.fine_amount == D("21.00")
    assert balance(second.payable_account_code) == D("-21.00")
    assert balance("platform:fines") - fines_before == D("21.00")
    assert ProviderSanction.objects.get(provider=second, kind="fine").warranty_claim == claim
    # the second redo goes to neither provider whose work failed
    assert (claim.redo_job.redo_of, claim.redo_job.provider) == (redo, third)


def test_S11_a_fine_can_leave_the_provider_owing_the_platform(customer, staff):
    service = make_service(base_price="100.00")
    provider = make_provider_for(service, rating="5.00")
    make_provider_for(service)
    job = make_job(customer, service, status=Status.COMPLETED)  # not yet paid: nothing credited
    claim = services.warranty_report(job=job, customer=customer, reason="Broken")
    services.warranty_confirm(claim=claim, staff_user=staff)
    assert balance(provider.payable_account_code) == D("-7.00")


def test_S11_the_warranty_lasts_90_days_from_completion(customer):
    job = completed_job(customer)
    with pytest.raises(WarrantyExpired):
        services.warranty_report(job=job, customer=customer, reason="late",
                                 now=job.completed_at + datetime.timedelta(days=90, seconds=1))
    claim = services.warranty_report(job=job, customer=customer, reason="in time",
                                     now=job.completed_at + datetime.timedelta(days=89))
    assert claim.status == WarrantyClaim.Status.REPORTED


def test_S11_only_the_customer_reports_and_only_staff_decide(customer, staff):
    job = completed_job(customer)
    with pytest.raises(NotAllowed):
        services.warranty_report(job=job, customer=make_customer(), reason="x")
    claim = services.warranty_report(job=job, customer=customer, reason="x")
    with pytest.raises(NotAllowed):
        services.warranty_confirm(claim=claim, staff_user=customer)
    with pytest.raises(NotAllowed):
        services.warranty_confirm(claim=claim, staff_user=job.provider.user)


def test_S11_a_rejected_claim_tells_the_customer_why_and_cannot_be_confirmed(customer, staff):
    job = completed_job(customer)
    claim = services.warranty_report(job=job, customer=customer, reason="Paint colour")
    claim = services.warranty_reject(claim=claim, staff_user=staff, note="Colour was chosen by the customer")
    assert services.warranty_reject(claim=claim, staff_user=staff, note="again").decision_note.startswith("Colour")
    with pytest.raises(ClaimAlreadyDecided):
        services.warranty_confirm(claim=claim, staff_user=staff)
    email = messages_for(event="services_warranty_decision", recipient=customer, channel="email").get()
    assert "Colour was chosen by the customer" in email.body
    assert not ProviderSanction.objects.filter(provider=job.provider).exists()


def test_S11_a_job_already_redone_is_not_redone_twice(customer, staff):
    job = completed_job(customer)
    services.warranty_confirm(claim=services.warranty_report(job=job, customer=customer, reason="x"), staff_user=staff)
    with pytest.raises(InvalidTransition):
        services.warranty_report(job=job, customer=customer, reason="again")


def test_S11_repeated_confirmed_redos_within_the_window_suspend_the_provider(customer, staff, settings):
    settings.CHAARSOO_QUALITY_POLICY = {"provider": {"fine_rate": "0.07", "suspend_after": 2, "window_days": 180}}
    service = make_service(base_price="100.00")
    provider = make_provider_for(service, rating="5.00")
    make_provider_for(service, rating="1.00")
    first = make_job(customer, service, status=Status.COMPLETED)
    second = make_job(make_customer(), service, status=Status.COMPLETED, slot="afternoon")
    assert first.provider == second.provider == provider
    services.warranty_confirm(claim=services.warranty_report(job=first, customer=first.customer, reason="a"),
                              staff_user=staff)
    provider.refresh_from_db()
    assert provider.status == Provider.Status.ACTIVE
    services.warranty_confirm(claim=services.warranty_report(job=second, customer=second.customer, reason="b"),
                              staff_user=staff)
    provider.refresh_from_db()
    assert provider.status == Provider.Status.SUSPENDED
    assert ProviderSanction.objects.filter(provider=provider, kind="suspension").count() == 1
    assert make_job(make_customer(), service, status=Status.ASSIGNED, slot="evening").provider != provider


def test_S11_redos_outside_the_window_do_not_count(customer, staff, settings):
    settings.CHAARSOO_QUALITY_POLICY = {"provider": {"fine_rate": "0.07", "suspend_after": 2, "window_days": 30}}
    service = make_service(base_price="100.00")
    provider = make_provider_for(service, rating="5.00")
    make_provider_for(service, rating="1.00")
    old = make_job(customer, service, status=Status.COMPLETED)
    recent = make_job(make_customer(), service, status=Status.COMPLETED, slot="afternoon")
    assert old.provider == recent.provider == provider
    long_ago = timezone.now() - datetime.timedelta(days=40)
    claim = services.warranty_report(job=old, customer=old.customer, reason="a")
    services.warranty_confirm(claim=claim, staff_user=staff, now=long_ago)
    services.warranty_confirm(claim=services.warranty_report(job=recent, customer=recent.customer, reason="b"),
                              staff_user=staff)
    provider.refresh_from_db()
    assert provider.status == Provider.Status.ACTIVE


# ------------------------------------------------------------------ complaints (S10)
def test_S10_staff_warn_fine_or_suspend_a_provider_complained_about(customer, staff):
    service = make_service()
    provider = make_provider_for(service)
    job = make_job(customer, service, status=Status.COMPLETED)
    complaint = services.complaint_file(customer=customer, job=job, text="Rude on the phone")
    assert services.complaint_file(customer=customer, job=job, text="Rude on the phone") == complaint
    assert complaint.provider == provider and complaint.status == Complaint.Status.OPEN
    services.complaint_resolve(complaint=complaint, staff_user=staff, action="warning", note="First warning")
    assert ProviderSanction.objects.get(provider=provider).kind == "warning"

    fined = services.complaint_file(customer=customer, job=job, text="Left a mess")
    services.complaint_resolve(complaint=fined, staff_user=staff, action="fine", amount="15.00", note="Mess")
    services.complaint_resolve(complaint=fined, staff_user=staff, action="fine", amount="15.00", note="Mess")
    assert balance(provider.payable_account_code) == D("-15.00")
    assert ProviderSanction.objects.filter(provider=provider, kind="fine").count() == 1
    assert messages_for(event="services_provider_sanction", recipient=provider.user).exists()

    suspended = services.complaint_file(customer=customer, provider=provider, text="Never showed up again")
    services.complaint_resolve(complaint=suspended, staff_user=staff, action="suspension")
    provider.refresh_from_db()
    assert provider.status == Provider.Status.SUSPENDED
    provider = services.provider_reinstate(provider=provider, staff_user=staff)
    assert provider.status == Provider.Status.ACTIVE


def test_S10_only_the_jobs_customer_complains_and_only_staff_resolve(customer, staff):
    service = make_service()
    make_provider_for(service)
    job = make_job(customer, service, status=Status.COMPLETED)
    with pytest.raises(NotAllowed):
        services.complaint_file(customer=make_customer(), job=job, text="x")
    complaint = services.complaint_file(customer=customer, job=job, text="x")
    with pytest.raises(NotAllowed):
        services.complaint_resolve(complaint=complaint, staff_user=customer, action="warning")
    with pytest.raises(Exception) as no_amount:
        services.complaint_resolve(complaint=complaint, staff_user=staff, action="fine")
    assert getattr(no_amount.value, "code", "") == "invalid_amount"
