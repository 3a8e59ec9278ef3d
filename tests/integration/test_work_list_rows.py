"""The work pages' rows as plain values (issue 16): the staff queue, the provider's and
the customer's job lists, the provider's calendar and the seller's shipment list show
what the objects would show, build no model object per row, and show a change on the
next page load (nothing is kept between requests)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models.signals import post_init
from django.template.defaultfilters import time as time_filter
from django.urls import reverse
from django.utils import timezone, translation
from oscar.templatetags.currency_filters import currency

from core.row_links import row_link
from core.templatetags.locale_format import date as local_date
from core.templatetags.locale_format import ident
from services_catalog.job_rows import job_rows
from services_catalog.models import Job
from tests.benchmarks.seed_work import add_jobs
from tests.factories import UserFactory
from tests.factories_vendors import make_vendor, make_vendor_product, place_order, vendor_user
from vendors.models import Shipment, ShipmentLine

pytestmark = pytest.mark.django_db


def user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def built():
    """How many model objects of each class the code under test builds."""
    counts: dict[str, int] = {}

    def count(sender, **kwargs) -> None:
        counts[sender.__name__] = counts.get(sender.__name__, 0) + 1

    post_init.connect(count)
    yield counts
    post_init.disconnect(count)


def built_for(client, built: dict[str, int], path: str, *names: str) -> int:
    assert client.get(path).status_code == 200  # warm: session, menus
    built.clear()
    assert client.get(path).status_code == 200
    return sum(built.get(name, 0) for name in names)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_a_job_row_shows_what_the_job_object_shows(language):
    shopper = get_user_model().objects.create_user("rows-shopper", "rows@example.com", "x",
                                                   first_name="Dara", last_name="Nik")
    add_jobs(shopper, 7, 7, start=700_000)  # every state: unpriced, priced, with and without a provider
    Job.objects.filter(number="BJ-0700002").update(extras_total=Decimal("15.50"), visit_at=timezone.now())
    jobs = Job.objects.filter(customer=shopper).select_related("service", "area", "provider", "customer")
    with translation.override(language):
        rows = {row["number"]: row for row in job_rows(jobs.order_by("pk"), row_link("services_catalog:job-detail"))}
        assert len(rows) == 7
        for job in jobs:
            row = rows[job.number]
            assert row["url"] == reverse("services_catalog:job-detail", args=[job.number])
            assert row["ident"] == ident(job.number)
            assert row["service"] == job.service.get_name()
            assert row["area"] == job.area.get_name()
            assert row["date"] == local_date(job.preferred_date)
            assert row["slot"] == job.get_slot_display()
            assert row["status_label"] == job.get_status_display()
            assert row["customer"] == "Dara Nik"
            assert row["provider"] == (job.provider.display_name if job.provider else "")
            assert row["price"] == (currency(job.value, job.currency) if job.price_total is not None else None)
            assert row["visit_time"] == (
                time_filter(timezone.localtime(job.visit_at), "H:i") if job.visit_at else ""
            )
        extra = jobs.get(number="BJ-0700002")
        assert rows[extra.number]["price"] == currency(Decimal("135.50"), extra.currency)


def test_a_link_from_one_reverse_is_the_reversed_link():
    with translation.override("fa"):
        link = row_link("vendors-dashboard:shipment-detail")
        assert link(42) == reverse("vendors-dashboard:shipment-detail", args=[42])
        link = row_link("services_catalog-dashboard:job-detail")
        for number in ("J-9DFG54S", "CH100023", "a b/ü"[:3]):
            assert link(number) == reverse("services_catalog-dashboard:job-detail", args=[number])


@pytest.mark.parametrize("username,path", [
    ("operator", "/fa/dashboard/services/"),
    ("provider", "/fa/dashboard/services/provider/?show=all"),
])
def test_the_job_lists_build_no_job_objects_for_their_rows(client, built, username, path):
    client.force_login(user(username))
    add_jobs(user("customer"), 5, 0, start=810_000)
    few = built_for(client, built, path, "Job", "Service", "Area", "Provider")
    add_jobs(user("customer"), 45, 0, start=810_005)
    many = built_for(client, built, path, "Job", "Service", "Area", "Provider")
    # Before: a Job, a Service, an Area and a Provider for each row (30 rows a page); the
    # staff queue's filter menus still list the services, areas and providers.
    assert many == few
    assert built.get("Job", 0) < 5


def test_the_customers_job_list_builds_no_job_objects_for_its_rows(client, built):
    shopper = get_user_model().objects.create_user("rows-built", "built@example.com", "x")
    client.force_login(shopper)
    add_jobs(shopper, 5, 5, start=820_000)
    few = built_for(client, built, "/fa/services/jobs/", "Job", "Service", "Area")
    add_jobs(shopper, 15, 15, start=820_005)
    assert built_for(client, built, "/fa/services/jobs/", "Job", "Service", "Area") == few < 5


def test_a_jobs_new_status_shows_on_the_next_load_of_every_job_list(client):
    shopper = get_user_model().objects.create_user("rows-fresh", "fresh@example.com", "x")
    add_jobs(shopper, 3, 3, start=830_006)
    job = Job.objects.get(number="BJ-0830006")  # assigned to the demo provider
    pages = [("operator", "/en/dashboard/services/"), ("provider", "/en/dashboard/services/provider/?show=all"),
             ("rows-fresh", "/en/services/jobs/")]
    for username, path in pages:
        client.force_login(user(username))
        html = client.get(path).content.decode()
        row = html[html.index(f'data-job="{job.number}"'):]
        assert "Provider assigned" in row[:min(end for end in (row.find("</tr>"), row.find("</li>")) if end > 0)]
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DISPATCHED)
    for username, path in pages:
        client.force_login(user(username))
        html = client.get(path).content.decode()
        row = html[html.index(f'data-job="{job.number}"'):]
        row = row[:min(end for end in (row.find("</tr>"), row.find("</li>")) if end > 0)]
        assert "Visit scheduled" in row, (path, row)
        assert "Provider assigned" not in row, (path, row)


def test_the_calendar_shows_the_booked_jobs_service_area_and_link(client):
    client.force_login(user("provider"))
    add_jobs(user("customer"), 6, 0, start=840_000)
    html = client.get("/en/dashboard/services/provider/calendar/").content.decode()
    booked = Job.objects.filter(number__startswith="BJ-084", booking__isnull=False).select_related(
        "service", "area")
    assert booked
    for job in booked:
        with translation.override("en"):
            link = reverse("services_catalog-dashboard:provider-job-detail", args=[job.number])
            cell = (f'data-booked="{job.number}"><a href="{link}">{job.service.get_name()}</a>'
                    f"<br><small>{job.area.get_name()}")
        assert cell in html


@pytest.fixture
def shipments():
    vendor = make_vendor("Rows shop")
    products = [make_vendor_product(vendor, price="10.00", stock=500) for _ in range(3)]
    buyer = UserFactory()

    def add(count: int) -> None:
        for _ in range(count):
            place_order(buyer, [(product, 1) for product in products])

    return vendor, add


def test_the_shipment_list_builds_no_shipment_or_line_objects_for_its_rows(client, built, shipments):
    vendor, add = shipments
    client.force_login(vendor_user(vendor))
    path = reverse("vendors-dashboard:shipment-list")
    add(5)
    few = built_for(client, built, path, "Shipment", "ShipmentLine", "Order", "Line")
    add(20)
    # Before: a Shipment and three ShipmentLines for each row.
    assert built_for(client, built, path, "Shipment", "ShipmentLine", "Order", "Line") == few < 5


def test_the_shipment_list_shows_each_shipments_lines_and_a_new_status_on_the_next_load(client, shipments):
    vendor, add = shipments
    client.force_login(vendor_user(vendor))
    add(2)
    path = "/en" + reverse("vendors-dashboard:shipment-list")[3:]
    shipment = Shipment.objects.filter(partner=vendor).order_by("pk").first()
    html = client.get(path).content.decode()
    row = html[html.index(f'data-shipment="{shipment.pk}"'):]
    row = row[:row.index("</tr>")]
    with translation.override("en"):
        assert reverse("vendors-dashboard:shipment-detail", args=[shipment.pk]) in row
    for item in ShipmentLine.objects.filter(shipment=shipment).select_related("line"):
        assert f"<div>{item.line.quantity} × {item.line.title}" in row
    assert "Awaiting confirmation" in row
    Shipment.objects.filter(pk=shipment.pk).update(status=Shipment.Status.CONFIRMED)
    html = client.get(path).content.decode()
    row = html[html.index(f'data-shipment="{shipment.pk}"'):]
    row = row[:row.index("</tr>")]
    assert '<span class="badge badge-info">Confirmed</span>' in row
