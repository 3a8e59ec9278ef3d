"""The header's basket count and total, without loading the basket on every page (issue 16).

Oscar's header total loads the whole basket and applies the site's offers to it: on a
signed-in shopper's catalogue, orders or jobs page that was a third of the page's time,
for two numbers. Here the two numbers are kept in the cache under a key made of what
they are computed from, read fresh on every request in two small queries:

- the open basket and its lines (one query), each with its quantity, its stock record's price, stock
  and update time, its vendor's status and the product fields offers look at;
- the offers' version, which any change to an offer, its condition, benefit or range, or
  a product's categories retires (signals below), and which of the offers' start and end
  times have passed.

A change to any of these gives a new key, so the next page shows the new total; nothing
computed from an old price or stock is ever shown. Pages that load the basket themselves
(the basket page, checkout) and baskets Oscar still has work to do on (a cookie basket to
merge, two open baskets, vouchers) are summarised from the basket Oscar loads, as before.
"""

from __future__ import annotations

import bisect
import hashlib
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.functional import empty
from oscar.core.loading import get_model

from core.compiled_queries import CompiledQuery

Basket = get_model("basket", "Basket")

# Kept at most this long; the key changes with everything the summary depends on.
SUMMARY_SECONDS = 600
_OFFERS_VERSION_KEY = "basket-summary:offers-version"

# What a line's price, availability and offers depend on.
_LINE_SIGNATURE = (
    "pk", "quantity", "price_incl_tax", "date_updated",
    "stockrecord_id", "stockrecord__price", "stockrecord__price_currency", "stockrecord__num_in_stock",
    "stockrecord__num_allocated", "stockrecord__date_updated", "stockrecord__partner__status",
    "product_id", "product__is_public", "product__is_discountable", "product__structure", "product__parent_id",
    "product__product_class_id", "product__product_class__track_stock", "product__date_updated",
)


@dataclass(frozen=True)
class BasketSummary:
    num_items: int
    total: Decimal | None
    currency: str


def _open_baskets_with_lines(owner_pk: int) -> QuerySet:
    """One row per line of each of the owner's open baskets (one row with no line's
    columns for a basket without lines), ordered by basket and line: `(basket pk, has
    vouchers, *_LINE_SIGNATURE)`. The open baskets and the lines were two queries; the
    left joins give both in one round trip with the same line values (the same columns,
    through the same converters). Vouchers as `EXISTS`, so they multiply no row."""
    Voucher = Basket.vouchers.through
    return (
        Basket.open.filter(owner_id=owner_pk).order_by("pk", "lines__pk").values_list(
            "pk", Exists(Voucher.objects.filter(basket_id=OuterRef("pk"))),
            *(f"lines__{field}" for field in _LINE_SIGNATURE),
        )
    )


_OPEN_BASKETS = CompiledQuery(_open_baskets_with_lines)


def empty_summary() -> BasketSummary:
    return BasketSummary(0, None, settings.OSCAR_DEFAULT_CURRENCY)


def summarise(basket: Any) -> BasketSummary:
    """The summary of a basket Oscar has loaded (its offers applied)."""
    if not basket.id or basket.is_empty:
        return empty_summary()
    return BasketSummary(basket.num_items, basket.total_incl_tax, basket.currency or settings.OSCAR_DEFAULT_CURRENCY)


def header_summary(request: Any) -> BasketSummary:
    """The basket count and total for the header of this request's page."""
    loaded = getattr(request, "basket", None)
    if loaded is None:  # no basket middleware (an error page)
        return empty_summary()
    if getattr(loaded, "_wrapped", None) is not empty:  # the page has loaded it already
        return summarise(loaded)
    if settings.OSCAR_BASKET_COOKIE_OPEN in request.COOKIES:
        # A cookie basket: Oscar checks its signature, and merges it into a signed-in
        # shopper's basket.
        return summarise(request.basket)
    user = request.user
    if not user.is_authenticated:
        return empty_summary()
    rows = _OPEN_BASKETS.rows(user.pk)
    if not rows:
        return empty_summary()
    basket_pk, has_vouchers = rows[0][:2]
    if rows[-1][0] != basket_pk or has_vouchers:
        # Oscar merges several open baskets; a voucher's offers depend on its own dates and uses.
        return summarise(request.basket)
    # A basket without lines has one row, its line columns NULL (a line's pk never is).
    lines = [row[2:] for row in rows if row[2] is not None]
    if not lines:
        return empty_summary()
    key = _summary_key(basket_pk, lines)
    summary = cache.get(key)
    if summary is None:
        basket = request.basket
        summary = summarise(basket)
        if basket.id == basket_pk:
            cache.set(key, summary, SUMMARY_SECONDS)
    return summary


def _summary_key(basket_pk: int, lines: list[tuple]) -> str:
    version = offers_version()
    signature = repr((basket_pk, lines, version, _offers_started_or_ended(version)))
    return "basket-summary:" + hashlib.sha256(signature.encode()).hexdigest()


def offers_version() -> str:
    version = cache.get(_OFFERS_VERSION_KEY)
    if version is None:
        # Random, so a version the cache has evicted is never mistaken for an older one.
        version = uuid.uuid4().hex
        cache.add(_OFFERS_VERSION_KEY, version, None)
        version = cache.get(_OFFERS_VERSION_KEY) or version
    return version


def retire_offers_version(**_signal: Any) -> None:
    cache.set(_OFFERS_VERSION_KEY, uuid.uuid4().hex, None)


def _offers_started_or_ended(version: str) -> int:
    """How many of the offers' start and end times have passed: an offer that starts or
    ends changes the totals without any row changing."""
    key = f"basket-summary:offer-times:{version}"
    times = cache.get(key)
    if times is None:
        ConditionalOffer = get_model("offer", "ConditionalOffer")
        times = sorted(
            moment
            for pair in ConditionalOffer.objects.values_list("start_datetime", "end_datetime")
            for moment in pair if moment is not None
        )
        cache.set(key, times, SUMMARY_SECONDS)
    return bisect.bisect_right(times, timezone.now())


def connect_invalidation() -> None:
    """Retire the offers' version whenever what the offers apply to may have changed."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    models = [
        get_model("offer", name) for name in ("ConditionalOffer", "Condition", "Benefit", "Range", "RangeProduct")
    ] + [get_model("catalogue", "ProductCategory"), get_model("catalogue", "Category")]
    for model in models:
        uid = f"basket-summary-{model._meta.label_lower}"
        post_save.connect(retire_offers_version, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(retire_offers_version, sender=model, dispatch_uid=f"{uid}-delete")
    Range = get_model("offer", "Range")
    for field in ("included_products", "excluded_products", "classes", "included_categories"):
        through = getattr(Range, field).through
        m2m_changed.connect(retire_offers_version, sender=through, dispatch_uid=f"basket-summary-range-{field}")
