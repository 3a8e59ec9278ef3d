"""Editors manage pages in Wagtail with the product chooser; staff reach their tools."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from oscar.core.loading import get_model

from cms.models import HomePage, LandingPage

Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.django_db


def _login(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_editor_opens_the_cms_and_edits_both_languages(client):
    _login(client, "editor")
    assert client.get("/cms/").status_code == 200
    for home in HomePage.objects.all():
        response = client.get(f"/cms/pages/{home.pk}/edit/")
        assert response.status_code == 200
    assert HomePage.objects.count() == 2


def test_editor_picks_products_through_the_product_chooser(client):
    _login(client, "editor")
    response = client.get("/cms/product_chooser/")
    assert response.status_code == 200
    html = json.loads(response.content)["html"]
    assert sum(product.title in html for product in Product.objects.all()) >= 10


def test_a_landing_page_shows_the_products_its_editor_chose(client):
    landing = LandingPage.objects.get(locale__language_code="en", slug="handicrafts")
    with translation.override("en"):
        chosen = [product.get_title() for product in landing.body[0].value["products"]]
    html = client.get("/en/handicrafts/").content.decode()
    assert chosen and all(title in html for title in chosen)


def test_shop_staff_and_vendors_reach_the_oscar_dashboard_and_other_roles_do_not(client):
    for username in ("operator", "vendor", "admin"):
        _login(client, username)
        assert client.get("/fa/dashboard/").status_code == 200, username
        client.logout()
    # Support, finance and the CMS work elsewhere (core.permissions): our 403 page, not a redirect.
    for username in ("agent", "editor", "finance", "customer"):
        _login(client, username)
        response = client.get("/fa/dashboard/")
        assert response.status_code == 403, username
        assert 'dir="rtl"' in response.content.decode()
        client.logout()


def test_django_admin_lives_at_django_admin(client):
    _login(client, "admin")
    assert client.get("/django-admin/").status_code == 200
