"""What the shop's API modules share: money as strings with their currency, the error
shape in the schema, and the signed-in shopper's basket loaded the way the site loads it."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import OpenApiResponse
from oscar.apps.basket.middleware import BasketMiddleware
from oscar.core.loading import get_class
from rest_framework.request import Request

from core.api import MoneySerializer  # noqa: F401 - the shop's modules take Money from here
from core.openapi import ErrorSerializer

Selector = get_class("partner.strategy", "Selector")


def money(amount: Decimal | None, currency: str) -> dict | None:
    if amount is None:
        return None
    return {"amount": f"{Decimal(amount):.2f}", "currency": currency}


def error(description: str) -> OpenApiResponse:
    """A refusal the view describes itself, in the one `Error` shape of the API."""
    return OpenApiResponse(ErrorSerializer, description=description)


SIGNED_OUT = error("Not signed in.")
NOT_FOUND = error("Not one of the signed-in customer's objects.")
INVALID = error("Invalid input (see `fields`), or refused by a rule (see `code`).")
CONFLICT = error("The basket, stock or object's state does not allow this (see `code`).")


def shopper_basket(request: Request):
    """The signed-in user's open basket with its strategy and offers applied: the same
    basket the site shows (Oscar's BasketMiddleware; a token client has no basket cookie,
    so only the user's own open baskets count, merged as the site merges them)."""
    django_request = request._request
    django_request.user = request.user
    if getattr(django_request, "_shop_api_basket", None) is not None:
        return django_request._shop_api_basket
    middleware = BasketMiddleware(lambda _request: None)
    django_request.cookies_to_delete = []
    django_request._basket_cache = None
    django_request.strategy = Selector().strategy(request=django_request, user=request.user)
    basket = middleware.get_basket(django_request)
    if basket.pk is None:
        basket.save()
    basket.strategy = django_request.strategy
    middleware.apply_offers_to_basket(django_request, basket)
    django_request.basket = basket
    django_request._shop_api_basket = basket
    return basket


def reload_basket(request: Request):
    """The basket again after a change, its offers recalculated."""
    request._request._shop_api_basket = None
    return shopper_basket(request)
