"""Warranty claims and the quality policy (issue 4 point 7, P1, P3, S11): the warranty
starts on delivery and ends after the contract period; claims outside it are refused
with the end date; an upheld claim fines the vendor and repeated failures suspend it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from ledger.models import Account
from notifications.services import messages_for
from shop.catalogue.selectors import product_list
from tests.factories import UserFactory
from tests.factories_vendors import deliver, make_vendor, make_vendor_product, place_order, vendor_user
from tests.helpers.roles import make_staff
from vendors import services
from vendors.errors import (
    ClaimAlreadyOpen,
    ClaimNotAllowed,
    InvalidTransition,
    NotAllowed,
    ReasonRequired,
    WarrantyExpired,
)
from vendors.models import Shipment, ShipmentLine, VendorSanction, WarrantyClaim

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
    b"\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def buyer(db):
    return UserFactory(email="buyer@example.com")


def delivered_line(buyer, vendor=None, *, price="200.00", warranty_days=30) -> ShipmentLine:
    vendor = vendor or make_vendor(warranty_days=warranty_days)
    kettle = make_vendor_product(vendor, price=price, stock=10)
    order = place_order(buyer, [(kettle, 1)])
    deliver(order.shipments.get())
    return ShipmentLine.objects.get(line__order=order)


def age_delivery(item: ShipmentLine, days: int) -> None:
    """Pretend the shipment was delivered `days` days ago."""
    Shipment.objects.filter(pk=item.shipment_id).update(delivered_at=timezone.now() - dt.timedelta(days=days))
    item.refresh_from_db()


def test_a_customer_opens_a_claim_with_photos_within_the_warranty(buyer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = delivered_line(buyer, warranty_days=30)
    age_delivery(item, 30)  # the last day of the warranty still counts
    claim = services.warranty_claim_open(
        shipment_line=item, customer=buyer, kind="replace", description="It stopped heating.",
        photos=[SimpleUploadedFile("broken.png", PNG, content_type="image/png")],
    )
    assert (claim.status, claim.kind, claim.upheld) == (WarrantyClaim.Status.OPEN, "replace", False)
    assert claim.photos.count() == 1
    assert messages_for(event="vendor_claim_opened", to=vendor_user(item.shipment.partner).email).count() == 1
    assert messages_for(event="customer_claim_opened", to=buyer.email).count() == 1


def test_a_claim_after_the_warranty_is_refused_with_the_end_date(buyer):
    item = delivered_line(buyer, warranty_days=30)
    age_delivery(item, 31)
    ends_on = item.warranty_ends_on()
    with translation.override("en"), pytest.raises(WarrantyExpired) as refused:
        services.warranty_claim_open(shipment_line=item, customer=buyer, kind="repair", description="Broken.")
    assert refused.value.ends_on == ends_on == timezone.localdate() - dt.timedelta(days=1)
    assert ends_on.strftime("%Y") in str(refused.value.message)
    assert str(ends_on.day) in str(refused.value.message)
    assert not WarrantyClaim.objects.filter(shipment_line=item).exists()


def test_the_warranty_period_comes_from_the_product_term(buyer):
    vendor = make_vendor(warranty_days=30)
    heater = make_vendor_product(vendor, price="90.00", stock=3, warranty_days=730)
    order = place_order(buyer, [(heater, 1)])
    deliver(order.shipments.get())
    item = ShipmentLine.objects.get(line__order=order)
    age_delivery(item, 400)
    claim = services.warranty_claim_open(shipment_line=item, customer=buyer, kind="repair", description="Noise.")
    assert claim.pk


def test_only_the_ordering_customer_may_claim_and_only_after_delivery(buyer):
    vendor = make_vendor()
    kettle = make_vendor_product(vendor, price="50.00", stock=3)
    order = place_order(buyer, [(kettle, 1)])
    item = ShipmentLine.objects.get(line__order=order)
    with pytest.raises(ClaimNotAllowed):
        services.warranty_claim_open(shipment_line=item, customer=buyer, kind="repair", description="x")
    deliver(order.shipments.get())
    with pytest.raises(NotAllowed):
        services.warranty_claim_open(shipment_line=item, customer=UserFactory(), kind="repair", description="x")
    with pytest.raises(ClaimNotAllowed):
        services.warranty_claim_open(shipment_line=item, customer=buyer, kind="refund", description="x")


def test_one_open_claim_per_line(buyer):
    item = delivered_line(buyer)
    services.warranty_claim_open(shipment_line=item, customer=buyer, kind="repair", description="x")
    with pytest.raises(ClaimAlreadyOpen):
        services.warranty_claim_open(shipment_line=item, customer=buyer, kind="repair", description="again")


def test_an_accepted_claim_is_upheld_and_fines_the_vendor_per_the_quality_policy(buyer):
    item = delivered_line(buyer, price="200.00")
    vendor = item.shipment.partner
    claim = services.warranty_claim_open(shipment_line=item, customer=buyer, kind="replace", description="Dead.")

    answered = services.warranty_claim_respond(claim=claim, user=vendor_user(vendor), accept=True,
                                               response="We will replace it.")

    assert (answered.status, answered.upheld) == (WarrantyClaim.Status.ACCEPTED, True)
    fine = VendorSanction.objects.get(partner=vendor, kind=VendorSanction.Kind.FINE)
    assert fine.amount == Decimal("14.00")  # 7% of 200 (core.quality, vendor policy)
    assert fine.claim == claim
    assert Account.objects.get(code=f"vendor:{vendor.pk}:available").balance == Decimal("-14.00")
    assert messages_for(event="customer_claim_answered", to=buyer.email).count() == 1
    # Answering again the same way fines nothing more and sends nothing more.
    services.warranty_claim_respond(claim=claim, user=vendor_user(vendor), accept=True, response="again")
    assert VendorSanction.objects.filter(partner=vendor, kind=VendorSanction.Kind.FINE).count() == 1
    assert messages_for(event="customer_claim_answered", to=buyer.email).count() == 1
    with pytest.raises(InvalidTransition):
        services.warranty_claim_respond(claim=claim, user=vendor_user(vendor), accept=False, response="changed")
    assert services.warranty_claim_resolve(claim=claim, user=vendor_user(vendor)).status == "resolved"


def test_a_rejection_needs_a_reason_and_does_not_count_against_the_vendor(buyer):
    item = delivered_line(buyer)
    vendor = item.shipment.partner
    claim = services.warranty_claim_open(shipment_line=item, customer=buyer, kind="repair", description="Scratch.")
    with pytest.raises(ReasonRequired):
        services.warranty_claim_respond(claim=claim, user=vendor_user(vendor), accept=False, response=" ")
    rejected = services.warranty_claim_respond(claim=claim, user=vendor_user(vendor), accept=False,
                                               response="Damage from misuse.")
    assert (rejected.status, rejected.upheld) == ("rejected", False)
    assert not VendorSanction.objects.filter(partner=vendor).exists()


def test_another_vendor_cannot_answer_a_claim_but_staff_can_uphold_a_rejection(buyer):
    item = delivered_line(buyer)
    vendor = item.shipment.partner
    claim = services.warranty_claim_open(shipment_line=item, customer=buyer, kind="repair", description="x")
    with pytest.raises(NotAllowed):
        services.warranty_claim_respond(claim=claim, user=vendor_user(make_vendor()), accept=False, response="no")
    services.warranty_claim_respond(claim=claim, user=vendor_user(vendor), accept=False, response="misuse")
    staff = make_staff()
    upheld = services.warranty_claim_uphold(claim=claim, staff_user=staff, response="Photos show a defect.")
    assert (upheld.status, upheld.upheld) == ("accepted", True)
    assert VendorSanction.objects.filter(partner=vendor, kind="fine", claim=claim).count() == 1
    with pytest.raises(NotAllowed):
        services.warranty_claim_uphold(claim=claim, staff_user=vendor_user(vendor), response="x")


def test_repeated_upheld_claims_suspend_the_vendor_and_hide_its_products(buyer, settings):
    settings.CHAARSOO_QUALITY_POLICY = {"vendor": {"fine_rate": "0.05", "suspend_after": 2, "window_days": 90}}
    vendor = make_vendor()
    lines = [delivered_line(buyer, vendor, price="100.00") for _ in range(2)]
    seller = vendor_user(vendor)

    first = services.warranty_claim_open(shipment_line=lines[0], customer=buyer, kind="repair", description="x")
    services.warranty_claim_respond(claim=first, user=seller, accept=True, response="ok")
    vendor.refresh_from_db()
    assert not vendor.is_suspended
    assert product_list().filter(stockrecords__partner=vendor).exists()

    second = services.warranty_claim_open(shipment_line=lines[1], customer=buyer, kind="repair", description="y")
    services.warranty_claim_respond(claim=second, user=seller, accept=True, response="ok")

    vendor.refresh_from_db()
    assert vendor.is_suspended
    fines = VendorSanction.objects.filter(partner=vendor, kind="fine").values_list("amount", flat=True)
    assert sorted(fines) == [Decimal("5.00"), Decimal("5.00")]
    suspension = VendorSanction.objects.get(partner=vendor, kind="suspension")
    assert suspension.claim == second
    assert not product_list().filter(stockrecords__partner=vendor).exists()
    # Its users can still see what they are owed.
    assert services.vendor_balance(partner=vendor)["available"] == Decimal("-10.00")


def test_old_upheld_claims_outside_the_window_do_not_suspend(buyer, settings):
    settings.CHAARSOO_QUALITY_POLICY = {"vendor": {"fine_rate": "0.05", "suspend_after": 2, "window_days": 90}}
    vendor = make_vendor()
    lines = [delivered_line(buyer, vendor, price="100.00") for _ in range(2)]
    seller = vendor_user(vendor)
    old = services.warranty_claim_open(shipment_line=lines[0], customer=buyer, kind="repair", description="x")
    services.warranty_claim_respond(claim=old, user=seller, accept=True, response="ok")
    WarrantyClaim.objects.filter(pk=old.pk).update(responded_at=timezone.now() - dt.timedelta(days=91))
    recent = services.warranty_claim_open(shipment_line=lines[1], customer=buyer, kind="repair", description="y")
    services.warranty_claim_respond(claim=recent, user=seller, accept=True, response="ok")
    vendor.refresh_from_db()
    assert not vendor.is_suspended
