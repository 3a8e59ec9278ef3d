"""Money of service jobs: payments through the payable adapter (S5), cancellation fees and
refunds (S8), provider payables on the ledger (S17), expiry with a full refund. Card
payments run against localstripe (tests/conftest.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import stripe
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from ledger.models import Account, Transfer
from notifications.services import messages_for
from payments import services as payments
from payments.errors import AlreadyPaid, NotPayable
from payments.models import Payment, PaymentRefund
from payments.payables import adapter_for
from services_catalog import selectors, services
from services_catalog.errors import InvalidTransition, NotAllowed
from services_catalog.models import Job, JobCharge, JobReceipt, SlotBooking
from services_catalog.payables import purpose_due
from tests.factories_services import make_customer, make_job, make_provider_for, make_service, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
D = Decimal
Status = Job.Status
GOOD_CARD = "4242424242424242"


@pytest.fixture
def customer():
    return make_customer()


@pytest.fixture
def staff():
    return make_staff()


def pay_with_card(client: stripe.StripeClient, payment: Payment) -> Payment:
    """What Stripe.js does in the browser, then the return page's sync."""
    method = client.v1.payment_methods.create(
        {"type": "card", "card": {"number": GOOD_CARD, "exp_month": 12, "exp_year": 2035, "cvc": "123"}}
    )
    client.v1.payment_intents.update(payment.stripe_payment_intent_id, {"payment_method": method.id})
    client.v1.payment_intents.confirm(payment.stripe_payment_intent_id)
    return payments.payment_sync(payment=payment)


def card_pay(client, job: Job, purpose: str) -> Payment:
    payment = payments.payment_start(payable=job, user=job.customer, purpose=purpose)
    return pay_with_card(client, payment)


def fake_succeeded_payment(job: Job, purpose: str, amount: Decimal) -> Payment:
    """A captured card payment as payments/ records it, for adapter tests without Stripe."""
    return Payment.objects.create(
        payable_type=ContentType.objects.get_for_model(Job), payable_id=job.pk, user=job.customer, purpose=purpose,
        amount=amount, currency=job.currency, idempotency_key=f"test:{job.pk}:{purpose}",
        status=Payment.Status.SUCCEEDED, succeeded_at=timezone.now(),
    )


def expired_of(job: Job, expired: list[Job]) -> list[int]:
    """The sweeps run over every job in the database (the demo's too, when it is loaded):
    only whether this test's job was among them is the test's business."""
    return [j.pk for j in expired if j.pk == job.pk]


def balance(code: str) -> Decimal:
    account = Account.objects.filter(code=code).first()
    return account.balance if account else D("0")


def assert_ledger_consistent() -> None:
    call_command("ledger_check", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))


# ------------------------------------------------------------------ the payable adapter (S5)
def test_S5_a_deposit_is_due_first_and_the_balance_after_the_work(customer):
    service = make_service(base_price="200.00", payment_rule="deposit", deposit_percent=30)
    provider = make_provider_for(service)
    job = make_job(customer, service, status=Status.ACCEPTED)
    adapter = adapter_for(job)
    assert purpose_due(job) == "deposit"
    assert adapter.amount_due(job, "deposit").amount == D("60.00")
    assert adapter.owner_id(job) == customer.pk
    with pytest.raises(NotPayable):
        adapter.amount_due(job, "full")
    adapter.on_paid(job, fake_succeeded_payment(job, "deposit", D("60.00")))
    job.refresh_from_db()
    assert (job.status, job.provider, job.amount_paid) == (Status.ASSIGNED, provider, D("60.00"))
    with pytest.raises(NotPayable):  # nothing due while the work is being done
        adapter.check_payable(job)
    job = make_job_through(job, Status.COMPLETED)
    assert purpose_due(job) == "balance" and adapter.amount_due(job, "balance").amount == D("140.00")
    adapter.on_paid(job, fake_succeeded_payment(job, "balance", D("140.00")))
    job.refresh_from_db()
    assert job.paid_in_full_at is not None and purpose_due(job) is None


