"""Warranty claims and shipments move through named transitions (vendors.machines), each
step one event row (action, from, to, actor); a step fired twice writes nothing more.
Upholding a rejected claim needs judge_warranty (operators have it, finance does not)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import UserFactory
from tests.factories_vendors import deliver, make_vendor, make_vendor_product, place_order, vendor_user
from tests.helpers.roles import make_role_user
from vendors import services
from vendors.errors import NotAllowed
from vendors.models import ClaimEvent, ShipmentEvent, VendorSanction, WarrantyClaim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim_world(db):
    buyer = UserFactory(email="claims-events@example.com")
    vendor = make_vendor("Events shop")
    kettle = make_vendor_product(vendor, price=Decimal("50.00"), stock=3)
    order = place_order(buyer, [(kettle, 1)])
    shipment = order.shipments.get()
    deliver(shipment)
    claim = services.warranty_claim_open(shipment_line=shipment.lines.get(), customer=buyer, kind="repair",
                                         description="It leaks.")
    return buyer, vendor, shipment, claim


def steps(claim: WarrantyClaim) -> list[tuple]:
    return list(ClaimEvent.objects.filter(claim=claim).values_list("action", "from_status", "to_status", "actor"))


def test_a_shipments_events_name_each_transition(claim_world):
    _buyer, vendor, shipment, _claim = claim_world
    actions = list(ShipmentEvent.objects.filter(shipment=shipment).values_list("action", "from_status", "to_status"))
    assert actions == [
        ("place", "", "pending"), ("confirm", "pending", "confirmed"), ("ship", "confirmed", "shipped"),
        ("deliver", "shipped", "delivered"),
    ]
    services.shipment_deliver(shipment=shipment, user=vendor_user(vendor))
    assert ShipmentEvent.objects.filter(shipment=shipment).count() == 4


def test_a_rejected_claim_upheld_by_an_operator_is_logged_step_by_step_and_fined_once(claim_world):
    buyer, vendor, _shipment, claim = claim_world
    seller = vendor_user(vendor)
    services.warranty_claim_respond(claim=claim, user=seller, accept=False, response="Misused.")
    services.warranty_claim_respond(claim=claim, user=seller, accept=False, response="Misused again.")
    with pytest.raises(NotAllowed):
        services.warranty_claim_uphold(claim=claim, staff_user=make_role_user("finance"), response="Faulty.")
    operator = make_role_user("operator")
    services.warranty_claim_uphold(claim=claim, staff_user=operator, response="Faulty batch.")
    services.warranty_claim_uphold(claim=claim, staff_user=operator, response="Faulty batch.")
    services.warranty_claim_resolve(claim=claim, user=seller)
    services.warranty_claim_resolve(claim=claim, user=seller)

    assert steps(claim) == [
        ("open", "", "open", buyer.pk),
        ("reject", "open", "rejected", seller.pk),
        ("uphold", "rejected", "accepted", operator.pk),
        ("resolve", "accepted", "resolved", seller.pk),
    ]
    claim.refresh_from_db()
    assert (claim.status, claim.upheld, claim.vendor_response) == ("resolved", True, "Faulty batch.")
    # The one quality policy (core.quality): 7% of 50.00, once.
    fine = VendorSanction.objects.get(claim=claim, kind="fine")
    assert fine.amount == Decimal("3.50")


def test_only_the_vendor_or_staff_acting_for_it_answer_a_claim(claim_world):
    _buyer, _vendor, _shipment, claim = claim_world
    for outsider in (make_role_user("finance"), make_role_user("editor"), vendor_user(make_vendor())):
        with pytest.raises(NotAllowed):
            services.warranty_claim_respond(claim=claim, user=outsider, accept=True, response="")
    services.warranty_claim_respond(claim=claim, user=make_role_user("operator"), accept=True, response="")
    assert [action for action, *_rest in steps(claim)] == ["open", "accept"]
