"""P5 on the site: the customer's order page offers "Cancel" on each part still with its
vendor and "Cancel the whole order" when there are several; each leads to a confirmation
page saying what comes back and how, with a reason; the cancellation itself is a POST of
the order's own customer (another customer gets 404), refused once the goods have left."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from shop import order_status
from tests.factories import UserFactory
from tests.factories_vendors import vendor_user
from tests.functional.test_vendors_web_seller import (  # noqa: F401  (fixtures)
    buyer,
    deliver,
    html,
    lamp,
    order,
    rug,
    shipment_a,
    shipment_b,
    shop_a,
    shop_b,
)
from vendors import services
from vendors.models import Shipment

pytestmark = pytest.mark.django_db
LANGUAGES = ["fa", "en"]


def cancel_url(language: str, placed, shipment=None) -> str:
    with translation.override(language):
        if shipment is None:
            return reverse("vendors:order-cancel", kwargs={"number": placed.number})
        return reverse("vendors:shipment-cancel", kwargs={"number": placed.number, "pk": shipment.pk})


def order_url(language: str, placed) -> str:
    with translation.override(language):
        return reverse("customer:order", kwargs={"order_number": placed.number})


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_order_page_offers_cancel_per_part_and_for_the_whole(client, buyer, order, shipment_a, shipment_b,  # noqa: F811
                                                                  language):
    client.force_login(buyer)
    deliver(shipment_b)

    page = html(client.get(order_url(language, order)))

    assert f'data-cancel-shipment="{shipment_a.pk}"' in page
    assert f'data-cancel-shipment="{shipment_b.pk}"' not in page  # delivered: nothing to cancel
    assert "data-cancel-order" not in page  # one part left: its own button is enough


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_confirmation_says_nothing_was_charged_and_asks_why(client, buyer, order, shipment_a, shipment_b,  # noqa: F811
                                                               language):
    client.force_login(buyer)
    assert "data-cancel-order" in html(client.get(order_url(language, order)))

    response = client.get(cancel_url(language, order))
    page = html(response)

    assert response.status_code == 200
    assert 'data-refund-method="cash"' in page and 'name="reason"' in page and "csrfmiddlewaretoken" in page
    with translation.override(language):
        assert translation.gettext("You pay on delivery: nothing was charged, so nothing needs to be refunded.") \
            in page
        assert translation.gettext("Cancel the order") in page
    if language == "fa":
        assert "پرداخت شما در محل است" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_customer_cancels_one_part_with_a_reason(client, buyer, order, shipment_a, shipment_b, language):  # noqa: F811
    client.force_login(buyer)

    missing = client.post(cancel_url(language, order, shipment_a), {"reason": "other", "details": ""})
    response = client.post(cancel_url(language, order, shipment_a), {"reason": "mistake"})

    with translation.override(language):
        assert missing.status_code == 200 and translation.gettext("Tell us the reason in a few words.") in html(missing)
    assert response.status_code == 302 and response["Location"].endswith(order_url(language, order))
    shipment_a.refresh_from_db()
    shipment_b.refresh_from_db()
    assert shipment_a.status == Shipment.Status.CANCELLED and shipment_b.status == Shipment.Status.PENDING
    with translation.override(language):
        assert shipment_a.cancel_reason == translation.gettext("I ordered it by mistake")
        assert [str(m) for m in get_messages(response.wsgi_request)] == [
            translation.gettext("Cancelled. We told the vendor and sent you a confirmation.")]


def test_cancelling_the_whole_order_cancels_it(client, buyer, order, shipment_a, shipment_b):  # noqa: F811
    client.force_login(buyer)

    response = client.post(cancel_url("en", order), {"reason": "other", "details": "Moving house"})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == order_status.CANCELLED
    assert set(order.shipments.values_list("cancel_reason", flat=True)) == {"Another reason: Moving house"}


def test_another_customer_gets_404_and_changes_nothing(client, order, shipment_a):  # noqa: F811
    client.force_login(UserFactory())

    assert client.get(cancel_url("en", order)).status_code == 404
    assert client.post(cancel_url("en", order, shipment_a), {"reason": "mistake"}).status_code == 404
    client.force_login(vendor_user(shipment_a.partner))
    assert client.post(cancel_url("en", order, shipment_a), {"reason": "mistake"}).status_code == 404
    shipment_a.refresh_from_db()
    assert shipment_a.status == Shipment.Status.PENDING


def test_visitors_are_sent_to_sign_in_and_other_methods_refused(client, buyer, order, shipment_a):  # noqa: F811
    assert client.post(cancel_url("en", order, shipment_a), {"reason": "mistake"}).status_code == 302
    client.force_login(buyer)
    assert client.put(cancel_url("en", order, shipment_a)).status_code == 405
    shipment_a.refresh_from_db()
    assert shipment_a.status == Shipment.Status.PENDING


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_shipped_part_is_refused_with_a_message(client, buyer, order, shipment_a, language):  # noqa: F811
    user = vendor_user(shipment_a.partner)
    services.shipment_confirm(shipment=shipment_a, user=user)
    services.shipment_ship(shipment=shipment_a, user=user, tracking_reference="TRK-CANCEL")
    client.force_login(buyer)

    response = client.post(cancel_url(language, order, shipment_a), {"reason": "mistake"})

    assert response.status_code == 302
    with translation.override(language):
        expected = translation.gettext("This can no longer be cancelled: it has already left the vendor, or it "
                                       "was cancelled before.")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [expected]
    shipment_a.refresh_from_db()
    assert shipment_a.status == Shipment.Status.SHIPPED
