"""shop.basket_offers: the offers read through the SQL compiled once are Oscar's (the same
offers in the same order, with the same related objects loaded, in no more queries), on
SQLite and PostgreSQL, for a "now" at, just before and just after an offer's start and end,
and an offer suspended or ended drops out on the next call."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_model

from shop.basket_offers import SITE_OFFERS, Applicator, OscarApplicator, site_offers_queryset
from tests.integration.test_basket_page_render import add_line, shopper, voucher_for
from tests.integration.test_header_basket import percent_offer

pytestmark = pytest.mark.django_db

ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")


def _fields(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def oscar_site_offers(cutoff: dt.datetime) -> list:
    with mock.patch("oscar.apps.offer.managers.now", return_value=cutoff):
        return list(OscarApplicator().get_site_offers())


def assert_same_offers(mine: list, theirs: list) -> None:
    assert [offer.pk for offer in mine] == [offer.pk for offer in theirs]
    for a, b in zip(mine, theirs, strict=True):
        assert _fields(a) == _fields(b) and not a._state.adding and a._state.db == b._state.db
        # The same related objects loaded (select_related), with the same values.
        assert set(a._state.fields_cache) == set(b._state.fields_cache) == {"condition", "benefit"}
        assert _fields(a.condition) == _fields(b.condition) and _fields(a.benefit) == _fields(b.benefit)
        assert getattr(a, "_voucher", None) == getattr(b, "_voucher", None)


def test_the_compiled_sql_is_oscar_s_active_site_offers():
    cutoff = timezone.now()
    with mock.patch("oscar.apps.offer.managers.now", return_value=cutoff):
        oscar_sql = OscarApplicator().get_site_offers().query.sql_with_params()
    assert site_offers_queryset(cutoff).query.sql_with_params() == oscar_sql
    SITE_OFFERS.objects(cutoff)
    _alias, sql, params, slots = SITE_OFFERS._compiled[:4]
    assert sql == oscar_sql[0] and len(slots) == 2  # end >= now, start <= now (the NULLs are IS NULL)
    values = list(params)
    for slot in slots:
        values[slot] = oscar_sql[1][slot]
    assert tuple(values) == tuple(oscar_sql[1])


@pytest.mark.parametrize("microsecond", [0, 500_000])  # SQLite compares strings: "…:05" vs "…:05.5"
def test_offers_starting_and_ending_around_now_are_oscar_s(microsecond):
    base = timezone.now().replace(microsecond=microsecond) + dt.timedelta(days=3)
    product_range = Range.objects.create(name=f"Around now {microsecond}")
    second = dt.timedelta(seconds=1)
    starts_now = percent_offer(product_range, 11, start=base)
    starts_later = percent_offer(product_range, 12, start=base + second)
    ends_now, ended, open_ended = (percent_offer(product_range, p) for p in (13, 14, 15))
    ConditionalOffer.objects.filter(pk=ends_now.pk).update(end_datetime=base, priority=5)
    ConditionalOffer.objects.filter(pk=ended.pk).update(end_datetime=base - second)
    ConditionalOffer.objects.filter(pk=open_ended.pk).update(priority=5)
    suspended = percent_offer(product_range, 16)
    ConditionalOffer.objects.filter(pk=suspended.pk).update(status=ConditionalOffer.SUSPENDED)
    voucher_only = percent_offer(product_range, 17)
    ConditionalOffer.objects.filter(pk=voucher_only.pk).update(offer_type=ConditionalOffer.VOUCHER)

    for cutoff in (base - second, base - dt.timedelta(microseconds=1), base, base + dt.timedelta(microseconds=1),
                   base + second, base.astimezone(dt.timezone(dt.timedelta(hours=3, minutes=30)))):
        theirs = oscar_site_offers(cutoff)
        assert_same_offers(SITE_OFFERS.objects(cutoff), theirs)
    at_base = [offer.pk for offer in SITE_OFFERS.objects(base)]
    assert starts_now.pk in at_base and ends_now.pk in at_base and open_ended.pk in at_base
    assert starts_later.pk not in at_base and ended.pk not in at_base
    assert suspended.pk not in at_base and voucher_only.pk not in at_base

    # Fresh on every call: suspended now, gone on the next.
    ConditionalOffer.objects.filter(pk=open_ended.pk).update(status=ConditionalOffer.SUSPENDED)
    assert open_ended.pk not in [offer.pk for offer in SITE_OFFERS.objects(base)]
    assert_same_offers(SITE_OFFERS.objects(base), oscar_site_offers(base))


def test_get_offers_with_a_voucher_is_oscar_s_in_no_more_queries():
    from tests.factories import make_category

    _client, basket = shopper("compiled-offers")
    category = make_category("Compiled offer lamps")
    add_line(basket, "10.00", 2, category=category)
    site_range = Range.objects.create(name="Compiled site range")
    site_range.included_categories.add(category)
    percent_offer(site_range, 5)
    voucher_offer = voucher_for(basket, category, 10)
    user = basket.owner

    with CaptureQueriesContext(connection) as oscar_queries:
        theirs = OscarApplicator().get_offers(basket, user)
    with CaptureQueriesContext(connection) as my_queries:
        mine = Applicator().get_offers(basket, user)
    assert voucher_offer.pk in [offer.pk for offer in mine] and len(mine) >= 2
    assert [offer.pk for offer in mine] == [offer.pk for offer in theirs]
    assert [getattr(offer, "_voucher", None) for offer in mine] == [getattr(o, "_voucher", None) for o in theirs]
    assert [_fields(offer) for offer in mine] == [_fields(offer) for offer in theirs]
    site = [offer for offer in mine if offer.offer_type == ConditionalOffer.SITE]
    assert_same_offers(site, [offer for offer in theirs if offer.offer_type == ConditionalOffer.SITE])
    assert len(my_queries) <= len(oscar_queries)
    # Another basket, no vouchers: the compiled vouchers query answers for its own key.
    _other_client, other = shopper("compiled-offers-other")
    assert [o.pk for o in Applicator().get_basket_offers(other, other.owner)] == []