def make_job_through(job: Job, status: str) -> Job:
    user = job.provider.user
    start, _end = job.slot_bounds()
    job = services.job_dispatch(job=job, user=user, visit_at=start + datetime.timedelta(minutes=30))
    job = services.job_start(job=job, user=user, now=job.visit_at)
    if status == Status.COMPLETED:
        job = services.job_complete(job=job, provider_user=user)
    return job


def test_paying_twice_through_the_adapter_changes_nothing_the_second_time(customer):
    service = make_service(base_price="120.00", payment_rule="upfront")
    make_provider_for(service)
    job = make_job(customer, service, status=Status.ACCEPTED)
    payment = fake_succeeded_payment(job, "full", D("120.00"))
    adapter_for(job).on_paid(job, payment)
    job.refresh_from_db()
    snapshot = (job.status, job.amount_paid, job.provider_id, job.events.count(), SlotBooking.objects.count())
    adapter_for(job).on_paid(Job.objects.get(pk=job.pk), payment)  # a replayed webhook
    job.refresh_from_db()
    assert (job.status, job.amount_paid, job.provider_id, job.events.count(), SlotBooking.objects.count()) == snapshot
    assert JobReceipt.objects.filter(job=job).count() == 1
    assert job.events.filter(action="paid").count() == 1


def test_S5_an_upfront_card_payment_through_stripe_sends_the_job_to_a_provider(stripe_settings, stripe_client,
                                                                               customer):
    service = make_service(base_price="75.00", payment_rule="upfront")
    provider = make_provider_for(service)
    job = make_job(customer, service, status=Status.ACCEPTED)
    payment = card_pay(stripe_client, job, "full")
    assert payment.status == Payment.Status.SUCCEEDED and payment.amount == D("75.00")
    job.refresh_from_db()
    assert (job.status, job.provider, job.amount_paid) == (Status.ASSIGNED, provider, D("75.00"))
    assert job.receipts.get().payment == payment
    with pytest.raises(AlreadyPaid):
        payments.payment_start(payable=job, user=customer, purpose="full")
    payments.payment_sync(payment=payment)  # the browser's return page loaded again
    assert JobReceipt.objects.filter(job=job).count() == 1


def test_a_card_payment_landing_after_cash_was_taken_is_refunded(stripe_settings, stripe_client, customer, staff,
                                                                 django_capture_on_commit_callbacks):
    service = make_service(base_price="50.00", payment_rule="upfront")
    job = make_job(customer, service, status=Status.ACCEPTED)
    payment = payments.payment_start(payable=job, user=customer, purpose="full")
    services.job_record_cash_payment(job=job, staff_user=staff)
    # The duplicate is refunded once payments' transaction has committed (never inside it).
    with django_capture_on_commit_callbacks(execute=True):
        payment = pay_with_card(stripe_client, payment)
    job.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert Payment.objects.get(pk=payment.pk).amount_refunded == D("50.00")
    assert job.amount_paid == D("50.00") and job.receipts.get().method == JobReceipt.Method.CASH


def test_cash_recorded_twice_is_one_receipt(customer, staff):
    service = make_service(base_price="90.00", payment_rule="upfront")
    job = make_job(customer, service, status=Status.ACCEPTED)
    first = services.job_record_cash_payment(job=job, staff_user=staff)
    second = services.job_record_cash_payment(job=job, staff_user=staff)
    assert first == second and Job.objects.get(pk=job.pk).amount_paid == D("90.00")
    assert messages_for(event="services_receipt", recipient=customer, channel="email").count() == 1


