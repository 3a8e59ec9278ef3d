"""Issue 15 point 7: a vendor (Oscar's partner) has a Persian and an English name and every
page, email and message shows the reader's, the other when one is missing; an order's
shipping method is named from its code in the reader's language, whatever the language
the order was placed in."""

from __future__ import annotations

import pytest
from django.utils import translation
from oscar.core.loading import get_model

from core.template_loaders import mark_identifiers
from tests.factories import UserFactory
from tests.factories_vendors import make_vendor, make_vendor_product, place_order
from tests.helpers.roles import make_staff
from vendors import services

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
Partner = get_model("partner", "Partner")
PERSIAN, ENGLISH = "خانه روشن", "Roshan Home"


def _persian_free_shipping() -> str:
    with translation.override("fa"):
        return translation.gettext("Free shipping")


def _vendor():
    partner = make_vendor(PERSIAN)
    partner.name_en = ENGLISH
    partner.save(update_fields=["name_en"])
    return partner


def test_a_vendor_shows_its_name_in_the_readers_language_and_the_other_when_one_is_missing():
    partner = Partner(code="v", name=PERSIAN, name_en=ENGLISH)
    with translation.override("fa"):
        assert (partner.display_name, str(partner)) == (PERSIAN, PERSIAN)
    with translation.override("en"):
        assert (partner.display_name, str(partner)) == (ENGLISH, ENGLISH)
        assert Partner(code="v", name=PERSIAN).display_name == PERSIAN
    with translation.override("fa"):
        assert Partner(code="v", name_en=ENGLISH).display_name == ENGLISH


def test_an_approved_application_gives_the_vendor_both_names():
    from tests.integration.test_vendors_domain_onboarding import APPLICATION

    application = services.application_submit(data=APPLICATION, categories=[], applicant=UserFactory())
    partner = services.application_approve(application=application, staff_user=make_staff())
    partner.refresh_from_db()
    assert (partner.name, partner.name_en) == (APPLICATION["company_name"], APPLICATION["company_name_en"])


def test_the_product_page_names_the_vendor_in_the_readers_language(client):
    product = make_vendor_product(_vendor())
    with translation.override("fa"):
        persian = client.get(product.get_absolute_url()).content.decode()
    assert PERSIAN in persian and ENGLISH not in persian
    with translation.override("en"):
        english = client.get(product.get_absolute_url()).content.decode()
    assert ENGLISH in english and PERSIAN not in english


def test_the_order_pages_name_the_vendor_in_the_readers_language(client):
    order = place_order(UserFactory(), [(make_vendor_product(_vendor()), 1)])
    client.force_login(order.user)
    persian = client.get(f"/fa/shop/accounts/orders/{order.number}/").content.decode()
    assert PERSIAN in persian and ENGLISH not in persian
    english = client.get(f"/en/shop/accounts/orders/{order.number}/").content.decode()
    assert ENGLISH in english and PERSIAN not in english
    client.force_login(_superuser())
    staff = client.get(f"/en/dashboard/orders/{order.number}/").content.decode()  # Oscar's line.partner_name
    assert ENGLISH in staff and PERSIAN not in staff


def _superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("names-staff", "s@example.com", "pw-names-2")


def test_the_customers_shipment_email_names_the_vendor_in_the_customers_language():
    from django.template.loader import render_to_string

    partner = _vendor()
    context = {"order": type("O", (), {"number": "100001"})(), "shipment": type("S", (), {"partner": partner})()}
    with translation.override("en"):
        assert ENGLISH in render_to_string("notifications/customer_shipment_shipped/subject.txt", context)
    with translation.override("fa"):
        subject = render_to_string("notifications/customer_shipment_shipped/subject.txt", context)
        assert PERSIAN in subject and ENGLISH not in subject


def test_a_shipping_method_stored_in_persian_reads_in_english_on_english_pages(client):
    order = place_order(UserFactory(), [(make_vendor_product(_vendor()), 1)])
    # As placed on a Persian page: Oscar stores the method's name in the page's language.
    order.shipping_method = "حمل ونقل رایگان"
    order.save(update_fields=["shipping_method"])
    client.force_login(order.user)
    english = client.get(f"/en/shop/accounts/orders/{order.number}/").content.decode()
    assert "Free shipping" in english and "حمل ونقل رایگان" not in english and _persian_free_shipping() not in english
    persian = client.get(f"/fa/shop/accounts/orders/{order.number}/").content.decode()
    assert _persian_free_shipping() in persian


def test_oscars_templates_name_partners_lines_and_methods_through_one_step():
    source = (
        "{{ partner.name }} {% blocktrans with name=partner.name %}{{ name }}{% endblocktrans %}"
        " {{ line.partner_name }} <p>{{ order.shipping_method }}</p> partner.name in text"
    )
    assert mark_identifiers(source) == (
        "{{ partner.display_name }} {% blocktrans with name=partner.display_name %}{{ name }}{% endblocktrans %}"
        " {{ line|line_vendor_name }} <p>{{ order|shipping_method_name }}</p> partner.name in text"
    )


def test_search_indexes_both_vendor_names_and_keeps_them_for_the_facet_in_either_language():
    from search.documents import product_doc

    doc = product_doc(make_vendor_product(_vendor()))
    assert doc["vendor_name"] == f"{PERSIAN} | {ENGLISH}"  # search/views.py shows the reader's half
    assert "roshan" in doc["text"].lower() and "روشن" in doc["text"]


def test_the_migration_splits_a_vendor_name_stored_as_persian_bar_english():
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    # The migration's own (historical) Partner, without the properties of today's model.
    apps = MigrationLoader(connection).project_state(("partner", "0009_partner_name_en")).apps
    migration = importlib.import_module("shop.partner.migrations.0009_partner_name_en")
    combined = Partner.objects.create(code="old", name=f"{PERSIAN} | {ENGLISH}")
    plain = Partner.objects.create(code="plain", name="Tehran | Karaj", name_en="Kept")
    migration.split_combined_names(apps, None)
    combined.refresh_from_db()
    plain.refresh_from_db()
    assert (combined.name, combined.name_en) == (PERSIAN, ENGLISH)
    assert (plain.name, plain.name_en) == ("Tehran | Karaj", "Kept")  # an English name already set: untouched


def test_the_shop_api_names_the_vendor_in_the_requested_language():
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    product = make_vendor_product(_vendor())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory()).key}")
    added = client.post("/api/v1/shop/basket/lines/", {"product": product.pk, "quantity": 1}, format="json")
    assert added.status_code == 201

    names = {}
    for language in ("fa", "en"):
        basket = client.get("/api/v1/shop/basket/", HTTP_ACCEPT_LANGUAGE=language).json()
        names[language] = ([line["vendor"]["name"] for line in basket["lines"]],
                           [group["vendor"]["name"] for group in basket["vendors"]])
    assert names["fa"] == ([PERSIAN], [PERSIAN])
    assert names["en"] == ([ENGLISH], [ENGLISH])
