"""The basket through /api/v1/shop/basket/ (issue 17 point 2): reading it with prices,
vendor groups and delivery promises, installation, adding, changing, removing, vouchers;
each refusal a 4xx with its code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shop.checkout.models import BasketLineInstallation
from tests.factories import UserFactory
from tests.factories_vendors import make_vendor, make_vendor_product

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

Voucher = get_model("voucher", "Voucher")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
Range = get_model("offer", "Range")

BASKET = "/api/v1/shop/basket/"
LINES = "/api/v1/shop/basket/lines/"
VOUCHERS = "/api/v1/shop/basket/vouchers/"


def signed_in(user, language: str = "en") -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE=language)
    return client


@pytest.fixture
def shop():
    fast = make_vendor("Fast lamps", delivery_days=5, promises={"Tehran": 2})
    slow = make_vendor("Slow stoves", delivery_days=7)
    lamp = make_vendor_product(fast, price="100.00", stock=3)
    stove = make_vendor_product(slow, price="250.00", stock=5, needs_installation=True, installation_price="30.00")
    return {"fast": fast, "slow": slow, "lamp": lamp, "stove": stove}


def test_a_customer_fills_a_basket_from_two_vendors_with_installation(shop):
    client = signed_in(UserFactory())

    assert client.post(LINES, {"product": shop["lamp"].pk, "quantity": 2}, format="json").status_code == 201
    response = client.post(LINES, {"product": shop["stove"].pk, "quantity": 1, "installation": True}, format="json")

    assert response.status_code == 201
    basket = client.get(BASKET, {"region": "Tehran"}).json()
    lamp, stove = basket["lines"]
    assert lamp["unit_price"] == {"amount": "100.00", "currency": basket["currency"]}
    assert lamp["price"]["amount"] == "200.00" and lamp["installation"] is None
    assert stove["installation"]["chosen"] is True and stove["installation"]["price"]["amount"] == "30.00"
    assert [group["vendor"]["name"] for group in basket["vendors"]] == ["Fast lamps", "Slow stoves"]
    today = timezone.localdate()
    assert basket["vendors"][0]["delivery_days"] == 2  # the Tehran promise
    assert basket["vendors"][0]["promised_by"] == (today + dt.timedelta(days=2)).isoformat()
    assert basket["vendors"][1]["delivery_days"] == 7
    assert basket["totals"]["items"]["amount"] == "450.00"
    assert basket["totals"]["installation"]["amount"] == "30.00"
    assert basket["totals"]["total"]["amount"] == "480.00"


def test_adding_more_than_the_stock_is_refused_with_a_code(shop):
    client = signed_in(UserFactory())

    response = client.post(LINES, {"product": shop["lamp"].pk, "quantity": 4}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "not_available" and response.json()["detail"]
    assert client.get(BASKET).json()["lines"] == []


def test_installation_is_refused_where_the_vendor_does_not_offer_it(shop):
    client = signed_in(UserFactory())

    response = client.post(LINES, {"product": shop["lamp"].pk, "installation": True}, format="json")

    assert response.status_code == 400 and response.json()["code"] == "installation_not_offered"
    assert client.get(BASKET).json()["lines"] == []  # the refusal rolled the add back


def test_an_unknown_or_hidden_product_answers_404(shop):
    shop["lamp"].is_public = False
    shop["lamp"].save()
    client = signed_in(UserFactory())

    assert client.post(LINES, {"product": shop["lamp"].pk}, format="json").status_code == 404
    assert client.post(LINES, {"product": 999999}, format="json").status_code == 404


def test_changing_the_quantity_follows_the_stock_and_removing_a_line_empties_it(shop):
    client = signed_in(UserFactory())
    line_id = client.post(LINES, {"product": shop["lamp"].pk}, format="json").json()["lines"][0]["id"]

    changed = client.patch(f"{LINES}{line_id}/", {"quantity": 3}, format="json")
    too_many = client.patch(f"{LINES}{line_id}/", {"quantity": 4}, format="json")

    assert changed.status_code == 200 and changed.json()["lines"][0]["quantity"] == 3
    assert too_many.status_code == 409 and too_many.json()["code"] == "not_available"
    assert client.get(BASKET).json()["lines"][0]["quantity"] == 3
    removed = client.delete(f"{LINES}{line_id}/")
    assert removed.status_code == 200 and removed.json()["lines"] == []


def test_installation_can_be_chosen_and_dropped_on_a_line(shop):
    client = signed_in(UserFactory())
    line_id = client.post(LINES, {"product": shop["stove"].pk}, format="json").json()["lines"][0]["id"]

    chosen = client.patch(f"{LINES}{line_id}/", {"installation": True}, format="json").json()
    dropped = client.patch(f"{LINES}{line_id}/", {"installation": False}, format="json").json()

    assert chosen["lines"][0]["installation"]["chosen"] is True
    assert dropped["lines"][0]["installation"]["chosen"] is False
    assert not BasketLineInstallation.objects.exists()


def test_another_customers_line_answers_404(shop):
    owner, other = signed_in(UserFactory()), signed_in(UserFactory())
    line_id = owner.post(LINES, {"product": shop["lamp"].pk}, format="json").json()["lines"][0]["id"]

    assert other.patch(f"{LINES}{line_id}/", {"quantity": 2}, format="json").status_code == 404
    assert other.delete(f"{LINES}{line_id}/").status_code == 404
    assert owner.get(BASKET).json()["lines"][0]["quantity"] == 1


def test_a_visitor_is_refused():
    client = APIClient()
    response = client.get(BASKET)
    assert response.status_code in (401, 403) and response.json()["code"]


def _ten_percent_voucher(code: str = "SPRING10", **fields) -> Voucher:
    everything = Range.objects.create(name="Everything", includes_all_products=True)
    offer = ConditionalOffer.objects.create(
        name="Spring", offer_type=ConditionalOffer.VOUCHER,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=Decimal("10")),
    )
    now = timezone.now()
    voucher = Voucher.objects.create(
        name="Spring", code=code, start_datetime=fields.pop("start", now - dt.timedelta(days=1)),
        end_datetime=fields.pop("end", now + dt.timedelta(days=30)), **fields,
    )
    voucher.offers.add(offer)
    return voucher


def test_a_voucher_discounts_the_basket_and_can_be_removed(shop):
    voucher = _ten_percent_voucher()
    client = signed_in(UserFactory())
    client.post(LINES, {"product": shop["lamp"].pk, "quantity": 2}, format="json")

    applied = client.post(VOUCHERS, {"code": "spring10"}, format="json")

    assert applied.status_code == 201
    basket = applied.json()
    assert basket["vouchers"] == [{"id": voucher.pk, "code": "SPRING10", "name": "Spring"}]
    assert basket["discounts"][0]["voucher_code"] == "SPRING10"
    assert basket["totals"]["discounts"]["amount"] == "20.00"
    assert basket["totals"]["items"]["amount"] == "180.00"
    removed = client.delete(f"{VOUCHERS}{voucher.pk}/")
    assert removed.status_code == 200 and removed.json()["vouchers"] == []
    assert removed.json()["totals"]["items"]["amount"] == "200.00"


@pytest.mark.parametrize(("code", "expected"), [
    ("NOPE", "voucher_unknown"),
    ("OLD", "voucher_expired"),
])
def test_an_unusable_voucher_is_refused_with_its_code(shop, code, expected):
    now = timezone.now()
    _ten_percent_voucher("OLD", start=now - dt.timedelta(days=10), end=now - dt.timedelta(days=1))
    client = signed_in(UserFactory())
    client.post(LINES, {"product": shop["lamp"].pk}, format="json")

    response = client.post(VOUCHERS, {"code": code}, format="json")

    assert response.status_code == 400 and response.json()["code"] == expected and response.json()["detail"]


def test_a_voucher_twice_is_refused(shop):
    _ten_percent_voucher()
    client = signed_in(UserFactory())
    client.post(LINES, {"product": shop["lamp"].pk}, format="json")
    client.post(VOUCHERS, {"code": "SPRING10"}, format="json")

    response = client.post(VOUCHERS, {"code": "SPRING10"}, format="json")

    assert response.status_code == 400 and response.json()["code"] == "voucher_already_added"


def test_a_refusal_speaks_the_requested_language(shop):
    client = signed_in(UserFactory(), language="fa")

    response = client.post(LINES, {"product": shop["lamp"].pk, "installation": True}, format="json")

    assert response.json()["code"] == "installation_not_offered"
    assert response.json()["detail"].startswith("برای «")
