"""Provider slots under real concurrency (S13, issue point 6): two jobs racing for one
provider's slot in two threads, each with its own PostgreSQL connection. The unique
(provider, date, slot) constraint lets exactly one booking through; the other job moves on
to the next provider or keeps waiting. Never double-booked.

And the lock order (services_catalog.services and payments.services docstrings): two
transitions that used to wait on each other in a cycle, driven into exactly that
interleaving on real PostgreSQL connections, now both finish."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Count

from services_catalog import services
from services_catalog.models import Job, SlotBooking
from tests.factories_services import (
    future_date,
    make_customer,
    make_job,
    make_provider_for,
    make_service,
    make_staff,
)

Status = Job.Status


def skip_unless_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent row inserts need PostgreSQL (run with DATABASE_URL=postgres://...)")


def waiting_jobs(service, count: int) -> list[Job]:
    """`count` paid jobs for the same date and slot, all waiting for a provider."""
    day = future_date(service)
    return [make_job(make_customer(), service, status=Status.MATCHING, preferred_date=day) for _ in range(count)]


def race(jobs: list[Job]) -> list[object]:
    """Run job_match for every job at the same moment, one thread (and connection) each."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[object] = [None] * len(jobs)

    def match(index: int, job: Job) -> None:
        try:
            barrier.wait()
            outcomes[index] = services.job_match(job=job)
        except Exception as exc:  # recorded, so the assertion shows what went wrong
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=match, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def assert_never_double_booked() -> None:
    doubles = (
        SlotBooking.objects.values("provider", "date", "slot").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert list(doubles) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_S13_two_jobs_racing_for_one_providers_slot_book_it_once():
    skip_unless_postgres()
    service = make_service()
    first, second = waiting_jobs(service, 2)
    provider = make_provider_for(service)
    outcomes = race([first, second])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(str(o) for o in outcomes) == sorted([str(provider), "None"])
    jobs = list(Job.objects.filter(pk__in=[first.pk, second.pk]))
    assert sorted(job.status for job in jobs) == [Status.ASSIGNED, Status.MATCHING]
    assert SlotBooking.objects.filter(provider=provider).count() == 1
    assert_never_double_booked()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_S13_the_job_that_loses_the_race_goes_to_the_next_free_provider():
    skip_unless_postgres()
    service = make_service()
    jobs = waiting_jobs(service, 3)
    best = make_provider_for(service, rating="5.00")
    second = make_provider_for(service, rating="4.00")
    outcomes = race(jobs)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    statuses = sorted(Job.objects.filter(pk__in=[j.pk for j in jobs]).values_list("status", flat=True))
    assert statuses == [Status.ASSIGNED, Status.ASSIGNED, Status.MATCHING]
    assert set(SlotBooking.objects.values_list("provider", flat=True)) == {best.pk, second.pk}
    assert_never_double_booked()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_S13_the_database_constraint_refuses_a_double_booking_on_postgresql():
    skip_unless_postgres()
    service = make_service()
    first, second = waiting_jobs(service, 2)
    provider = make_provider_for(service)
    SlotBooking.objects.create(provider=provider, date=first.preferred_date, slot=first.slot, job=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotBooking.objects.create(provider=provider, date=second.preferred_date, slot=second.slot, job=second)


# ------------------------------------------------------------------ lock order: no deadlocks
def lock_waiters() -> int:
    """Sessions of this test database waiting for a lock right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def interleave(hold: Callable[[], object], steps: list[Callable[[], object]]) -> list[object]:
    """Run `steps` in threads in a fixed interleaving. A gate transaction first takes a row
    lock (`hold`); each step is started only once the one before it is queued behind that
    lock (or behind another), so they reach their locks in this order; then the gate
    commits and they race on. Returns each step's result or exception."""
    held, release = threading.Event(), threading.Event()
    outcomes: list[object] = [None] * len(steps)

    def gate() -> None:
        try:
            with transaction.atomic():
                hold()
                held.set()
                release.wait(timeout=60)
        finally:
            connections.close_all()

    def run(index: int, step: Callable[[], object]) -> None:
        try:
            outcomes[index] = step()
        except Exception as exc:  # recorded, so the assertion shows what went wrong
            outcomes[index] = exc
        finally:
            connections.close_all()

    gate_thread = threading.Thread(target=gate)
    gate_thread.start()
    assert held.wait(timeout=30), "the gate never took its lock"
    threads = []
    for index, step in enumerate(steps):
        thread = threading.Thread(target=run, args=(index, step))
        thread.start()
        threads.append(thread)
        deadline = time.monotonic() + 30
        while lock_waiters() < index + 1:
            assert thread.is_alive(), f"step {index} finished without waiting: {outcomes[index]!r}"
            assert time.monotonic() < deadline, f"step {index} never queued for its lock"
            time.sleep(0.05)
    release.set()
    for thread in [gate_thread, *threads]:
        thread.join(timeout=120)
        assert not thread.is_alive(), "a transaction is still blocked"
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_S11_S10_a_redo_booked_to_a_provider_being_fined_meanwhile_does_not_deadlock():
    """warranty_confirm holds the failed provider and `platform:fines`, then books the redo
    to provider Q; complaint_resolve fining Q holds Q and waits for `platform:fines`.
    Provider rows are locked FOR NO KEY UPDATE, which does not block booking Q."""
    skip_unless_postgres()
    from ledger.models import Account

    service = make_service(base_price="100.00")
    failed = make_provider_for(service, rating="5.00")
    redo_provider = make_provider_for(service, rating="4.00")
    customer = make_customer()
    job = make_job(customer, service, status=Status.COMPLETED)
    assert job.provider == failed
    claim = services.warranty_report(job=job, customer=customer, reason="Leaks again")
    complaint = services.complaint_file(customer=make_customer(), provider=redo_provider, text="Late")
    staff = make_staff()
    for provider in (failed, redo_provider):
        services.provider_account(provider)
    fines = services._ledger_account(services.PLATFORM_FINES_ACCOUNT, currency=job.currency, name="Provider fines")

    outcomes = interleave(
        lambda: Account.objects.select_for_update().get(pk=fines.pk),
        [
            lambda: services.warranty_confirm(claim=claim, staff_user=staff),
            lambda: services.complaint_resolve(complaint=complaint, staff_user=staff, action="fine", amount="5.00"),
        ],
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    claim.refresh_from_db()
    assert claim.status == "confirmed" and claim.redo_job.provider == redo_provider
    assert Account.objects.get(code=redo_provider.payable_account_code).balance == Decimal("-5.00")
    assert Account.objects.get(code=failed.payable_account_code).balance == Decimal("-7.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_Y1_a_webhook_and_a_pay_page_reload_for_the_same_job_do_not_deadlock(stripe_settings, stripe_client):
    """payment_start locks the job, then its payments; the webhook must take the same
    order (job, then payment), or each would hold what the other waits for."""
    skip_unless_postgres()
    from payments import services as payments
    from payments.models import Payment
    from tests.conftest import WEBHOOK_SECRET

    service = make_service(base_price="60.00", payment_rule="upfront")
    provider = make_provider_for(service)
    customer = make_customer()
    job = make_job(customer, service, status=Status.ACCEPTED)
    payment = payments.payment_start(payable=job, user=customer, purpose="full")
    method = stripe_client.v1.payment_methods.create(
        {"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2035, "cvc": "123"}}
    )
    stripe_client.v1.payment_intents.update(payment.stripe_payment_intent_id, {"payment_method": method.id})
    stripe_client.v1.payment_intents.confirm(payment.stripe_payment_intent_id)
    intent = stripe_client.v1.payment_intents.retrieve(payment.stripe_payment_intent_id).to_dict()
    payload = json.dumps({"id": "evt_services_lock_order", "object": "event", "type": "payment_intent.succeeded",
                          "data": {"object": intent}, "created": int(time.time())})
    stamp = int(time.time())
    signature = hmac.new(WEBHOOK_SECRET.encode(), f"{stamp}.{payload}".encode(), hashlib.sha256).hexdigest()

    outcomes = interleave(
        lambda: Job.objects.select_for_update().get(pk=job.pk),
        [
            lambda: payments.payment_start(payable=job, user=customer, purpose="full"),  # the pay page reloaded
            lambda: payments.webhook_receive(payload=payload.encode(), signature=f"t={stamp},v1={signature}"),
        ],
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    payment.refresh_from_db()
    job.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert (job.status, job.provider, job.amount_paid) == (Status.ASSIGNED, provider, Decimal("60.00"))
