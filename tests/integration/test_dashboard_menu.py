"""The dashboard menu remembered per user (issue 16, shop/dashboard/menu.py) shows exactly
the entries Oscar's own menu shows, on the first page and on the next ones."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from oscar.apps.dashboard.menu import get_nodes as oscar_get_nodes

from shop.dashboard.menu import get_nodes

pytestmark = pytest.mark.django_db


def entries(nodes) -> list[tuple[str, str | None, list[str | None]]]:
    return [(str(node.label), node.url_name, [child.url_name for child in node.children]) for node in nodes]


@pytest.mark.parametrize("username", ["admin", "operator", "provider", "vendor", "finance", "customer"])
def test_each_role_sees_oscars_entries_computed_or_remembered(username):
    user = get_user_model().objects.get(username=username)
    expected = entries(oscar_get_nodes(user))
    assert entries(get_nodes(user)) == expected  # computed and stored
    assert entries(get_nodes(user)) == expected  # remembered
    if username == "admin":
        assert len(expected) > 3


def test_users_do_not_share_a_menu():
    User = get_user_model()
    admin, customer = User.objects.get(username="admin"), User.objects.get(username="customer")
    assert entries(get_nodes(admin)) != entries(get_nodes(customer))
    assert entries(get_nodes(customer)) == entries(oscar_get_nodes(customer))
