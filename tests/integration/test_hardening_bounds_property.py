"""Issue 14, point 3, property-based: whatever number or date a client sends, the answer
is a refusal a person can act on or a value stored exactly, never a database error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.bounds import MAX_AMOUNT, MAX_INT, amount_fits, latest_booking_date
from core.errors import DomainError
from core.jalali import format_jalali
from services_catalog.services.quotes import _clean_lines
from tests.factories_services import future_date, make_customer, make_service
from tests.factories_vendors import make_vendor, make_vendor_product, vendor_user
from tests.helpers.jobs import request as request_job
from vendors import services as vendor_services
from vendors.errors import StockRefused
from vendors.forms import StockForm

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
DB_EXAMPLES = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class _Rollback(Exception):
    """Raised to undo one example's writes before the next (hypothesis reuses the test's transaction)."""


@pytest.fixture
def stock_record():
    partner = make_vendor()
    return make_vendor_product(partner, stock=1).stockrecords.get(), vendor_user(partner)


@DB_EXAMPLES
@given(st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.sampled_from([0, MAX_INT, MAX_INT + 1, 2**63])))
def test_stock_is_refused_or_stored_exactly(stock_record, value):
    record, user = stock_record
    form_ok = StockForm(data={"num_in_stock": str(value)}).is_valid()
    assert form_ok == (0 <= value <= MAX_INT)
    try:
        with transaction.atomic():
            try:
                vendor_services.stock_set(stockrecord=record, num_in_stock=value, price=None, user=user)
            except StockRefused:
                assert not form_ok
                raise _Rollback from None
            assert form_ok
            record.refresh_from_db()
            assert record.num_in_stock == value
            raise _Rollback
    except _Rollback:
        return


money = st.decimals(min_value=Decimal("-1e14"), max_value=Decimal("1e14"), places=2, allow_nan=False)


@given(quantity=money, unit_price=money)
def test_quote_line_fits_its_columns_or_is_refused(quantity, unit_price):
    try:
        [(_, q, u, amount)] = _clean_lines([{"description": "x", "quantity": quantity, "unit_price": unit_price}])
    except DomainError:
        assert quantity <= 0 or unit_price < 0 or not amount_fits(quantity * unit_price) or quantity >= 10**8
        return
    assert 0 < q and 0 <= u <= MAX_AMOUNT and 0 <= amount <= MAX_AMOUNT


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_date_renders_in_fa(day):
    assert format_jalali(day, "Y/m/d")


@pytest.fixture
def booking():
    service = make_service()
    return service, make_customer(), future_date(service)


@DB_EXAMPLES
@given(offset=st.integers(min_value=-(10**5), max_value=10**6))
def test_booking_dates_within_the_horizon_only(booking, offset):
    service, customer, earliest = booking
    try:
        day = earliest + dt.timedelta(days=offset)
    except OverflowError:
        return
    if day > dt.date(9999, 12, 31):
        return
    try:
        with transaction.atomic():
            try:
                job = request_job(customer, service, preferred_date=day, description=f"offset {offset}")
            except DomainError:
                assert not (earliest <= day <= latest_booking_date(earliest))
                raise _Rollback from None
            assert earliest <= job.preferred_date <= latest_booking_date(earliest)
            raise _Rollback
    except _Rollback:
        return
