"""Issue 9: every staff step of a service job asks for its named ability (core.permissions),
not `is_staff`; the job's steps go through one state machine (services_catalog.machine)
whose events are the kernel's TransitionEvent; a card refund reaches Stripe only after the
job's transaction has committed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from core.errors import NotAllowed as CoreNotAllowed
from core.models import TransitionEvent
from payments.errors import RefundFailed
from payments.models import Payment
from services_catalog import services
from services_catalog.errors import NotAllowed
from services_catalog.machine import JOB
from services_catalog.models import Complaint, Job, JobEvent, Provider
from tests.factories_services import (
    future_date,
    make_customer,
    make_job,
    make_provider_for,
    make_service,
    make_staff,
)
from tests.helpers.roles import make_role_user

pytestmark = pytest.mark.django_db
Status = Job.Status
D = Decimal


def cash_refund_owed() -> Job:
    """A job paid in cash, then cancelled by its provider: the cash is owed back."""
    service = make_service(base_price="100.00", payment_rule="upfront")
    provider = make_provider_for(service)
    job = make_job(make_customer(), service, status=Status.ASSIGNED)
    return services.job_cancel(job=job, user=provider.user, reason="Sick")


def test_an_operator_quotes_and_files_for_a_caller_but_cannot_refund():
    operator = make_role_user("operator")
    quoted = make_job(make_customer(), make_service(pricing_model="quote", base_price="0"))
    quote = services.quote_send(job=quoted, user=operator, lines=[{"description": "Fix", "unit_price": "40"}])
    assert quote.total == D("40.00")
    service = make_service(pricing_model="fixed", base_price="30")
    filed = services.job_request(customer=make_customer(), service=service, area=service.areas.first(),
                                 address="Tehran", preferred_date=future_date(service), slot="morning",
                                 filed_by=operator)
    assert filed.filed_by == operator
    job = cash_refund_owed()
    with pytest.raises(NotAllowed):
        services.job_record_cash_refund(job=job, staff_user=operator)
    job.refresh_from_db()
    assert job.cash_refund_due == D("100.00") and job.amount_refunded == D("0")


def test_finance_hands_back_a_cash_refund_but_does_not_quote_or_file_for_callers():
    finance = make_role_user("finance")
    job = services.job_record_cash_refund(job=cash_refund_owed(), staff_user=finance)
    assert (job.cash_refund_due, job.amount_refunded) == (D("0"), D("100.00"))
    quoted = make_job(make_customer(), make_service(pricing_model="quote", base_price="0"))
    with pytest.raises(NotAllowed):
        services.quote_send(job=quoted, user=finance, lines=[{"description": "Fix", "unit_price": "40"}])
    service = make_service(pricing_model="fixed", base_price="30")
    with pytest.raises(NotAllowed):
        services.job_request(customer=make_customer(), service=service, area=service.areas.first(),
                             address="Tehran", preferred_date=future_date(service), slot="morning",
                             filed_by=finance)


@pytest.mark.parametrize("role", ["editor", "agent"])
def test_an_editor_or_a_support_agent_takes_no_money_step_on_a_job(role):
    """is_staff-only checks let them; named abilities do not (cash, refund, fine, reassign)."""
    user = make_role_user(role)
    user.is_staff = True  # even with Django's staff flag set
    user.save(update_fields=["is_staff"])
    service = make_service(base_price="60.00", payment_rule="upfront")
    provider = make_provider_for(service)
    unpaid = make_job(make_customer(), service, status=Status.ACCEPTED, pay=False)
    with pytest.raises(NotAllowed):
        services.job_record_cash_payment(job=unpaid, staff_user=user)
    with pytest.raises(NotAllowed):
        services.job_record_cash_refund(job=cash_refund_owed(), staff_user=user)
    assigned = make_job(make_customer(), service, status=Status.ASSIGNED)
    with pytest.raises(NotAllowed):
        services.job_reassign(job=assigned, staff_user=user)
    complaint = services.complaint_file(customer=assigned.customer, text="Late", job=assigned)
    with pytest.raises(NotAllowed):
        services.complaint_resolve(complaint=complaint, staff_user=user, action="fine", amount="5")
    with pytest.raises(NotAllowed):
        services.job_cancel(job=assigned, user=user, reason="x")
    assigned.refresh_from_db()
    unpaid.refresh_from_db()
    assert (assigned.status, assigned.provider, unpaid.amount_paid) == (Status.ASSIGNED, provider, D("0"))
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.OPEN


def test_a_complaint_fine_needs_fine_party_and_a_suspension_suspend_party():
    operator = make_role_user("operator")  # resolves complaints, but fines and suspends nobody
    service = make_service(base_price="60.00")
    provider = make_provider_for(service)
    job = make_job(make_customer(), service, status=Status.ASSIGNED)
    fined = services.complaint_file(customer=job.customer, text="Rude", job=job)
    for action in ("fine", "suspension"):
        with pytest.raises(NotAllowed):
            services.complaint_resolve(complaint=fined, staff_user=operator, action=action, amount="5")
    warned = services.complaint_resolve(complaint=fined, staff_user=operator, action="warning")
    assert warned.status == Complaint.Status.CLOSED
    other = services.complaint_file(customer=job.customer, text="Late again", job=job)
    services.complaint_resolve(complaint=other, staff_user=make_staff(), action="suspension")
    assert Provider.objects.get(pk=provider.pk).status == Provider.Status.SUSPENDED
    with pytest.raises(NotAllowed):
        services.provider_reinstate(provider=provider, staff_user=operator)
    services.provider_reinstate(provider=provider, staff_user=make_role_user("finance"))
    assert Provider.objects.get(pk=provider.pk).status == Provider.Status.ACTIVE


def test_a_warranty_decision_needs_judge_warranty():
    service = make_service(base_price="100.00")
    make_provider_for(service)
    job = make_job(make_customer(), service, status=Status.COMPLETED, pay_balance=True)
    claim = services.warranty_report(job=job, customer=job.customer, reason="Leaks again")
    for role in ("finance", "editor", "agent"):
        with pytest.raises(NotAllowed):
            services.warranty_confirm(claim=claim, staff_user=make_role_user(role))
        with pytest.raises(NotAllowed):
            services.warranty_reject(claim=claim, staff_user=make_role_user(role), note="No")
    assert services.warranty_reject(claim=claim, staff_user=make_role_user("operator"), note="Wear").status == \
        "rejected"


def test_job_errors_are_the_kernels_typed_errors():
    assert issubclass(NotAllowed, CoreNotAllowed)


# ------------------------------------------------------------------ one transition mechanism
def test_the_job_machine_writes_kernel_events_and_a_repeated_step_changes_nothing():
    assert issubclass(JobEvent, TransitionEvent)
    service = make_service(base_price="50.00")
    provider = make_provider_for(service)
    job = make_job(make_customer(), service, status=Status.ASSIGNED)
    start, _end = job.slot_bounds()
    job = services.job_dispatch(job=job, user=provider.user, visit_at=start)
    event = job.events.get(action=JobEvent.Action.DISPATCHED)
    assert (event.from_status, event.to_status, event.actor) == (Status.ASSIGNED, Status.DISPATCHED, provider.user)
    fired = JOB.fire(job, JobEvent.Action.DISPATCHED, actor=provider.user)  # the same step again
    assert fired.changed is False and fired.event == event
    assert job.events.filter(action=JobEvent.Action.DISPATCHED).count() == 1
    assert set(JOB.transitions) <= set(JobEvent.Action.values)  # history pages keep their names


def test_a_customer_cannot_fire_a_staff_transition_through_the_machine():
    service = make_service(base_price="50.00")
    make_provider_for(service)
    job = make_job(make_customer(), service, status=Status.ASSIGNED)
    with pytest.raises(NotAllowed):
        JOB.fire(job, JobEvent.Action.REASSIGNED, actor=job.customer)
    assert Job.objects.get(pk=job.pk).status == Status.ASSIGNED


# ------------------------------------------------------------------ Stripe after commit
def test_a_cancellation_hands_its_card_refund_over_only_after_its_own_transaction(monkeypatch):
    """The job's transaction (the row locks) is over when payments is asked to refund:
    the only atomic blocks open are the test's own."""
    from payments import refunds  # where the intents are sent from

    service = make_service(base_price="80.00", payment_rule="upfront")
    make_provider_for(service)
    job = make_job(make_customer(), service, status=Status.ACCEPTED, pay=False)
    payment = Payment.objects.create(
        payable_type=ContentType.objects.get_for_model(Job), payable_id=job.pk, user=job.customer, purpose="full",
        amount=D("80.00"), currency=job.currency,
        idempotency_key=f"test:{job.pk}", status=Payment.Status.SUCCEEDED, stripe_payment_intent_id="pi_test",
        succeeded_at=timezone.now(),
    )
    services.job_payment_received(job=job, payment=payment)
    depth = len(connection.atomic_blocks)
    seen: list[tuple[int, Decimal]] = []  # (open atomic blocks, amount) at each hand-over

    def refund_create(**kwargs):
        seen.append((len(connection.atomic_blocks), kwargs["amount"]))
        raise RefundFailed("Stripe is down")

    monkeypatch.setattr(refunds, "refund_create", refund_create)
    job = services.job_cancel(job=Job.objects.get(pk=job.pk), user=job.customer, reason="Plans changed")
    assert [blocks for blocks, _amount in seen] == [depth] and seen[0][1] > 0
    assert job.status == Status.CANCELLED and job.card_refunds.get().sent_at is None  # retried later
