"""The signed-in header and the basket page, read in fewer queries (issue 16), show what
they showed before: every work area the user holds, from the next page after a role or
membership changes, and the basket page's "spend more" message of a site offer."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model
from oscar.test.factories import create_offer

from core.permissions import assign_role
from core.work_areas import _AREAS, areas_for
from offices.models import Clerk
from tests.factories_services import make_provider
from tests.factories_vendors import make_vendor, make_vendor_product

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
Range = get_model("offer", "Range")


def shown_areas(client) -> list[str]:
    page = client.get("/fa/shop/accounts/orders/").content.decode()
    return re.findall(r'data-work-area="([^"]+)"', page)


def test_a_membership_or_role_shows_its_work_area_on_the_next_page(client):
    user = get_user_model().objects.create_user("header-worker", "worker@example.com", "x")
    client.force_login(user)
    assert shown_areas(client) == []

    make_vendor().users.add(user)
    assert shown_areas(client) == ["seller"]

    make_provider(user=user)
    assert "provider" in shown_areas(client)

    assign_role(user, "agent")
    assert "support" in shown_areas(client)

    user.partners.clear()
    assert "seller" not in shown_areas(client)


def test_an_inactive_clerk_has_no_office_console(client):
    clerk = Clerk.objects.select_related("user").filter(is_active=True).first()
    client.force_login(clerk.user)
    assert "office" in shown_areas(client)
    Clerk.objects.filter(pk=clerk.pk).update(is_active=False)
    assert "office" not in shown_areas(client)


@pytest.mark.parametrize("username", ["customer", "operator", "provider", "vendor"])
def test_the_work_areas_cost_one_query_and_match_each_areas_own_check(username):
    user = get_user_model().objects.get(username=username)
    with CaptureQueriesContext(connection) as captured:
        shown = [area.key for area in areas_for(user)]
    # Permissions and memberships in one round trip (they were two queries).
    assert len(captured.captured_queries) == 1
    # Each area asked on its own, permissions through Django's own backend.
    fresh = get_user_model().objects.get(pk=user.pk)
    expected = [
        area.key for area in sorted(_AREAS.values(), key=lambda a: (a.order, a.key))
        if (area.exists(fresh).exists() if area.exists is not None else area.visible(fresh))
    ]
    assert shown == expected


def test_the_basket_page_still_offers_the_spend_more_message(client):
    shopper = get_user_model().objects.create_user("upsell-shopper", "upsell@example.com", "x")
    client.force_login(shopper)
    product_range = Range.objects.create(name="Everything", includes_all_products=True)
    condition = Condition.objects.create(range=product_range, type=Condition.COUNT, value=3)
    benefit = Benefit.objects.create(range=product_range, type=Benefit.PERCENTAGE, value=10)
    offer = create_offer(name="Three for less", condition=condition, benefit=benefit)
    product = make_vendor_product(make_vendor(), price="9.00", stock=10)
    record = product.stockrecords.get()
    basket = Basket.objects.create(owner=shopper)
    basket.lines.create(product=product, stockrecord=record, quantity=1, line_reference=f"{product.pk}_{record.pk}",
                        price_currency=record.price_currency, price_excl_tax=Decimal("9.00"),
                        price_incl_tax=Decimal("9.00"))

    response = client.get("/fa/shop/basket/")

    messages = response.context["upsell_messages"]
    assert [message["offer"].pk for message in messages] == [offer.pk]
    assert offer.name in response.content.decode()


@pytest.mark.parametrize("username", ["customer", "operator", "provider", "vendor"])
def test_a_permission_check_reads_the_work_areas_too_and_the_header_asks_nothing_more(username):
    user = get_user_model().objects.get(username=username)
    fresh = get_user_model().objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as captured:
        user.has_perm("auth.add_group")  # a view's ability check, before the header
        shown = [area.key for area in areas_for(user)]
    assert len(captured.captured_queries) == 1
    assert user.get_all_permissions() == ModelBackend().get_all_permissions(fresh)
    assert shown == [area.key for area in areas_for(get_user_model().objects.get(pk=user.pk))]


def test_a_permission_taken_away_shows_on_the_next_page(client):
    user = get_user_model().objects.create_user("header-agent", "agent@example.com", "x")
    assign_role(user, "agent")
    client.force_login(user)
    assert "support" in shown_areas(client)
    user.groups.clear()
    user.user_permissions.clear()
    assert "support" not in shown_areas(client)