# ------------------------------------------------------------------ provider payables (S17)
def test_S17_the_provider_is_credited_their_share_minus_commission_once_the_job_is_paid(customer, staff):
    service = make_service(base_price="200.00", payment_rule="on_completion")
    provider = make_provider_for(service, commission_rate="0.15")
    job = make_job(customer, service, status=Status.COMPLETED)
    assert job.provider_credited_at is None and balance(provider.payable_account_code) == D("0")
    commission_before = balance("platform:commission")
    services.job_record_cash_payment(job=job, staff_user=staff)
    job.refresh_from_db()
    assert balance(provider.payable_account_code) == D("170.00")
    assert balance("platform:commission") - commission_before == D("30.00")
    transfer = Transfer.objects.get(idempotency_key=f"services:job:{job.pk}:settlement")
    assert sorted(leg.amount for leg in transfer.legs.all()) == [D("-200.00"), D("30.00"), D("170.00")]
    assert job.commission_rate == D("0.150") and job.provider_credited_at is not None
    # completing, paying or settling again credits nothing more
    services.job_complete(job=job, provider_user=provider.user)
    services.job_record_cash_payment(job=job, staff_user=staff)
    assert Transfer.objects.filter(idempotency_key__startswith=f"services:job:{job.pk}:").count() == 1
    assert balance(provider.payable_account_code) == D("170.00")
    assert_ledger_consistent()


def test_S17_accepted_extra_work_is_shared_too(customer, staff):
    service = make_service(base_price="100.00", payment_rule="upfront")
    provider = make_provider_for(service, commission_rate="0.10")
    job = make_job(customer, service, status=Status.IN_PROGRESS)
    change = services.change_order_propose(job=job, provider_user=provider.user, description="Part", amount="50")
    services.change_order_decide(change_order=change, customer=customer, accept=True)
    job = services.job_complete(job=job, provider_user=provider.user)
    assert purpose_due(job) == "balance" and services.amount_owed(job) == D("50.00")
    adapter_for(job).on_paid(job, fake_succeeded_payment(job, "balance", D("50.00")))
    assert balance(provider.payable_account_code) == D("135.00")
    assert_ledger_consistent()


# ------------------------------------------------------------------ cancellation (S8)
def test_S8_cancelling_before_a_provider_is_assigned_is_free(customer):
    job = make_job(customer, make_service(), status=Status.QUOTED)
    preview = services.job_cancellation_preview(job=job, user=customer)
    assert preview.is_free
    job = services.job_cancel(job=job, user=customer, reason="Changed my mind", expected_fee=D("0"))
    assert (job.status, job.cancelled_by) == (Status.CANCELLED, "customer")
    assert services.job_cancel(job=job, user=customer, reason="again").cancel_reason == "Changed my mind"
    assert job.events.filter(action="cancelled").count() == 1


def test_S8_a_handling_fee_once_assigned_is_recorded_and_the_rest_refunded_to_the_card(
    stripe_settings, stripe_client, customer
):
    service = make_service(base_price="100.00", payment_rule="upfront", handling_fee="12.00")
    provider = make_provider_for(service)
    job = make_job(customer, service, status=Status.ACCEPTED)
    payment = card_pay(stripe_client, job, "full")
    job.refresh_from_db()
    assert job.status == Status.ASSIGNED
    commission_before = balance("platform:commission")
    job = services.job_cancel(job=job, user=customer, reason="Travelling", expected_fee=D("12.00"))
    payment.refresh_from_db()
    assert payment.amount_refunded == D("88.00")
    assert PaymentRefund.objects.get(payment=payment).stripe_refund_id
    lines = [(c.kind, c.amount) for c in job.charges.order_by("pk")]
    assert lines == [("quote", D("100.00")), ("cancellation_credit", D("-100.00")),
                     ("cancellation_fee", D("12.00")), ("refund", D("88.00"))]
    assert (job.amount_paid, job.amount_refunded, services.amount_owed(job)) == (D("100.00"), D("88.00"), D("0"))
    assert not SlotBooking.objects.filter(job=job).exists()
    # the handling fee is the platform's; the provider gets nothing for a job never visited
    assert balance(provider.payable_account_code) == D("0")
    assert balance("platform:commission") - commission_before == D("12.00")
    assert_ledger_consistent()


