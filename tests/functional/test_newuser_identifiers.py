"""Issue 15 point 5: identifiers keep their own characters on Persian pages, and the staff
queue finds a job by its number as the customer reads it (Persian digits)."""

from __future__ import annotations

import pytest

from core.text import to_persian_digits
from services_catalog.models import Job
from tests.factories_services import make_customer, make_job, make_service, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


@pytest.fixture
def job():
    customer = make_customer(phone="+989351117788")
    job = make_job(customer, make_service(pricing_model="fixed"), status="quoted")
    Job.objects.filter(pk=job.pk).update(number="J-9DFG54S")
    job.refresh_from_db()
    return job


def test_the_customer_sees_the_job_number_as_the_sms_writes_it(client, job):
    client.force_login(job.customer)
    page = client.get(f"/fa/services/jobs/{job.number}/").content.decode()
    assert "J-9DFG54S" in page
    assert "J-۹DFG۵۴S" not in page
    code = job.customer.profile.subscription_code
    profile = client.get("/fa/account/").content.decode()
    assert code in profile and "+989351117788" in profile


def test_the_staff_queue_finds_a_job_by_the_number_typed_in_persian_digits(client, job):
    client.force_login(make_staff())
    typed = to_persian_digits("j-9dfg54s".upper())
    page = client.get("/fa/dashboard/services/", {"q": typed}).content.decode()
    assert "J-9DFG54S" in page
    assert "J-۹DFG۵۴S" not in page
    by_phone = client.get("/fa/dashboard/services/", {"q": "۰۹۳۵ ۱۱۱ ۷۷۸۸"}).content.decode()
    assert "J-9DFG54S" in by_phone
    detail = client.get(f"/fa/dashboard/services/jobs/{job.number}/").content.decode()
    assert "\u2066J-9DFG54S\u2069" in detail.split("</title>")[0]
    assert '<bdi dir="ltr">J-9DFG54S</bdi>' in detail
