"""Who sees which errand (A3): a clerk sees only the errands filed at or routed to their own
office; documents and results are served only to the customer, both offices and staff.
And the console's pages work end to end through the web (filing with a scan, the inbox)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.private_files import private_file_url
from offices import services
from offices.models import Errand
from tests.factories_services import make_customer
from tests.helpers.offices import file_errand, make_clerk, make_errand_service, make_office, region, scan
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


@pytest.fixture
def routed():
    service = make_errand_service("fars", "tehran")
    a = make_office("tehran-county", name="A")
    b = make_office("shiraz-county", services=[service], name="B")
    c = make_office("marvdasht", services=[service], name="C")
    clerks = {"a": make_clerk(a), "b": make_clerk(b), "c": make_clerk(c)}
    customer = make_customer(tier="loyal", phone="+989121112244")
    errand = file_errand(clerks["a"], customer, service)
    services.errand_take_cash(clerk_user=clerks["a"], errand=errand)
    errand.refresh_from_db()
    assert errand.performer == b
    return {"errand": errand, "customer": customer, "service": service, **clerks}


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_a_clerk_sees_only_errands_filed_at_or_routed_to_their_office(client, routed):
    errand = routed["errand"]
    page = reverse("offices-dashboard:errand", args=[errand.job.number])
    api = reverse("offices-api:errand-detail", args=[errand.job.number])
    for who in ("a", "b"):
        assert _get(client, routed[who], page).status_code == 200
        assert _get(client, routed[who], api).status_code == 200
    assert _get(client, routed["c"], page).status_code == 404
    response = _get(client, routed["c"], api)
    assert response.status_code == 404 and set(response.json()) == {"code", "detail", "fields"}
    listing = _get(client, routed["c"], reverse("offices-api:errand-list")).json()
    assert errand.job.number not in str(listing)
    inbox = _get(client, routed["b"], reverse("offices-api:errand-list") + "?box=inbox").json()
    assert errand.job.number in str(inbox)
    console = _get(client, routed["b"], reverse("offices-dashboard:console"))
    assert f'data-errand="{errand.job.number}"' in console.content.decode()
    # a clerk of C may not act on B's errand through the API either
    client.force_login(routed["c"])
    assert client.post(reverse("offices-api:errand-accept", args=[errand.job.number])).status_code == 404


def test_documents_are_served_to_the_customer_both_offices_and_staff_only(client, routed):
    errand = routed["errand"]
    services.errand_accept(user=routed["b"], errand=errand)
    services.errand_result(user=routed["b"], errand=errand, reference="R-1", file=scan("certificate.pdf"))
    errand.refresh_from_db()
    document = errand.job.documents.exclude(file="").first()
    # the result: core.private_files' checked link (403 to others); the S6 scan: ours (404)
    urls = [(private_file_url(errand, "result_file"), 403),
            (reverse("offices-dashboard:errand-file", args=[errand.job.number, f"doc-{document.pk}"]), 404)]
    allowed = [routed["customer"], routed["a"], routed["b"], make_role_user("operator")]
    refused = [routed["c"], make_customer(), make_role_user("agent")]
    for url, refusal in urls:
        for user in allowed:
            assert _get(client, user, url).status_code == 200, (url, user)
        for user in refused:
            assert _get(client, user, url).status_code == refusal, (url, user)
        client.logout()
        assert client.get(url).status_code == 302
    assert not errand.result_file.name.startswith("offices/results/certificate")  # a random name


def test_a_clerk_files_an_errand_through_the_console_pages(client):
    service = make_errand_service("fars", "tehran", power_of_attorney=True)
    office = make_office("tehran-county", name="A")
    make_office("shiraz-county", services=[service], name="B")
    clerk = make_clerk(office)
    client.force_login(clerk)
    # a walk-in customer who is not registered yet
    lookup = client.get(reverse("offices-dashboard:customer"), {"query": "09127778899"})
    assert lookup.status_code == 200 and "data-not-found" in lookup.content.decode()
    created = client.post(reverse("offices-dashboard:customer"), {"phone": "09127778899", "name": "مریم رضایی"})
    assert created.status_code == 302
    file_url = created["Location"]
    customer_id = int(file_url.rstrip("/").split("/")[-2])
    from django.contrib.auth import get_user_model

    from customers.services import profile_for

    customer = get_user_model().objects.get(pk=customer_id)
    profile = profile_for(customer)
    profile.tier = "loyal"  # A5: errands are sold to loyal customers
    profile.save()
    form = client.get(file_url, {"service": service.pk})
    assert form.status_code == 200
    requirement = service.required_documents.get()
    response = client.post(file_url, {
        "service": service.pk, "county": region("shiraz-county").pk, "address": "شیراز، اداره ثبت",
        "description": "گواهی", "originals": "courier", "tracking_number": "TIPAX-5566",
        f"doc_{requirement.pk}": scan("vekalat.pdf"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    errand = Errand.objects.get(job__customer=customer)
    assert errand.origin == office and errand.tracking_number == "TIPAX-5566"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "data-take-cash" in page.content.decode()
    cash = client.post(reverse("offices-dashboard:errand-act", args=[errand.job.number, "cash"]))
    assert cash.status_code == 302
    errand.refresh_from_db()
    assert errand.status == Errand.Status.ROUTED and errand.performer.name == "B"
    # the customer follows it on their own job page
    client.force_login(customer)
    job_page = client.get(reverse("services_catalog:job-detail", args=[errand.job.number]))
    assert job_page.status_code == 200 and "data-errand-panel" in job_page.content.decode()


def test_the_console_api_is_in_the_openapi_schema(client):
    import json

    from openapi_spec_validator import validate

    schema = json.loads(client.get("/api/schema/?format=json").content)
    validate(schema)
    for path in ("/api/v1/offices/errands/", "/api/v1/offices/errands/{number}/",
                 "/api/v1/offices/errands/{number}/decline/", "/api/v1/offices/errands/{number}/result/",
                 "/api/v1/offices/errands/{number}/hand-over/"):
        assert path in schema["paths"], path


def test_a_clerk_works_an_errand_through_the_api_and_refusals_are_code_and_detail(client, routed):
    errand = routed["errand"]
    number = errand.job.number
    client.force_login(routed["b"])
    refused = client.post(reverse("offices-api:errand-decline", args=[number]), {}, content_type="application/json")
    assert refused.status_code == 400 and "code" in refused.json() and "reason" in refused.json()["fields"]
    accepted = client.post(reverse("offices-api:errand-accept", args=[number]))
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    early = client.post(reverse("offices-api:errand-hand-over", args=[number]))
    assert early.status_code == 403 and set(early.json()) == {"code", "detail", "fields"}
    done = client.post(reverse("offices-api:errand-result", args=[number]), {"reference": "API-1", "file": scan()})
    assert done.status_code == 200 and done.json()["status"] == "result_ready"
    assert [e["action"] for e in done.json()["events"]][-2:] == ["result", "fee_split"]
