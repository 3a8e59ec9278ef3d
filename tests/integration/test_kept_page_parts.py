"""Parts of every page kept under the values they print (issue 16): the chat widget, the
account tabs and the header's menus. Each shows the right thing from the next page on
when what it prints changes, in both languages, with each page's own CSRF token."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from support.selectors import HOURS_CACHE_KEY

pytestmark = pytest.mark.django_db

ORDERS = "/{}/shop/accounts/orders/"
ADDRESSES = "/{}/shop/accounts/addresses/"


def _kept_blocks(holding: bytes) -> list[str]:
    # LocMemCache's own entries (the tests' cache): keys and pickled values.
    return [key for key, value in cache._cache.items() if ":rows:" in key and holding in value]


def _hours(is_open: bool) -> dict:
    return {"open": is_open, "next_opening": None if is_open else timezone.now() + dt.timedelta(hours=14),
            "rows": [], "phone": "021-000", "note": ""}


def _widget(page: str) -> str:
    return re.search(r'<div class="support-chat".*?</section>', page, re.S).group(0)


def _csrf(page: str) -> str:
    return re.search(r'data-support-chat.*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S).group(1)


@pytest.fixture
def shopper(client):
    user = get_user_model().objects.create_user("kept-shopper", "kept-shopper@example.com", "x")
    client.force_login(user)
    return user


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_chat_widget_follows_the_hours_and_the_shopper(client, language):
    cache.set(HOURS_CACHE_KEY, _hours(True), 60)
    anonymous = client.get(f"/{language}/shop/").content.decode()
    assert "data-chat-begin" in _widget(anonymous) and 'data-signed-in="0"' in anonymous
    assert _kept_blocks(b"data-support-chat")

    cache.set(HOURS_CACHE_KEY, _hours(False), 60)
    closed = client.get(f"/{language}/shop/accounts/login/").content.decode()
    assert "data-chat-offline" in _widget(closed) and "data-chat-begin" not in _widget(closed)

    client.force_login(get_user_model().objects.create_user("kept-chatter", "kept-chatter@example.com", "x"))
    signed_in = client.get(ORDERS.format(language)).content.decode()
    assert 'data-signed-in="1"' in signed_in


def test_each_page_gets_its_own_csrf_token_in_the_kept_widget(client, shopper):
    cache.set(HOURS_CACHE_KEY, _hours(True), 60)
    first, second = (client.get(ORDERS.format("en")).content.decode() for _ in range(2))
    # The same secret, masked anew on each page, as Django does for a rendered form.
    assert _csrf(first) != _csrf(second)
    assert _csrf(second) == re.search(r'id="logout_form".*?value="([^"]+)"', second, re.S).group(1)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_account_tabs_mark_the_page_they_are_on(client, shopper, language):
    orders = client.get(ORDERS.format(language)).content.decode()
    addresses = client.get(ADDRESSES.format(language)).content.decode()
    active = r'href="([^"]+)" class="nav-link active"'
    assert re.findall(active, orders) == [f"/{language}/shop/accounts/orders/"]
    assert re.findall(active, addresses) == [f"/{language}/shop/accounts/addresses/"]
    assert len(re.findall(r'class="nav-link', orders)) == len(re.findall(r'class="nav-link', addresses))
    assert _kept_blocks(b"nav-link active")
