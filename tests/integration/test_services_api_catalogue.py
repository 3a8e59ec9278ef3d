"""Issue 17 point 3: the service catalogue, the free slots of an area and a request with
photos and document scans in one multipart call, through /api/v1/; the provider's photos
of the work. Refusals are 4xx with a `code`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from core.private_files import private_storage
from services_catalog import services
from services_catalog.models import Job, JobEvent, SlotBooking
from tests.factories_services import (
    future_date,
    make_area,
    make_category,
    make_customer,
    make_job,
    make_provider,
    make_provider_for,
    make_service,
)

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
Status = Job.Status


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def photo(name: str = "kitchen.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png(), "image/png")


def api_for(user=None, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture(autouse=True)
def private_folder(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    storage = private_storage()
    for name in ("base_location", "location"):
        storage.__dict__.pop(name, None)
    yield
    for name in ("base_location", "location"):
        storage.__dict__.pop(name, None)


@pytest.fixture
def area():
    return make_area(slug="vanak", name="ونک", name_en="Vanak")


@pytest.fixture
def service(area):
    return make_service(
        pricing_model="per_unit", base_price="120000", tiers=[(10, "100000")], areas=[area], min_lead_days=2,
        required_documents=[("Power of attorney", False)], for_one_off=False, unit_name="m²",
        name_en="Tiling",
    )


# ------------------------------------------------------------------ catalogue
def test_the_catalogue_lists_services_with_prices_as_strings_tiers_lead_times_and_areas(service, area):
    other = make_service(category=make_category(), name_en="Other")
    listing = api_for().get("/api/v1/services/", {"area": area.slug})
    assert listing.status_code == 200
    (item,) = listing.json()["results"]
    assert item["slug"] == service.slug and item["name"] == "Tiling"
    assert item["price"] == {"amount": "120000.00", "currency": service.currency}
    assert item["price_tiers"] == [{"min_quantity": 10, "unit_price": {"amount": "100000.00",
                                                                        "currency": service.currency}}]
    assert item["min_lead_days"] == 2 and item["earliest_date"] == services.earliest_date(service).isoformat()
    assert item["customer_tiers"] == ["registered", "loyal"]
    assert item["areas"] == [{"slug": "vanak", "name": "Vanak"}]
    assert item["url"].endswith(f"/en/services/{service.slug}/") and item["url"].startswith("http")
    by_category = api_for().get("/api/v1/services/", {"category": other.category.slug}).json()["results"]
    assert [s["slug"] for s in by_category] == [other.slug]
    assert {"slug": "vanak", "name": "ونک"} in api_for(language="fa").get("/api/v1/service-areas/").json()["results"]
    categories = api_for().get("/api/v1/service-categories/").json()["results"]
    assert {c["slug"] for c in categories} >= {service.category.slug, other.category.slug}


def test_a_service_names_its_documents_fees_and_whether_your_tier_may_book_it(service):
    requirement = service.required_documents.get()
    anonymous = api_for().get(f"/api/v1/services/{service.slug}/").json()
    assert anonymous["required_documents"] == [{"id": requirement.pk, "name": "Power of attorney",
                                                "original_needed": False}]
    assert anonymous["handling_fee"] == {"amount": "10.00", "currency": service.currency}
    assert anonymous["available_to_you"] is None
    one_off = make_customer(tier="one_off")
    assert api_for(one_off).get(f"/api/v1/services/{service.slug}/").json()["available_to_you"] is False
    assert api_for(make_customer()).get(f"/api/v1/services/{service.slug}/").json()["available_to_you"] is True


def test_an_unknown_or_withdrawn_service_is_a_404_with_its_code(service):
    withdrawn = make_service(is_active=False)
    for slug in ("no-such-service", withdrawn.slug):
        response = api_for().get(f"/api/v1/services/{slug}/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


# ------------------------------------------------------------------ free slots (S1, S13)
def test_S13_free_slots_count_the_providers_who_work_then_and_are_not_booked(service, area):
    earliest = services.earliest_date(service)
    weekday = earliest.weekday()
    first = make_provider(areas=[area], services=[service], slots=[(weekday, "morning")])
    make_provider(areas=[area], services=[service], slots=[(weekday, "morning"), (weekday, "evening")])
    make_provider(areas=[make_area()], services=[service])  # another area: never counted
    make_provider(areas=[area], services=[service], status="suspended")
    elsewhere = make_service()  # a booking for any job holds the provider's slot
    job = make_job(make_customer(), elsewhere, status=Status.QUOTED, preferred_date=earliest)
    SlotBooking.objects.create(provider=first, date=earliest, slot="morning", job=job)

    response = api_for().get(f"/api/v1/services/{service.slug}/availability/", {"area": area.slug, "days": 7})

    assert response.status_code == 200
    body = response.json()
    assert body["earliest_date"] == earliest.isoformat()
    assert len(body["slots"]) == 7 * 3
    day = {s["slot"]: s for s in body["slots"] if s["date"] == earliest.isoformat()}
    assert day["morning"]["providers_free"] == 1 and day["morning"]["free"] is True
    assert day["evening"]["providers_free"] == 1
    assert day["afternoon"] == {"date": earliest.isoformat(), "slot": "afternoon", "free": False,
                                "providers_free": 0}


@pytest.mark.parametrize("query", [{}, {"area": "nowhere"}, {"area": "vanak", "days": "0"},
                                   {"area": "vanak", "days": "many"}])
def test_free_slots_need_an_area_the_service_serves_and_a_sane_number_of_days(service, query):
    response = api_for().get(f"/api/v1/services/{service.slug}/availability/", query)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert {"area", "days"} & set(response.json())


# ------------------------------------------------------------------ a request with files (S6)
def multipart_request(service, **extra):
    requirement = service.required_documents.get()
    data = {
        "service": service.slug, "area": service.areas.first().slug, "address": "Tehran, Vanak 3",
        "preferred_date": future_date(service).isoformat(), "slot": "morning", "quantity": "12",
        "description": "Kitchen floor",
        "documents": json.dumps({"requirement": requirement.pk, "delivery": "upload", "file_index": 0}),
        "photos": [photo("one.png"), photo("two.png")],
        "document_files": [SimpleUploadedFile("poa.pdf", b"%PDF-1.4 power of attorney", "application/pdf")],
    }
    data.update(extra)
    return data


def test_S6_a_request_carries_its_photos_and_document_scan_in_one_multipart_call(service):
    customer = make_customer()
    response = api_for(customer).post("/api/v1/jobs/", multipart_request(service), format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    job = Job.objects.get(number=body["number"])
    assert job.photos.count() == 2 and job.documents.get().file.name.endswith(".pdf")
    assert body["quote"]["total"] == "1200000.00"  # S3: 12 units at the tier from 10
    assert [d["delivery"] for d in body["documents"]] == ["upload"]
    photo_url = body["photos"][0]["url"]
    assert "/files/" in photo_url and photo_url.startswith("http")
    path = photo_url.split("://", 1)[1].split("/", 1)[1]
    owner = APIClient()
    owner.force_login(customer)
    assert owner.get(f"/{path}").status_code == 200
    stranger = APIClient()
    stranger.force_login(make_customer())
    assert stranger.get(f"/{path}").status_code in (403, 404)


def test_S6_an_upload_without_its_file_is_refused_by_the_same_rule_as_the_site(service):
    requirement = service.required_documents.get()
    data = multipart_request(service, documents=json.dumps({"requirement": requirement.pk, "delivery": "upload"}),
                             document_files=[])
    response = api_for(make_customer()).post("/api/v1/jobs/", data, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "missing_documents" and response.json()["detail"]
    assert not Job.objects.exists()


@pytest.mark.parametrize("change", [
    {"documents": "not json"},
    {"documents": '{"requirement": 1, "delivery": "upload", "file_index": 3}'},
    {"photos": [SimpleUploadedFile("fake.png", b"MZ\x90\x00 not an image", "image/png")]},
    {"document_files": [SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "application/octet-stream")]},
])
def test_bad_files_or_parts_are_refused_before_anything_is_stored(service, change):
    if "file_index" in change.get("documents", ""):
        change = {"documents": change["documents"].replace('"requirement": 1',
                                                           f'"requirement": {service.required_documents.get().pk}')}
    response = api_for(make_customer()).post("/api/v1/jobs/", multipart_request(service, **change),
                                             format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not Job.objects.exists()


def test_signed_out_requests_are_refused(service):
    response = api_for().post("/api/v1/jobs/", multipart_request(service), format="multipart")
    assert response.status_code in (401, 403) and response.json()["code"]


# ------------------------------------------------------------------ provider photos
def test_the_provider_adds_photos_of_the_work_and_the_step_is_on_the_timeline():
    service = make_service()
    provider = make_provider_for(service)
    job = make_job(make_customer(), service, status=Status.ASSIGNED)
    response = api_for(provider.user).post(f"/api/v1/provider/jobs/{job.number}/photos/",
                                           {"photos": [photo(), photo("b.png")]}, format="multipart")
    assert response.status_code == 201, response.content
    assert len(response.json()) == 2 and job.photos.count() == 2
    assert job.events.filter(action=JobEvent.Action.PHOTOS_ADDED, actor=provider.user).count() == 1


def test_provider_photos_are_refused_without_a_photo_on_a_closed_job_and_for_others():
    service = make_service()
    provider = make_provider_for(service)
    assigned = make_job(make_customer(), service, status=Status.ASSIGNED)
    empty = api_for(provider.user).post(f"/api/v1/provider/jobs/{assigned.number}/photos/", {}, format="multipart")
    assert empty.status_code == 400 and empty.json()["code"] == "invalid"
    Job.objects.filter(pk=assigned.pk).update(status=Status.CANCELLED)
    closed = api_for(provider.user).post(f"/api/v1/provider/jobs/{assigned.number}/photos/",
                                         {"photos": [photo()]}, format="multipart")
    assert closed.status_code == 409 and closed.json()["code"] == "invalid_transition" and closed.json()["detail"]
    other = make_provider_for(service)
    assert api_for(other.user).post(f"/api/v1/provider/jobs/{assigned.number}/photos/",
                                    {"photos": [photo()]}, format="multipart").status_code == 404
    customer = api_for(assigned.customer).post(f"/api/v1/provider/jobs/{assigned.number}/photos/",
                                               {"photos": [photo()]}, format="multipart")
    assert customer.status_code == 403
    assert not assigned.photos.exists()


# ------------------------------------------------------------------ staff quote (S2)
QUOTE = {"lines": [{"description": "Retiling", "quantity": "2", "unit_price": "300000"}], "valid_days": 5}


def test_S2_an_operator_quotes_a_job_under_review_through_the_staff_api():
    from tests.helpers.roles import make_role_user

    service = make_service(pricing_model="quote")
    job = make_job(make_customer(), service, status=Status.REQUESTED)
    response = api_for(make_role_user("operator")).post(f"/api/v1/staff/jobs/{job.number}/quote/", QUOTE,
                                                         format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.QUOTED and response.json()["quote"]["total"] == "600000.00"


def test_the_staff_quote_is_refused_without_quote_job_for_a_missing_job_and_after_acceptance():
    from tests.helpers.roles import make_role_user

    service = make_service(pricing_model="quote")
    make_provider_for(service)
    job = make_job(make_customer(), service, status=Status.REQUESTED)
    operator = api_for(make_role_user("operator"))
    for user in (job.customer, make_role_user("finance")):
        refused = api_for(user).post(f"/api/v1/staff/jobs/{job.number}/quote/", QUOTE, format="json")
        assert refused.status_code == 403 and refused.json()["code"]
    missing = operator.post("/api/v1/staff/jobs/J-NOPE/quote/", QUOTE, format="json")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    empty = operator.post(f"/api/v1/staff/jobs/{job.number}/quote/", {"lines": []}, format="json")
    assert empty.status_code == 400 and empty.json()["code"]
    accepted = make_job(make_customer(), service, status=Status.ASSIGNED)
    late = operator.post(f"/api/v1/staff/jobs/{accepted.number}/quote/", QUOTE, format="json")
    assert late.status_code == 409 and late.json()["code"] == "invalid_transition" and late.json()["detail"]
