"""A signed-in shopper's open basket is read by compiled SQL on the basket and checkout
pages (shop.basket_loading.BasketMiddleware.get_basket, issue 16); the cases Oscar handles
itself (no basket yet, several, a cookie basket to merge after signing in) still are."""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.core.signing import Signer
from oscar.apps.basket.managers import OpenBasketManager
from oscar.core.loading import get_model

from tests.integration import test_header_basket
from tests.integration.test_header_basket import add_line

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
BASKET_PAGE = "/en/shop/basket/"


# The header test's signed-in shopper (a fixture), shared rather than written again.
shopper = test_header_basket.shopper


def basket_page(client):
    with mock.patch.object(OpenBasketManager, "get_or_create", autospec=True,
                           side_effect=OpenBasketManager.get_or_create) as oscar_lookup:
        response = client.get(BASKET_PAGE)
    assert response.status_code == 200
    return response, oscar_lookup.call_count


def test_a_shoppers_one_open_basket_is_read_without_oscars_lookup(client, shopper):
    basket = Basket.objects.create(owner=shopper)
    product = add_line(basket, "9.00", 2).product
    response, oscar_lookups = basket_page(client)
    assert oscar_lookups == 0
    assert response.context["basket"].pk == basket.pk
    assert response.context["basket"].owner == shopper
    assert product.get_title() in response.content.decode()


def test_a_shopper_without_a_basket_gets_one_from_oscar(client, shopper):
    response, oscar_lookups = basket_page(client)
    assert oscar_lookups == 1
    assert Basket.open.filter(owner=shopper).count() == 1


def test_two_open_baskets_go_to_oscar_which_merges_them(client, shopper):
    first = Basket.objects.create(owner=shopper)
    add_line(first, "9.00", 1)
    second = Basket.objects.create(owner=shopper)
    add_line(second, "5.00", 2)
    response, oscar_lookups = basket_page(client)
    assert oscar_lookups == 1
    assert Basket.open.filter(owner=shopper).count() == 1
    assert response.context["basket"].num_items == 3


def test_a_basket_cookie_after_signing_in_is_merged_by_oscar(client, shopper):
    mine = Basket.objects.create(owner=shopper)
    add_line(mine, "9.00", 1)
    anonymous = Basket.objects.create()
    add_line(anonymous, "5.00", 2)
    client.cookies[settings.OSCAR_BASKET_COOKIE_OPEN] = Signer().sign(anonymous.pk)  # as Oscar signs it
    response, oscar_lookups = basket_page(client)
    assert oscar_lookups == 1
    assert response.context["basket"].pk == mine.pk and response.context["basket"].num_items == 3
    assert not Basket.open.filter(pk=anonymous.pk).exists()
