"""Issue 17, point 5: the API's conventions hold for every endpoint (docs/api.md).

- every error answer is {code, detail, fields}, its detail in the request's language;
- Accept-Language picks fa or en for API answers, before any language cookie;
- one pagination style (page, page_size with a maximum), `ordering` where declared;
- 429 answers carry Retry-After and the code `throttled` (DRF's throttles and our
  django-ratelimit limits);
- the schema has one `Error` component, documents per operation the error statuses (with
  their codes), the Idempotency-Key header on every POST, and describes the conventions;
- money is a decimal string with its currency; dates are ISO 8601.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import resolve
from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle

from core.openapi import documented_codes
from core.throttle import too_many
from support.models import Ticket
from tests.factories_services import make_customer

pytestmark = [pytest.mark.no_demo]


def token_client(user, **headers) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}", **headers)


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method.upper(), operation


# ---------------------------------------------------------------- error shape
@pytest.mark.django_db
def test_a_validation_error_has_code_detail_and_fields():
    answer = token_client(make_customer()).post("/api/v1/support/tickets/", {"subject": ""},
                                                content_type="application/json")
    body = answer.json()
    assert answer.status_code == 400 and set(body) == {"code", "detail", "fields"}
    assert body["code"] == "invalid" and set(body["fields"]) == {"subject", "body"}
    assert body["detail"] and isinstance(body["fields"]["body"], list)


@pytest.mark.django_db
def test_not_found_and_not_signed_in_have_the_same_shape():
    missing = token_client(make_customer()).get("/api/v1/support/tickets/no-such-ticket/")
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "detail": missing.json()["detail"], "fields": {}}
    anonymous = Client().get("/api/v1/support/tickets/")
    assert anonymous.status_code in (401, 403)
    assert anonymous.json()["code"] == "not_authenticated" and anonymous.json()["fields"] == {}


@pytest.mark.django_db
def test_a_domain_error_keeps_its_code_and_status():
    from tests.factories_services import make_job, make_service

    customer = make_customer()
    job = make_job(customer, make_service(), status="cancelled")
    answer = token_client(customer).post(f"/api/v1/jobs/{job.number}/accept-quote/", {},
                                         content_type="application/json")
    assert answer.status_code == 409, answer.content
    assert set(answer.json()) == {"code", "detail", "fields"} and answer.json()["code"] != "invalid"


# ---------------------------------------------------------------- languages
@pytest.mark.django_db
def test_accept_language_picks_the_language_of_api_answers():
    customer = make_customer()
    english = token_client(customer, HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/support/tickets/nope/")
    persian = token_client(customer, HTTP_ACCEPT_LANGUAGE="fa").get("/api/v1/support/tickets/nope/")
    assert english["Content-Language"] == "en" and persian["Content-Language"] == "fa"
    assert english.json()["detail"] != persian.json()["detail"]
    assert re.search("[A-Za-z]", english.json()["detail"])
    assert re.search("[\u0600-\u06ff]", persian.json()["detail"])


@pytest.mark.django_db
def test_the_header_wins_over_a_site_language_cookie():
    client = token_client(make_customer(), HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "fa"
    answer = client.get("/api/v1/support/tickets/nope/")
    assert answer["Content-Language"] == "en"


def test_refusals_at_the_door_follow_accept_language(client):
    english = client.get("/api/v1/catalogue/products/", {"q": "\x00"}, HTTP_ACCEPT_LANGUAGE="en")
    persian = client.get("/api/v1/catalogue/products/", {"q": "\x00"}, HTTP_ACCEPT_LANGUAGE="fa")
    assert english.json()["code"] == persian.json()["code"] == "invalid_characters"
    assert english.json()["fields"] == {}
    assert re.search("[\u0600-\u06ff]", persian.json()["detail"])
    assert not re.search("[\u0600-\u06ff]", english.json()["detail"])


# ---------------------------------------------------------------- pagination
@pytest.mark.django_db
def test_lists_take_page_size_up_to_the_maximum():
    customer = make_customer()
    client = token_client(customer)
    for n in range(3):
        client.post("/api/v1/support/tickets/", {"subject": f"t{n}", "body": "b"}, content_type="application/json")
    assert Ticket.objects.filter(customer=customer).count() == 3
    page = client.get("/api/v1/support/tickets/", {"page_size": 2}).json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 3 and len(page["results"]) == 2 and "page=2" in page["next"]
    assert len(client.get("/api/v1/support/tickets/", {"page_size": 10_000}).json()["results"]) == 3
    past = client.get("/api/v1/support/tickets/", {"page": 9})
    assert past.status_code == 404 and past.json()["code"] == "not_found"


def test_every_list_is_paginated_alike(schema):
    """Every paginated list takes page and page_size (the faceted search too)."""
    lists = 0
    for path, method, operation in operations(schema):
        if "#/components/schemas/Paginated" in str(operation["responses"].get("200", {})):
            lists += 1
            names = {parameter["name"] for parameter in operation.get("parameters", [])}
            assert {"page", "page_size"} <= names, f"{method} {path}"
    assert lists > 5
    assert "#/components/schemas/Paginated" in str(schema["paths"]["/api/v1/search/"]["get"]["responses"]["200"])


# ---------------------------------------------------------------- rate limits
@pytest.mark.django_db
def test_a_throttled_api_answer_has_retry_after_and_code(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/min", raising=False)
    client = Client()
    answers = [client.get("/api/v1/catalogue/categories/") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    refused = answers[-1]
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled" and refused.json()["fields"] == {}


def test_a_ratelimited_api_path_answers_json_with_retry_after():
    request = RequestFactory().post("/api/v1/auth/login/")
    answer = too_many(request, "5/5m", "30/10m")
    assert answer.status_code == 429 and answer["Retry-After"] == "600"
    assert answer["Content-Type"] == "application/json"


# ---------------------------------------------------------------- schema
def test_one_error_component(schema):
    components = schema["components"]["schemas"]
    assert set(components["Error"]["properties"]) == {"code", "detail", "fields"}
    assert not [name for name in components if name != "Error" and name.endswith("Error")]


def test_every_operation_documents_its_error_statuses(schema):
    missing = []
    for path, method, operation in operations(schema):
        statuses = set(operation["responses"])
        wanted = {"400", "503"}
        if method in ("POST", "PUT", "PATCH"):
            wanted |= {"413", "415"}
        if method == "POST" and path not in IDEMPOTENCY_EXEMPT:
            wanted |= {"409", "422"}
        if "{" in path:
            wanted.add("404")
        if not wanted <= statuses:
            missing.append(f"{method} {path}: {sorted(wanted - statuses)}")
        for status, response in operation["responses"].items():
            if status >= "400" and "Error" in str(response.get("content", {})):
                assert documented_codes(response["description"]), f"{method} {path} {status}: no codes"
    assert missing == []


def test_error_statuses_list_their_codes(schema):
    post = schema["paths"]["/api/v1/jobs/{number}/cancel/"]["post"]["responses"]
    assert "idempotency_key_in_progress" in documented_codes(post["409"]["description"])
    assert "invalid_transition" in documented_codes(post["409"]["description"])  # services_catalog.errors
    assert documented_codes(post["422"]["description"]) == ("idempotency_key_reused",)
    assert "Retry-After" in post["429"]["headers"] and "Retry-After" in post["503"]["headers"]


# POSTs whose answer must not be stored, opted out with `idempotency_exempt` (docs/api.md).
IDEMPOTENCY_EXEMPT = {"/api/v1/auth/sign-in/": "its answer carries a new device token"}


def test_every_post_documents_the_idempotency_key(schema):
    for path in IDEMPOTENCY_EXEMPT:
        assert resolve(path).func.cls.idempotency_exempt
        assert "Idempotency-Key" not in str(schema["paths"][path]["post"].get("parameters", []))
    for path, method, operation in operations(schema):
        if method == "POST" and path not in IDEMPOTENCY_EXEMPT:
            headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            assert "Idempotency-Key" in headers, path


def test_the_description_states_the_conventions(schema):
    description = schema["info"]["description"]
    for topic in ("Authentication", "Errors", "Idempotency", "Pagination", "Languages", "Retry-After"):
        assert topic in description


# ---------------------------------------------------------------- money and dates
MONEY = re.compile(r"(price|amount|total|fee|balance|cost|refund)", re.I)
COUNTS = frozenset({"total", "claims_total", "points_price"})  # numbers of things (or points), not money


def _refs(value) -> set[str]:
    text = str(value)
    return set(re.findall(r"#/components/schemas/(\w+)", text))


def test_money_is_a_decimal_string_with_its_currency(schema):
    """A money property is a decimal string, and its object (or an object that holds it)
    names the currency."""
    components = schema["components"]["schemas"]

    def has_currency(name: str, seen: frozenset = frozenset()) -> bool:
        if any("currency" in prop for prop in components[name].get("properties", {})):
            return True
        parents = holders.get(name, set()) - seen
        return bool(parents) and all(has_currency(parent, seen | {name}) for parent in parents)

    response_components = set()
    for _path, _method, operation in operations(schema):
        for status, response in operation["responses"].items():
            if status.startswith("2"):
                response_components |= _refs(response)
    pending = list(response_components)
    while pending:
        for ref in _refs(components[pending.pop()].get("properties", {})) - response_components:
            response_components.add(ref)
            pending.append(ref)

    holders: dict[str, set[str]] = {}
    for name in response_components:
        for ref in _refs(components[name].get("properties", {})):
            holders.setdefault(ref, set()).add(name)
    wrong = []
    for name in sorted(response_components):
        for prop, spec in components[name].get("properties", {}).items():
            if not MONEY.search(prop) or prop.endswith(("_at", "_count", "_currency")) \
                    or spec.get("type") == "array" or prop in COUNTS:
                continue
            if "$ref" in str(spec) or "allOf" in spec:
                continue
            if spec.get("type") != "string" or spec.get("format") != "decimal":
                wrong.append(f"{name}.{prop}: {spec.get('type')} (not a decimal string)")
            elif not has_currency(name):
                wrong.append(f"{name}.{prop}: no currency beside it")
    assert wrong == [], "\n".join(wrong)


def test_dates_are_iso_8601(schema):
    components = schema["components"]["schemas"]
    for name, component in components.items():
        for prop, spec in component.get("properties", {}).items():
            if prop in ("created", "updated", "date") or prop.endswith(("_at", "_on", "_date")):
                assert spec.get("format") in ("date", "date-time") or "$ref" in str(spec) or \
                    spec.get("type") == "array", f"{name}.{prop}: {spec}"


# ---------------------------------------------------------------- ordering
def test_ordering_is_offered_only_where_declared(schema):
    shipments = schema["paths"]["/api/v1/vendor/shipments/"]["get"]
    ordering = [p for p in shipments["parameters"] if p["name"] == "ordering"]
    assert ordering and "`promised_by`" in ordering[0]["description"]
    categories = schema["paths"]["/api/v1/service-categories/"]["get"]
    assert "ordering" not in {p["name"] for p in categories["parameters"]}


@pytest.mark.django_db
def test_a_list_orders_by_a_declared_field_and_refuses_others():
    from tests.factories_vendors import make_vendor, make_vendor_product, place_order, vendor_user
    from vendors.models import Shipment

    partner = make_vendor()
    product = make_vendor_product(partner)
    for _ in range(3):
        place_order(make_customer(), [(product, 1)])
    client = Client()
    client.force_login(vendor_user(partner))
    ids = list(Shipment.objects.filter(partner=partner).order_by("created").values_list("pk", flat=True))
    newest_first = client.get("/api/v1/vendor/shipments/", {"ordering": "-created"})
    assert newest_first.status_code == 200
    assert [row["id"] for row in newest_first.json()["results"]] == ids[::-1]
    assert len(ids) == 3
    oldest_first = client.get("/api/v1/vendor/shipments/", {"ordering": "created"})
    assert [row["id"] for row in oldest_first.json()["results"]] == ids
    refused = client.get("/api/v1/vendor/shipments/", {"ordering": "tracking_reference"})
    assert refused.status_code == 400 and refused.json()["code"] == "invalid"
    assert "promised_by" in refused.json()["fields"]["ordering"][0]
    persian = client.get("/api/v1/vendor/shipments/", {"ordering": "x"}, HTTP_ACCEPT_LANGUAGE="fa").json()
    assert re.search("[\u0600-\u06ff]", persian["fields"]["ordering"][0])
    assert client.get("/api/v1/vendor/shipments/", {"ordering": ""}).status_code == 200  # the default
