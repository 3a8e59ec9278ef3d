"""Issue 15 point 3: the content editor publishes; registration asks the customer's name;
an operator changes a customer's tier (A5) from the intake screen, and the change is logged."""

from __future__ import annotations

import pytest
from wagtail.models import Page

from cms.models import HomePage, TermsPage
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def test_the_content_editor_may_publish_and_the_editor_offers_publish(client):
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Home", slug="home-newuser", hero_title="Hi"))
    terms = home.add_child(instance=TermsPage(title="Terms", slug="terms", body="<p>x</p>", live=False))
    editor = make_role_user("editor")
    assert terms.permissions_for_user(editor).can_publish()
    client.force_login(editor)
    page = client.get(f"/cms/pages/{terms.pk}/edit/").content.decode()
    assert 'name="action-publish"' in page


def test_registration_asks_the_customers_name(client):
    from django.contrib.auth import get_user_model

    page = client.get("/fa/shop/accounts/register/").content.decode()
    assert 'name="first_name"' in page and 'name="last_name"' in page
    refused = client.post("/fa/shop/accounts/register/", {
        "email": "new@example.com", "password1": "Long-enough-77", "password2": "Long-enough-77",
    })
    assert refused.status_code == 200 and not get_user_model().objects.filter(email="new@example.com").exists()
    client.post("/fa/shop/accounts/register/", {
        "first_name": " Sara ", "last_name": "Ahmadi", "email": "new@example.com",
        "password1": "Long-enough-77", "password2": "Long-enough-77",
    })
    user = get_user_model().objects.get(email="new@example.com")
    assert (user.first_name, user.last_name) == ("Sara", "Ahmadi")
    login_page = client.get("/fa/shop/accounts/login/")
    assert login_page.status_code in (200, 302)


def test_an_operator_changes_a_customers_tier_from_intake_and_it_is_logged(client):
    from customers.models import TierChange
    from tests.factories_services import make_customer

    customer = make_customer()
    operator = make_role_user("operator")
    client.force_login(operator)
    url = f"/fa/dashboard/services/intake/{customer.pk}/"
    assert "data-tier-form" in client.get(url).content.decode()
    assert client.post(url, {"action": "tier", "tier": "loyal"}).status_code == 302
    customer.profile.refresh_from_db()
    assert customer.profile.tier == "loyal"
    change = TierChange.objects.get(profile=customer.profile)
    assert (change.from_status, change.to_status, change.actor) == ("registered", "loyal", operator)
