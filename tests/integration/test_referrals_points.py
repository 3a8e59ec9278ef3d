"""Gift points end to end through the domain (issue 10): attribution, earning on card,
cash and pay-on-delivery payments through the payable listeners, release after the
window, proportional take-back, block, redemption, expiry; `ledger_check` clean."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from core import clock
from ledger import codes
from ledger.models import Transfer
from ledger.selectors import balances
from payments.payables import PaidEvent, RefundedEvent, announce_paid, announce_refunded
from referrals import services
from referrals.checks import problems
from referrals.errors import NotEnoughPoints, OutOfStock, SelfReferral
from referrals.models import Earning, Gift, Referral
from shop import order_status
from tests.factories import UserFactory
from tests.factories_vendors import deliver, make_vendor, make_vendor_product, place_order
from tests.helpers.roles import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


@pytest.fixture(autouse=True)
def default_terms(db):
    """The programme's default terms (10% a side, 10 points per EUR), whatever else the
    session loaded (the demo seed uses other terms)."""
    from referrals.models import ProgrammeSettings

    return ProgrammeSettings.objects.create(note="test defaults")


def points(user) -> tuple[int, int]:
    found = balances([codes.points_pending(user.pk), codes.points_available(user.pk)])
    return int(found[codes.points_pending(user.pk)]), int(found[codes.points_available(user.pk)])


def ledger_clean() -> None:
    call_command("ledger_check", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))
    # These tests announce payments without Stripe, so only the ledger side is checked here
    # (test_referrals_stripe checks the payments too).
    assert problems(check_payments=False) == []


@pytest.fixture
def pair(db):
    referrer = UserFactory(email="referrer@example.com")
    buyer = UserFactory(email="buyer@example.com")
    services.referral_attribute(referred=buyer, code=referrer.profile.subscription_code, source="link")
    return referrer, buyer


def two_vendor_card_order(buyer):
    """200 EUR from vendor one (10%) and 100 EUR from vendor two (20%): commission 40."""
    one, two = make_vendor(commission_rate="0.1000"), make_vendor(commission_rate="0.2000")
    rug = make_vendor_product(one, price="200.00")
    vase = make_vendor_product(two, price="100.00")
    return place_order(buyer, [(rug, 1), (vase, 1)], status=order_status.PENDING_PAYMENT)


def pay(order, key="payment:9001"):
    """What payments/ does on a succeeded card payment: the order is released, the
    listeners hear of it."""
    if order.status == order_status.PENDING_PAYMENT:
        order.set_status(order_status.PENDING)
    announce_paid(PaidEvent(payable=order, key=key, amount=order.total_incl_tax, currency=order.currency,
                            method="card"))


def test_a_paid_order_earns_both_sides_pending_then_available_then_half_refund_takes_half(pair):
    referrer, buyer = pair
    order = two_vendor_card_order(buyer)
    pay(order)
    # Commission 40 EUR × 10% × 10 points = 40 points each.
    assert points(referrer) == (40, 0) and points(buyer) == (40, 0)
    pay(order)  # the same payment again (a replayed webhook): nothing more
    assert Earning.objects.filter(payment_key="payment:9001").count() == 2 and points(referrer) == (40, 0)

    for shipment in order.shipments.all():
        deliver(shipment)
    services.release_due_points()
    assert points(referrer) == (40, 0)  # inside the return window
    later = max(order.shipments.values_list("lines__release_due_at", flat=True)) + dt.timedelta(minutes=1)
    with clock.frozen(later):
        services.release_due_points()
    assert points(referrer) == (0, 40) and points(buyer) == (0, 40)

    half = order.total_incl_tax / 2
    announce_refunded(RefundedEvent(payable=order, key="refund:1", amount=half, currency=order.currency,
                                    payment_key="payment:9001"))
    announce_refunded(RefundedEvent(payable=order, key="refund:1", amount=half, currency=order.currency,
                                    payment_key="payment:9001"))  # replayed: once
    assert points(referrer) == (0, 20) and points(buyer) == (0, 20)
    ledger_clean()


def test_a_refund_while_pending_takes_back_pending_points(pair):
    referrer, buyer = pair
    order = two_vendor_card_order(buyer)
    pay(order)
    announce_refunded(RefundedEvent(payable=order, key="refund:7", amount=order.total_incl_tax,
                                    currency=order.currency, payment_key="payment:9001"))
    assert points(referrer) == (0, 0) and points(buyer) == (0, 0)
    assert set(Earning.objects.filter(payment_key="payment:9001").values_list("status", flat=True)) == {
        Earning.Status.REVERSED}
    ledger_clean()


def test_spent_points_go_negative_after_a_refund_and_the_next_earning_settles(pair):
    referrer, buyer = pair
    order = two_vendor_card_order(buyer)
    pay(order)
    for shipment in order.shipments.all():
        deliver(shipment)
    with clock.frozen(clock.now() + dt.timedelta(days=60)):
        services.release_due_points()
    gift = Gift.objects.create(title_fa="گلیم", title_en="Kilim", points_price=40, stock=1)
    services.redemption_create(customer=referrer, gift=gift, recipient_name="R", phone="09121234567",
                               address="Tehran")
    assert points(referrer) == (0, 0)
    announce_refunded(RefundedEvent(payable=order, key="refund:8", amount=order.total_incl_tax / 2,
                                    currency=order.currency, payment_key="payment:9001"))
    assert points(referrer) == (0, -20)
    ledger_clean()


def test_no_referrer_no_points_unless_configured(db):
    buyer = UserFactory()
    order = two_vendor_card_order(buyer)
    pay(order)
    assert not Earning.objects.filter(beneficiary=buyer).exists()
    services.settings_change(staff_user=make_staff(), buyer_share_without_referrer=True, note="test")
    pay(order, key="payment:9002")
    assert points(buyer) == (40, 0)


def test_cash_on_delivery_earns_per_shipment_when_collected(pair):
    referrer, buyer = pair
    one = make_vendor(commission_rate="0.1000")
    rug = make_vendor_product(one, price="300.00")
    order = place_order(buyer, [(rug, 1)])
    from oscar.core.loading import get_model

    Source, SourceType = get_model("payment", "Source"), get_model("payment", "SourceType")
    cod, _created = SourceType.objects.get_or_create(code="cod", defaults={"name": "Pay on delivery"})
    Source.objects.create(order=order, source_type=cod, currency=order.currency, amount_allocated=order.total_incl_tax)
    assert not Earning.objects.filter(beneficiary=buyer).exists()
    deliver(order.shipments.get())
    assert points(referrer) == (30, 0) and points(buyer) == (30, 0)


def test_self_referral_and_prior_purchase(db):
    someone = UserFactory(email="same@example.com")
    with pytest.raises(SelfReferral):
        services.referral_attribute(referred=someone, code=someone.profile.subscription_code, source="signup")
    twin = UserFactory(email="SAME@example.com")
    with pytest.raises(SelfReferral):
        services.referral_attribute(referred=twin, code=someone.profile.subscription_code, source="signup")
    old_customer = UserFactory()
    pay(two_vendor_card_order(old_customer), key="payment:1")
    referral = services.referral_attribute(referred=old_customer, code=someone.profile.subscription_code,
                                           source="intake")
    assert referral.referrer_earns is False
    pay(two_vendor_card_order(old_customer), key="payment:2")
    assert points(someone) == (0, 0) and points(old_customer) == (40, 0)


def test_blocking_a_referral_takes_its_pending_points_back(pair):
    referrer, buyer = pair
    pay(two_vendor_card_order(buyer))
    referral = Referral.objects.get(referred=buyer)
    assert services.referral_block(referral=referral, staff_user=make_staff(), reason="same household") == 80
    assert points(referrer) == (0, 0) and points(buyer) == (0, 0)
    pay(two_vendor_card_order(buyer), key="payment:9100")
    assert points(referrer) == (0, 0)
    ledger_clean()


def test_redeem_reserves_stock_and_points_and_cancel_gives_both_back(pair):
    referrer, buyer = pair
    order = two_vendor_card_order(buyer)
    pay(order)
    for shipment in order.shipments.all():
        deliver(shipment)
    with clock.frozen(clock.now() + dt.timedelta(days=60)):
        services.release_due_points()
    gift = Gift.objects.create(title_fa="قلمکار", title_en="Ghalamkar cloth", points_price=30, stock=1)
    staff = make_staff()
    redemption = services.redemption_create(customer=referrer, gift=gift, recipient_name="Reza",
                                            phone="09121234567", address="Tehran", client_key="k1")
    again = services.redemption_create(customer=referrer, gift=gift, recipient_name="Reza",
                                       phone="09121234567", address="Tehran", client_key="k1")
    assert again.pk == redemption.pk
    gift.refresh_from_db()
    assert gift.stock == 0 and points(referrer) == (0, 10)
    with pytest.raises(OutOfStock):
        services.redemption_create(customer=buyer, gift=gift, recipient_name="B", phone="0912", address="x")
    gift.stock = 5
    gift.save()
    with pytest.raises(NotEnoughPoints):
        services.redemption_create(customer=referrer, gift=gift, recipient_name="R", phone="0912", address="x")
    gift.refresh_from_db()
    assert gift.stock == 5
    services.redemption_ship(redemption=redemption, staff_user=staff, tracking_reference="TRK-1")
    services.redemption_cancel(redemption=redemption, staff_user=staff, reason="lost in post")
    gift.refresh_from_db()
    assert gift.stock == 6 and points(referrer) == (0, 40)
    ledger_clean()


def test_unspent_points_expire_after_reminder(pair):
    referrer, buyer = pair
    order = two_vendor_card_order(buyer)
    pay(order)
    for shipment in order.shipments.all():
        deliver(shipment)
    start = clock.now() + dt.timedelta(days=30)
    with clock.frozen(start):
        services.release_due_points()
    gift = Gift.objects.create(title_fa="مینا", title_en="Mina plate", points_price=15, stock=3)
    services.redemption_create(customer=referrer, gift=gift, recipient_name="R", phone="0912", address="x")
    earning = Earning.objects.get(beneficiary=referrer)
    ours = Earning.objects.filter(beneficiary__in=[referrer, buyer])
    with clock.frozen(earning.expires_at - dt.timedelta(days=10)):
        services.expire_points()
    assert ours.filter(reminded_at__isnull=False, expired_at__isnull=True).count() == 2
    with clock.frozen(earning.expires_at + dt.timedelta(minutes=1)):
        services.expire_points()
        services.expire_points()  # a rerun expires nothing more
    assert points(referrer) == (0, 0) and points(buyer) == (0, 0)
    # 40 - 15 spent of the referrer's, all 40 of the buyer's, each once.
    assert sorted(ours.values_list("points_expired", flat=True)) == [25, 40]
    assert Transfer.objects.filter(kind="points_expired", metadata__earning__in=list(
        ours.values_list("pk", flat=True))).count() == 2
    ledger_clean()


# ------------------------------------------------------------------ service jobs
def test_a_job_paid_in_cash_earns_and_is_released_n_days_after_completion(pair, settings):
    from services_catalog import services as jobs
    from services_catalog.models import Job
    from tests.factories_services import factory_staff, make_job, make_provider_for, make_service

    referrer, buyer = pair
    service = make_service(base_price="200.00", payment_rule="on_completion")
    make_provider_for(service, commission_rate="0.15")
    job = make_job(buyer, service, status=Job.Status.COMPLETED)
    assert not Earning.objects.filter(beneficiary=buyer).exists()  # work not paid yet earns nothing
    jobs.job_record_cash_payment(job=job, staff_user=factory_staff())
    # 200 × 15% = 30 EUR commission; 10% of it at 10 points per EUR: 30 points a side.
    assert points(referrer) == (30, 0) and points(buyer) == (30, 0)
    job.refresh_from_db()
    with clock.frozen(job.completed_at + dt.timedelta(days=13)):
        services.release_due_points()
    assert points(referrer) == (30, 0)
    with clock.frozen(job.completed_at + dt.timedelta(days=14, minutes=1)):
        services.release_due_points()
    assert points(referrer) == (0, 30)


def test_a_warranty_redo_and_a_zero_commission_earn_nothing(pair):
    from referrals.sources import basis_for
    from services_catalog.models import Job
    from tests.factories_services import make_job, make_provider_for, make_service

    referrer, buyer = pair
    service = make_service(base_price="200.00", payment_rule="on_completion")
    make_provider_for(service, commission_rate="0.15")
    job = make_job(buyer, service, status=Job.Status.COMPLETED)
    redo = Job(pk=job.pk, number=job.number, customer=buyer, redo_of=job)
    assert basis_for(PaidEvent(payable=redo, key="job-receipt:1", amount=Decimal("200"), currency="EUR",
                               method="cash")) is None
    free = make_vendor(commission_rate="0.0000")
    order = place_order(buyer, [(make_vendor_product(free, price="80.00"), 1)], status=order_status.PENDING_PAYMENT)
    pay(order, key="payment:555")
    assert not Earning.objects.filter(beneficiary=buyer).exists() and points(referrer) == (0, 0)


def test_the_expiry_reminder_is_an_email_and_an_sms(pair):
    from notifications.models import Message

    referrer, buyer = pair
    buyer.profile.phone = "+989121112233"
    buyer.profile.save()
    order = two_vendor_card_order(buyer)
    pay(order)
    for shipment in order.shipments.all():
        deliver(shipment)
    with clock.frozen(clock.now() + dt.timedelta(days=30)):
        services.release_due_points()
    earning = Earning.objects.get(beneficiary=buyer)
    with clock.frozen(earning.expires_at - dt.timedelta(days=3)):
        services.expire_points()
    channels = set(Message.objects.filter(event="referrals_points_expiring", recipient=buyer)
                   .values_list("channel", flat=True))
    assert channels == {"email", "sms"}


def test_a_failing_listener_never_undoes_the_payment_nor_the_other_listeners(pair, monkeypatch):
    from payments import payables

    referrer, buyer = pair

    def broken(event):
        raise RuntimeError("listener bug")

    monkeypatch.setattr(payables, "_PAID_LISTENERS", [broken, *payables._PAID_LISTENERS])
    order = two_vendor_card_order(buyer)
    pay(order)  # no exception reaches the payment
    assert points(referrer) == (40, 0)
