"""Applying to sell and the staff's vendor pages over HTTP (issue 4 point 1, S10, P3):
a business applies; staff approve (it becomes a partner with its own user) or reject
with a reason; staff suspend, reinstate, fine and pay out a vendor. Staff only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from oscar.core.loading import get_model

from tests.factories import UserFactory
from tests.factories_vendors import make_vendor, vendor_user
from tests.helpers.roles import make_staff
from vendors import services
from vendors.models import Payout, VendorApplication, VendorSanction

Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")

pytestmark = pytest.mark.django_db
LANGUAGES = ["fa", "en"]
GOOD_IBAN = "IR820540102680020817909002"


def application_data(**changes) -> dict:
    data = {
        "company_name": "چراغ‌سازی مهتاب",
        "company_name_en": "Mahtab Lighting",
        "registration_number": "10101234567",
        "contact_name": "Reza Karimi",
        "email": "sales@mahtab.example.com",
        "phone": "+989121112233",
        "address": "Isfahan, Chaharbagh 5",
        "categories": [Category.objects.get(slug="home-appliances").pk],
        "bank_account_holder": "Mahtab Lighting",
        "iban": "ir82 0540 1026 8002 0817 9090 02",
        "stripe_account_id": "",
        "message": "We make lamps.",
    }
    data.update(changes)
    return data


def url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def staff_client(client):
    client.force_login(make_staff())
    return client


@pytest.fixture
def application(db) -> VendorApplication:
    return services.application_submit(
        data={k: v for k, v in application_data().items() if k != "categories"},
        categories=Category.objects.filter(slug="home-appliances"),
    )


# ------------------------------------------------------------------ the public application
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_business_applies_to_sell_and_is_thanked(client, language):
    form_page = client.get(url("vendors:apply", language))
    assert form_page.status_code == 200 and 'id="vendor-application-form"' in form_page.content.decode()
    response = client.post(url("vendors:apply", language), application_data())
    assert response.status_code == 302 and response["Location"] == url("vendors:apply-thanks", language)
    application = VendorApplication.objects.get(email="sales@mahtab.example.com")
    assert (application.status, application.iban) == ("pending", GOOD_IBAN)
    assert list(application.categories.values_list("slug", flat=True)) == ["home-appliances"]
    assert application.applicant is None
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "data-application-received" in thanks.content.decode()


def test_a_signed_in_applicant_is_remembered_on_the_application(customer_client, customer):
    customer_client.post(url("vendors:apply", "en"), application_data(stripe_account_id="acct_1NvDemoAbc"))
    application = VendorApplication.objects.get(email="sales@mahtab.example.com")
    assert (application.applicant, application.stripe_account_id) == (customer, "acct_1NvDemoAbc")


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"iban": "IR000000000000000000000000"}, "iban"),
        ({"iban": "DE00 1234"}, "iban"),
        ({"stripe_account_id": "not-a-stripe-id"}, "stripe_account_id"),
        ({"categories": []}, "categories"),
        ({"email": "nope"}, "email"),
        ({"company_name": ""}, "company_name"),
    ],
    ids=["iban-check-digits", "iban-shape", "stripe-id", "no-category", "email", "company"],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_application_is_shown_with_its_errors_and_stores_nothing(client, changes, field, language):
    response = client.post(url("vendors:apply", language), application_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not VendorApplication.objects.filter(registration_number="10101234567").exists()


# ------------------------------------------------------------------ staff: applications
@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_approve_an_application_and_the_business_becomes_a_vendor_with_a_user(
    staff_client, application, language
):
    listing = staff_client.get(url("vendors-dashboard:application-list", language) + "?status=pending")
    assert f'data-application="{application.pk}"' in listing.content.decode()
    detail = url("vendors-dashboard:application-detail", language, pk=application.pk)
    page = staff_client.get(detail).content.decode()
    assert GOOD_IBAN in page and "Mahtab Lighting" in page

    response = staff_client.post(detail, {"action": "approve", "commission_rate": "0.1250"})
    application.refresh_from_db()
    partner = application.partner
    assert application.status == "approved" and partner is not None
    assert response.status_code == 302 and response["Location"] == url(
        "vendors-dashboard:vendor-detail", language, pk=partner.pk
    )
    assert partner.contract.commission_rate == Decimal("0.1250")
    vendor = vendor_user(partner)
    assert vendor.email == "sales@mahtab.example.com" and vendor.has_perm("partner.dashboard_access")
    assert services.vendor_for_user(vendor) == partner


@pytest.mark.parametrize("language", LANGUAGES)
def test_rejecting_needs_a_reason(staff_client, application, language):
    detail = url("vendors-dashboard:application-detail", language, pk=application.pk)
    response = staff_client.post(detail, {"action": "reject", "reason": ""})
    assert response.status_code == 200 and response.context["reject_form"].errors["reason"]
    application.refresh_from_db()
    assert application.status == "pending"

    staff_client.post(detail, {"action": "reject", "reason": "We already sell this range."})
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == ("rejected", "We already sell this range.")
    assert application.partner is None
    assert 'id="approve-form"' not in staff_client.get(detail).content.decode()


def test_an_out_of_range_commission_is_a_form_error(staff_client, application):
    response = staff_client.post(url("vendors-dashboard:application-detail", "en", pk=application.pk),
                                 {"action": "approve", "commission_rate": "1.5"})
    assert response.status_code == 200 and response.context["approve_form"].errors["commission_rate"]
    application.refresh_from_db()
    assert application.status == "pending"


def test_the_staff_pages_are_for_staff_only(client, application, customer):
    vendor = make_vendor("Somebody's shop")
    pages = [
        url("vendors-dashboard:application-list", "en"),
        url("vendors-dashboard:application-detail", "en", pk=application.pk),
        url("vendors-dashboard:vendor-list", "en"),
        url("vendors-dashboard:vendor-detail", "en", pk=vendor.pk),
    ]
    for page in pages:
        anonymous = client.get(page)
        assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    for user in (customer, vendor_user(vendor)):
        client.force_login(user)
        for page in pages:
            assert client.get(page).status_code == 403
        response = client.post(pages[1], {"action": "approve"})
        assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == "pending"


# ------------------------------------------------------------------ staff: vendors
@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_suspend_with_a_reason_then_reinstate_a_vendor(staff_client, language):
    vendor = make_vendor("Flaky shop")
    listing = staff_client.get(url("vendors-dashboard:vendor-list", language) + "?q=Flaky")
    assert f'data-partner="{vendor.pk}"' in listing.content.decode()
    detail = url("vendors-dashboard:vendor-detail", language, pk=vendor.pk)

    refused = staff_client.post(detail, {"action": "suspend", "suspend-reason": ""})
    assert refused.status_code == 200 and refused.context["suspend_form"].errors["reason"]
    vendor.refresh_from_db()
    assert not vendor.is_suspended

    staff_client.post(detail, {"action": "suspend", "suspend-reason": "Late deliveries, again"})
    vendor.refresh_from_db()
    assert vendor.is_suspended and vendor.suspended_reason == "Late deliveries, again"
    assert 'data-vendor-status="suspended"' in staff_client.get(detail).content.decode()

    staff_client.post(detail, {"action": "reinstate"})
    vendor.refresh_from_db()
    assert not vendor.is_suspended


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_fine_a_vendor_which_debits_its_available_balance(staff_client, language):
    vendor = make_vendor("Fined shop")
    detail = url("vendors-dashboard:vendor-detail", language, pk=vendor.pk)
    bad = staff_client.post(detail, {"action": "fine", "fine-amount": "-3", "fine-reason": "x"})
    assert bad.status_code == 200 and bad.context["fine_form"].errors["amount"]
    assert not VendorSanction.objects.filter(partner=vendor).exists()

    key = staff_client.get(detail).context["fine_form"].initial["idempotency_key"]
    posted = {"action": "fine", "fine-amount": "12.50", "fine-reason": "Wrong item sent", "fine-idempotency_key": key}
    staff_client.post(detail, posted)
    staff_client.post(detail, posted)  # a double click fines once
    fine = VendorSanction.objects.get(partner=vendor, kind="fine")
    assert (fine.amount, fine.reason) == (Decimal("12.50"), "Wrong item sent")
    assert services.vendor_balance(partner=vendor)["available"] == Decimal("-12.50")
    assert "Wrong item sent" in staff_client.get(detail).content.decode()


def test_a_payout_above_the_available_balance_is_refused_with_the_services_message(staff_client):
    vendor = make_vendor("Unpaid shop")
    detail = url("vendors-dashboard:vendor-detail", "en", pk=vendor.pk)
    form = staff_client.get(detail).context["payout_form"]
    key = form.initial["idempotency_key"]
    response = staff_client.post(detail, {"action": "payout", "payout-amount": "10.00", "payout-idempotency_key": key})
    assert response.status_code == 200
    assert escape("Only 0") in response.content.decode()
    assert not Payout.objects.filter(partner=vendor).exists()


def test_staff_uphold_a_claim_the_vendor_rejected_and_the_vendor_is_fined_P1(staff_client):
    from tests.factories_vendors import deliver, make_vendor_product, place_order
    from vendors.models import ShipmentLine, WarrantyClaim

    buyer = UserFactory(email="claimant@example.com")
    vendor = make_vendor("Stubborn shop")
    kettle = make_vendor_product(vendor, price=Decimal("50.00"), stock=3)
    order = place_order(buyer, [(kettle, 1)])
    deliver(order.shipments.get())
    item = ShipmentLine.objects.get(line__order=order)
    claim = services.warranty_claim_open(shipment_line=item, customer=buyer, kind="repair", description="It leaks.")
    services.warranty_claim_respond(claim=claim, user=vendor_user(vendor), accept=False, response="Misused.")
    detail = url("vendors-dashboard:vendor-detail", "en", pk=vendor.pk)
    assert "It leaks." in staff_client.get(detail).content.decode()

    # A claim of another vendor can't be named on this vendor's page.
    other = make_vendor("Other shop")
    response = staff_client.post(
        url("vendors-dashboard:vendor-detail", "en", pk=other.pk),
        {"action": "uphold", "claim": claim.pk, "response": "Tested: the seal was faulty."},
    )
    assert response.status_code == 404
    staff_client.post(detail, {"action": "uphold", "claim": claim.pk, "response": "Tested: the seal was faulty."})

    claim.refresh_from_db()
    assert claim.upheld
    fine = VendorSanction.objects.get(partner=vendor, kind="fine", claim=claim)
    assert fine.amount == Decimal("3.50")  # 7% of 50.00 (quality policy)
    assert WarrantyClaim.objects.filter(pk=claim.pk).exclude(status=WarrantyClaim.Status.REJECTED).exists()


def test_staff_give_a_vendor_its_english_name_in_the_partner_dashboard_and_english_pages_use_it():
    """Oscar's partner form had only the (Persian) name; the fork adds `name_en` to the
    create and the edit forms."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    with translation.override("en"):
        create_url = reverse("dashboard:partner-create")
    response = client.post(create_url, {"name": "کاشی‌سازی فیروزه", "name_en": "Firouzeh Tiles"})
    assert response.status_code == 302
    partner = Partner.objects.get(name="کاشی‌سازی فیروزه")
    assert partner.name_en == "Firouzeh Tiles"

    with translation.override("en"):
        manage_url = reverse("dashboard:partner-manage", kwargs={"pk": partner.pk})
    page = client.get(manage_url)
    assert 'value="Firouzeh Tiles"' in page.content.decode()
    response = client.post(manage_url, {"name": "کاشی‌سازی فیروزه", "name_en": "  Firouzeh Tile Works ",
                                        "line1": "Yazd, Qeytariyeh 4", "line4": "Yazd", "postcode": "8915713741",
                                        "country": "IR"})
    assert response.status_code == 302, response.context["form"].errors
    partner.refresh_from_db()
    assert (partner.name, partner.name_en) == ("کاشی‌سازی فیروزه", "Firouzeh Tile Works")
    with translation.override("en"):
        assert partner.display_name == "Firouzeh Tile Works"
