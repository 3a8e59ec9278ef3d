"""Who may see payments and who may refund them (issue 9: named permissions, not is_staff).

Seeing the payments dashboard needs `view_payments` (operator, finance); a refund needs
`refund_payment` (finance), on the page and in the service. A content editor and a
support agent get the site's 403 page; a bare `is_staff` flag grants nothing.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from oscar.test.factories import create_order

from core.errors import NotAllowed as CoreNotAllowed
from payments import gateway, services
from payments.errors import NotAllowed
from payments.models import PaymentRefund
from payments.navigation import NAVIGATION
from shop.order_status import PENDING_PAYMENT
from tests.factories import UserFactory
from tests.helpers.roles import make_role_user
from tests.integration.test_payments import GOOD_CARD, pay_with_card

pytestmark = pytest.mark.django_db

# role -> (may see the payments pages, may refund)
MATRIX = {
    "finance": (True, True),
    "operator": (True, False),
    "editor": (False, False),
    "agent": (False, False),
    "senior_agent": (False, False),
    "clerk": (False, False),
}


@pytest.fixture
def paid_payment(stripe_settings, stripe_client):
    buyer = UserFactory()
    order = create_order(user=buyer)
    order.status = PENDING_PAYMENT
    order.save()
    payment = services.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    return services.payment_sync(payment=payment)


def _user(role: str):
    return UserFactory(is_staff=True) if role == "bare_staff" else make_role_user(role)


@pytest.mark.parametrize("role", [*MATRIX, "bare_staff"])
def test_the_payments_pages_and_the_refund_action_follow_the_role(role, client, paid_payment):
    may_see, may_refund = MATRIX.get(role, (False, False))
    client.force_login(_user(role))
    listing = client.get("/en/dashboard/payments/")
    detail = client.get(f"/en/dashboard/payments/{paid_payment.pk}/")
    assert listing.status_code == detail.status_code == (200 if may_see else 403)
    if may_see:
        assert ("Refund through Stripe" in detail.content.decode()) is may_refund
    refund = client.post(f"/en/dashboard/payments/{paid_payment.pk}/refund/", {"amount": "1.00", "reason": ""})
    legacy = client.post(f"/en/dashboard/payments/{paid_payment.pk}/", {"amount": "1.00", "reason": ""})
    paid_payment.refresh_from_db()
    if may_refund:
        assert refund.status_code == legacy.status_code == 302
        assert paid_payment.amount_refunded == Decimal("2.00")
    else:
        assert refund.status_code == legacy.status_code == 403
        assert paid_payment.amount_refunded == 0 and not PaymentRefund.objects.exists()


def test_a_forbidden_payments_page_is_the_sites_403_page_and_signed_out_visitors_log_in(client, paid_payment):
    client.force_login(make_role_user("editor"))
    forbidden = client.get("/en/dashboard/payments/")
    assert forbidden.status_code == 403 and "<html" in forbidden.content.decode()
    client.logout()
    signed_out = client.get(f"/en/dashboard/payments/{paid_payment.pk}/")
    assert signed_out.status_code == 302 and "login" in signed_out["Location"]


@pytest.mark.parametrize("role", ["operator", "editor", "agent"])
def test_the_refund_service_refuses_a_person_without_refund_payment_before_calling_stripe(
    role, paid_payment, monkeypatch
):
    monkeypatch.setattr(gateway, "create_refund", lambda **kwargs: pytest.fail("Stripe must not be called"))
    with pytest.raises(NotAllowed) as refused:
        services.refund_create(payment=paid_payment, amount=Decimal("1.00"), user=make_role_user(role))
    assert isinstance(refused.value, CoreNotAllowed) and refused.value.status_code == 403
    paid_payment.refresh_from_db()
    assert paid_payment.amount_refunded == 0 and not PaymentRefund.objects.exists()


def test_finance_refunds_through_the_service_and_is_named_on_the_history(paid_payment):
    finance = make_role_user("finance")
    refund = services.refund_create(payment=paid_payment, amount=Decimal("1.25"), user=finance, reason="late")
    assert refund.created_by == finance and refund.status == PaymentRefund.Status.DONE
    event = paid_payment.events.get(action="refund")
    assert event.actor == finance and event.from_status == event.to_status == "succeeded"


def test_the_payments_menu_entry_shows_only_to_holders_of_view_payments():
    access = NAVIGATION[0]["access_fn"]
    assert access(make_role_user("operator")) and access(make_role_user("finance"))
    assert not access(make_role_user("editor")) and not access(UserFactory(is_staff=True))
