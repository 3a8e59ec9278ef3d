"""Issue 15 point 14: a second rating post says it was already recorded; a timeline shows
a document's name, never its storage path; a quote line does not repeat its quantity."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from services_catalog import services
from services_catalog.models import Job
from tests.factories_services import make_customer, make_job, make_provider_for, make_service

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_second_rating_post_says_the_first_rating_stands(client):
    service = make_service()
    make_provider_for(service)
    job = make_job(make_customer(), service, status="completed", pay_balance=True)
    client.force_login(job.customer)
    url = f"/en/services/jobs/{job.number}/rate/"
    first = client.post(url, {"score": 5, "comment": "Great"}, follow=True)
    assert "Thank you for rating this job." in _messages(first)
    second = client.post(url, {"score": 1, "comment": "Oops"}, follow=True)
    assert _messages(second) == ["You already rated this job; your first rating stays recorded."]
    assert job.ratings.get().score == 5


def test_the_timeline_names_a_document_not_its_storage_path():
    job = make_job(make_customer(), make_service(), status="quoted")
    upload = SimpleUploadedFile("my-id-card.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    document = services.job_document_add(job=job, user=job.customer, file=upload, delivery="upload")
    note = job.events.get(action="document_added").note
    assert "/" not in note and "my-id-card" not in note
    assert document.file.name.split("/")[-1] not in note


def test_a_per_unit_quote_line_names_its_unit_once():
    # Names without digits: the generated "Test service 308" would hold the 3 the test looks for.
    service = make_service(pricing_model="per_unit", unit_name="m²", tiers=[(1, "12.00")],
                           name="کف‌سازی", name_en="Floor levelling")
    job = make_job(make_customer(), service, status="quoted", quantity=3)
    line = Job.objects.get(pk=job.pk).quotes.get().lines.get()
    assert line.quantity == 3 and "3" not in line.description and "m²" in line.description
