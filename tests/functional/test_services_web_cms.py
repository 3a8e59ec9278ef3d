"""Editors manage the service catalogue in Wagtail, service pages carry the rich content,
and the demo data has ten services in both languages (issue 5 points 1, 2 and the demo)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Locale

from cms.models import ServiceIndexPage, ServicePage
from services_catalog.models import Area, Job, PriceTier, Provider, RequiredDocument, Service, ServiceCategory
from tests.factories_services import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(get_user_model().objects.get(username="editor"))
    return client


def service_form(category: ServiceCategory, area: Area, **overrides) -> dict:
    data = {
        "name": "تعمیر آبگرمکن", "name_en": "Water heater repair", "slug": "water-heater-repair",
        "summary": "سرویس و تعمیر", "summary_en": "Service and repair", "category": category.pk,
        "is_active": "on", "pricing_model": "per_unit", "base_price": "40", "unit_name": "دستگاه",
        "unit_name_en": "unit", "payment_rule": "deposit", "deposit_percent": "25", "handling_fee": "5",
        "callout_fee": "10", "min_lead_days": "2", "areas": [area.pk], "for_one_off": "on",
        "for_registered": "on", "for_loyal": "on",
        "price_tiers-TOTAL_FORMS": "2", "price_tiers-INITIAL_FORMS": "0", "price_tiers-MIN_NUM_FORMS": "0",
        "price_tiers-MAX_NUM_FORMS": "1000",
        "price_tiers-0-min_quantity": "3", "price_tiers-0-unit_price": "35", "price_tiers-0-ORDER": "1",
        "price_tiers-0-id": "", "price_tiers-0-DELETE": "",
        "price_tiers-1-min_quantity": "6", "price_tiers-1-unit_price": "30", "price_tiers-1-ORDER": "2",
        "price_tiers-1-id": "", "price_tiers-1-DELETE": "",
        "required_documents-TOTAL_FORMS": "1", "required_documents-INITIAL_FORMS": "0",
        "required_documents-MIN_NUM_FORMS": "0", "required_documents-MAX_NUM_FORMS": "1000",
        "required_documents-0-name": "کارت ملی", "required_documents-0-name_en": "National ID card",
        "required_documents-0-original_needed": "", "required_documents-0-ORDER": "1",
        "required_documents-0-id": "", "required_documents-0-DELETE": "",
    }
    data.update(overrides)
    return data


def test_editors_see_the_services_group_in_the_cms(editor):
    for model in ("service", "servicecategory", "area", "provider"):
        assert editor.get(f"/cms/snippets/services_catalog/{model}/").status_code == 200, model
    html = editor.get("/cms/snippets/services_catalog/service/add/").content.decode()
    for field in ("name", "name_en", "summary_en", "pricing_model", "payment_rule", "deposit_percent",
                  "min_lead_days", "handling_fee", "callout_fee", "for_loyal", "areas"):
        assert f'name="{field}"' in html, field
    assert "price_tiers-TOTAL_FORMS" in html and "required_documents-TOTAL_FORMS" in html


def test_an_editor_adds_a_service_with_volume_prices_and_documents_in_both_languages(editor):
    category, area = ServiceCategory.objects.first(), Area.objects.first()
    response = editor.post("/cms/snippets/services_catalog/service/add/", service_form(category, area))
    assert response.status_code == 302, response.content.decode()[:3000]
    service = Service.objects.get(slug="water-heater-repair")
    assert service.name_en == "Water heater repair" and service.deposit_percent == 25
    assert list(service.areas.all()) == [area]
    assert list(PriceTier.objects.filter(service=service).values_list("min_quantity", flat=True)) == [3, 6]
    assert RequiredDocument.objects.get(service=service).name_en == "National ID card"
    assert editor.get(f"/en/services/{service.slug}/").status_code == 200


def test_a_deposit_without_a_percentage_is_a_form_error_not_a_crash(editor):
    category, area = ServiceCategory.objects.first(), Area.objects.first()
    response = editor.post("/cms/snippets/services_catalog/service/add/",
                           service_form(category, area, slug="bad-deposit", deposit_percent=""))
    assert response.status_code == 200  # the form again, with the error
    assert not Service.objects.filter(slug="bad-deposit").exists()


def test_an_editor_edits_a_service_page_in_both_languages(editor):
    for page in ServicePage.objects.filter(slug="cooler-service"):
        assert editor.get(f"/cms/pages/{page.pk}/edit/").status_code == 200


# ------------------------------------------------------------------ service pages
@pytest.mark.parametrize("language", ["fa", "en"])
def test_a_service_page_shows_its_content_beside_the_services_facts_and_booking_link(client, language):
    page = ServicePage.objects.get(slug="interior-painting", locale__language_code=language)
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200 and "data-service-facts" in html
    assert f'href="/{language}/services/interior-painting/request/"' in html
    assert page.intro[:20] in html


def test_the_service_detail_links_to_its_page_in_the_same_language(client):
    en = ServicePage.objects.get(slug="cooler-service", locale__language_code="en")
    fa = ServicePage.objects.get(slug="cooler-service", locale__language_code="fa")
    assert f'href="{en.url}"' in client.get("/en/services/cooler-service/").content.decode()
    assert f'href="{fa.url}"' in client.get("/fa/services/cooler-service/").content.decode()


def test_the_service_guides_index_lists_the_pages(client):
    html = client.get("/en/service-guides/").content.decode()
    assert "Evaporative cooler service" in html and 'href="/en/services/"' in html


def test_a_service_shelf_block_shows_the_chosen_active_services(client):
    from cms.blocks import ServiceShelfBlock

    active, hidden = make_service(name_en="Shelf service"), make_service(is_active=False)
    block = ServiceShelfBlock()
    value = block.to_python({"heading": "Try these", "services": [active.pk, hidden.pk]})
    from django.utils import translation

    with translation.override("en"):
        html = block.render(value)
    assert "Try these" in html and f'data-service="{active.slug}"' in html and hidden.slug not in html


# ------------------------------------------------------------------ demo data
def test_the_demo_has_ten_services_across_the_five_kinds_in_both_languages():
    services = Service.objects.filter(slug__in=[
        "plumbing-leak-repair", "cooler-service", "interior-painting", "oil-change-at-home", "car-inspection",
        "car-transfer-errand", "utility-office-errand", "nastaliq-calligraphy-course",
        "naqsh-e-jahan-walking-tour", "shiraz-gardens-tour",
    ]).select_related("category")
    assert services.count() == 10
    assert {s.category.kind for s in services} == {"home_repair", "car", "errand", "course", "tour"}
    assert all(s.name and s.name_en and s.summary and s.summary_en for s in services)
    errands = [s for s in services if s.category.kind == "errand"]
    assert errands and all(s.for_loyal and not s.for_registered and not s.for_one_off for s in errands)
    assert {s.pricing_model for s in services} == {"fixed", "per_unit", "quote"}
    assert {s.payment_rule for s in services} == {"upfront", "on_completion", "deposit"}
    assert {"isfahan", "shiraz", "tehran-1"} <= set(Area.objects.values_list("slug", flat=True))
    for language in ("fa", "en"):
        locale = Locale.objects.get(language_code=language)
        assert ServicePage.objects.filter(locale=locale, live=True).count() == 10
        assert ServiceIndexPage.objects.filter(locale=locale, live=True).count() == 1


def test_the_demo_provider_serves_areas_weekly_and_the_demo_customer_has_jobs_in_several_states():
    provider = Provider.objects.get(user__username="provider")
    assert provider.areas.count() >= 3 and provider.availability.count() >= 10
    states = set(Job.objects.filter(customer__username="customer").values_list("status", flat=True))
    assert {"requested", "quoted", "dispatched", "completed", "cancelled"} <= states
    completed = Job.objects.get(customer__username="customer", status="completed")
    assert completed.ratings.count() == 2 and completed.provider_credited_at is not None
