"""Gift points with real card payments (localstripe) and, on PostgreSQL, real threads:

- end to end: a customer signs up by a share link, buys from two vendors by card, both
  sides see pending points; past the return window (injected clock) they are available;
  the referrer redeems a gift; a staff refund of half the order takes back half of both
  sides' points; `ledger_check` and `referrals_check` clean;
- the same webhook delivered twice at once: one earning per side;
- earning and a refund racing: the refund's share is taken back exactly once;
- two refunds of one payment at once: each takes back its share, once;
- two redemptions of the same points at once: exactly one succeeds.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from core import clock
from ledger import codes
from ledger.selectors import balances
from payments import services as payments
from referrals import services
from referrals.errors import NotEnoughPoints
from referrals.models import Earning, Gift, Redemption
from shop import order_status
from tests.factories import UserFactory
from tests.factories_vendors import deliver, make_vendor, make_vendor_product, place_order
from tests.helpers.roles import make_role_user
from tests.integration.test_payments import GOOD_CARD, intent_event, pay_with_card, signed_post

pytestmark = [pytest.mark.no_demo]


@pytest.fixture(autouse=True)
def default_terms(db):
    """The programme's default terms (10% a side, 10 points per EUR), whatever else the
    session loaded (the demo seed uses other terms)."""
    from referrals.models import ProgrammeSettings

    return ProgrammeSettings.objects.create(note="test defaults")


def points(user) -> tuple[int, int]:
    found = balances([codes.points_pending(user.pk), codes.points_available(user.pk)])
    return int(found[codes.points_pending(user.pk)]), int(found[codes.points_available(user.pk)])


def checks_clean() -> None:
    call_command("ledger_check", stdout=open("/dev/null", "w"))
    call_command("referrals_check", stdout=open("/dev/null", "w"))


def two_vendor_order(buyer):
    """200 EUR at 10% and 100 EUR at 20%: 40 EUR commission, 40 points a side by default."""
    one, two = make_vendor(commission_rate="0.1000"), make_vendor(commission_rate="0.2000")
    return place_order(buyer, [(make_vendor_product(one, price="200.00"), 1),
                               (make_vendor_product(two, price="100.00"), 1)],
                       status=order_status.PENDING_PAYMENT)


def sign_up_by_link(client, referrer, email: str):
    landing = client.get(f"/fa/r/{referrer.profile.subscription_code}/")
    response = client.post(landing["Location"], {"first_name": "Leila", "last_name": "Karimi", "email": email,
                                                 "password1": "a-Long-pass-9182", "password2": "a-Long-pass-9182"})
    assert response.status_code == 302
    return get_user_model().objects.get(email=email)


@pytest.mark.django_db
def test_end_to_end_link_card_two_vendors_window_redeem_and_half_refund(stripe_settings, stripe_client, client):
    referrer = UserFactory(email="referrer@example.com")
    buyer = sign_up_by_link(client, referrer, "friend@example.com")
    order = two_vendor_order(buyer)
    payment = payments.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    payments.payment_sync(payment=payment)
    assert points(referrer) == (40, 0) and points(buyer) == (40, 0)

    for shipment in order.shipments.all():
        deliver(shipment)
    call_command("release_referral_points", stdout=open("/dev/null", "w"))
    assert points(referrer) == (40, 0)
    window_closed = max(Earning.objects.get(beneficiary=buyer).release_due_at, clock.now()) + dt.timedelta(hours=1)
    with clock.frozen(window_closed):
        call_command("release_referral_points", stdout=open("/dev/null", "w"))
    assert points(referrer) == (0, 40) and points(buyer) == (0, 40)

    gift = Gift.objects.create(title_fa="سینی مس", title_en="Copper tray", points_price=25, stock=2)
    services.redemption_create(customer=referrer, gift=gift, recipient_name="Ali", phone="09120000000",
                               address="Isfahan")
    assert points(referrer) == (0, 15)

    payments.refund_create(payment=payment, amount=order.total_incl_tax / 2, user=make_role_user("finance"),
                           reason="one vase broken")
    assert points(referrer) == (0, -5) and points(buyer) == (0, 20)
    checks_clean()


def _race(*jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(job):
        try:
            barrier.wait(timeout=30)
            result = job()
        except Exception as error:  # the outcome is what the test asserts on
            result = f"{type(error).__name__}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(outcomes)


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI runs this on PostgreSQL)")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_webhook_twice_at_once_earns_once(stripe_settings, stripe_client):
    _needs_postgres()
    referrer, buyer = UserFactory(), UserFactory()
    services.referral_attribute(referred=buyer, code=referrer.profile.subscription_code, source="link")
    order = two_vendor_order(buyer)
    payment = payments.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    event = intent_event(stripe_client, payment, "payment_intent.succeeded", "evt_referrals_twice")

    def deliver_webhook():
        return str(signed_post(Client(), event).status_code)

    assert _race(deliver_webhook, deliver_webhook) == ["200", "200"]
    assert Earning.objects.filter(payment_key=f"payment:{payment.pk}").count() == 2
    assert points(referrer) == (40, 0) and points(buyer) == (40, 0)
    checks_clean()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_earning_and_a_refund_racing_take_back_exactly_the_refunds_share(stripe_settings, stripe_client):
    _needs_postgres()
    referrer, buyer = UserFactory(), UserFactory()
    services.referral_attribute(referred=buyer, code=referrer.profile.subscription_code, source="link")
    order = two_vendor_order(buyer)
    payment = payments.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    event = intent_event(stripe_client, payment, "payment_intent.succeeded", "evt_referrals_race")
    # The browser's return path records the payment (and earns) while the webhook of the
    # same payment and a staff refund of a quarter arrive at the same moment.
    payments.payment_sync(payment=payment)
    payment.refresh_from_db()
    staff = make_role_user("finance")

    def webhook():
        return str(signed_post(Client(), event).status_code)

    def refund():
        payments.refund_create(payment=payment, amount=order.total_incl_tax / 4, user=staff)
        return "refunded"

    def release():
        services.release_due_points()
        return "released"

    assert _race(webhook, refund, release) == ["200", "refunded", "released"]
    assert points(referrer) == (30, 0) and points(buyer) == (30, 0)
    checks_clean()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_refunds_of_one_payment_at_once_each_take_back_their_share_once(stripe_settings, stripe_client):
    _needs_postgres()
    referrer, buyer = UserFactory(), UserFactory()
    services.referral_attribute(referred=buyer, code=referrer.profile.subscription_code, source="link")
    order = two_vendor_order(buyer)
    payment = payments.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    payments.payment_sync(payment=payment)
    payment.refresh_from_db()

    def refund():
        payments.refund_create(payment=payment, amount=order.total_incl_tax / 4, user=None)
        return "refunded"

    assert _race(refund, refund) == ["refunded", "refunded"]
    # Half the payment refunded in two quarters: half the points, from both sides.
    assert points(referrer) == (20, 0) and points(buyer) == (20, 0)
    checks_clean()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_redemptions_of_the_same_points_at_once_one_succeeds():
    _needs_postgres()
    from ledger.services import transfer_move
    from referrals.services.accounts import available_account, platform_account

    customer = UserFactory()
    transfer_move(idempotency_key=f"grant:{customer.pk}", kind="points_granted_in_test",
                  source=platform_account(codes.PLATFORM_REFERRAL_EXPENSE),
                  destination=available_account(customer.pk), amount=Decimal(100))
    kilim = Gift.objects.create(title_fa="گلیم", title_en="Kilim", points_price=80, stock=5)
    plate = Gift.objects.create(title_fa="مینا", title_en="Mina plate", points_price=80, stock=5)

    def redeem(gift):
        def job():
            try:
                services.redemption_create(customer=customer, gift=gift, recipient_name="S", phone="0912",
                                           address="Shiraz")
            except NotEnoughPoints:
                return "refused"
            return "redeemed"
        return job

    assert _race(redeem(kilim), redeem(plate)) == ["redeemed", "refused"]
    assert Redemption.objects.filter(customer=customer).count() == 1
    assert points(customer) == (0, 20)
    kilim.refresh_from_db()
    plate.refresh_from_db()
    assert kilim.stock + plate.stock == 9  # the refused one's stock reservation rolled back
    checks_clean()
