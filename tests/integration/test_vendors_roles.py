"""Vendor staff actions need their named ability (issue 9, core.permissions), not
`is_staff`: a content editor and a support agent get 403 on payout, fine, suspension and
application review (page and API); finance pays out, fines and suspends but does not
review applications; an operator reviews applications, acts for a vendor and judges
warranty claims but cannot pay out, fine or suspend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.permissions import Ability, has_ability
from ledger.models import Account
from tests.factories import UserFactory
from tests.factories_vendors import deliver, make_vendor, make_vendor_product, place_order, vendor_user
from tests.helpers.roles import make_role_user
from vendors import navigation, services
from vendors.errors import NotAllowed
from vendors.models import Payout, VendorApplication, VendorSanction

pytestmark = pytest.mark.django_db

APPLICATION = {
    "company_name": "Mahtab Lamps", "registration_number": "10320123456", "contact_name": "Sara Ahmadi",
    "email": "sales@mahtab-roles.example.com", "phone": "+989121234567", "address": "Tehran",
    "bank_account_holder": "Mahtab Lamps", "iban": "IR820540102680020817909002",
}


def url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def available(vendor) -> Decimal:
    account = Account.objects.filter(code=f"vendor:{vendor.pk}:available").first()
    return account.balance if account else Decimal("0.00")


@pytest.fixture
def vendor_with_money(db):
    """A vendor with 225.00 available (a 250.00 sale, 10% commission, window passed)."""
    vendor = make_vendor("Roles shop")
    rug = make_vendor_product(vendor, price="250.00", stock=5)
    order = place_order(UserFactory(), [(rug, 1)])
    deliver(order.shipments.get())
    services.payable_release_due(now=timezone.now() + dt.timedelta(days=30))
    return vendor


@pytest.fixture
def application(db) -> VendorApplication:
    return services.application_submit(data=APPLICATION)


def with_staff_flag(role: str):
    """A user in `role` who also has `is_staff` (as the demo's editor and agent had):
    the flag alone must open nothing of the vendor pages."""
    user = make_role_user(role)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def staff_posts() -> dict[str, dict]:
    """The vendor page's money and suspension actions, as its forms post them."""
    return {
        "payout": {"action": "payout", "payout-amount": "10.00", "payout-idempotency_key": "roles-payout"},
        "fine": {"action": "fine", "fine-amount": "5.00", "fine-reason": "late", "fine-idempotency_key": "roles-fine"},
        "suspend": {"action": "suspend", "suspend-reason": "fake goods"},
    }


# ------------------------------------------------------------------ who gets 403
@pytest.mark.parametrize("role", ["editor", "agent"])
def test_an_editor_and_a_support_agent_get_403_on_every_vendor_money_and_review_page(
    client, role, vendor_with_money, application
):
    client.force_login(with_staff_flag(role))
    detail = url("vendors-dashboard:vendor-detail", pk=vendor_with_money.pk)
    for path in (url("vendors-dashboard:vendor-list"), detail, url("vendors-dashboard:application-list"),
                 url("vendors-dashboard:application-detail", pk=application.pk)):
        assert client.get(path).status_code == 403, path
    for action, data in staff_posts().items():
        assert client.post(detail, data).status_code == 403, action
    approve = client.post(url("vendors-dashboard:application-detail", pk=application.pk),
                          {"action": "approve", "commission_rate": "0.1"})
    assert approve.status_code == 403
    # The vendor API is a vendor's users' own: staff of any role get 403 there.
    for path in ("/api/v1/vendor/payouts/", "/api/v1/vendor/balance/"):
        assert client.get(path).status_code == 403, path
    assert not Payout.objects.filter(partner=vendor_with_money).exists()
    assert not VendorSanction.objects.filter(partner=vendor_with_money).exists()
    application.refresh_from_db()
    assert application.status == VendorApplication.Status.PENDING


@pytest.mark.parametrize("role", ["editor", "agent"])
def test_an_editor_and_a_support_agent_are_refused_by_the_services_too(role, vendor_with_money, application):
    user = with_staff_flag(role)
    with pytest.raises(NotAllowed):
        services.payout_create(partner=vendor_with_money, amount=Decimal("1.00"), user=user, idempotency_key="x")
    with pytest.raises(NotAllowed):
        services.vendor_fine(partner=vendor_with_money, amount=Decimal("1.00"), reason="x", staff_user=user)
    with pytest.raises(NotAllowed):
        services.vendor_suspend(partner=vendor_with_money, staff_user=user, reason="x")
    with pytest.raises(NotAllowed):
        services.application_approve(application=application, staff_user=user)


def test_signed_out_visitors_are_sent_to_sign_in_not_refused(client, vendor_with_money):
    response = client.get(url("vendors-dashboard:vendor-detail", pk=vendor_with_money.pk))
    assert response.status_code == 302 and "login" in response["Location"]


# ------------------------------------------------------------------ finance
def test_finance_pays_out_fines_and_suspends_from_the_vendor_page(client, vendor_with_money):
    client.force_login(make_role_user("finance"))
    detail = url("vendors-dashboard:vendor-detail", pk=vendor_with_money.pk)
    page = client.get(detail)
    assert page.status_code == 200
    for form in ("payout-form", "fine-form", "suspend-form"):
        assert f'id="{form}"' in page.content.decode(), form
    for action, data in staff_posts().items():
        assert client.post(detail, data).status_code == 302, action
    assert Payout.objects.get(partner=vendor_with_money).amount == Decimal("10.00")
    assert VendorSanction.objects.filter(partner=vendor_with_money, kind="fine", amount=Decimal("5.00")).exists()
    vendor_with_money.refresh_from_db()
    assert vendor_with_money.is_suspended
    assert available(vendor_with_money) == Decimal("210.00")


def test_finance_does_not_review_applications_or_judge_warranty(client, application):
    finance = make_role_user("finance")
    client.force_login(finance)
    assert client.get(url("vendors-dashboard:application-list")).status_code == 403
    with pytest.raises(NotAllowed):
        services.application_approve(application=application, staff_user=finance)
    assert not has_ability(finance, Ability.JUDGE_WARRANTY)


# ------------------------------------------------------------------ operators
def test_an_operator_approves_an_application_but_cannot_pay_out_or_fine(client, application, vendor_with_money):
    operator = make_role_user("operator")
    client.force_login(operator)
    assert client.get(url("vendors-dashboard:application-list")).status_code == 200
    approved = client.post(url("vendors-dashboard:application-detail", pk=application.pk),
                           {"action": "approve", "commission_rate": "0.1200"})
    assert approved.status_code == 302
    application.refresh_from_db()
    assert application.status == VendorApplication.Status.APPROVED

    detail = url("vendors-dashboard:vendor-detail", pk=vendor_with_money.pk)
    page = client.get(detail).content.decode()  # manage_vendors: the page, without the money forms
    assert 'id="payout-form"' not in page and 'id="fine-form"' not in page and 'id="suspend-form"' not in page
    for action, data in staff_posts().items():
        assert client.post(detail, data).status_code == 403, action
    with pytest.raises(NotAllowed):
        services.payout_create(partner=vendor_with_money, amount=Decimal("1.00"), user=operator,
                               idempotency_key="op")
    with pytest.raises(NotAllowed):
        services.vendor_fine(partner=vendor_with_money, amount=Decimal("1.00"), reason="x", staff_user=operator)
    assert not Payout.objects.filter(partner=vendor_with_money).exists()
    assert available(vendor_with_money) == Decimal("225.00")


def test_an_operator_acts_for_a_vendor_but_finance_does_not(db):
    vendor = make_vendor("Acting shop")
    lamp = make_vendor_product(vendor, price="40.00", stock=5)
    shipment = place_order(UserFactory(), [(lamp, 1)]).shipments.get()
    with pytest.raises(NotAllowed):
        services.shipment_confirm(shipment=shipment, user=make_role_user("finance"))
    operator = make_role_user("operator")
    assert services.shipment_confirm(shipment=shipment, user=operator).status == "confirmed"
    assert shipment.events.last().actor == operator
    record = lamp.stockrecords.get()
    with pytest.raises(NotAllowed):
        services.stock_set(stockrecord=record, num_in_stock=9, price=None, user=make_role_user("finance"))
    # Another vendor's user is no party to this vendor's shipment.
    with pytest.raises(NotAllowed):
        services.shipment_cancel(shipment=shipment, user=vendor_user(make_vendor()), reason="not mine")


# ------------------------------------------------------------------ menus
def _menu(user) -> dict[str, bool]:
    staff_menu = next(entry for entry in navigation.NAVIGATION if entry["icon"] == "fas fa-handshake")
    return {child["url_name"]: child["access_fn"](user) for child in staff_menu["children"]} | {
        "menu": staff_menu["access_fn"](user)
    }


def test_the_vendor_menu_shows_each_role_only_what_it_may_open(db):
    assert _menu(make_role_user("editor")) == {
        "menu": False, "vendors-dashboard:application-list": False, "vendors-dashboard:vendor-list": False,
    }
    assert _menu(make_role_user("finance")) == {
        "menu": True, "vendors-dashboard:application-list": False, "vendors-dashboard:vendor-list": True,
    }
    assert _menu(make_role_user("operator")) == {
        "menu": True, "vendors-dashboard:application-list": True, "vendors-dashboard:vendor-list": True,
    }