def test_S8_after_dispatch_the_call_out_fee_and_work_done_are_charged_and_the_provider_paid_for_them(
    stripe_settings, stripe_client, customer
):
    service = make_service(base_price="200.00", payment_rule="upfront", callout_fee="30.00")
    provider = make_provider_for(service, commission_rate="0.20")
    job = make_job(customer, service, status=Status.ACCEPTED)
    payment = card_pay(stripe_client, job, "full")
    job = make_job_through(Job.objects.get(pk=job.pk), Status.IN_PROGRESS)
    services.job_record_work_done(job=job, user=provider.user, amount="50")
    preview = services.job_cancellation_preview(job=job, user=customer)
    assert (preview.fee_total, preview.refund_total) == (D("80.00"), D("120.00"))
    job = services.job_cancel(job=job, user=customer, reason="Too slow", expected_fee=preview.fee_total)
    payment.refresh_from_db()
    assert payment.amount_refunded == D("120.00")
    assert {c.kind: c.amount for c in job.charges.all()}["work_done"] == D("50.00")
    assert balance(provider.payable_account_code) == D("64.00")  # (30 + 50) less 20%
    assert_ledger_consistent()
    cancelled = messages_for(event="services_job_cancelled", recipient=customer, channel="email").get()
    assert "80.00" in cancelled.body and "120.00" in cancelled.body


def test_S8_a_fee_not_covered_by_payments_becomes_due_as_the_balance(customer):
    service = make_service(base_price="200.00", payment_rule="on_completion", callout_fee="30.00")
    make_provider_for(service)
    job = make_job(customer, service, status=Status.DISPATCHED)
    job = services.job_cancel(job=job, user=customer, reason="No longer needed")
    assert services.amount_owed(job) == D("30.00") and purpose_due(job) == "balance"
    assert adapter_for(job).amount_due(job, "balance").amount == D("30.00")


def test_S8_a_provider_who_cancels_costs_the_customer_nothing(customer, staff):
    service = make_service(base_price="100.00", payment_rule="upfront", callout_fee="30.00")
    provider = make_provider_for(service)
    job = make_job(customer, service, status=Status.DISPATCHED)  # paid in cash by the factory
    job = services.job_cancel(job=job, user=provider.user, reason="Sick")
    assert job.cancelled_by == "provider"
    # Paid in cash: owed back to the customer, but nobody has handed it back yet.
    assert (job.amount_refunded, job.cash_refund_due) == (D("0"), D("100.00"))
    assert services.amount_owed(job) == D("-100.00") and purpose_due(job) is None
    assert not job.charges.filter(kind="refund").exists()
    assert job.events.filter(action="cash_refund_due").count() == 1
    cancelled = messages_for(event="services_job_cancelled", recipient=customer, channel="email").get()
    assert "hand it back" in cancelled.body or "بازمی‌گردانند" in cancelled.body
    assert balance(provider.payable_account_code) == D("0")


def test_S8_staff_confirm_a_cash_refund_once_they_have_handed_it_back(staff):
    customer = make_customer(phone="+989121110002")
    service = make_service(base_price="100.00", payment_rule="upfront")
    provider = make_provider_for(service)
    job = make_job(customer, service, status=Status.ASSIGNED)  # paid in cash by the factory
    job = services.job_cancel(job=job, user=provider.user, reason="Sick")
    assert job in selectors.jobs_with_cash_refund_due()
    with pytest.raises(NotAllowed):
        services.job_record_cash_refund(job=job, staff_user=customer)
    with pytest.raises(NotAllowed):
        services.job_record_cash_refund(job=job, staff_user=provider.user)
    job = services.job_record_cash_refund(job=job, staff_user=staff)
    assert (job.amount_refunded, job.cash_refund_due, services.amount_owed(job)) == (D("100.00"), D("0"), D("0"))
    assert job not in selectors.jobs_with_cash_refund_due()
    assert [(c.kind, c.amount) for c in job.charges.filter(kind="refund")] == [("refund", D("100.00"))]
    handed = job.events.get(action="cash_refunded")
    assert handed.actor == staff and handed.visible_to_customer
    assert messages_for(event="services_cash_refunded", recipient=customer).count() == 2  # email and SMS
    # confirming twice (a double click) changes nothing
    again = services.job_record_cash_refund(job=job, staff_user=staff)
    assert (again.amount_refunded, again.cash_refund_due) == (D("100.00"), D("0"))
    assert job.charges.filter(kind="refund").count() == 1 and job.events.filter(action="cash_refunded").count() == 1
    assert messages_for(event="services_cash_refunded", recipient=customer).count() == 2


