"""Issue 15 point 13: Oscar's dashboard: sorting by the checkbox column is no 500; the
order page's scripts load without initTable's error; a vendor's index counts only its
own lines; menu links that would answer 403 are hidden."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.factories import UserFactory
from tests.factories_vendors import make_vendor, make_vendor_product, place_order, vendor_user
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def _menu_links(html: str) -> list[str]:
    nav = html.split("navbar-primary", 1)[1].split("</nav>", 1)[0]
    return sorted({href for href in re.findall(r'href="(/fa/dashboard/[^"#?]*)"', nav)})


@pytest.mark.parametrize("path", ["/fa/dashboard/catalogue/", "/fa/dashboard/catalogue/categories/"])
def test_sorting_by_the_checkbox_column_is_not_a_server_error(admin_client, path):
    assert admin_client.get(path, {"sort": "checkbox"}).status_code == 200


def test_the_order_page_script_defines_init_table():
    from django.contrib.staticfiles import finders

    script = open(finders.find("chaarsoo/js/dashboard-compat.js")).read()
    assert "oscar.dashboard.orders.initTable = function" in script


def test_the_dashboard_loads_the_compat_script(admin_client):
    assert "chaarsoo/js/dashboard-compat.js" in admin_client.get("/fa/dashboard/").content.decode()


def test_a_vendors_index_counts_only_its_own_lines(client):
    mine, theirs = make_vendor("Mine"), make_vendor("Theirs")
    order = place_order(UserFactory(), [(make_vendor_product(mine, price="10.00"), 1),
                                        (make_vendor_product(theirs, price="990.00"), 1)])
    client.force_login(vendor_user(mine))
    context = client.get("/en/dashboard/").context
    own = sum(line.line_price_incl_tax for line in order.lines.filter(partner=mine))
    assert context["total_revenue"] == own and own < Decimal("100")
    assert context["total_revenue_last_day"] == own


@pytest.mark.parametrize("role", ["vendor", "operator"])
def test_no_menu_link_leads_to_a_403(client, role):
    if role == "vendor":
        user = vendor_user(make_vendor("Menu Shop"))
    else:
        user = make_role_user(role)
    client.force_login(user)
    links = _menu_links(client.get("/fa/dashboard/").content.decode())
    assert links
    refused = [link for link in links if client.get(link).status_code == 403]
    assert refused == []
