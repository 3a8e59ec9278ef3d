"""The staff job queue asks its three dropdowns in one query and its two badges in one
(issue 16), and still shows every change on the next page: a new or renamed choice in its
model's order, a new warranty claim or complaint in the badges."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services_catalog.models import Area, Complaint, Job, Provider, Service, WarrantyClaim
from tests.factories_services import make_area, make_job, make_provider, make_service

pytestmark = pytest.mark.django_db

QUEUE = "/fa/dashboard/services/"


@pytest.fixture
def operator(client):
    client.force_login(get_user_model().objects.get(username="operator"))


def options(page: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [(value, label.strip()) for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)<', select)]


def test_the_dropdowns_list_every_choice_in_its_models_order_and_show_changes(client, operator):
    page = client.get(QUEUE).content.decode()
    assert options(page, "service") == [(str(pk), name) for pk, name in Service.objects.values_list("pk", "name")]
    assert options(page, "area") == [(str(pk), name) for pk, name in Area.objects.values_list("pk", "name")]
    assert options(page, "provider") == [
        (str(pk), name) for pk, name in Provider.objects.values_list("pk", "display_name")
    ]

    area = make_area(name="آآآ نخستین ناحیه", name_en="Aaa first area")
    Provider.objects.filter(pk=make_provider().pk).update(display_name="آآآ نخستین")
    page = client.get(QUEUE).content.decode()
    assert options(page, "area")[0] == (str(area.pk), "آآآ نخستین ناحیه")
    assert options(page, "provider")[0][1] == "آآآ نخستین"
    english = client.get("/en/dashboard/services/").content.decode()
    assert (str(area.pk), "Aaa first area") in options(english, "area")


def test_the_badges_count_fresh_on_every_page(client, operator):
    def badges() -> tuple[str, str]:
        page = client.get(QUEUE).content.decode()
        claims = re.search(r'class="badge badge-warning" href="[^"]*warrant[^"]*">([^<]*)<', page)
        complaints = re.search(r'class="badge badge-danger" href="[^"]*complaint[^"]*">([^<]*)<', page)
        return (claims.group(1) if claims else ""), (complaints.group(1) if complaints else "")

    WarrantyClaim.objects.filter(status=WarrantyClaim.Status.REPORTED).delete()
    Complaint.objects.filter(status=Complaint.Status.OPEN).update(status=Complaint.Status.CLOSED)
    assert badges() == ("", "")

    customer = get_user_model().objects.get(username="customer")
    job = make_job(customer, make_service(), status=Job.Status.QUOTED)
    WarrantyClaim.objects.create(job=job, reason="The tap still drips.")
    assert "1" in badges()[0].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")) and badges()[1] == ""
    Complaint.objects.create(provider=make_provider(), customer=customer, text="Late twice.")
    Complaint.objects.create(provider=make_provider(), customer=customer, text="Rude.")
    assert "2" in badges()[1].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))


def test_the_dropdowns_and_badges_take_one_query_each(client, operator):
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(QUEUE).status_code == 200
    tables = ("services_catalog_service", "services_catalog_area", "services_catalog_provider")
    # The jobs' query joins these tables and the work areas' ask a provider subquery (alias
    # U0); only the choices read from them (three queries before).
    reads = [[re.search(rf'FROM "{t}"(?! U\d)', q["sql"]) is not None for t in tables]
             for q in captured.captured_queries]
    assert [read for read in reads if any(read)] == [[True, True, True]]
    badge_tables = ("services_catalog_warrantyclaim", "services_catalog_complaint")
    assert [all(t in q["sql"] for t in badge_tables) for q in captured.captured_queries
            if any(t in q["sql"] for t in badge_tables)] == [True]