def test_no_cash_refund_can_be_confirmed_when_none_is_owed(customer, staff):
    job = make_job(customer, make_service(), status=Status.QUOTED)
    with pytest.raises(InvalidTransition):
        services.job_record_cash_refund(job=job, staff_user=staff)
    assert not Job.objects.get(pk=job.pk).events.filter(action="cash_refunded").exists()


def test_S8_a_fee_that_changed_since_the_customer_saw_it_is_not_charged(customer):
    service = make_service(payment_rule="on_completion", handling_fee="10.00")
    make_provider_for(service)
    job = make_job(customer, service, status=Status.ASSIGNED)
    with pytest.raises(InvalidTransition) as changed:
        services.job_cancel(job=job, user=customer, reason="x", expected_fee=D("0"))
    assert changed.value.code == "fee_changed"
    assert Job.objects.get(pk=job.pk).status == Status.ASSIGNED


def test_S8_a_completed_job_cannot_be_cancelled(customer):
    service = make_service()
    make_provider_for(service)
    job = make_job(customer, service, status=Status.COMPLETED)
    with pytest.raises(InvalidTransition):
        services.job_cancel(job=job, user=customer, reason="late")


# ------------------------------------------------------------------ expiry
def test_a_paid_job_no_provider_takes_in_time_is_cancelled_with_a_full_card_refund(
    stripe_settings, stripe_client, customer
):
    service = make_service(base_price="60.00", payment_rule="upfront", handling_fee="10.00", min_lead_days=3)
    job = make_job(customer, service, status=Status.ACCEPTED)
    payment = card_pay(stripe_client, job, "full")
    job.refresh_from_db()
    assert job.status == Status.MATCHING
    swept = services.expire_unmatched_jobs(now=job.matching_since + datetime.timedelta(hours=11), hours=12)
    assert expired_of(job, swept) == []
    assert Job.objects.get(pk=job.pk).status == Status.MATCHING
    expired = services.expire_unmatched_jobs(now=job.matching_since + datetime.timedelta(hours=13), hours=12)
    assert expired_of(job, expired) == [job.pk]
    job.refresh_from_db()
    payment.refresh_from_db()
    assert (job.status, job.cancelled_by) == (Status.CANCELLED, "system")
    assert payment.amount_refunded == D("60.00") and job.amount_refunded == D("60.00")
    assert not job.charges.filter(kind__in=[JobCharge.Kind.CANCELLATION_FEE, JobCharge.Kind.CALLOUT_FEE]).exists()
    swept = services.expire_unmatched_jobs(now=job.matching_since + datetime.timedelta(hours=14), hours=12)
    assert expired_of(job, swept) == []


def test_expiry_gives_a_waiting_job_one_last_matching_try(customer):
    service = make_service()
    job = make_job(customer, service, status=Status.MATCHING)
    provider = make_provider_for(service)
    swept = services.expire_unmatched_jobs(now=job.matching_since + datetime.timedelta(hours=2), hours=1)
    assert expired_of(job, swept) == []
    job.refresh_from_db()
    assert (job.status, job.provider) == (Status.ASSIGNED, provider)


