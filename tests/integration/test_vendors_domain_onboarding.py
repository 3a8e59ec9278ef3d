"""Vendor onboarding, suspension, stock rules and the vendor selectors (issue 4 points 1,
2, 3, 4; P3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from oscar.core.loading import get_class, get_model

from core.page_cache import current_version
from shop.catalogue.selectors import product_list
from tests.factories import UserFactory
from tests.factories_vendors import deliver, make_vendor, make_vendor_product, place_order, vendor_user
from tests.helpers.roles import make_staff
from vendors import selectors, services
from vendors.errors import ApplicationAlreadyDecided, NotAllowed, ReasonRequired, StockRefused, VendorError
from vendors.models import Contract, Shipment, VendorApplication, VendorSanction, WarrantyClaim

pytestmark = pytest.mark.django_db

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")

APPLICATION = {
    "company_name": "کارگاه سفال نیشابور",
    "company_name_en": "Neyshabur Pottery",
    "registration_number": "10320001234",
    "contact_name": "Maryam Karimi",
    "email": "pottery@example.com",
    "phone": "+989151234567",
    "address": "Neyshabur, Khayyam St.",
    "bank_account_holder": "Neyshabur Pottery",
    "iban": "IR82 0540 1026 8002 0817 9090 02",
    "stripe_account_id": "",
    "message": "",
}


@pytest.fixture
def staff(db):
    return make_staff()


# ------------------------------------------------------------------ applications
def test_an_approved_application_becomes_an_active_partner_with_a_contract_and_a_vendor_user(staff):
    applicant = UserFactory()
    application = services.application_submit(data=APPLICATION, categories=[], applicant=applicant)
    assert application.iban == "IR820540102680020817909002"

    partner = services.application_approve(application=application, staff_user=staff,
                                           commission_rate=Decimal("0.0800"))

    assert partner.status == Partner.Status.ACTIVE and partner.name == APPLICATION["company_name"]
    assert partner.contract.commission_rate == Decimal("0.0800")
    assert list(partner.users.all()) == [applicant]
    assert applicant.has_perm("partner.dashboard_access")
    assert services.vendor_for_user(applicant) == partner
    application.refresh_from_db()
    assert (application.status, application.partner, application.decided_by) == ("approved", partner, staff)
    # Approving twice returns the same partner.
    assert services.application_approve(application=application, staff_user=staff) == partner
    assert Partner.objects.filter(name=APPLICATION["company_name"]).count() == 1


def test_approving_an_application_without_an_account_creates_the_vendor_user(staff):
    application = services.application_submit(data=APPLICATION, categories=[])
    partner = services.application_approve(application=application, staff_user=staff)
    user = partner.users.get()
    assert user.email == "pottery@example.com" and not user.has_usable_password()
    assert Contract.objects.get(partner=partner).commission_rate == Decimal("0.1000")


def test_a_rejection_needs_a_reason_and_only_staff_decide(staff):
    application = services.application_submit(data=APPLICATION, categories=[])
    with pytest.raises(ReasonRequired):
        services.application_reject(application=application, staff_user=staff, reason="  ")
    with pytest.raises(NotAllowed):
        services.application_approve(application=application, staff_user=UserFactory())
    rejected = services.application_reject(application=application, staff_user=staff, reason="No registration.")
    assert (rejected.status, rejected.decision_reason) == ("rejected", "No registration.")
    with pytest.raises(ApplicationAlreadyDecided):
        services.application_approve(application=application, staff_user=staff)


def test_an_application_with_an_invalid_iban_is_refused():
    with pytest.raises(VendorError) as refused:
        services.application_submit(data={**APPLICATION, "iban": "IR000000000000000000000000"}, categories=[])
    assert refused.value.code == "application_invalid"
    assert not VendorApplication.objects.filter(email=APPLICATION["email"]).exists()


# ------------------------------------------------------------------ suspension
def test_suspending_hides_the_vendors_products_from_listing_search_and_api(client, django_capture_on_commit_callbacks):
    vendor = make_vendor("Lamp shop")
    lamp = make_vendor_product(vendor, price="40.00", stock=5)
    lamp.title_en = "Brass lamp zxq"
    lamp.save()
    assert lamp in product_list()
    version = current_version()

    with django_capture_on_commit_callbacks(execute=True):
        services.vendor_suspend(partner=vendor, staff_user=make_staff(), reason="Fake goods")

    vendor.refresh_from_db()
    assert vendor.is_suspended and vendor.suspended_reason == "Fake goods" and vendor.suspended_at
    assert current_version() > version  # every cached page retired
    assert lamp not in product_list()
    assert not product_list(query="zxq").exists()
    data = client.get("/api/v1/catalogue/products/?q=zxq").json()
    assert data.get("count", len(data.get("results", []))) == 0
    with translation.override("en"):
        listing = client.get(reverse("catalogue:index")).content.decode()
    assert "Brass lamp zxq" not in listing
    # The same suspension again changes nothing.
    services.vendor_suspend(partner=vendor, reason="again")
    assert VendorSanction.objects.filter(partner=vendor, kind="suspension").count() == 1


def test_a_suspended_vendors_product_cannot_be_added_to_a_basket(customer_client):
    vendor = make_vendor()
    lamp = make_vendor_product(vendor, price="40.00", stock=5)
    services.vendor_suspend(partner=vendor, reason="Fake goods")
    strategy = Selector().strategy()
    info = strategy.fetch_for_product(lamp)
    assert info.stockrecord is None and not info.availability.is_available_to_buy
    with translation.override("en"):
        customer_client.post(reverse("basket:add", kwargs={"pk": lamp.pk}), {"quantity": 1})
    assert not Basket.objects.filter(lines__product=lamp).exists()


def test_an_active_vendors_offer_is_chosen_over_a_suspended_one():
    suspended, active = make_vendor("Old shop"), make_vendor("New shop")
    lamp = make_vendor_product(suspended, price="40.00", stock=5)
    StockRecord.objects.create(product=lamp, partner=active, partner_sku="NEW-1", price=Decimal("45.00"),
                               num_in_stock=3)
    services.vendor_suspend(partner=suspended, reason="Fake goods")
    info = Selector().strategy().fetch_for_product(lamp)
    assert info.stockrecord.partner == active
    assert lamp in product_list()


def test_reinstating_puts_the_products_back(staff):
    vendor = make_vendor()
    lamp = make_vendor_product(vendor, price="40.00", stock=5)
    services.vendor_suspend(partner=vendor, staff_user=staff, reason="Checks")
    services.vendor_reinstate(partner=vendor, staff_user=staff)
    vendor.refresh_from_db()
    assert not vendor.is_suspended and vendor.suspended_reason == ""
    assert lamp in product_list()


# ------------------------------------------------------------------ stock (P3)
def test_stock_can_not_exceed_the_contracted_quantity_nor_drop_below_what_is_sold():
    vendor = make_vendor()
    vase = make_vendor_product(vendor, price="15.00", stock=5, contracted_quantity=20)
    record = StockRecord.objects.get(product=vase)
    seller = vendor_user(vendor)
    with pytest.raises(StockRefused) as refused:
        services.stock_set(stockrecord=record, num_in_stock=21, price=None, user=seller)
    assert "20" in str(refused.value.message)
    place_order(UserFactory(), [(vase, 4)])
    with pytest.raises(StockRefused):
        services.stock_set(stockrecord=record, num_in_stock=3, price=None, user=seller)
    with pytest.raises(NotAllowed):
        services.stock_set(stockrecord=record, num_in_stock=10, price=None, user=vendor_user(make_vendor()))
    updated = services.stock_set(stockrecord=record, num_in_stock=20, price=Decimal("17.50"), user=seller)
    assert (updated.num_in_stock, updated.price, updated.num_allocated) == (20, Decimal("17.50"), 4)


# ------------------------------------------------------------------ selectors
def test_vendor_shipments_cost_the_same_queries_for_any_page_size():
    vendor = make_vendor()
    products = [make_vendor_product(vendor, price="10.00", stock=50) for _ in range(3)]
    buyer = UserFactory()
    place_order(buyer, [(products[0], 1)])

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            for shipment in selectors.vendor_shipments(partner=vendor):
                _ = shipment.order.shipping_address.state
                _ = [(item.line.title, item.line.product.upc) for item in shipment.lines.all()]
        return len(ctx.captured_queries)

    small = count_queries()
    for _ in range(6):
        place_order(buyer, [(product, 2) for product in products])
    assert count_queries() == small
    assert selectors.vendor_shipments(partner=vendor, status="pending").count() == 7
    assert not selectors.vendor_shipments(partner=make_vendor()).exists()


def test_vendor_performance_counts_on_time_deliveries_claims_and_fines(settings):
    vendor = make_vendor()
    kettle = make_vendor_product(vendor, price="100.00", stock=20)
    buyer = UserFactory()
    orders = [place_order(buyer, [(kettle, 1)]) for _ in range(3)]
    for order in orders:
        deliver(order.shipments.get())
    late = orders[0].shipments.get()
    Shipment.objects.filter(pk=late.pk).update(promised_by=timezone.localdate() - dt.timedelta(days=2))
    line = late.lines.get()
    claim = services.warranty_claim_open(shipment_line=line, customer=buyer, kind="repair", description="x")
    services.warranty_claim_respond(claim=claim, user=vendor_user(vendor), accept=True, response="ok")
    ProductReview = get_model("reviews", "ProductReview")
    for score in (4, 5):
        ProductReview.objects.create(product=kettle, user=UserFactory(), score=score, title="t", body="b",
                                     status=ProductReview.APPROVED)

    figures = selectors.vendor_performance(partner=vendor)

    assert figures["delivered_count"] == 3 and figures["late_count"] == 1
    assert figures["on_time_rate"] == Decimal("0.6667")
    assert (figures["claims_total"], figures["claims_upheld"]) == (1, 1)
    assert figures["fines_total"] == Decimal("7.00")
    assert figures["average_rating"] == Decimal("4.50")
    assert len(figures["monthly"]) == 6
    this_month = figures["monthly"][-1]
    assert this_month["month"] == timezone.localdate().replace(day=1)
    assert (this_month["delivered"], this_month["on_time"], this_month["claims"]) == (3, 2, 1)
    assert WarrantyClaim.objects.filter(shipment_line__shipment__partner=vendor).count() == 1
