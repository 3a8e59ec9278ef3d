"""Every vendor-domain notification (issue 4 point 11) renders an email and an SMS in both
languages, with the order's facts in it, and the Persian text is Persian."""

from __future__ import annotations

import re

import pytest

from notifications.services import render_event
from tests.factories import UserFactory
from tests.factories_vendors import deliver, make_vendor, make_vendor_product, place_order
from vendors import services

pytestmark = pytest.mark.django_db

PERSIAN = re.compile(r"[\u0600-\u06FF]")
EVENTS = (
    "vendor_new_order_lines", "customer_order_placed", "customer_shipment_shipped", "customer_shipment_delivered",
    "customer_shipment_cancelled", "vendor_claim_opened", "customer_claim_opened", "customer_claim_answered",
    "vendor_shipment_cancelled_by_customer", "customer_order_cancel_confirmed",
)


@pytest.fixture
def contexts():
    buyer = UserFactory()
    vendor = make_vendor("Kashan Rugs")
    rug = make_vendor_product(vendor, price="250.00", stock=3)
    order = place_order(buyer, [(rug, 1)])
    shipment = deliver(order.shipments.get())
    item = shipment.lines.get()
    claim = services.warranty_claim_open(shipment_line=item, customer=buyer, kind="repair", description="Torn")
    shipment_context = {"partner": vendor, "shipment": shipment, "order": order, "lines": [item],
                        "address": order.shipping_address}
    claim_context = {"partner": vendor, "claim": claim, "order": order, "line": item.line}
    return {
        "vendor_new_order_lines": shipment_context,
        "customer_order_placed": {"order": order, "shipments": [shipment]},
        "customer_shipment_shipped": shipment_context,
        "customer_shipment_delivered": shipment_context,
        "customer_shipment_cancelled": {**shipment_context, "reason": "Out of stock"},
        "vendor_claim_opened": claim_context,
        "customer_claim_opened": claim_context,
        "customer_claim_answered": claim_context,
        # P5: the customer cancelled (the refund wording is the card's).
        "vendor_shipment_cancelled_by_customer": {**shipment_context, "reason": "Changed my mind"},
        "customer_order_cancel_confirmed": {"order": order, "shipments": [shipment], "lines": [item],
                                            "reason": "Changed my mind", "method": "card",
                                            "refund": item.gross_amount, "currency": order.currency,
                                            "order_cancelled": True},
    }


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("language", ["fa", "en"])
def test_each_event_has_a_subject_body_and_sms_in_both_languages(contexts, event, language):
    rendered = render_event(event=event, context=contexts[event], language=language)
    assert rendered.subject and rendered.body and rendered.sms
    context = contexts[event]
    # The subject names what it is about: the claim for claim events, else the order.
    subject_key = str(context["claim"].pk) if "claim" in context else str(context["order"].number)
    assert subject_key in rendered.subject
    assert subject_key in rendered.sms
    if language == "fa":
        assert PERSIAN.search(rendered.subject) and PERSIAN.search(rendered.sms)
    else:
        assert not PERSIAN.search(rendered.subject) and not PERSIAN.search(rendered.sms)