def test_a_waiting_job_whose_date_has_passed_is_cancelled(customer):
    service = make_service()
    job = make_job(customer, service, status=Status.MATCHING)
    make_provider_for(service)
    later = timezone.now() + datetime.timedelta(days=30)
    assert expired_of(job, services.expire_unmatched_jobs(now=later, hours=10_000)) == [job.pk]
    job.refresh_from_db()
    assert job.status == Status.CANCELLED and job.provider is None


def test_unpaid_accepted_jobs_expire_free_of_charge(customer):
    service = make_service(payment_rule="upfront")
    job = make_job(customer, service, status=Status.ACCEPTED)
    expired = services.expire_unpaid_jobs(now=job.accepted_at + datetime.timedelta(hours=25), hours=24)
    assert expired_of(job, expired) == [job.pk]
    job.refresh_from_db()
    assert job.status == Status.CANCELLED and services.amount_owed(job) == D("0")
    with pytest.raises(NotPayable):
        adapter_for(job).check_payable(job)


def test_unpaid_expiry_cancels_the_card_payment_under_way_at_stripe_first(stripe_settings, stripe_client, customer):
    service = make_service(base_price="80.00", payment_rule="upfront")
    job = make_job(customer, service, status=Status.ACCEPTED)
    payment = payments.payment_start(payable=job, user=customer, purpose="full")  # the pay page, never paid
    expired = services.expire_unpaid_jobs(now=job.accepted_at + datetime.timedelta(hours=25), hours=24)
    assert expired_of(job, expired) == [job.pk]
    intent = stripe_client.v1.payment_intents.retrieve(payment.stripe_payment_intent_id)
    assert intent.status == "canceled"  # nobody can pay for the cancelled job any more
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELED
    assert Job.objects.get(pk=job.pk).status == Status.CANCELLED


def test_unpaid_expiry_keeps_a_job_stripe_says_was_paid_at_the_last_moment(stripe_settings, stripe_client,
                                                                          customer):
    service = make_service(base_price="80.00", payment_rule="upfront")
    provider = make_provider_for(service)
    job = make_job(customer, service, status=Status.ACCEPTED)
    payment = payments.payment_start(payable=job, user=customer, purpose="full")
    method = stripe_client.v1.payment_methods.create(
        {"type": "card", "card": {"number": GOOD_CARD, "exp_month": 12, "exp_year": 2035, "cvc": "123"}}
    )
    stripe_client.v1.payment_intents.update(payment.stripe_payment_intent_id, {"payment_method": method.id})
    stripe_client.v1.payment_intents.confirm(payment.stripe_payment_intent_id)  # paid; no webhook or sync yet
    assert Payment.objects.get(pk=payment.pk).status != Payment.Status.SUCCEEDED
    swept = services.expire_unpaid_jobs(now=job.accepted_at + datetime.timedelta(hours=25), hours=24)
    assert expired_of(job, swept) == []
    job.refresh_from_db()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED and payment.amount_refunded == D("0")
    assert (job.status, job.provider, job.amount_paid) == (Status.ASSIGNED, provider, D("80.00"))
    assert job.receipts.get().payment == payment


