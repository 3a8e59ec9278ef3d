"""Oscar's offers for a basket, their SQL built once per process (issue 16).

`Applicator.get_offers` built two querysets on every page that loads a basket: the site
offers (`ConditionalOffer.active`: four datetime comparisons with "now", the status, the
offer type, a join to the condition and the benefit) and the basket's vouchers. Building
and compiling them took more Python than the database took to answer them. Here the SQL
is compiled once and run on every request with that request's "now" and basket, so an
offer suspended, ended or started drops out or comes in on the very next request; the
offers, their order and the related objects loaded are Oscar's (tests/unit/test_basket_offers.py).
"""

from __future__ import annotations

from datetime import datetime
from itertools import chain
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from core.compiled_queries import CompiledModelQuery

OscarApplicator = get_class("offer.applicator", "Applicator")
Basket = get_model("basket", "Basket")
ConditionalOffer = get_model("offer", "ConditionalOffer")


def site_offers_queryset(cutoff: datetime) -> QuerySet:
    """Oscar's `Applicator.get_site_offers()` with `cutoff` for the `now()` its
    `ActiveOfferManager` reads (that manager takes no time, so its filter is repeated here;
    a test checks the SQL and parameters are the manager's)."""
    return (
        ConditionalOffer.objects.filter(
            Q(end_datetime__gte=cutoff) | Q(end_datetime=None),
            Q(start_datetime__lte=cutoff) | Q(start_datetime=None),
        )
        .filter(status=ConditionalOffer.OPEN)
        .filter(offer_type=ConditionalOffer.SITE)
        .select_related("condition", "benefit")
    )


# The two "now" parameters (end >= now, start <= now) are adapted as a DateTimeField adapts them (start and end are
# both DateTimeFields): SQLite receives a string, PostgreSQL the datetime.
SITE_OFFERS = CompiledModelQuery(
    site_offers_queryset, key_field=ConditionalOffer._meta.get_field("start_datetime")
)

# `basket.vouchers.all()`, the many-to-many manager's own queryset for the basket's key.
BASKET_VOUCHERS = CompiledModelQuery(lambda basket_id: Basket(pk=basket_id).vouchers.all())


class Applicator(OscarApplicator):
    """Oscar's applicator; only how the site offers and the basket's vouchers are read differs."""

    def get_site_offers(self) -> list[Any]:
        # Through the module, so the clock is the one a test (or anything else) sets there.
        return SITE_OFFERS.objects(timezone.now())

    def get_basket_offers(self, basket: Any, user: Any) -> list[Any]:
        if not basket.id or not user or "vouchers" in getattr(basket, "_prefetched_objects_cache", {}):
            # No basket or shopper: Oscar's empty list. Prefetched vouchers: Oscar reads those.
            return super().get_basket_offers(basket, user)
        offers: list[Any] = []
        for voucher in BASKET_VOUCHERS.objects(basket.id):  # Oscar's loop from here on
            available_to_user, __ = voucher.is_available_to_user(user=user)
            if voucher.is_active() and available_to_user:
                basket_offers = list(voucher.offers.all())
                for offer in basket_offers:
                    offer.set_voucher(voucher)
                offers = list(chain(offers, basket_offers))
        return offers
