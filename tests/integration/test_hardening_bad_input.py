"""Issue 14, point 3: no 500 from bad input. NUL characters anywhere, bodies over the size
limit, numbers past a column's range, dates past the calendar or the booking horizon; an
unexpected API error is still JSON, a database outage is a 503."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.http import HttpResponse
from django.urls import path

from core.bounds import MAX_INT, latest_booking_date
from core.jalali import format_jalali
from services_catalog import services
from services_catalog.errors import InvalidQuote, JobError
from tests.factories_services import future_date, make_customer, make_job, make_service, make_staff
from tests.factories_vendors import make_vendor, make_vendor_product, vendor_user
from tests.helpers.jobs import request as request_job
from tests.helpers.urls import iter_routes

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def _with_nul_in_path(path: str) -> str:
    return path[:-1] + "\x00/" if path.endswith("/") else path + "\x00"


@pytest.fixture
def superuser_client(client):
    user = get_user_model().objects.create_superuser("root-nul", "root-nul@example.com", "pw-root-nul-1")
    client.force_login(user)
    return client


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "superuser"])
def test_nul_sweep_over_every_url_pattern(client, superuser_client, signed_in):
    """Every named route, in both languages, with a NUL in the path, in the query and in a
    JSON body: each is a 400, never a 5xx."""
    http = superuser_client if signed_in else client
    failures = []
    routes = {route.path: route for language in ("fa", "en") for route in iter_routes(language)}
    assert len(routes) > 200, "the route walker found too few routes"
    for route in routes.values():
        answers = {
            "path": http.get(_with_nul_in_path(route.path)),
            "query": http.get(route.path, {"q": "a\x00b", "page": "\x00"}),
            "json": http.post(route.path, data=json.dumps({"q": "a\x00b", "name": "\x00"}),
                              content_type="application/json"),
            "form": http.post(route.path, data="q=a%00b", content_type="application/x-www-form-urlencoded"),
        }
        for where, response in answers.items():
            if response.status_code != 400:
                failures.append(f"{route.name} {route.path} ({where}): {response.status_code}")
    assert failures == []


def test_api_refusal_is_code_and_detail(client):
    response = client.get("/api/v1/catalogue/products/", {"q": "\x00"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_characters"


def test_body_over_the_limit_is_refused_before_it_is_read(client, settings):
    settings.CHAARSOO_MAX_REQUEST_BYTES = 1024

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    response = client.generic(
        "POST", "/api/v1/jobs/", content_type="application/json",
        CONTENT_LENGTH="5000", **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_form_body_over_django_memory_limit_is_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/fa/account/", data="a=" + "x" * 5000, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


# --------------------------------------------------------------------------- numbers
def test_stock_past_the_integer_column_is_refused_by_the_api(client):
    partner = make_vendor()
    product = make_vendor_product(partner, stock=3)
    record = product.stockrecords.get()
    client.force_login(vendor_user(partner))
    url = f"/api/v1/vendor/stock-records/{record.pk}/"
    for value in (2**31, 2**63, 10**30):
        response = client.patch(url, data={"num_in_stock": value}, content_type="application/json")
        assert response.status_code == 400, value
        assert "num_in_stock" in response.json()["fields"]
    response = client.patch(url, data={"num_in_stock": MAX_INT}, content_type="application/json")
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.num_in_stock == MAX_INT


def test_stock_form_refuses_past_the_column():
    from vendors.forms import StockForm

    form = StockForm(data={"num_in_stock": str(2**31)})
    assert not form.is_valid() and "num_in_stock" in form.errors


def test_quote_line_whose_amount_overflows_is_refused():
    service = make_service(pricing_model="quote")
    job = make_job(make_customer(), service, status="requested")
    staff = make_staff()
    with pytest.raises(InvalidQuote) as refused:
        services.quote_send(job=job, user=staff, lines=[
            {"description": "huge", "quantity": Decimal("99999999"), "unit_price": Decimal("9999999999")},
        ], valid_days=3)
    assert refused.value.code == "amount_too_large"
    with pytest.raises(InvalidQuote):  # two lines that fit, whose total does not
        services.quote_send(job=job, user=staff, lines=[
            {"description": "a", "quantity": 1, "unit_price": Decimal("9000000000")},
            {"description": "b", "quantity": 1, "unit_price": Decimal("9000000000")},
        ], valid_days=3)
    quote = services.quote_send(job=job, user=staff, lines=[
        {"description": "fits", "quantity": 1, "unit_price": Decimal("9999999999.99")},
    ], valid_days=3)
    quote.refresh_from_db()
    assert quote.total == Decimal("9999999999.99")


# --------------------------------------------------------------------------- dates
def test_year_9999_renders_in_fa_without_error():
    assert format_jalali(dt.date(9999, 12, 31), "Y/m/d") == "۹۹۹۹-۱۲-۳۱"
    assert format_jalali(dt.date(2026, 3, 21), "Y/m/d") == "۱۴۰۵/۰۱/۰۱"


def test_booking_past_the_horizon_is_refused_with_a_message():
    service = make_service()
    customer = make_customer()
    earliest = future_date(service)
    with pytest.raises(JobError) as refused:
        request_job(customer, service, preferred_date=dt.date(9999, 12, 31))
    assert refused.value.code == "date_too_far"
    with pytest.raises(JobError):
        request_job(customer, service, preferred_date=latest_booking_date(earliest) + dt.timedelta(days=1))
    assert request_job(customer, service, preferred_date=latest_booking_date(earliest)).pk


def test_booking_year_9999_through_the_api_is_a_400(client):
    service = make_service()
    customer = make_customer()
    client.force_login(customer)
    response = client.post("/api/v1/jobs/", data={
        "service": service.slug, "area": service.areas.first().slug, "address": "Tehran 1",
        "preferred_date": "9999-12-31", "slot": "morning",
    }, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "date_too_far"


# --------------------------------------------------------------------------- failures
def _api_boom(request):
    raise RuntimeError("boom")


def _db_down(request):
    raise OperationalError("connection refused")


urlpatterns = [
    path("api/boom/", _api_boom),
    path("api/db-down/", _db_down),
    path("page/db-down/", _db_down),
    path("page/ok/", lambda request: HttpResponse("ok")),
]


@pytest.mark.urls(__name__)
def test_unexpected_api_error_is_json(client):
    client.raise_request_exception = False
    response = client.get("/api/boom/")
    assert response.status_code == 500
    assert response.json() == {"code": "server_error", "detail": response.json()["detail"], "fields": {}}


@pytest.mark.urls(__name__)
def test_database_down_is_503_fa_and_en(client):
    client.raise_request_exception = False
    page = client.get("/page/db-down/")
    assert page.status_code == 503 and page["Retry-After"]
    text = page.content.decode()
    assert "در دسترس نیست" in text and "briefly unavailable" in text
    api = client.get("/api/db-down/")
    assert api.status_code == 503 and api.json()["code"] == "unavailable"