# ------------------------------------------------------------------ card refunds last (S8, Y1)
@pytest.fixture
def stripe_refund_calls(monkeypatch):
    """Every refund request sent to Stripe (the real gateway, watched), with its key."""
    from payments import gateway

    calls: list[dict] = []
    real = gateway.create_refund

    def watched(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(gateway, "create_refund", watched)
    return calls


def test_S8_a_failure_after_the_refund_step_leaves_the_card_unrefunded(stripe_settings, stripe_client, customer,
                                                                         stripe_refund_calls, monkeypatch):
    service = make_service(base_price="200.00", payment_rule="upfront", callout_fee="30.00")
    provider = make_provider_for(service)
    job = make_job(customer, service, status=Status.ACCEPTED)
    payment = card_pay(stripe_client, job, "full")
    job = services.job_dispatch(job=Job.objects.get(pk=job.pk), user=provider.user,
                                visit_at=Job.objects.get(pk=job.pk).slot_bounds()[0])

    def ledger_down(*args, **kwargs):
        raise RuntimeError("ledger unavailable")

    from services_catalog.services import billing

    monkeypatch.setattr(billing, "_credit_provider", ledger_down)  # a step after the refunds were decided
    with pytest.raises(RuntimeError):
        services.job_cancel(job=job, user=customer, reason="Plans changed")
    assert stripe_refund_calls == []  # the card was not refunded for a cancellation that never happened
    job.refresh_from_db()
    payment.refresh_from_db()
    assert (job.status, job.amount_refunded, payment.amount_refunded) == (Status.DISPATCHED, D("0"), D("0"))

    monkeypatch.undo()  # the ledger is back; the watched gateway too, so watch again
    from payments import gateway

    real = gateway.create_refund
    monkeypatch.setattr(gateway, "create_refund", lambda **kw: stripe_refund_calls.append(kw) or real(**kw))
    job = services.job_cancel(job=job, user=customer, reason="Plans changed")
    assert [call["amount_minor"] for call in stripe_refund_calls] == [17000]
    payment.refresh_from_db()
    assert (job.status, payment.amount_refunded) == (Status.CANCELLED, D("170.00"))
    assert balance(provider.payable_account_code) == D("25.50")  # call-out 30 less 15%


def test_S8_a_refund_whose_answer_was_lost_is_retried_with_the_same_key_and_paid_once(
        stripe_settings, stripe_client, customer, stripe_refund_calls, monkeypatch):
    """The card refund goes to Stripe after the cancellation has committed. If Stripe
    refunded but the answer was lost, the cancellation stands and the refund stays pending
    (JobCardRefund); the retry sends the same idempotency key (the business event: this
    job's cancellation) and the same amount, so Stripe returns its first refund: the card
    is refunded once."""
    from payments import gateway
    from payments.errors import RefundFailed
    from services_catalog.models import JobCardRefund

    service = make_service(base_price="100.00", payment_rule="upfront", handling_fee="12.00", callout_fee="30.00")
    make_provider_for(service)
    job = make_job(customer, service, status=Status.ACCEPTED)
    payment = card_pay(stripe_client, job, "full")
    job = Job.objects.get(pk=job.pk)
    watched = gateway.create_refund

    def refunded_then_lost(**kwargs):
        watched(**kwargs)
        raise RefundFailed("connection lost after Stripe refunded")

    monkeypatch.setattr(gateway, "create_refund", refunded_then_lost)
    job = services.job_cancel(job=job, user=customer, reason="Travelling")
    assert job.status == Status.CANCELLED
    pending = JobCardRefund.objects.get(job=job)
    assert (pending.sent_at, pending.amount, pending.attempts) == (None, D("88.00"), 1)
    assert "connection lost" in pending.last_error
    payment.refresh_from_db()
    assert payment.amount_refunded == D("0")  # nothing recorded: the answer never came
    monkeypatch.setattr(gateway, "create_refund", watched)
    assert services.send_pending_card_refunds() == 0  # the periodic retry
    first, retry = stripe_refund_calls
    assert (first["amount_minor"], retry["amount_minor"]) == (8800, 8800)
    assert first["idempotency_key"] == retry["idempotency_key"]
    assert f"job:{job.pk}:cancel" in retry["idempotency_key"]
    payment.refresh_from_db()
    pending.refresh_from_db()
    assert payment.amount_refunded == D("88.00") and pending.sent_at is not None
    # Stripe answers a repeated idempotency key with its first refund (localstripe does not
    # emulate that, so the key itself is what is checked above); our books count it once.
    assert services.send_pending_card_refunds() == 0 and len(stripe_refund_calls) == 2  # nothing left to send
